/**
 * The provision records (個人情報保護法 29条) as people read them:
 *
 * - the secretariat (`network.provisions`): every provision in the network for a period — date,
 *   provider, recipient, items, 要配慮 flag, the basis in plain words and, for a sharing without
 *   consent, its written reason (opened here; sealed for the provider) — the sharings without
 *   consent apart and first; a CSV of the same. Each view is audited (`provision.view`), each
 *   download too (`provision.export`), as the transaction's last write;
 * - an organisation (`privacy.requests`, its admins): what it provided and what it received, the
 *   reason shown for what it provided (it wrote it);
 * - the platform: a daily job deleting records past `keep_until` (row-level security lets only the
 *   system delete; the table's check keeps every record three years at least).
 *
 * The names of organisations come through directory's door. The person is never named here: the
 * secretariat sees that a sharing happened and why, not about whom.
 */
import { and, desc, eq, gte, lt, ne, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { can, roleIn } from '../auth';
import { csvDocument, recordAudit } from '../audit';
import { dayInRange } from '../boundary';
import { todayInTokyo } from '../clock';
import { decryptText } from '../crypto';
import { addDays, organizationNames } from '../directory';
import { ok, refused, runIn, type OrganizationScope, type Result, type SecretariatScope, type SystemScope, type Tx } from '../scope';
import { translate, type Locale } from '../../i18n';
import { provisionRecords, SHARE_ITEMS, type ShareItem, type SharingBasis } from './schema';
import { provisionReasonBinding } from './sharing';

/** At most this many records per list (the newest); the page says when more were left out. */
export const PROVISIONS_LIMIT = 1000;

/** The period asked for, Tokyo days, both inclusive; `without=1`: the sharings without consent only. */
const query = z
	.object({
		from: dayInRange.optional(),
		to: dayInRange.optional(),
		without: z.enum(['1', '0']).optional()
	})
	.refine((q) => !q.from || !q.to || q.from <= q.to);

export interface ProvisionQuery {
	from: string;
	to: string;
	withoutConsentOnly: boolean;
}

/** The page's and the CSV's query string; null when it cannot be read (a 400 for the route). Default: the last twelve months. */
export function readProvisionQuery(params: URLSearchParams, today: string): ProvisionQuery | null {
	const raw = Object.fromEntries(['from', 'to', 'without'].flatMap((k) => (params.get(k) ? [[k, params.get(k)!]] : [])));
	const parsed = query.safeParse(raw);
	if (!parsed.success) return null;
	const to = parsed.data.to ?? today;
	const from = parsed.data.from ?? (parsed.data.to ? addDays(to, -365) : addDays(today, -365));
	if (from > to) return null;
	return { from, to, withoutConsentOnly: parsed.data.without === '1' };
}

export interface ProvisionRow {
	id: string;
	/** When, in Tokyo: YYYY-MM-DD HH:MM. */
	providedAt: string;
	provider: { id: string; name: string };
	recipient: { id: string; name: string };
	items: ShareItem[];
	/** The items included 要配慮個人情報, as the sender declared. */
	sensitive: boolean;
	basis: SharingBasis;
	/** Why, for a sharing without consent (null with consent, or when the reader is not shown it). */
	reason: string | null;
	referralId: string | null;
}

export interface NetworkProvisions {
	query: ProvisionQuery;
	/** The sharings without consent (on a basis, with a reason), newest first. */
	withoutConsent: ProvisionRow[];
	/** The sharings with the person's consent, newest first (empty when only those without were asked for). */
	withConsent: ProvisionRow[];
	/** More records than PROVISIONS_LIMIT in a list: the oldest were left out. */
	truncated: boolean;
}

const inPeriod = (q: ProvisionQuery): SQL => and(gte(provisionRecords.providedAt, sql`(${q.from}::date)::timestamp at time zone 'Asia/Tokyo'`), lt(provisionRecords.providedAt, sql`(${q.to}::date + 1)::timestamp at time zone 'Asia/Tokyo'`))!;

/** Records matching `where`, newest first, with names; reasons opened where `showReason` says. */
async function rowsWhere(tx: Tx, where: SQL, showReason: (providerId: string) => boolean): Promise<{ rows: ProvisionRow[]; truncated: boolean }> {
	const found = await tx
		.select({
			id: provisionRecords.id,
			providedAt: sql<string>`to_char(${provisionRecords.providedAt} at time zone 'Asia/Tokyo', 'YYYY-MM-DD HH24:MI')`,
			provider: provisionRecords.providerOrganizationId,
			recipient: provisionRecords.recipientOrganizationId,
			items: provisionRecords.items,
			sensitive: provisionRecords.sensitive,
			basis: provisionRecords.basis,
			reasonSealed: provisionRecords.reasonSealed,
			referralId: provisionRecords.referralId
		})
		.from(provisionRecords)
		.where(where)
		.orderBy(desc(provisionRecords.providedAt), desc(provisionRecords.id))
		.limit(PROVISIONS_LIMIT + 1);
	const truncated = found.length > PROVISIONS_LIMIT;
	const kept = found.slice(0, PROVISIONS_LIMIT);
	const names = await organizationNames(tx, [...new Set(kept.flatMap((r) => [r.provider, r.recipient]))]);
	const rows = await Promise.all(
		kept.map(async (r) => ({
			id: r.id,
			providedAt: r.providedAt,
			provider: { id: r.provider, name: names.get(r.provider) ?? '' },
			recipient: { id: r.recipient, name: names.get(r.recipient) ?? '' },
			items: SHARE_ITEMS.filter((i) => r.items.includes(i)),
			sensitive: r.sensitive,
			basis: r.basis,
			reason: r.reasonSealed && showReason(r.provider) ? await decryptText(tx, r.reasonSealed, provisionReasonBinding(r.id, r.provider)) : null,
			referralId: r.referralId
		}))
	);
	return { rows, truncated };
}

export type ProvisionsRefusal = 'forbidden';

const secretariatAllowed = (scope: SecretariatScope) => scope.permission === 'network.provisions' && scope.actor.secretariat && can(scope.actor, scope.permission);

async function networkRows(tx: Tx, q: ProvisionQuery): Promise<NetworkProvisions> {
	const without = await rowsWhere(tx, and(inPeriod(q), ne(provisionRecords.basis, 'consent'))!, () => true);
	const withConsent = q.withoutConsentOnly ? { rows: [], truncated: false } : await rowsWhere(tx, and(inPeriod(q), eq(provisionRecords.basis, 'consent'))!, () => false);
	return { query: q, withoutConsent: without.rows, withConsent: withConsent.rows, truncated: without.truncated || withConsent.truncated };
}

const shownCounts = (p: { withoutConsent: unknown[]; withConsent: unknown[] }, q: ProvisionQuery) => `from=${q.from} to=${q.to} without_consent=${p.withoutConsent.length} with_consent=${p.withConsent.length}`;

/** Every provision in the network for the period, the sharings without consent apart and first, with their reasons (`provision.view`). */
export async function networkProvisions(scope: SecretariatScope, q: ProvisionQuery): Promise<Result<NetworkProvisions, ProvisionsRefusal>> {
	if (!secretariatAllowed(scope)) return refused('forbidden');
	return runIn(scope, async (tx) => {
		const page = await networkRows(tx, q);
		await recordAudit(tx, scope.origin, { action: 'provision.view', entityType: 'provision_records', entityId: shownCounts(page, q) });
		return ok(page);
	});
}

/** The same as a CSV download (`provision.export`): the sharings without consent first. */
export async function exportNetworkProvisions(scope: SecretariatScope, q: ProvisionQuery, locale: Locale): Promise<Result<string, ProvisionsRefusal>> {
	if (!secretariatAllowed(scope)) return refused('forbidden');
	return runIn(scope, async (tx) => {
		const page = await networkRows(tx, q);
		await recordAudit(tx, scope.origin, { action: 'provision.export', entityType: 'provision_records', entityId: shownCounts(page, q) });
		return ok(provisionsCsv([...page.withoutConsent, ...page.withConsent], locale));
	});
}

export interface OrganizationProvisions {
	query: ProvisionQuery;
	organization: { id: string; name: string };
	/** What the organisation gave to others (with its reasons for sharings without consent). */
	provided: ProvisionRow[];
	/** What others gave to it. */
	received: ProvisionRow[];
	truncated: boolean;
}

/** The organisation's own admins (`privacy.requests` held as a member). */
const organizationAllowed = (scope: OrganizationScope) => scope.permission === 'privacy.requests' && roleIn(scope.actor, scope.organizationId) !== null && can(scope.actor, scope.permission, scope.organizationId);

async function organizationRows(tx: Tx, scope: OrganizationScope, q: ProvisionQuery): Promise<OrganizationProvisions> {
	const org = scope.organizationId;
	const onlyWithout = q.withoutConsentOnly ? ne(provisionRecords.basis, 'consent') : undefined;
	const provided = await rowsWhere(tx, and(inPeriod(q), eq(provisionRecords.providerOrganizationId, org), onlyWithout)!, (provider) => provider === org);
	const received = await rowsWhere(tx, and(inPeriod(q), eq(provisionRecords.recipientOrganizationId, org), onlyWithout)!, () => false);
	const name = (await organizationNames(tx, [org])).get(org) ?? '';
	return { query: q, organization: { id: org, name }, provided: provided.rows, received: received.rows, truncated: provided.truncated || received.truncated };
}

const organizationCounts = (p: OrganizationProvisions) => `from=${p.query.from} to=${p.query.to} provided=${p.provided.length} received=${p.received.length}`;

/** What the scope's organisation provided and received in the period (`provision.view`). */
export async function organizationProvisions(scope: OrganizationScope, q: ProvisionQuery): Promise<Result<OrganizationProvisions, ProvisionsRefusal>> {
	if (!organizationAllowed(scope)) return refused('forbidden');
	return runIn(scope, async (tx) => {
		const page = await organizationRows(tx, scope, q);
		await recordAudit(tx, scope.origin, { action: 'provision.view', organizationId: scope.organizationId, entityType: 'provision_records', entityId: organizationCounts(page) });
		return ok(page);
	});
}

/** The same as a CSV download (`provision.export`): provided, then received. */
export async function exportOrganizationProvisions(scope: OrganizationScope, q: ProvisionQuery, locale: Locale): Promise<Result<string, ProvisionsRefusal>> {
	if (!organizationAllowed(scope)) return refused('forbidden');
	return runIn(scope, async (tx) => {
		const page = await organizationRows(tx, scope, q);
		await recordAudit(tx, scope.origin, { action: 'provision.export', organizationId: scope.organizationId, entityType: 'provision_records', entityId: organizationCounts(page) });
		return ok(provisionsCsv([...page.provided, ...page.received], locale));
	});
}

/** One line per record: the columns in the reader's language, the basis in plain words. */
export function provisionsCsv(rows: readonly ProvisionRow[], locale: Locale): string {
	const t = (key: Parameters<typeof translate>[1]) => translate(locale, key);
	const header = [t('provisionLog.col.date'), t('provisionLog.col.provider'), t('provisionLog.col.recipient'), t('provisionLog.col.items'), t('provisionLog.col.sensitive'), t('provisionLog.col.withoutConsent'), t('provisionLog.col.basis'), t('provisionLog.col.reason'), t('provisionLog.col.id')];
	const lines = rows.map((r) => [r.providedAt, r.provider.name, r.recipient.name, r.items.map((i) => t(`provisionLog.item.${i}`)).join('・'), r.sensitive ? t('provisionLog.yes') : '', r.basis === 'consent' ? '' : t('provisionLog.yes'), t(`provisionLog.basis.${r.basis}`), r.reason ?? '', r.id]);
	return csvDocument([header, ...lines]);
}

export interface ProvisionPurge {
	deleted: number;
	/** Records kept until before this Tokyo day were deleted. */
	keptUntilBefore: string;
}

/**
 * Delete the records whose `keep_until` has passed (the Tokyo day of `now` is after it); one audit
 * record with the count (`provision.purge`). Row-level security lets only the system delete.
 */
export async function purgeExpiredProvisions(scope: SystemScope, input: { now: Date }): Promise<ProvisionPurge> {
	const today = todayInTokyo(input.now);
	return runIn(scope, async (tx) => {
		const gone = await tx.delete(provisionRecords).where(lt(provisionRecords.keepUntil, today)).returning({ id: provisionRecords.id });
		await recordAudit(tx, scope.origin, { action: 'provision.purge', entityType: 'retention_run', entityId: `deleted=${gone.length} kept_until_before=${today}` });
		return { deleted: gone.length, keptUntilBefore: today };
	});
}
