/**
 * Referral figures for a period: the referrals sent in it (by the Tokyo day they were sent) and what
 * became of them — accepted, completed, closed with each outcome, sent to the secretariat's queue —
 * with the median days from sending to acceptance and from sending to the first contact. Counts
 * and times only: nothing is decrypted, no referral is listed.
 *
 * - Per organisation (its figures page and CSV, for whoever may send or receive referrals there):
 *   two columns, what it sent and what it received, counted in its own scope — row-level security
 *   shows it exactly its own referrals; exact counts, as the other staff figures.
 * - For the network (the secretariat's figures page and CSV, `network.referrals`): row-level
 *   security keeps the secretariat out of referrals, so the counting runs in the platform's context
 *   behind this module's check of the secretariat's scope (as consultations/network-figures.ts);
 *   one row per organisation (what it sent, and how many it received) and the network's total, every
 *   count under 5 hidden with complementary suppression (consultations' `suppressTable`), a median
 *   only from 5 or more referrals.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { MessageKey } from '$lib/i18n';
import { can } from '../auth';
import { csvDocument, recordAudit } from '../audit';
import { CONSULTATION_SUPPRESS_BELOW, suppressTable, type TableCell, type TableSum } from '../consultations';
import { db } from '../db';
import { allOrganizations } from '../directory';
import { ok, refused, runIn, systemScope, type OrganizationScope, type Result, type SecretariatScope, type Tx } from '../scope';
import { REFERRAL_OUTCOMES, type ReferralOutcome } from './schema';

/** Days, inclusive, in Tokyo (the figures pages' period). */
export interface ReferralPeriod {
	from: string;
	to: string;
}

export interface ReferralFigures {
	referrals: number;
	/** Ever accepted (accepted_at set). */
	accepted: number;
	/** Reached the person (first_contact_at set). */
	contacted: number;
	completed: number;
	closed: number;
	outcomes: Record<ReferralOutcome, number>;
	/** Sent to the secretariat's queue (for either reason). */
	queued: number;
	/** queued / referrals; null without referrals. */
	queuedShare: number | null;
	/** Days from sending; null when none was accepted / contacted. */
	medianDaysToAcceptance: number | null;
	medianDaysToFirstContact: number | null;
}

export const emptyReferralFigures = (): ReferralFigures => ({
	referrals: 0,
	accepted: 0,
	contacted: 0,
	completed: 0,
	closed: 0,
	outcomes: { got_help: 0, could_not_reach: 0, no_capacity: 0, no_longer_wanted: 0 },
	queued: 0,
	queuedShare: null,
	medianDaysToAcceptance: null,
	medianDaysToFirstContact: null
});

type Row = { organization_id: string | null; whole: boolean; referrals: number; accepted: number; contacted: number; completed: number; closed: number; queued: number; to_accept: number | string | null; to_contact: number | string | null } & Record<ReferralOutcome, number>;

const days = (v: number | string | null) => (v === null ? null : Math.round(Number(v) * 10) / 10);

function figuresOf(r: Row): ReferralFigures {
	return {
		referrals: r.referrals,
		accepted: r.accepted,
		contacted: r.contacted,
		completed: r.completed,
		closed: r.closed,
		outcomes: Object.fromEntries(REFERRAL_OUTCOMES.map((o) => [o, r[o]])) as Record<ReferralOutcome, number>,
		queued: r.queued,
		queuedShare: r.referrals ? r.queued / r.referrals : null,
		medianDaysToAcceptance: days(r.to_accept),
		medianDaysToFirstContact: days(r.to_contact)
	};
}

/**
 * One aggregate over the referrals the transaction's context sees, sent in the period, grouped by
 * `side` (the sending or the receiving organisation) and for all of them (grouping sets), optionally
 * of one organisation on that side.
 */
