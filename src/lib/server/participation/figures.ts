/**
 * Attendance figures for a set of programs and a period:
 * - 開催回数: the dates held (events' heldSessionCounts).
 * - 延べ人数: every visit, a registered group counting its size.
 * - 実人数: distinct identified people (a card, or a registration without a card) plus anonymous
 *   taps marked 初めて — an estimate for places that take no names, and said so on the page.
 * - repeat: identified people with two visits or more; retention: of the identified people whose
 *   first visit in the period is at least N weeks before its end, the share who came again within
 *   N weeks of it.
 * - breakdowns by age band and gender (延べ), and 延べ by month.
 * Aggregated in SQL, in two passes over the scope's visits (bench/events.ts measures it at 10 million).
 */
import { sql } from 'drizzle-orm';
import type { Tx } from '../db';
import { addDays } from '../directory';
import { heldSessionCounts, heldSessionDays } from '../events';
import { visits } from './schema';

export interface Figures {
	sessions: number;
	visits: number;
	people: number;
	identified: number;
	repeaters: number;
	retention: { base: number; returned: number; share: number | null };
	byAgeBand: Record<string, number>;
	byGender: Record<string, number>;
	byMonth: Array<{ month: string; visits: number }>;
}

export interface FigureScope {
	organizationId?: string;
	programIds: readonly string[];
	from: string;
	to: string;
	weeks: number;
	today: string;
}

export async function attendanceFigures(db: Tx<'organization' | 'secretariat' | 'system'>, scope: FigureScope): Promise<{ total: Figures; perProgram: Map<string, Figures> }> {
	const empty = (): Figures => ({ sessions: 0, visits: 0, people: 0, identified: 0, repeaters: 0, retention: { base: 0, returned: 0, share: null }, byAgeBand: {}, byGender: {}, byMonth: [] });
	if (scope.programIds.length === 0) return { total: empty(), perProgram: new Map() };
	const held = await heldSessionCounts(db, scope.programIds, scope.from, scope.to, scope.today);
	const perProgram = new Map<string, Figures>(scope.programIds.map((id) => [id, { ...empty(), sessions: held.get(id) ?? 0 }]));
	const total = { ...empty(), sessions: [...held.values()].reduce((a, b) => a + b, 0) };

	// One pass over the visits, grouped per (program, person) and per person across the scope
	// (grouping sets): 延べ, 実人数, repeaters and each person's first day fall out of it; anonymous
	// taps are the group whose person is null. "Came again within N weeks" is then one probe per
	// person into visits_person_day_idx. Reports sort and hash millions of rows: give this
	// transaction the memory to do it without spilling to disk.
	await db.execute(sql`set local work_mem = '64MB'`);
	const days = 7 * scope.weeks;
	const cutoff = addDays(scope.to, -days);
	const ids = sql.join(
		scope.programIds.map((id) => sql`${id}::uuid`),
		sql`, `
	);
	/** The scope's conditions on the visits aliased `alias`. */
	const inScope = (alias: 'visits' | 's' | 'v') => {
		const a = sql.raw(alias);
		const org = scope.organizationId ? sql` and ${a}.organization_id = ${scope.organizationId}::uuid` : sql``;
		return sql`${a}.program_id in (${ids}) and ${a}.day between ${scope.from}::date and ${scope.to}::date${org}`;
	};
	const people = await db.execute<{ program_id: string | null; visits: number; identified: number; new_taps: number; repeaters: number; base: number; returned: number }>(sql`
		with per as (
			select grouping(program_id) = 1 as whole_scope, program_id, person_key, sum(people) as visits, count(*) as n,
				count(*) filter (where first_visit) as new_taps, min(day) as first
			from visits s where ${inScope('s')}
			group by grouping sets ((program_id, person_key), (person_key))
		)
		select case when whole_scope then null else program_id end as program_id,
			coalesce(sum(visits), 0)::int as visits,
			count(person_key)::int as identified,
			coalesce(sum(new_taps) filter (where person_key is null), 0)::int as new_taps,
			(count(*) filter (where person_key is not null and n >= 2))::int as repeaters,
			(count(*) filter (where person_key is not null and first <= ${cutoff}::date))::int as base,
			(count(*) filter (where person_key is not null and first <= ${cutoff}::date and exists (
				select 1 from visits v
				where v.person_key = per.person_key and v.day > per.first and v.day <= per.first + ${days}::int
					and (per.whole_scope or v.program_id = per.program_id) and ${inScope('v')})))::int as returned
		from per group by whole_scope, case when whole_scope then null else program_id end`);
	for (const r of people.rows) {
		const f = r.program_id ? perProgram.get(r.program_id) : total;
		if (!f) continue;
		Object.assign(f, { visits: r.visits, identified: r.identified, people: r.identified + r.new_taps, repeaters: r.repeaters });
		f.retention = { base: r.base, returned: r.returned, share: r.base ? r.returned / r.base : null };
	}

	// Grouped by the month itself; only the groups are formatted (to_char on every row cost about a
	// quarter of this query at 10 million visits).
	const month = sql`date_trunc('month', ${visits.day}::timestamp)`;
	const breakdown = await db
		.select({ programId: visits.programId, ageBand: visits.ageBand, gender: visits.gender, month: sql<string>`to_char(${month}, 'YYYY-MM')`, n: sql<number>`sum(${visits.people})::int` })
		.from(visits)
		.where(inScope('visits'))
		.groupBy(visits.programId, visits.ageBand, visits.gender, month);
	const months = new Map<string, Map<string, number>>();
	for (const b of breakdown) {
		for (const f of [perProgram.get(b.programId)!, total]) {
			const band = b.ageBand ?? 'not_given';
			const gender = b.gender ?? 'not_given';
			f.byAgeBand[band] = (f.byAgeBand[band] ?? 0) + b.n;
			f.byGender[gender] = (f.byGender[gender] ?? 0) + b.n;
		}
		for (const key of [b.programId, '*']) {
			const m = months.get(key) ?? new Map<string, number>();
			m.set(b.month, (m.get(b.month) ?? 0) + b.n);
			months.set(key, m);
		}
	}
	const series = (key: string) => [...(months.get(key) ?? new Map()).entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, n]) => ({ month, visits: n }));
	for (const [id, f] of perProgram) f.byMonth = series(id);
	total.byMonth = series('*');
	return { total, perProgram };
}

