/**
 * Reading the log for the viewer and the CSV export: filters from a query string, newest first,
 * keyset paging on the id. What a person may see is decided by row-level security (drizzle/0006):
 * the secretariat sees every row, an organisation's admins the rows of their organisations.
 *
 * The log holds ids only. The names beside them (people, organisations) belong to other modules
 * (auth, directory), which audit — a platform service — does not import: the caller passes an
 * `AuditNamer` that asks those modules, in the same transaction, so the reader's context decides
 * which names show (network's `auditNames`).
 */
import { and, asc, desc, eq, gt, lt, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../db';
import { auditEvents } from './schema';
import { isDayInRange, UUID } from '../boundary';

export interface AuditFilters {
	organizationId?: string;
	actorUserId?: string;
	/** A prefix: `member.` for every membership event, `session.login` for logins and their failures. */
	action?: string;
	entityType?: string;
	entityId?: string;
	/** Days in Asia/Tokyo, YYYY-MM-DD, both inclusive. */
	from?: string;
	to?: string;
}

export interface AuditPageRequest {
	/** Rows older than this id (the next page). */
	before?: number;
	/** Rows newer than this id (the previous page). */
	after?: number;
	limit?: number;
}

export interface AuditEventView {
	id: number;
	at: Date;
	/** Tokyo wall-clock time with microseconds and offset: 2025-04-01T09:00:00.123456+09:00. */
	atTokyo: string;
	actorUserId: string | null;
	/** Null when the person is gone or not visible to the reader. */
	actorName: string | null;
	organizationId: string | null;
	organizationName: string | null;
	action: string;
	entityType: string | null;
	entityId: string | null;
	changedFields: string[];
	ip: string | null;
	userAgent: string | null;
	requestId: string | null;
	prevHash: string;
	hash: string;
}

export interface AuditEventPage {
	events: AuditEventView[];
	/** Pass as `after` for the newer page; null on the newest page. */
	newer: number | null;
	/** Pass as `before` for the older page; null on the oldest page. */
	older: number | null;
}

/** The ids on a page of events whose names the reader may see. */
export interface AuditNameRequest {
	people: readonly string[];
	organizations: readonly string[];
}
/** Names by id; an id missing from a map shows as unknown (gone, or not visible to the reader). */
export interface AuditNames {
	people: ReadonlyMap<string, string>;
	organizations: ReadonlyMap<string, string>;
}
/** Looks names up for the ids on a page, in the reader's transaction. */
export type AuditNamer = (ids: AuditNameRequest) => Promise<AuditNames>;

/** No names: ids only. */
export const noAuditNames: AuditNamer = async () => ({ people: new Map(), organizations: new Map() });

export const AUDIT_PAGE_SIZE = 50;
/** A CSV export holds at most this many rows; a wider one must be narrowed first. */
export const AUDIT_EXPORT_LIMIT = 50_000;

// eslint-disable-next-line no-control-regex -- finding control characters is the point (refused in a filter)
const NO_CONTROLS = /^[^\u0000-\u001f\u007f]+$/;
const cursor = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** The viewer's query string (the names in the GET form), each value already trimmed, '' absent. */
export const auditQuerySchema = z
	.object({
		org: z.string().regex(UUID).optional(),
		actor: z.string().regex(UUID).optional(),
		action: z
			.string()
			.max(100)
			.regex(/^[a-z_.]+$/)
			.optional(),
		entity_type: z
			.string()
			.max(64)
			.regex(/^[a-z_]+$/)
			.optional(),
		entity_id: z.string().max(200).regex(NO_CONTROLS).optional(),
		from: z.string().refine(isDayInRange).optional(),
		to: z.string().refine(isDayInRange).optional(),
		before: cursor.optional(),
		after: cursor.optional()
	})
	.superRefine((q, ctx) => {
		if (q.from && q.to && q.from > q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'range' });
		if (q.before && q.after) ctx.addIssue({ code: 'custom', path: ['after'], message: 'cursor' });
	});

export type AuditQueryParam = keyof z.infer<typeof auditQuerySchema>;
export const AUDIT_QUERY_PARAMS = ['org', 'actor', 'action', 'entity_type', 'entity_id', 'from', 'to', 'before', 'after'] as const satisfies readonly AuditQueryParam[];

export interface AuditQueryError {
	param: AuditQueryParam;
	/** invalid, or range (to before from). */
	code: 'invalid' | 'range';
}

export type ParsedAuditQuery = { ok: true; filters: AuditFilters; page: AuditPageRequest; values: Partial<Record<AuditQueryParam, string>> } | { ok: false; errors: AuditQueryError[]; values: Partial<Record<AuditQueryParam, string>> };