async function aggregate(tx: Tx, period: ReferralPeriod, side: 'from' | 'to', organizationId: string | null): Promise<{ total: ReferralFigures; perOrganization: Map<string, ReferralFigures> }> {
	const column = sql.raw(side === 'from' ? 'r.from_organization_id' : 'r.to_organization_id');
	const org: SQL = organizationId ? sql` and ${column} = ${organizationId}::uuid` : sql``;
	const outcomes = sql.join(
		REFERRAL_OUTCOMES.map((o) => sql`count(*) filter (where r.status = 'closed' and r.outcome = ${o})::int as ${sql.raw(o)}`),
		sql`, `
	);
	const rows = await tx.execute<Row>(sql`
		select ${column} as organization_id, grouping(${column}) = 1 as whole, count(*)::int as referrals,
			count(*) filter (where r.accepted_at is not null)::int as accepted,
			count(*) filter (where r.first_contact_at is not null)::int as contacted,
			count(*) filter (where r.status = 'completed')::int as completed,
			count(*) filter (where r.status = 'closed')::int as closed,
			${outcomes},
			count(*) filter (where exists (select 1 from referral_queue q where q.referral_id = r.id))::int as queued,
			percentile_cont(0.5) within group (order by extract(epoch from r.accepted_at - r.created_at) / 86400) as to_accept,
			percentile_cont(0.5) within group (order by extract(epoch from r.first_contact_at - r.created_at) / 86400) as to_contact
		from referrals r
		where r.created_at >= (${period.from}::date)::timestamp at time zone 'Asia/Tokyo'
			and r.created_at < (${period.to}::date + 1)::timestamp at time zone 'Asia/Tokyo'${org}
		group by grouping sets ((${column}), ())`);
	let total = emptyReferralFigures();
	const perOrganization = new Map<string, ReferralFigures>();
	for (const r of rows.rows) {
		if (r.whole) total = figuresOf(r);
		else if (r.organization_id) perOrganization.set(r.organization_id, figuresOf(r));
	}
	return { total, perOrganization };
}

export interface OrganizationReferralFigures {
	/** What the organisation referred to others. */
	sent: ReferralFigures;
	/** What others referred to it. */
	received: ReferralFigures;
}

/** The organisation's referral figures, read inside the figures page's transaction in its scope. */
export async function organizationReferralFigures(tx: Tx<'organization'>, scope: OrganizationScope, period: ReferralPeriod): Promise<OrganizationReferralFigures> {
	return { sent: (await aggregate(tx, period, 'from', scope.organizationId)).total, received: (await aggregate(tx, period, 'to', scope.organizationId)).total };
}

/** The same for the CSV download, recorded in the audit log (`referral.figures_export`). */
export async function exportOrganizationReferralFigures(scope: OrganizationScope, period: ReferralPeriod): Promise<OrganizationReferralFigures> {
	return runIn(scope, async (tx) => {
		const figures = await organizationReferralFigures(tx, scope, period);
		await recordAudit(tx, scope.origin, { action: 'referral.figures_export', organizationId: scope.organizationId, entityType: 'organization', entityId: scope.organizationId });
		return figures;
	});
}

/** Whoever may see referrals at the organisation sees its referral figures. */
export const seesReferralFigures = (scope: OrganizationScope) => can(scope.actor, 'referrals.send', scope.organizationId) || can(scope.actor, 'referrals.receive', scope.organizationId);

// ——— The network's figures, suppressed ———

/** The counted cells of a network row. */
export const REFERRAL_COUNTED = ['sent', 'received', 'accepted', 'completed', 'closed', ...REFERRAL_OUTCOMES, 'queued'] as const;
export type ReferralCounted = (typeof REFERRAL_COUNTED)[number];

/** One row of the network's referral figures: null is "under 5" (or a median from fewer than 5). */
export type SuppressedReferralFigures = Record<ReferralCounted, number | null> & {
	queuedShare: number | null;
	medianDaysToAcceptance: number | null;
	medianDaysToFirstContact: number | null;
};

export interface NetworkReferralFigures {
	total: SuppressedReferralFigures;
	organizations: Array<{ id: string; name: string; figures: SuppressedReferralFigures }>;
}

