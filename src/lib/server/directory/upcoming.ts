/** Materialised upcoming dates of programs (see programUpcomingDates in schema.ts). */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { programUpcomingDates, schedules } from './schema';
import { addDays, expandSchedule } from './schedule';

/** How far ahead the finder looks for "next date"; the program page expands further itself. */
export const UPCOMING_HORIZON_DAYS = 120;

type Runner = Pick<Db, 'select' | 'delete' | 'insert'>;

/** Rebuild upcoming dates from `today`, for some programs or (no ids) for all. */
export async function refreshUpcomingDates(db: Runner, today: string, programIds?: string[]) {
	if (programIds && programIds.length === 0) return;
	const until = addDays(today, UPCOMING_HORIZON_DAYS);
	const rules = await db
		.select()
		.from(schedules)
		.where(programIds ? and(inArray(schedules.programId, programIds), sql`${schedules.rrule} is not null`) : sql`${schedules.rrule} is not null`);
	if (programIds) await db.delete(programUpcomingDates).where(inArray(programUpcomingDates.programId, programIds));
	else await db.delete(programUpcomingDates);
	const rows = rules.flatMap((rule) =>
		expandSchedule(rule, today, until).map((o) => ({ programId: rule.programId, day: o.day, startsAt: o.start, endsAt: o.end, allDay: o.allDay }))
	);
	for (let i = 0; i < rows.length; i += 5000) {
		await db
			.insert(programUpcomingDates)
			.values(rows.slice(i, i + 5000))
			.onConflictDoNothing();
	}
}

export async function upcomingDatesOf(db: Db, programId: string) {
	return db.select().from(programUpcomingDates).where(eq(programUpcomingDates.programId, programId)).orderBy(programUpcomingDates.startsAt);
}
