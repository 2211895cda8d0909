/**
 * Consultation figures for a period: threads per channel, the urgent share, and the time to first
 * answer (created_at → first_answered_at: median and 90th percentile over the answered web and
 * LINE threads, with the count of those still unanswered; a phone or walk-in thread is answered in
 * the conversation it records). One SQL aggregate per figure set; nothing is
 * decrypted, no thread is listed. A thread belongs to the period of the day (Asia/Tokyo) it came in.
 *
 * Staff pages show exact counts, as the attendance figures do (SUPPRESS_BELOW applies to public
 * figures, and consultations publish none).
 */
import { sql, type SQL } from 'drizzle-orm';
import { csvDocument, recordAudit } from '../audit';
import { can } from '../auth';
import { ok, refused, runIn, type OrganizationScope, type Result, type Tx } from '../scope';
import { CHANNELS, type Channel } from './schema';

export interface ConsultationFigures {
	threads: number;
	byChannel: Record<Channel, number>;
	urgent: number;
	/** urgent / threads; null without threads. */
	urgentShare: number | null;
	/** Web and LINE threads answered / not yet answered (phone and walk-in ones are answered as they are recorded). */
	answered: number;
	unanswered: number;
	/** Seconds from the first message to the first answer; null when nothing was answered. */
	medianSecondsToAnswer: number | null;
	p90SecondsToAnswer: number | null;
}

/** The period as the figures pages read it (days, inclusive, in Tokyo). */
export interface ConsultationPeriod {
	from: string;
	to: string;
}

export const emptyConsultationFigures = (): ConsultationFigures => ({ threads: 0, byChannel: { web: 0, line: 0, staff: 0 }, urgent: 0, urgentShare: null, answered: 0, unanswered: 0, medianSecondsToAnswer: null, p90SecondsToAnswer: null });

type Row = { organization_id: string | null; whole: boolean; threads: number; web: number; line: number; staff: number; urgent: number; answered: number; unanswered: number; median: number | string | null; p90: number | string | null };

const seconds = (v: number | string | null) => (v === null ? null : Math.round(Number(v)));

function figuresOf(r: Row): ConsultationFigures {
	return {
		threads: r.threads,
		byChannel: { web: r.web, line: r.line, staff: r.staff },
		urgent: r.urgent,
		urgentShare: r.threads ? r.urgent / r.threads : null,
		answered: r.answered,
		unanswered: r.unanswered,
		medianSecondsToAnswer: seconds(r.median),
		p90SecondsToAnswer: seconds(r.p90)
	};
}

/**
 * The aggregate over the threads the transaction's context sees, in the period, optionally of one
 * organisation; grouped per organisation and for all of them together (grouping sets) in one pass.
 */
async function aggregate(tx: Tx, period: ConsultationPeriod, organizationId: string | null): Promise<{ total: ConsultationFigures; perOrganization: Map<string, ConsultationFigures> }> {
	const org: SQL = organizationId ? sql` and organization_id = ${organizationId}::uuid` : sql``;
	const channels = sql.join(
		CHANNELS.map((c) => sql`count(*) filter (where channel = ${c})::int as ${sql.raw(c)}`),
		sql`, `
	);
	// A phone or walk-in thread was answered in the conversation itself (staff-entry.ts): only the
	// channels where a person waits count toward the time to first answer (percentile_cont skips nulls).
	const waited = sql`case when channel <> 'staff' then extract(epoch from first_answered_at - created_at) end`;
	const rows = await tx.execute<Row>(sql`
		select organization_id, grouping(organization_id) = 1 as whole, count(*)::int as threads, ${channels},
			count(*) filter (where urgent)::int as urgent,
			count(*) filter (where channel <> 'staff' and first_answered_at is not null)::int as answered,
			count(*) filter (where channel <> 'staff' and first_answered_at is null)::int as unanswered,
			percentile_cont(0.5) within group (order by ${waited}) as median,
			percentile_cont(0.9) within group (order by ${waited}) as p90
		from consultation_threads
		where created_at >= (${period.from}::date)::timestamp at time zone 'Asia/Tokyo'
			and created_at < (${period.to}::date + 1)::timestamp at time zone 'Asia/Tokyo'${org}
		group by grouping sets ((organization_id), ())`);
	let total = emptyConsultationFigures();
	const perOrganization = new Map<string, ConsultationFigures>();
	for (const r of rows.rows) {
		if (r.whole) total = figuresOf(r);
		else if (r.organization_id) perOrganization.set(r.organization_id, figuresOf(r));
	}
	return { total, perOrganization };
}