const countedOf = (f: ReferralFigures, received: number): Record<ReferralCounted, number> => ({ sent: f.referrals, received, accepted: f.accepted, completed: f.completed, closed: f.closed, ...f.outcomes, queued: f.queued });

/**
 * The sums a reader of the network table can use: each row's closed referrals are its outcomes;
 * every column's total is its organisations; the network received what it sent.
 */
export function referralSums(rowCount: number): Array<TableSum<ReferralCounted>> {
	const last = rowCount - 1;
	const sums: Array<TableSum<ReferralCounted>> = [];
	for (let r = 0; r < rowCount; r++) sums.push({ whole: [r, 'closed'], parts: REFERRAL_OUTCOMES.map((o): TableCell<ReferralCounted> => [r, o]) });
	if (last > 0) for (const m of REFERRAL_COUNTED) sums.push({ whole: [last, m], parts: Array.from({ length: last }, (_, r): TableCell<ReferralCounted> => [r, m]) });
	sums.push({ whole: [last, 'received'], parts: [[last, 'sent']] });
	return sums;
}

function suppressedRow(f: ReferralFigures, counted: Record<ReferralCounted, number>, hide: Record<ReferralCounted, boolean>): SuppressedReferralFigures {
	const shown = Object.fromEntries(REFERRAL_COUNTED.map((m) => [m, hide[m] ? null : counted[m]])) as Record<ReferralCounted, number | null>;
	return {
		...shown,
		// The share gives the queued count back from the referrals: shown only when both are.
		queuedShare: hide.queued || hide.sent ? null : f.queuedShare,
		medianDaysToAcceptance: f.accepted >= CONSULTATION_SUPPRESS_BELOW ? f.medianDaysToAcceptance : null,
		medianDaysToFirstContact: f.contacted >= CONSULTATION_SUPPRESS_BELOW ? f.medianDaysToFirstContact : null
	};
}

/** Every organisation (as the directory lists them) and the network, counted in the platform's context, suppressed. */
async function networkFiguresIn(tx: Tx<'system'>, period: ReferralPeriod): Promise<NetworkReferralFigures> {
	const sent = await aggregate(tx, period, 'from', null);
	const received = await aggregate(tx, period, 'to', null);
	const listed = (await allOrganizations(tx)).map((o) => ({ id: o.id, name: o.name }));
	const figures = [...listed.map((o) => sent.perOrganization.get(o.id) ?? emptyReferralFigures()), sent.total];
	const counted = [...listed.map((o, i) => countedOf(figures[i], received.perOrganization.get(o.id)?.referrals ?? 0)), countedOf(sent.total, received.total.referrals)];
	const hidden = suppressTable(counted, REFERRAL_COUNTED, referralSums(counted.length));
	return {
		total: suppressedRow(sent.total, counted[listed.length], hidden[listed.length]),
		organizations: listed.map((o, i) => ({ id: o.id, name: o.name, figures: suppressedRow(figures[i], counted[i], hidden[i]) }))
	};
}

export type NetworkReferralFiguresRefusal = 'forbidden';

/** The check before the platform's context is used: a secretariat scope made for exactly `network.referrals`, whose actor holds it. */
const allowed = (scope: SecretariatScope) => scope.permission === 'network.referrals' && scope.actor.secretariat && can(scope.actor, scope.permission);

/** The network's referral figures (counts only, under 5 hidden). */
export async function networkReferralFigures(scope: SecretariatScope, period: ReferralPeriod): Promise<Result<NetworkReferralFigures, NetworkReferralFiguresRefusal>> {
	if (!allowed(scope)) return refused('forbidden');
	return ok(await runIn(systemScope(db(), 'referral.network_figures'), (tx) => networkFiguresIn(tx, period)));
}

