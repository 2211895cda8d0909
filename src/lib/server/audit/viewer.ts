/**
 * What the two audit viewers (an organisation's, the network's) show and download, the same way for
 * both: the parsed query string (`parseAuditQuery`) into the page's data or the CSV response, in
 * the reader's transaction. The operations that open that transaction in the reader's scope and
 * name the people and organisations are network's (`networkAuditPage`, `organizationAuditPage`
 * and their CSVs), since the names are other modules'.
 */
import type { Tx } from '../db';
import { errorResponse } from '../http';
import { translate, type Locale, type MessageKey } from '../../i18n';
import { ja } from '../../i18n/ja';
import { recordAudit } from './log';
import type { AuditOrigin } from './index';
import { AUDIT_EXPORT_LIMIT, listAuditEvents, type AuditEventPage, type AuditEventView, type AuditNamer, type AuditQueryError, type AuditQueryParam, type ParsedAuditQuery } from './query';
import { AUDIT_CSV_COLUMNS, auditEventsCsv } from './csv';

/** Whose log: one organisation's, or (null) the whole network's. */
export interface AuditLog {
	organizationId: string | null;
	/** The viewer's path; the CSV is at the same path with `.csv`. */
	basePath: string;
}

const ERROR_MESSAGE: Record<AuditQueryParam, MessageKey> = {
	org: 'audit.error.uuid',
	actor: 'audit.error.uuid',
	action: 'audit.error.action',
	entity_type: 'audit.error.entityType',
	entity_id: 'audit.error.entityId',
	from: 'audit.error.date',
	to: 'audit.error.date',
	before: 'audit.error.cursor',
	after: 'audit.error.cursor'
};

function errorMessage(locale: Locale, error: AuditQueryError): string {
	return translate(locale, error.code === 'range' ? 'audit.error.range' : ERROR_MESSAGE[error.param]);
}

/** The action in words, when the catalogue has it; new actions show as their code only. */
export function actionLabel(locale: Locale, action: string): string | null {
	const key = `audit.action.${action}`;
	return key in ja ? translate(locale, key as MessageKey) : null;
}

function hrefWith(basePath: string, values: Partial<Record<AuditQueryParam, string>>, changes: Partial<Record<AuditQueryParam, string | null>>): string {
	const params = new URLSearchParams();
	const merged = { ...values, before: undefined, after: undefined, ...changes };
	for (const [name, value] of Object.entries(merged)) if (value) params.set(name, value);
	const query = params.toString();
	return query ? `${basePath}?${query}` : basePath;
}

export interface AuditRowView {
	id: number;
	/** Tokyo time, to the second. */
	at: string;
	atIso: string;
	actor: { name: string; known: boolean; href: string | null };
	organization: { name: string; href: string | null } | null;
	action: string;
	actionLabel: string | null;
	entity: { type: string | null; id: string | null; href: string | null };
	changedFields: string[];
	ip: string | null;
	userAgent: string | null;
}

function present(locale: Locale, scope: AuditLog, values: Partial<Record<AuditQueryParam, string>>, row: AuditEventView): AuditRowView {
	const filter = (changes: Partial<Record<AuditQueryParam, string | null>>) => hrefWith(scope.basePath, values, changes);
	return {
		id: row.id,
		at: row.atTokyo.slice(0, 19).replace('T', ' '),
		atIso: row.atTokyo,
		actor: row.actorUserId ? { name: row.actorName ?? translate(locale, 'audit.unknownActor'), known: row.actorName !== null, href: filter({ actor: row.actorUserId }) } : { name: translate(locale, 'audit.system'), known: false, href: null },
		organization: row.organizationId ? { name: row.organizationName ?? row.organizationId, href: scope.organizationId ? null : filter({ org: row.organizationId }) } : null,
		action: row.action,
		actionLabel: actionLabel(locale, row.action),
		entity: {
			type: row.entityType,
			id: row.entityId,
			href: row.entityType && row.entityId ? filter({ entity_type: row.entityType, entity_id: row.entityId }) : null
		},
		changedFields: row.changedFields,
		ip: row.ip,
		userAgent: row.userAgent
	};
}

