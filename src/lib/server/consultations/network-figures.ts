/**
 * The network's consultation figures, for the secretariat: per organisation and for the whole
 * network, aggregates only. Row-level security deliberately keeps the secretariat out of other
 * organisations' threads (drizzle/0012), so the counting runs in the platform's context — behind
 * this function's own check that the caller's scope is the secretariat's, made for
 * `network.consultation_figures` — and only counts and times leave it: no thread id, no text, no per-thread row.
 *
 * Seen from outside an organisation, small numbers identify people, so every count under 5 is
 * hidden (null), and so is a median or 90th percentile computed from fewer than 5 answered
 * threads. Hidden cells could be worked out again from the sums (a row's channels add up to its
 * threads; the organisations add up to the network), so `suppressCells` also hides a second cell
 * where one sum would give a hidden count back, or a hidden total under 5 (complementary
 * suppression).
 */
import { can } from '../auth';
import { recordAudit, csvDocument } from '../audit';
import { db } from '../db';
import { allOrganizations } from '../directory';
import { ok, refused, runIn, systemScope, type Result, type SecretariatScope, type Tx } from '../scope';
import { consultationFiguresByOrganization, emptyConsultationFigures, type ConsultationFigures, type ConsultationPeriod } from './figures';
import { CHANNELS, type Channel } from './schema';
import { COUNTED, CONSULTATION_SUPPRESS_BELOW, suppressCells, type Counted } from './suppress';

/** One row of the network's figures: null is "under 5" (or computed from fewer than 5 threads). */
export interface SuppressedConsultationFigures {
	threads: number | null;
	byChannel: Record<Channel, number | null>;
	urgent: number | null;
	urgentShare: number | null;
	medianSecondsToAnswer: number | null;
	p90SecondsToAnswer: number | null;
}

export interface NetworkConsultationFigures {
	total: SuppressedConsultationFigures;
	organizations: Array<{ id: string; name: string; figures: SuppressedConsultationFigures }>;
}

const valueOf = (f: ConsultationFigures, m: Counted) => (m === 'threads' ? f.threads : m === 'urgent' ? f.urgent : f.byChannel[m]);

function suppressedRow(f: ConsultationFigures, hide: Record<Counted, boolean>): SuppressedConsultationFigures {
	const shown = (m: Counted) => (hide[m] ? null : valueOf(f, m));
	const fromEnough = f.answered >= CONSULTATION_SUPPRESS_BELOW;
	return {
		threads: shown('threads'),
		byChannel: Object.fromEntries(CHANNELS.map((c) => [c, shown(c)])) as Record<Channel, number | null>,
		urgent: shown('urgent'),
		// The share gives the urgent count back from the threads: shown only when both are.
		urgentShare: hide.urgent || hide.threads ? null : f.urgentShare,
		medianSecondsToAnswer: fromEnough ? f.medianSecondsToAnswer : null,
		p90SecondsToAnswer: fromEnough ? f.p90SecondsToAnswer : null
	};
}

/** Every organisation (as the directory lists them) and the network, counted in the platform's context, suppressed. */
async function networkFiguresIn(tx: Tx<'system'>, period: ConsultationPeriod): Promise<NetworkConsultationFigures> {
	const { total, perOrganization } = await consultationFiguresByOrganization(tx, period);
	const listed = (await allOrganizations(tx)).map((o) => ({ id: o.id, name: o.name }));
	const figures = [...listed.map((o) => perOrganization.get(o.id) ?? emptyConsultationFigures()), total];
	const hidden = suppressCells(figures.map((f) => Object.fromEntries(COUNTED.map((m) => [m, valueOf(f, m)])) as Record<Counted, number>));
	return {
		total: suppressedRow(total, hidden[listed.length]),
		organizations: listed.map((o, i) => ({ id: o.id, name: o.name, figures: suppressedRow(figures[i], hidden[i]) }))
	};
}

export type NetworkFiguresRefusal = 'forbidden';

/**
 * The check before the platform's context is used: a secretariat scope the guard made for exactly
 * this permission (`requireSecretariat(event, 'network.consultation_figures')`), whose actor holds it.
 */
const allowed = (scope: SecretariatScope) => scope.permission === 'network.consultation_figures' && scope.actor.secretariat && can(scope.actor, scope.permission);

/** The network's consultation figures page (counts only, under 5 hidden). */
export async function networkConsultationFigures(scope: SecretariatScope, period: ConsultationPeriod): Promise<Result<NetworkConsultationFigures, NetworkFiguresRefusal>> {
	if (!allowed(scope)) return refused('forbidden');
	return ok(await runIn(systemScope(db(), 'consultation.network_figures'), (tx) => networkFiguresIn(tx, period)));
}

/** The same for the CSV download, recorded in the audit log as the secretariat's (`consultation.figures_export_network`). */
export async function exportNetworkConsultationFigures(scope: SecretariatScope, period: ConsultationPeriod): Promise<Result<NetworkConsultationFigures, NetworkFiguresRefusal>> {
	if (!allowed(scope)) return refused('forbidden');
	return ok(
		await runIn(systemScope(db(), 'consultation.network_figures'), async (tx) => {
			const figures = await networkFiguresIn(tx, period);
			await recordAudit(tx, scope.origin, { action: 'consultation.figures_export_network', entityType: 'network', entityId: `${period.from}/${period.to}` });
			return figures;
		})
	);
}

/** Labels of the network CSV section, in the request's language. */
export interface NetworkConsultationCsvLabels {
	title: string;
	organization: string;
	total: string;
	threads: string;
	channels: Record<Channel, string>;
	urgent: string;
	urgentShare: string;
	median: string;
	p90: string;
	/** What a hidden cell says (5件未満). */
	suppressed: string;
}

/** The network's consultation figures as a CSV section after a blank line (no second byte-order mark). */
export function networkConsultationFiguresCsv(labels: NetworkConsultationCsvLabels, figures: NetworkConsultationFigures): string {
	const count = (n: number | null) => (n === null ? labels.suppressed : n);
	const minutes = (s: number | null) => (s === null ? labels.suppressed : (s / 60).toFixed(1));
	const line = (name: string, f: SuppressedConsultationFigures) => [name, count(f.threads), ...CHANNELS.map((c) => count(f.byChannel[c])), count(f.urgent), f.urgentShare === null ? labels.suppressed : f.urgentShare.toFixed(3), minutes(f.medianSecondsToAnswer), minutes(f.p90SecondsToAnswer)];
	return csvDocument([[], [labels.title], [labels.organization, labels.threads, ...CHANNELS.map((c) => labels.channels[c]), labels.urgent, labels.urgentShare, labels.median, labels.p90], ...figures.organizations.map((o) => line(o.name, o.figures)), line(labels.total, figures.total)]).replace(
		/^\uFEFF/,
		''
	);
}