/** The same for the CSV download, recorded as the secretariat's (`referral.figures_export_network`). */
export async function exportNetworkReferralFigures(scope: SecretariatScope, period: ReferralPeriod): Promise<Result<NetworkReferralFigures, NetworkReferralFiguresRefusal>> {
	if (!allowed(scope)) return refused('forbidden');
	return ok(
		await runIn(systemScope(db(), 'referral.network_figures'), async (tx) => {
			const figures = await networkFiguresIn(tx, period);
			await recordAudit(tx, scope.origin, { action: 'referral.figures_export_network', entityType: 'network', entityId: `${period.from}/${period.to}` });
			return figures;
		})
	);
}

// ——— CSV sections (appended to the figures pages' documents) ———

type Say = (key: MessageKey) => string;

const COUNTED_LABEL: Record<ReferralCounted, MessageKey> = {
	sent: 'referralFigures.sent',
	received: 'referralFigures.received',
	accepted: 'referralFigures.accepted',
	completed: 'referralFigures.completed',
	closed: 'referralFigures.closed',
	got_help: 'referralFigures.outcome.got_help',
	could_not_reach: 'referralFigures.outcome.could_not_reach',
	no_capacity: 'referralFigures.outcome.no_capacity',
	no_longer_wanted: 'referralFigures.outcome.no_longer_wanted',
	queued: 'referralFigures.queued'
};
export const referralCountedLabel = (m: ReferralCounted) => COUNTED_LABEL[m];

const share = (s: number | null) => (s === null ? '' : s.toFixed(3));
const dayText = (d: number | null) => (d === null ? '' : d.toFixed(1));

/** The organisation's section: item, what it sent, what it received. After a blank line, no byte-order mark. */
export function referralFiguresCsv(t: Say, f: OrganizationReferralFigures): string {
	const line = (label: MessageKey, of: (x: ReferralFigures) => string | number) => [t(label), of(f.sent), of(f.received)];
	return csvDocument([
		[],
		[t('referralFigures.title')],
		[t('referralFigures.item'), t('referralFigures.sentColumn'), t('referralFigures.receivedColumn')],
		line('referralFigures.referrals', (x) => x.referrals),
		line('referralFigures.accepted', (x) => x.accepted),
		line('referralFigures.contacted', (x) => x.contacted),
		line('referralFigures.completed', (x) => x.completed),
		line('referralFigures.closed', (x) => x.closed),
		...REFERRAL_OUTCOMES.map((o) => line(COUNTED_LABEL[o], (x) => x.outcomes[o])),
		line('referralFigures.queued', (x) => x.queued),
		line('referralFigures.queuedShare', (x) => share(x.queuedShare)),
		line('referralFigures.daysToAcceptance', (x) => dayText(x.medianDaysToAcceptance)),
		line('referralFigures.daysToFirstContact', (x) => dayText(x.medianDaysToFirstContact))
	]).replace(/^\uFEFF/, '');
}

/** The network's section: one line per organisation and the total; a hidden cell says 5件未満. */
export function networkReferralFiguresCsv(t: Say, figures: NetworkReferralFigures): string {
	const hidden = t('referralFigures.suppressed');
	const cell = (n: number | null) => (n === null ? hidden : n);
	const line = (name: string, f: SuppressedReferralFigures) => [
		name,
		...REFERRAL_COUNTED.map((m) => cell(f[m])),
		f.queuedShare === null ? hidden : share(f.queuedShare),
		f.medianDaysToAcceptance === null ? hidden : dayText(f.medianDaysToAcceptance),
		f.medianDaysToFirstContact === null ? hidden : dayText(f.medianDaysToFirstContact)
	];
	return csvDocument([
		[],
		[t('referralFigures.networkTitle')],
		[t('referralFigures.organization'), ...REFERRAL_COUNTED.map((m) => t(COUNTED_LABEL[m])), t('referralFigures.queuedShare'), t('referralFigures.daysToAcceptance'), t('referralFigures.daysToFirstContact')],
		...figures.organizations.map((o) => line(o.name, o.figures)),
		line(t('referralFigures.network'), figures.total)
	]).replace(/^\uFEFF/, '');
}
