/** Materialised upcoming dates of programs (see programUpcomingDates in schema.ts). */
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Pool, Tx } from '../db';
import { runIn, type SystemScope } from '../scope';
import { programUpcomingDates, schedules } from './schema';
import { addDays, expandSchedule } from './schedule';

/** How far ahead the finder looks for "next date"; the program page expands further itself. */
export const UPCOMING_HORIZON_DAYS = 120;

/** The query builders of a transaction (or of the savepoint `saveOrganization` opens in one). */
type Runner = Pick<Tx, 'select' | 'delete' | 'insert' | 'execute'>;

/**
 * When an occurrence of `alias` (a program_upcoming_dates row) is over: at its end, or two hours
 * after its start when the schedule gives no closing time. The one rule for "next" everywhere.
 */
export function occurrenceEnd(alias: string): SQL {
	return sql.raw(`coalesce(${alias}.ends_at, ${alias}.starts_at + interval '2 hours')`);
}

/** The dates need rebuilding for `today`: yesterday's are still there, or none were ever made (start-up asks). */
export async function upcomingDatesStale(db: Pool, today: string): Promise<boolean> {
	const result = await db.execute<{ stale: boolean }>(sql`select exists (select 1 from program_upcoming_dates where day < ${today}::date) or not exists (select 1 from program_upcoming_dates) as stale`);
	return result.rows[0].stale;
}

/**
 * Every program's upcoming dates rebuilt from `today` (start-up, the nightly job): a platform job
 * that writes for every organisation, so it runs in the system context.
 */
export async function refreshUpcomingDates(scope: SystemScope, today: string): Promise<void> {
	await runIn(scope, (tx) => refreshDates(tx, today));
}

/**
 * Rebuild upcoming dates from `today`, for some programs or (no ids) for all, in the caller's
 * transaction (a program's own organisation's after a staff edit, the system's for the demo load).
 */
export async function refreshDates(db: Runner, today: string, programIds?: string[]) {
	if (programIds && programIds.length === 0) return;
	const until = addDays(today, UPCOMING_HORIZON_DAYS);
	const rules = await db
		.select()
		.from(schedules)
		.where(programIds ? and(inArray(schedules.programId, programIds), sql`${schedules.rrule} is not null`) : sql`${schedules.rrule} is not null`);
	if (programIds) await db.delete(programUpcomingDates).where(inArray(programUpcomingDates.programId, programIds));
	else await db.delete(programUpcomingDates);
	const rows = rules.flatMap((rule) => expandSchedule(rule, today, until).map((o) => ({ programId: rule.programId, day: o.day, startsAt: o.start, endsAt: o.end, allDay: o.allDay })));
	for (let i = 0; i < rows.length; i += 5000) {
		await db
			.insert(programUpcomingDates)
			.values(rows.slice(i, i + 5000))
			.onConflictDoNothing();
	}
	await updateNextOccurrences(db, programIds);
}

/** Copy each program's first two upcoming dates onto the program (see programs.nextStartsAt). */
export async function updateNextOccurrences(db: Pick<Tx, 'execute'>, programIds?: string[]) {
	const scope = programIds
		? sql`where pr.id in (${sql.join(
				programIds.map((id) => sql`${id}::uuid`),
				sql`, `
			)})`
		: sql``;
	await db.execute(sql`
		update programs p set next_starts_at = n.first_start, next_ends_at = n.first_end, following_starts_at = n.second_start
		from (
			select pr.id,
				(select d.starts_at from program_upcoming_dates d where d.program_id = pr.id order by d.starts_at limit 1) as first_start,
				(select ${occurrenceEnd('d')} from program_upcoming_dates d where d.program_id = pr.id order by d.starts_at limit 1) as first_end,
				(select d.starts_at from program_upcoming_dates d where d.program_id = pr.id order by d.starts_at offset 1 limit 1) as second_start
			from programs pr ${scope}
		) n
		where n.id = p.id
			and (p.next_starts_at, p.next_ends_at, p.following_starts_at) is distinct from (n.first_start, n.first_end, n.second_start)`);
}

/**
 * Replace a program's upcoming dates with the ones its dated sessions actually hold (the events
 * module calls this when a date is cancelled, moved or added, so the finder's "next date" and
 * "today / this weekend" agree with the calendar).
 */
export async function replaceUpcomingDates(db: Runner, programId: string, dates: Array<{ day: string; startsAt: Date; endsAt: Date | null; allDay: boolean }>) {
	await db.delete(programUpcomingDates).where(eq(programUpcomingDates.programId, programId));
	if (dates.length) {
		await db
			.insert(programUpcomingDates)
			.values(dates.map((d) => ({ programId, ...d })))
			.onConflictDoNothing();
	}
	await updateNextOccurrences(db, [programId]);
}
