/**
 * The shared calendar: occurrences of the network's programs in a period, filtered by life stage,
 * area, form, organisation or a purpose preset ("all baby programs this month"), and the overlap
 * warnings that let programs for the same people stop colliding (四谷 よんこれん).
 */
import { and, eq, gte, inArray, lte, ne } from 'drizzle-orm';
import { z } from 'zod';
import type { Reader } from '../db';
import { addDays, codes, programIdsMatching, programSummaries, placeSummaries, weekdayIndex, type ProgramFilter, type ProgramSummary } from '../directory';
import { dayInRange } from '../boundary';
import { occurrences, type OccurrenceKind, type OccurrenceStatus, type CapacityUnit } from './schema';

/** Purpose views: a name residents understand for a set of life stages or forms. */
export const PURPOSES = {
	baby: { lifeStages: ['prenatal_infant'] },
	preschool: { lifeStages: ['preschool'] },
	school_age: { lifeStages: ['elementary', 'junior_high', 'high_school'] },
	youth: { lifeStages: ['youth', 'university'] },
	seniors: { lifeStages: ['senior'] },
	food: { forms: ['kodomo_shokudo', 'community_meal', 'food_pantry', 'food_bank'] },
	consultation: { forms: ['consult_in_person', 'consult_phone', 'consult_sns', 'consult_online'] },
	ibasho: { forms: ['ibasho', 'gathering', 'multigenerational'] }
} as const satisfies Record<string, { lifeStages?: readonly string[]; forms?: readonly string[] }>;
export type Purpose = keyof typeof PURPOSES;
export const PURPOSE_CODES = Object.keys(PURPOSES) as Purpose[];

export const CALENDAR_VIEWS = ['month', 'week', 'list'] as const;
export type CalendarView = (typeof CALENDAR_VIEWS)[number];

const emptyToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);

/** The calendar's query string, shared by the page, the .ics feed and the printable month. */
export const calendarQuery = z.object({
	view: z.preprocess(emptyToUndefined, z.enum(CALENDAR_VIEWS).default('month')),
	date: z.preprocess(emptyToUndefined, dayInRange.optional()),
	lifeStage: z.preprocess(emptyToUndefined, z.enum(codes('lifeStages') as [string, ...string[]]).optional()),
	form: z.preprocess(emptyToUndefined, z.enum(codes('forms') as [string, ...string[]]).optional()),
	area: z.preprocess(emptyToUndefined, z.string().max(60).optional()),
	organization: z.preprocess(emptyToUndefined, z.string().uuid().optional()),
	purpose: z.preprocess(emptyToUndefined, z.enum(PURPOSE_CODES as [Purpose, ...Purpose[]]).optional())
});
export type CalendarQuery = z.infer<typeof calendarQuery>;
export const calendarParamNames = Object.keys(calendarQuery.shape) as Array<keyof CalendarQuery>;

export type CalendarParse = { ok: true; query: CalendarQuery } | { ok: false; errors: Array<{ param: string; code: string; message: string }> };

export function parseCalendarParams(params: URLSearchParams): CalendarParse {
	const raw: Record<string, string> = {};
	for (const name of calendarParamNames) {
		const value = params.get(name);
		if (value !== null) raw[name] = value;
	}
	const parsed = calendarQuery.safeParse(raw);
	if (parsed.success) return { ok: true, query: parsed.data };
	return { ok: false, errors: parsed.error.issues.map((i) => ({ param: String(i.path[0] ?? ''), code: i.code, message: i.message })) };
}

/** The days a view shows: a month grid from Monday, a Monday–Sunday week, or 31 days of list. */
export function viewRange(view: CalendarView, anchor: string): { from: string; to: string; first: string; last: string } {
	if (view === 'week') {
		const from = addDays(anchor, -weekdayIndex(anchor));
		return { from, to: addDays(from, 6), first: from, last: addDays(from, 6) };
	}
	if (view === 'list') return { from: anchor, to: addDays(anchor, 30), first: anchor, last: addDays(anchor, 30) };
	const first = `${anchor.slice(0, 7)}-01`;
	const last = addDays(monthAfter(first), -1);
	const from = addDays(first, -weekdayIndex(first));
	const to = addDays(last, 6 - weekdayIndex(last));
	return { from, to, first, last };
}

