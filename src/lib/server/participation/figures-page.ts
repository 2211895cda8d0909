/** The staff figures page and its CSV share the period reading and the computation. */
import { z } from 'zod';
import { addDays, allOrganizations, programsOf } from '../directory';
import { can } from '../auth';
import { csvDocument, recordAudit } from '../audit';
import { attendanceByDay, attendanceFigures, programVisitTotals, SUPPRESS_BELOW, type DayFigures, type Figures } from './figures';
import { heldSessionCounts } from '../events';
import { AGE_BANDS, GENDERS } from './schema';
import { ok, refused, runIn, type OrganizationScope, type ResidentScope, type Result, type SecretariatScope, type Tx } from '../scope';
import { dayInRange } from '../boundary';

const day = dayInRange;
const query = z
	.object({
		from: day.optional(),
		to: day.optional(),
		weeks: z.coerce.number().int().min(1).max(52).default(4)
	})
	.refine((q) => !q.from || !q.to || q.from <= q.to);

export type FiguresQuery = { from: string; to: string; weeks: number };

/** Default: the last twelve months up to today. */
export function readFiguresQuery(params: URLSearchParams, today: string): FiguresQuery | null {
	const raw = Object.fromEntries(['from', 'to', 'weeks'].flatMap((k) => (params.get(k) ? [[k, params.get(k)!]] : [])));
	const parsed = query.safeParse(raw);
	if (!parsed.success) return null;
	return { from: parsed.data.from ?? addDays(today, -365), to: parsed.data.to ?? today, weeks: parsed.data.weeks };
}

export type FiguresInput = { query: FiguresQuery; today: string };

/**
 * The region's table narrowed by organisation name (any part, width and case folded) and city;
 * the total is then the organisations shown, counted once per person like the region's.
 */
export type RegionFilter = { name: string; city: string };
export const MAX_FILTER_LENGTH = 100;
const filterText = z.string().trim().max(MAX_FILTER_LENGTH);

/**
 * The filter from the query; `too_long` for a name or city over 100 characters (the form's own
 * limit), rather than dropping it and showing the whole region as if it were what was asked for.
 */
export function readRegionFilter(params: URLSearchParams): Result<RegionFilter, 'too_long'> {
	const name = filterText.safeParse(params.get('name') ?? '');
	const city = filterText.safeParse(params.get('city') ?? '');
	if (!name.success || !city.success) return refused('too_long');
	return ok({ name: name.data, city: city.data });
}

const fold = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
function matchesRegionFilter(filter: RegionFilter, o: { name: string; city: string | null }): boolean {
	if (filter.city && o.city !== filter.city) return false;
	return !filter.name || fold(o.name).includes(fold(filter.name));
}

export const isFiltered = (filter: RegionFilter) => filter.name !== '' || filter.city !== '';

/** Who at the organisation sees its attendance figures: those who may view attendance there (a counsellor's figures.view does not). */
const seesAttendance = (scope: OrganizationScope) => can(scope.actor, 'attendance.view', scope.organizationId);

/** The organisation's figures per program: a read inside the page's transaction in the scope; `forbidden` for someone there who may not view attendance. */
export async function organizationFigures(tx: Tx<'organization'>, scope: OrganizationScope, input: FiguresInput): Promise<Result<{ total: Figures; programs: FiguresRow[] }, 'forbidden'>> {
	if (!seesAttendance(scope)) return refused('forbidden');
	const { organizationId } = scope;
	const { query: q, today } = input;
	const programs = await programsOf(tx, organizationId);
	const { total, perProgram } = await attendanceFigures(tx, { organizationId, programIds: programs.map((p) => p.id), from: q.from, to: q.to, weeks: q.weeks, today });
	return ok({ total, programs: programs.map((p) => ({ id: p.id, title: p.title, figures: perProgram.get(p.id)! })) });
}

/** The same figures for the CSV download, with per-date rows, recorded in the audit log (`figures.export`); `forbidden` records nothing. */
export async function exportOrganizationFigures(scope: OrganizationScope, input: FiguresInput): Promise<Result<{ total: Figures; programs: FiguresRow[]; byDay: DayFigures[] }, 'forbidden'>> {
	if (!seesAttendance(scope)) return refused('forbidden');
	return runIn(scope, async (tx) => {
		const figures = await organizationFigures(tx, scope, input);
		if (!figures.ok) return figures;
		const { query: q, today } = input;
		const byDay = await attendanceByDay(tx, { organizationId: scope.organizationId, programIds: figures.value.programs.map((p) => p.id), from: q.from, to: q.to, today }, 'program');
		await recordAudit(tx, scope.origin, { action: 'figures.export', organizationId: scope.organizationId, entityType: 'organization', entityId: scope.organizationId });
		return ok({ ...figures.value, byDay });
	});
}

export type FiguresRow = { id: string; title: string; figures: Figures };

/**
 * The region for the secretariat: every organisation's figures and the region's total. 実人数 is
 * not a sum (one person goes to several places), so each organisation and the region are counted
 * on their own; the secretariat's context reads every organisation's visits (RLS), never names.
 */
export async function regionFigures(scope: SecretariatScope, input: FiguresInput & { filter?: RegionFilter }): Promise<{ total: Figures; organizations: FiguresRow[]; cities: string[] }> {
	return runIn(scope, (tx) => regionFiguresIn(tx, input));
}

