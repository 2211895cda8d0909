/** Sessions held (開催回数): scheduled dates from `from` up to `to` that have taken place by `today`. */
import { and, asc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { occurrences } from './schema';

export async function heldSessionCounts(db: Pick<Db, 'select'>, programIds: readonly string[], from: string, to: string, today: string): Promise<Map<string, number>> {
	if (programIds.length === 0) return new Map();
	const last = to < today ? to : today;
	const rows = await db
		.select({ programId: occurrences.programId, n: sql<number>`count(*)::int` })
		.from(occurrences)
		.where(and(inArray(occurrences.programId, [...programIds]), eq(occurrences.status, 'scheduled'), gte(occurrences.day, from), lte(occurrences.day, last)))
		.groupBy(occurrences.programId);
	return new Map(rows.map((r) => [r.programId, r.n]));
}

/** The held dates themselves, one row per program and day (a day with two sessions of a program is one row). */
export async function heldSessionDays(db: Pick<Db, 'selectDistinct'>, programIds: readonly string[], from: string, to: string, today: string): Promise<Array<{ programId: string; organizationId: string; day: string }>> {
	if (programIds.length === 0) return [];
	const last = to < today ? to : today;
	return db
		.selectDistinct({ programId: occurrences.programId, organizationId: occurrences.organizationId, day: occurrences.day })
		.from(occurrences)
		.where(and(inArray(occurrences.programId, [...programIds]), eq(occurrences.status, 'scheduled'), gte(occurrences.day, from), lte(occurrences.day, last)))
		.orderBy(asc(occurrences.day));
}