/** The viewer page's data. Bad filters come back as messages per field, with no rows. */
export async function auditPageData(tx: Tx<'organization' | 'secretariat'>, parsed: ParsedAuditQuery, locale: Locale, scope: AuditLog, names: AuditNamer) {
	const values = { ...parsed.values };
	if (scope.organizationId) delete values.org;
	const errors: Partial<Record<AuditQueryParam, string>> = {};
	let page: AuditEventPage = { events: [], newer: null, older: null };
	if (parsed.ok) {
		page = await listAuditEvents(tx, scope.organizationId ? { ...parsed.filters, organizationId: scope.organizationId } : parsed.filters, parsed.page, names);
	} else {
		for (const error of parsed.errors) errors[error.param] = errorMessage(locale, error);
	}
	const paged = Boolean(values.before || values.after);
	return {
		scope: { organizationId: scope.organizationId, network: scope.organizationId === null },
		values,
		errors,
		/** The paging cursor was wrong: the form fields are fine, the page is not. */
		cursorError: errors.before ?? errors.after ?? null,
		events: page.events.map((row) => present(locale, scope, values, row)),
		links: {
			clear: scope.basePath,
			csv: hrefWith(`${scope.basePath}.csv`, values, {}),
			newer: page.newer !== null ? hrefWith(scope.basePath, values, { after: String(page.newer) }) : null,
			older: page.older !== null ? hrefWith(scope.basePath, values, { before: String(page.older) }) : null,
			newest: paged ? hrefWith(scope.basePath, values, {}) : null
		},
		exportLimit: AUDIT_EXPORT_LIMIT
	};
}

export type AuditPageData = Awaited<ReturnType<typeof auditPageData>>;

function tokyoStamp(now: Date): string {
	const tokyo = new Date(now.getTime() + 9 * 3600_000).toISOString();
	return `${tokyo.slice(0, 10).replaceAll('-', '')}-${tokyo.slice(11, 16).replace(':', '')}`;
}

/**
 * The CSV download: the same filters as the page (paging ignored), at most AUDIT_EXPORT_LIMIT rows.
 * Downloading is itself recorded (audit.export), in the same transaction as the read.
 */
export async function auditCsvResponse(tx: Tx<'organization' | 'secretariat'>, origin: AuditOrigin, parsed: ParsedAuditQuery, locale: Locale, scope: AuditLog, names: AuditNamer, now = new Date()): Promise<Response> {
	if (!parsed.ok) {
		return errorResponse(
			400,
			'invalid_parameter',
			translate(locale, 'audit.error.invalid'),
			parsed.errors.map((e) => ({ param: e.param, code: e.code, message: errorMessage(locale, e) }))
		);
	}
	const filters = scope.organizationId ? { ...parsed.filters, organizationId: scope.organizationId } : parsed.filters;
	const page = await listAuditEvents(tx, filters, { limit: AUDIT_EXPORT_LIMIT }, names);
	if (page.older !== null) {
		return errorResponse(400, 'too_many_rows', translate(locale, 'audit.error.tooMany', { max: AUDIT_EXPORT_LIMIT }), [{ param: 'from', code: 'too_many_rows', message: translate(locale, 'audit.error.tooMany', { max: AUDIT_EXPORT_LIMIT }) }]);
	}
	await recordAudit(tx, origin, {
		action: 'audit.export',
		organizationId: scope.organizationId,
		entityType: 'audit_log',
		entityId: scope.organizationId ?? 'network'
	});
	const labels = Object.fromEntries(AUDIT_CSV_COLUMNS.map((c) => [c, translate(locale, `audit.csv.${c}`)]));
	const name = `audit-${scope.organizationId ? scope.organizationId.slice(0, 8) : 'network'}-${tokyoStamp(now)}.csv`;
	return new Response(auditEventsCsv(page.events, labels), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${name}"`,
			'cache-control': 'private, no-store'
		}
	});
}