/** Who at the organisation sees its consultation figures: those who read its consultations (its admin's figures.view does not). */
const readsConsultations = (scope: OrganizationScope) => can(scope.actor, 'consultations.read', scope.organizationId);

/**
 * The organisation's consultation figures: a read inside the figures page's transaction in the
 * organisation's scope (row-level security shows its own threads only; the query names it too);
 * `forbidden` for someone there who may not read its consultations.
 */
export async function organizationConsultationFigures(tx: Tx<'organization'>, scope: OrganizationScope, input: ConsultationPeriod): Promise<Result<ConsultationFigures, 'forbidden'>> {
	if (!readsConsultations(scope)) return refused('forbidden');
	return ok((await aggregate(tx, input, scope.organizationId)).total);
}

/** The same for the CSV download, recorded in the audit log (`consultation.figures_export`); `forbidden` records nothing. */
export async function exportOrganizationConsultationFigures(scope: OrganizationScope, input: ConsultationPeriod): Promise<Result<ConsultationFigures, 'forbidden'>> {
	if (!readsConsultations(scope)) return refused('forbidden');
	return runIn(scope, async (tx) => {
		const figures = await organizationConsultationFigures(tx, scope, input);
		if (figures.ok) await recordAudit(tx, scope.origin, { action: 'consultation.figures_export', organizationId: scope.organizationId, entityType: 'organization', entityId: scope.organizationId });
		return figures;
	});
}

/**
 * Every organisation's figures and the network's total, over the threads the transaction's context
 * can see. For the secretariat's network figures this needs a context that sees every thread's
 * counting columns, which drizzle/0012 deliberately gives no one but the platform; see the report
 * of issue 13 (figures) for the policy the network page waits for.
 */
export async function consultationFiguresByOrganization(tx: Tx<'system' | 'secretariat'>, input: ConsultationPeriod): Promise<{ total: ConsultationFigures; perOrganization: Map<string, ConsultationFigures> }> {
	return aggregate(tx, input, null);
}

/** Minutes, rounded, for the pages and the CSV (null stays null). */
export const minutesOf = (secondsValue: number | null) => (secondsValue === null ? null : Math.round(secondsValue / 60));

/** Labels for the CSV section, in the request's language. */
export interface ConsultationCsvLabels {
	title: string;
	item: string;
	value: string;
	threads: string;
	channels: Record<Channel, string>;
	urgent: string;
	urgentShare: string;
	median: string;
	p90: string;
	unanswered: string;
}

/**
 * The consultation figures as a CSV section (item, value; minutes with one decimal) after a blank
 * line, to append to the attendance table's document: no second byte-order mark.
 */
export function consultationFiguresCsv(labels: ConsultationCsvLabels, f: ConsultationFigures): string {
	const minutes = (s: number | null) => (s === null ? '' : (s / 60).toFixed(1));
	return csvDocument([
		[],
		[labels.title],
		[labels.item, labels.value],
		[labels.threads, f.threads],
		...CHANNELS.map((c) => [labels.channels[c], f.byChannel[c]]),
		[labels.urgent, f.urgent],
		[labels.urgentShare, f.urgentShare === null ? '' : f.urgentShare.toFixed(3)],
		[labels.median, minutes(f.medianSecondsToAnswer)],
		[labels.p90, minutes(f.p90SecondsToAnswer)],
		[labels.unanswered, f.unanswered]
	]).replace(/^\uFEFF/, '');
}