/** The region's CSV download, with per-date rows per organisation, recorded in the audit log (`figures.export_region`). */
export async function exportRegionFigures(scope: SecretariatScope, input: FiguresInput & { filter?: RegionFilter }): Promise<{ total: Figures; organizations: FiguresRow[]; cities: string[]; byDay: DayFigures[] }> {
	return runIn(scope, async (tx) => {
		const { programIds, ...figures } = await readRegion(tx, input);
		const { query: q, today } = input;
		// The programs regionFigures read, in the table's order: no second read per organisation.
		const byDay = await attendanceByDay(tx, { programIds: figures.organizations.flatMap((o) => programIds.get(o.id) ?? []), from: q.from, to: q.to, today }, 'organization');
		await recordAudit(tx, scope.origin, { action: 'figures.export_region', entityType: 'network', entityId: `${input.query.from}/${input.query.to}` });
		return { ...figures, byDay };
	});
}

/** The region's figures as the transaction's context sees them (the secretariat: all of them). */
export async function regionFiguresIn(tx: Tx<'secretariat' | 'organization'>, input: FiguresInput & { filter?: RegionFilter }): Promise<{ total: Figures; organizations: FiguresRow[]; cities: string[] }> {
	const { total, organizations, cities } = await readRegion(tx, input);
	return { total, organizations, cities };
}

/** The region's figures with each shown organisation's program ids (the CSV's per-date rows need them). */
async function readRegion(tx: Tx<'secretariat' | 'organization'>, input: FiguresInput & { filter?: RegionFilter }) {
	const { query: q, today, filter } = input;
	const rows: FiguresRow[] = [];
	const programIdsOf = new Map<string, string[]>();
	const organizations = await allOrganizations(tx);
	const cities = [...new Set(organizations.flatMap((o) => (o.city ? [o.city] : [])))].sort((a, b) => a.localeCompare(b, 'ja'));
	for (const o of organizations) {
		if (filter && !matchesRegionFilter(filter, o)) continue;
		const programIds = (await programsOf(tx, o.id)).map((p) => p.id);
		if (programIds.length === 0) continue;
		programIdsOf.set(o.id, programIds);
		const { total } = await attendanceFigures(tx, { organizationId: o.id, programIds, from: q.from, to: q.to, weeks: q.weeks, today });
		rows.push({ id: o.id, title: o.name, figures: total });
	}
	const { total } = await attendanceFigures(tx, { programIds: [...programIdsOf.values()].flat(), from: q.from, to: q.to, weeks: q.weeks, today });
	// The busiest organisations first (延べ), then by name: a secretariat reads the table top down.
	rows.sort((a, b) => b.figures.visits - a.figures.visits || a.title.localeCompare(b.title, 'ja'));
	return { total, organizations: rows, cities, programIds: programIdsOf };
}

/** The figures table as CSV. */
export function figuresCsv(labels: { first: string; total: string; columns: readonly string[] }, rows: readonly FiguresRow[], total: Figures): string {
	const line = (title: string, f: Figures) => [title, f.sessions, f.visits, f.people, f.repeaters, f.retention.share === null ? '' : f.retention.share.toFixed(3)];
	return csvDocument([[labels.first, ...labels.columns], ...rows.map((r) => line(r.title, r.figures)), line(labels.total, total)]);
}

export interface FiguresSectionLabels {
	byMonth: string;
	month: string;
	byAge: string;
	byGender: string;
	visits: string;
	people: string;
	byDay: string;
	day: string;
	first: string; // 「プログラム」 or 「団体」
	held: string; // the column saying whether the date was held
	yes: string;
	ageBand: (band: string) => string;
	gender: (gender: string) => string;
}

/**
 * The page's other tables after the main one, each as its own section (a blank line, its title,
 * its header): 延べ by month, by age band and by gender for the total, then one row per date.
 */
export function figuresSectionsCsv(labels: FiguresSectionLabels, total: Figures, byDay: readonly DayFigures[], names: ReadonlyMap<string, string>): string {
	return csvDocument([
		[],
		[labels.byMonth],
		[labels.month, labels.visits],
		...total.byMonth.map((m) => [m.month, m.visits]),
		[],
		[labels.byAge],
		[labels.byAge, labels.visits],
		...AGE_BANDS.map((b) => [labels.ageBand(b), total.byAgeBand[b] ?? 0]),
		[],
		[labels.byGender],
		[labels.byGender, labels.visits],
		...GENDERS.map((g) => [labels.gender(g), total.byGender[g] ?? 0]),
		[],
		[labels.byDay],
		[labels.day, labels.first, labels.held, labels.visits, labels.people],
		...byDay.map((d) => [d.day, names.get(d.key) ?? '', d.held ? labels.yes : '', d.visits, d.people])
	]).replace(/^\uFEFF/, '');
}

/**
 * What the public program page shows: 開催回数, 延べ and 実人数 of the last 12 months, counts under 5
 * hidden. Every visit of the program is counted, so it runs in the system context a resident's
 * scope carries. Only those three: the staff figures' breakdowns and retention are not read (the
 * page is rendered on every cache miss), so it is the held dates and one pass over the visits.
 */
export async function publicProgramFigures(scope: ResidentScope, input: { programId: string; today: string }): Promise<{ sessions: number; visits: number | null; people: number | null }> {
	const { programId, today } = input;
	const from = addDays(today, -365);
	return runIn(scope, async (tx) => {
		const held = await heldSessionCounts(tx, [programId], from, today, today);
		const totals = await programVisitTotals(tx, programId, from, today);
		const hide = (n: number) => (n < SUPPRESS_BELOW ? null : n);
		return { sessions: held.get(programId) ?? 0, visits: hide(totals.visits), people: hide(totals.people) };
	});
}