export function monthAfter(day: string): string {
	const [y, m] = day.split('-').map(Number);
	return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

export function monthBefore(day: string): string {
	const [y, m] = day.split('-').map(Number);
	return m === 1 ? `${y - 1}-12-01` : `${y}-${String(m - 1).padStart(2, '0')}-01`;
}

/** The directory filter a calendar query stands for. */
export function programFilterOf(query: Pick<CalendarQuery, 'lifeStage' | 'form' | 'area' | 'organization' | 'purpose'>, publishedOnly: boolean): ProgramFilter {
	const purpose: { lifeStages?: readonly string[]; forms?: readonly string[] } = query.purpose ? PURPOSES[query.purpose] : {};
	return {
		lifeStages: query.lifeStage ? [query.lifeStage] : purpose.lifeStages,
		forms: query.form ? [query.form] : purpose.forms,
		area: query.area,
		organizationId: query.organization,
		publishedOnly
	};
}

export interface CalendarEntry {
	id: string;
	programId: string;
	organizationId: string;
	organizationName: string;
	title: string;
	programTitle: string;
	day: string;
	startsAt: Date;
	endsAt: Date | null;
	allDay: boolean;
	status: OccurrenceStatus;
	moved: boolean;
	kind: OccurrenceKind;
	note: string | null;
	locationId: string | null;
	placeName: string | null;
	lifeStages: string[];
	forms: string[];
	registrationOpen: boolean;
	capacity: number | null;
	capacityUnit: CapacityUnit;
	oneOff: boolean;
	/** The registration window (program defaults or the date's own); null: open now / until it starts. */
	registrationOpensAt: Date | null;
	registrationClosesAt: Date | null;
}

/** Occurrences whose day lies in [from, to] of the programs the filter covers, in time order. */
export async function calendarEntries(db: Reader, filter: ProgramFilter, from: string, to: string): Promise<CalendarEntry[]> {
	const programIds = await programIdsMatching(db, filter);
	if (programIds.length === 0) return [];
	const rows: Array<typeof occurrences.$inferSelect> = [];
	for (let i = 0; i < programIds.length; i += 5000) {
		rows.push(
			...(await db
				.select()
				.from(occurrences)
				.where(and(inArray(occurrences.programId, programIds.slice(i, i + 5000)), gte(occurrences.day, from), lte(occurrences.day, to))))
		);
	}
	rows.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.id.localeCompare(b.id));
	return entriesOf(db, rows);
}

async function entriesOf(db: Reader, rows: Array<typeof occurrences.$inferSelect>): Promise<CalendarEntry[]> {
	const [programs, places] = await Promise.all([
		programSummaries(
			db,
			rows.map((r) => r.programId)
		),
		placeSummaries(
			db,
			rows.flatMap((r) => (r.locationId ? [r.locationId] : []))
		)
	]);
	return rows.flatMap((r) => {
		const program = programs.get(r.programId);
		if (!program) return [];
		return [
			{
				id: r.id,
				programId: r.programId,
				organizationId: r.organizationId,
				organizationName: program.organizationName,
				title: r.title ?? program.title,
				programTitle: program.title,
				day: r.day,
				startsAt: r.startsAt,
				endsAt: r.endsAt,
				allDay: r.allDay,
				status: r.status,
				moved: r.moved,
				kind: r.kind,
				note: r.note,
				locationId: r.locationId,
				placeName: r.locationId ? (places.get(r.locationId)?.name ?? null) : null,
				lifeStages: program.lifeStages,
				forms: program.forms,
				registrationOpen: r.registrationOpen,
				capacity: r.capacity,
				capacityUnit: r.capacityUnit,
				oneOff: r.seriesDay === null,
				registrationOpensAt: r.registrationOpensAt,
				registrationClosesAt: r.registrationClosesAt
			}
		];
	});
}

/** One occurrence as the calendar shows it (null if its program is gone). */
export async function calendarEntry(db: Reader, occurrenceId: string): Promise<CalendarEntry | null> {
	const rows = await db.select().from(occurrences).where(eq(occurrences.id, occurrenceId));
	return (await entriesOf(db, rows))[0] ?? null;
}

/**
 * A date as the public sees it (the event page): only a date of a published program; null
 * otherwise, as for no such date. With the program's own 参加のしかた: a date that takes no
 * registrations here may still need one with the organisation (or say nothing of it).
 */
export async function publicCalendarEntry(db: Reader, occurrenceId: string): Promise<(CalendarEntry & { joinMethod: string }) | null> {
	const entry = await calendarEntry(db, occurrenceId);
	if (!entry) return null;
	const program = (await programSummaries(db, [entry.programId])).get(entry.programId);
	return program?.published ? { ...entry, joinMethod: program.joinMethod } : null;
}

/** When a session is over when no closing time is given (the same two hours the finder assumes). */
const DEFAULT_LENGTH_MS = 2 * 3600_000;
const endOf = (o: { startsAt: Date; endsAt: Date | null }) => (o.endsAt ?? new Date(o.startsAt.getTime() + DEFAULT_LENGTH_MS)).getTime();