/**
 * 延べ and 実人数 of one program in a period, counted as attendanceFigures counts them (visits with
 * a group's size; distinct identified people plus anonymous taps marked 初めて), in one statement.
 */
export async function programVisitTotals(db: Tx<'system'>, programId: string, from: string, to: string): Promise<{ visits: number; people: number }> {
	const { rows } = await db.execute<{ visits: number; people: number }>(sql`
		select coalesce(sum(people), 0)::int as visits,
			(count(distinct person_key) + count(*) filter (where person_key is null and first_visit))::int as people
		from visits where program_id = ${programId}::uuid and day between ${from}::date and ${to}::date`);
	return rows[0] ?? { visits: 0, people: 0 };
}

/** One held date or day with visits, per program or per organisation: the CSV's per-date rows. */
export interface DayFigures {
	key: string; // the program's id, or the organisation's
	day: string;
	held: boolean; // a scheduled date of the program that has taken place
	visits: number;
	people: number; // identified people that day plus anonymous taps marked 初めて
}

/**
 * 延べ and 実人数 per day, for each program (an organisation's CSV) or each organisation (the
 * region's), with held dates that had no visit recorded as zero rows: a date nobody counted is
 * itself worth seeing. Sorted by day, then key.
 */
export async function attendanceByDay(db: Tx<'organization' | 'secretariat' | 'system'>, scope: Omit<FigureScope, 'weeks'>, per: 'program' | 'organization'): Promise<DayFigures[]> {
	if (scope.programIds.length === 0) return [];
	const ids = sql.join(
		scope.programIds.map((id) => sql`${id}::uuid`),
		sql`, `
	);
	const org = scope.organizationId ? sql` and organization_id = ${scope.organizationId}::uuid` : sql``;
	const key = per === 'program' ? sql`program_id` : sql`organization_id`;
	const counted = await db.execute<{ key: string; day: string; visits: number; identified: number; new_taps: number }>(sql`
		select ${key} as key, to_char(day, 'YYYY-MM-DD') as day, sum(people)::int as visits, count(distinct person_key)::int as identified,
			(count(*) filter (where person_key is null and first_visit))::int as new_taps
		from visits where program_id in (${ids}) and day between ${scope.from}::date and ${scope.to}::date${org}
		group by 1, 2`);
	const rows = new Map<string, DayFigures>();
	for (const r of counted.rows) rows.set(`${r.day} ${r.key}`, { key: r.key, day: r.day, held: false, visits: r.visits, people: r.identified + r.new_taps });
	for (const h of await heldSessionDays(db, scope.programIds, scope.from, scope.to, scope.today)) {
		const k = per === 'program' ? h.programId : h.organizationId;
		if (scope.organizationId && h.organizationId !== scope.organizationId) continue;
		const row = rows.get(`${h.day} ${k}`) ?? { key: k, day: h.day, held: true, visits: 0, people: 0 };
		row.held = true;
		rows.set(`${h.day} ${k}`, row);
	}
	return [...rows.values()].sort((a, b) => a.day.localeCompare(b.day) || a.key.localeCompare(b.key));
}

/** Public figures: any count under 5 is hidden (null), and retention on a base under 5. */
export const SUPPRESS_BELOW = 5;
export function suppressed(f: Figures) {
	const hide = (n: number) => (n < SUPPRESS_BELOW ? null : n);
	return {
		sessions: f.sessions,
		visits: hide(f.visits),
		people: hide(f.people),
		retentionShare: f.retention.base < SUPPRESS_BELOW ? null : f.retention.share
	};
}
