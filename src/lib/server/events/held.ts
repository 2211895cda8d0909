/** Sessions held (開催回数): scheduled dates from `from` up to `to` that have taken place by `today`. */
import { and, asc, eq, gte, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../db';
import { todayInTokyo } from '../clock';
import { occurrences } from './schema';

/**
 * The held dates' days: up to `to` and `today`. When `today` is the real today, a date of today counts
 * once it has started (a 13:30 サロン is not 「開催」 at 8:00); for another `today` (a report as of a
 * past day) that whole day counts.
 */
function heldBy(to: string, today: string, now: Date): SQL {
	if (to < today || todayInTokyo(now) !== today) return lte(occurrences.day, to < today ? to : today);
	return or(lt(occurrences.day, today), and(eq(occurrences.day, today), lte(occurrences.startsAt, now)))!;
}

export async function heldSessionCounts(db: Tx<'organization' | 'secretariat' | 'system'>, programIds: readonly string[], from: string, to: string, today: string, now = new Date()): Promise<Map<string, number>> {
	if (programIds.length === 0) return new Map();
	const rows = await db
		.select({ programId: occurrences.programId, n: sql<number>`count(*)::int` })
		.from(occurrences)
		.where(and(inArray(occurrences.programId, [...programIds]), eq(occurrences.status, 'scheduled'), gte(occurrences.day, from), heldBy(to, today, now)))
		.groupBy(occurrences.programId);
	return new Map(rows.map((r) => [r.programId, r.n]));
}

/** The held dates themselves, one row per program and day (a day with two sessions of a program is one row). */
export async function heldSessionDays(db: Tx<'organization' | 'secretariat' | 'system'>, programIds: readonly string[], from: string, to: string, today: string, now = new Date()): Promise<Array<{ programId: string; organizationId: string; day: string }>> {
	if (programIds.length === 0) return [];
	return db
		.selectDistinct({ programId: occurrences.programId, organizationId: occurrences.organizationId, day: occurrences.day })
		.from(occurrences)
		.where(and(inArray(occurrences.programId, [...programIds]), eq(occurrences.status, 'scheduled'), gte(occurrences.day, from), heldBy(to, today, now)))
		.orderBy(asc(occurrences.day));
}
