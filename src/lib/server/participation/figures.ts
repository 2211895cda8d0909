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
 * Aggregated in SQL (10 million visits stay fast on the (organization_id, day) index).
 */
import { and, gte, inArray, lte, sql, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { addDays } from '../directory';
import { heldSessionCounts } from '../events';
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

export async function attendanceFigures(db: Pick<Db, 'select' | 'execute'>, scope: FigureScope): Promise<{ total: Figures; perProgram: Map<string, Figures> }> {
	const empty = (): Figures => ({ sessions: 0, visits: 0, people: 0, identified: 0, repeaters: 0, retention: { base: 0, returned: 0, share: null }, byAgeBand: {}, byGender: {}, byMonth: [] });
	if (scope.programIds.length === 0) return { total: empty(), perProgram: new Map() };
	const where = and(
		inArray(visits.programId, [...scope.programIds]),
		gte(visits.day, scope.from),
		lte(visits.day, scope.to),
		scope.organizationId ? eq(visits.organizationId, scope.organizationId) : undefined
	);
	const held = await heldSessionCounts(db, scope.programIds, scope.from, scope.to, scope.today);
	const perProgram = new Map<string, Figures>(scope.programIds.map((id) => [id, { ...empty(), sessions: held.get(id) ?? 0 }]));
	const total = { ...empty(), sessions: [...held.values()].reduce((a, b) => a + b, 0) };

	const counts = await db
		.select({
			programId: visits.programId,
			visits: sql<number>`coalesce(sum(${visits.people}), 0)::int`,
			identified: sql<number>`count(distinct ${visits.personKey})::int`,
			newTaps: sql<number>`(count(*) filter (where ${visits.personKey} is null and ${visits.firstVisit}))::int`
		})
		.from(visits)
		.where(where)
		.groupBy(visits.programId);
	for (const c of counts) {
		const f = perProgram.get(c.programId!)!;
		Object.assign(f, { visits: c.visits, identified: c.identified, people: c.identified + c.newTaps });
	}
	const [all] = await db
		.select({
			visits: sql<number>`coalesce(sum(${visits.people}), 0)::int`,
			identified: sql<number>`count(distinct ${visits.personKey})::int`,
			newTaps: sql<number>`(count(*) filter (where ${visits.personKey} is null and ${visits.firstVisit}))::int`
		})
		.from(visits)
		.where(where);
	Object.assign(total, { visits: all.visits, identified: all.identified, people: all.identified + all.newTaps });

	// Repeat and retention over identified people, per program and for the whole scope.
	const days = 7 * scope.weeks;
	const cutoff = addDays(scope.to, -days);
	const ids = sql.join(scope.programIds.map((id) => sql`${id}::uuid`), sql`, `);
	const orgFilter = scope.organizationId ? sql`and organization_id = ${scope.organizationId}::uuid` : sql``;
	// Linear in the visits: each visit row carries its person's first day (per program and across
	// the scope) from a window, so "came again within N weeks" is a bool_or in the same grouping —
	// no per-person lookup back into the visits, which was quadratic at millions of rows.
	const retention = await db.execute<{ program_id: string | null; repeaters: number; base: number; returned: number }>(sql`
		with v as (
			select program_id, person_key, day,
				min(day) over (partition by program_id, person_key) as first_here,
				min(day) over (partition by person_key) as first_anywhere
			from visits
			where program_id in (${ids}) and day between ${scope.from}::date and ${scope.to}::date and person_key is not null ${orgFilter}
		), per as (
			select program_id, person_key, count(*) as n, min(first_here) as first,
				bool_or(day > first_here and day <= first_here + ${days}::int) as came_again
			from v group by program_id, person_key
			union all
			select null, person_key, count(*), min(first_anywhere),
				bool_or(day > first_anywhere and day <= first_anywhere + ${days}::int)
			from v group by person_key
		)
		select program_id,
			(count(*) filter (where n >= 2))::int as repeaters,
			(count(*) filter (where first <= ${cutoff}::date))::int as base,
			(count(*) filter (where first <= ${cutoff}::date and came_again))::int as returned
		from per group by program_id`);
	for (const r of retention.rows) {
		const f = r.program_id ? perProgram.get(r.program_id) : total;
		if (!f) continue;
		f.repeaters = r.repeaters;
		f.retention = { base: r.base, returned: r.returned, share: r.base ? r.returned / r.base : null };
	}

	const breakdown = await db
		.select({ programId: visits.programId, ageBand: visits.ageBand, gender: visits.gender, month: sql<string>`to_char(${visits.day}, 'YYYY-MM')`, n: sql<number>`sum(${visits.people})::int` })
		.from(visits)
		.where(where)
		.groupBy(visits.programId, visits.ageBand, visits.gender, sql`to_char(${visits.day}, 'YYYY-MM')`);
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
