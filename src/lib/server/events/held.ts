/** Sessions held (開催回数): scheduled dates from `from` up to `to` that have taken place by `today`. */
import { and, eq, gte, inArray, lte, sql } from 'drizzle-orm';
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