export type DateStage = 'upcoming' | 'under_way' | 'over';

/** Where a date stands at `now`: over only once it has ended, not once it has begun. */
export function stageOf(o: { startsAt: Date; endsAt: Date | null; allDay: boolean }, now: Date): DateStage {
	if (now.getTime() < o.startsAt.getTime()) return 'upcoming';
	const end = o.allDay && !o.endsAt ? o.startsAt.getTime() + 24 * 3600_000 : endOf(o);
	return now.getTime() < end ? 'under_way' : 'over';
}

export interface Overlap {
	occurrenceId: string;
	day: string;
	/** The program's own date that clashes. */
	own: CalendarEntry;
	other: CalendarEntry;
	lifeStages: string[];
	areas: string[];
}

/**
 * Another program of the network, for the same life stage in the same area, at a time that
 * overlaps one of these occurrences. "年齢や属性を問わない" is not a shared audience: it would
 * match everything.
 */
export async function overlapsFor(db: Reader, programId: string, fromDay: string, toDay: string): Promise<Overlap[]> {
	const own = await db
		.select()
		.from(occurrences)
		.where(and(eq(occurrences.programId, programId), eq(occurrences.status, 'scheduled'), gte(occurrences.day, fromDay), lte(occurrences.day, toDay)));
	if (own.length === 0) return [];
	const days = [...new Set(own.map((o) => o.day))];
	const others = await db
		.select()
		.from(occurrences)
		.where(and(inArray(occurrences.day, days), ne(occurrences.programId, programId), eq(occurrences.status, 'scheduled')));
	if (others.length === 0) return [];
	const programs = await programSummaries(db, [programId, ...others.map((o) => o.programId)]);
	const mine = programs.get(programId);
	if (!mine) return [];
	const myStages = mine.lifeStages.filter((s) => s !== 'all_ages');
	const result: Overlap[] = [];
	const othersById = new Map<string, Array<typeof occurrences.$inferSelect>>();
	for (const o of others) {
		const p = programs.get(o.programId);
		if (!p?.published) continue;
		othersById.set(o.day, [...(othersById.get(o.day) ?? []), o]);
	}
	const clashes: Array<{ o: (typeof own)[number]; x: (typeof others)[number]; lifeStages: string[]; areas: string[] }> = [];
	for (const o of own) {
		for (const x of othersById.get(o.day) ?? []) {
			if (!(o.startsAt.getTime() < endOf(x) && x.startsAt.getTime() < endOf(o))) continue;
			const theirs = programs.get(x.programId)!;
			const lifeStages = myStages.filter((s) => theirs.lifeStages.includes(s));
			const areas = sharedAreas(mine, theirs);
			if (lifeStages.length && areas.length) clashes.push({ o, x, lifeStages, areas });
		}
	}
	if (clashes.length === 0) return result;
	// Both sides of every clash as calendar entries, read together.
	const rows = [...new Map(clashes.flatMap(({ o, x }) => [o, x]).map((r) => [r.id, r])).values()];
	const entries = new Map((await entriesOf(db, rows)).map((e) => [e.id, e]));
	for (const { o, x, lifeStages, areas } of clashes) result.push({ occurrenceId: o.id, day: o.day, own: entries.get(o.id)!, other: entries.get(x.id)!, lifeStages, areas });
	return result;
}

/**
 * The clashes of several programs (an organisation's list), each pair of dates once: two of the
 * list's own programs clashing would otherwise be named from both sides.
 */
export async function overlapsAmong(db: Reader, programIds: readonly string[], fromDay: string, toDay: string): Promise<Overlap[]> {
	const seen = new Set<string>();
	const result: Overlap[] = [];
	for (const programId of programIds) {
		for (const overlap of await overlapsFor(db, programId, fromDay, toDay)) {
			const pair = [overlap.occurrenceId, overlap.other.id].sort().join(' ');
			if (seen.has(pair)) continue;
			seen.add(pair);
			result.push(overlap);
		}
	}
	return result;
}

/** Cities both serve ("東京都/新宿区"); a program without a city serves its whole prefecture. */
function sharedAreas(a: ProgramSummary, b: ProgramSummary): string[] {
	const cities = (p: ProgramSummary) => p.areas.filter((x) => x.includes('/') && !x.startsWith('/'));
	const prefectures = (p: ProgramSummary) => p.areas.filter((x) => !x.includes('/'));
	const ca = cities(a);
	const cb = cities(b);
	if (ca.length && cb.length) return ca.filter((x) => cb.includes(x));
	// One of them covers whole prefectures: any shared prefecture is the same area.
	return prefectures(a).filter((x) => prefectures(b).includes(x));
}