/** Filters and page from the URL; bad values are reported per parameter, nothing is guessed. */
export function parseAuditQuery(params: URLSearchParams): ParsedAuditQuery {
	const values: Partial<Record<AuditQueryParam, string>> = {};
	for (const name of AUDIT_QUERY_PARAMS) {
		const value = params.get(name)?.trim();
		// Echoed back into the form: bounded, so a huge query string is not reflected in full.
		if (value) values[name] = value.slice(0, 300);
	}
	const parsed = auditQuerySchema.safeParse(values);
	if (!parsed.success) {
		const errors = new Map<AuditQueryParam, AuditQueryError>();
		for (const issue of parsed.error.issues) {
			const param = issue.path[0] as AuditQueryParam;
			if (!errors.has(param)) errors.set(param, { param, code: issue.message === 'range' ? 'range' : 'invalid' });
		}
		return { ok: false, errors: [...errors.values()], values };
	}
	const q = parsed.data;
	return {
		ok: true,
		values,
		filters: {
			organizationId: q.org?.toLowerCase(),
			actorUserId: q.actor?.toLowerCase(),
			action: q.action,
			entityType: q.entity_type,
			entityId: q.entity_id,
			from: q.from,
			to: q.to
		},
		page: { before: q.before, after: q.after }
	};
}

function conditions(filters: AuditFilters): SQL[] {
	const where: SQL[] = [];
	if (filters.organizationId) where.push(eq(auditEvents.organizationId, filters.organizationId));
	if (filters.actorUserId) where.push(eq(auditEvents.actorUserId, filters.actorUserId));
	if (filters.action) where.push(sql`starts_with(${auditEvents.action}, ${filters.action})`);
	if (filters.entityType) where.push(eq(auditEvents.entityType, filters.entityType));
	if (filters.entityId) where.push(eq(auditEvents.entityId, filters.entityId));
	// Days begin and end in Tokyo, whatever the server's zone.
	if (filters.from) where.push(sql`${auditEvents.at} >= (${filters.from}::date)::timestamp at time zone 'Asia/Tokyo'`);
	if (filters.to) where.push(sql`${auditEvents.at} < (${filters.to}::date + 1)::timestamp at time zone 'Asia/Tokyo'`);
	return where;
}

async function existsBeyond(tx: Tx, where: SQL[], beyond: SQL): Promise<boolean> {
	const rows = await tx
		.select({ id: auditEvents.id })
		.from(auditEvents)
		.where(and(...where, beyond))
		.limit(1);
	return rows.length > 0;
}

/** One page of events, newest first, with the names `names` gives for their ids. */
export async function listAuditEvents(tx: Tx, filters: AuditFilters, page: AuditPageRequest = {}, names: AuditNamer = noAuditNames): Promise<AuditEventPage> {
	const limit = Math.min(Math.max(1, page.limit ?? AUDIT_PAGE_SIZE), AUDIT_EXPORT_LIMIT);
	const where = conditions(filters);
	const forward = page.after !== undefined;
	const rows = await tx
		.select({
			id: auditEvents.id,
			at: auditEvents.at,
			atTokyo: sql<string>`to_char(${auditEvents.at} at time zone 'Asia/Tokyo', 'YYYY-MM-DD"T"HH24:MI:SS.US"+09:00"')`,
			actorUserId: auditEvents.actorUserId,
			organizationId: auditEvents.organizationId,
			action: auditEvents.action,
			entityType: auditEvents.entityType,
			entityId: auditEvents.entityId,
			changedFields: auditEvents.changedFields,
			ip: auditEvents.ip,
			userAgent: auditEvents.userAgent,
			requestId: auditEvents.requestId,
			prevHash: auditEvents.prevHash,
			hash: auditEvents.hash
		})
		.from(auditEvents)
		.where(and(...where, page.after !== undefined ? gt(auditEvents.id, page.after) : undefined, page.before !== undefined ? lt(auditEvents.id, page.before) : undefined))
		.orderBy(forward ? asc(auditEvents.id) : desc(auditEvents.id))
		.limit(limit + 1);
	const more = rows.length > limit;
	const found = rows.slice(0, limit);
	if (forward) found.reverse();
	if (found.length === 0) return { events: [], newer: null, older: null };
	const distinct = (ids: (string | null)[]) => [...new Set(ids.filter((id): id is string => id !== null))];
	const known = await names({ people: distinct(found.map((r) => r.actorUserId)), organizations: distinct(found.map((r) => r.organizationId)) });
	const events: AuditEventView[] = found.map((r) => ({ ...r, actorName: r.actorUserId ? (known.people.get(r.actorUserId) ?? null) : null, organizationName: r.organizationId ? (known.organizations.get(r.organizationId) ?? null) : null }));
	const newest = events[0].id;
	const oldest = events[events.length - 1].id;
	const newer = forward ? more : page.before !== undefined && (await existsBeyond(tx, where, gt(auditEvents.id, newest)));
	const older = forward ? await existsBeyond(tx, where, lt(auditEvents.id, oldest)) : more;
	return { events, newer: newer ? newest : null, older: older ? oldest : null };
}
