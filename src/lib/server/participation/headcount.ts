/**
 * Anonymous head counts: one tap per visitor (age band, gender, first visit or not) for places
 * that take no names. Each tap carries the id the phone gave it; a batch sent again after a lost
 * answer is counted once (unique organisation + client key).
 */
import { z } from 'zod';
import { sql } from 'drizzle-orm';
import type { Db } from '../db';
import { addDays, localDay, programSummaries } from '../directory';
import { occurrenceOf } from '../events';
import { visits, AGE_BANDS, GENDERS } from './schema';

export const tapInput = z.object({
	clientKey: z.string().regex(/^[A-Za-z0-9-]{8,64}$/),
	programId: z.string().uuid(),
	occurrenceId: z.string().uuid().nullish(),
	countedAt: z.coerce.date(),
	ageBand: z.enum(AGE_BANDS),
	gender: z.enum(GENDERS),
	firstVisit: z.boolean().nullable()
});
export const tapBatch = z.object({ taps: z.array(tapInput).min(1).max(500) });
export type Tap = z.infer<typeof tapInput>;

export type TapsOutcome = { ok: true; accepted: string[]; duplicates: string[] } | { ok: false; reason: 'foreign_program' | 'bad_occurrence' | 'bad_time'; clientKey: string };

export async function recordTaps(tx: Db, organizationId: string, taps: Tap[], recordedBy: string | null, now = new Date()): Promise<TapsOutcome> {
	const programs = await programSummaries(tx, taps.map((t) => t.programId));
	for (const tap of taps) {
		if (programs.get(tap.programId)?.organizationId !== organizationId) return { ok: false, reason: 'foreign_program', clientKey: tap.clientKey };
		// A phone offline for a day still sends; a clock far off is a mistake.
		if (tap.countedAt.getTime() > now.getTime() + 10 * 60_000 || tap.countedAt.getTime() < now.getTime() - 7 * 86_400_000) return { ok: false, reason: 'bad_time', clientKey: tap.clientKey };
		if (tap.occurrenceId) {
			const o = await occurrenceOf(tx, organizationId, tap.occurrenceId);
			if (!o || o.programId !== tap.programId || o.day < addDays(localDay(tap.countedAt), -1) || o.day > addDays(localDay(tap.countedAt), 1)) return { ok: false, reason: 'bad_occurrence', clientKey: tap.clientKey };
		}
	}
	const inserted = await tx
		.insert(visits)
		.values(
			taps.map((t) => ({
				organizationId,
				programId: t.programId,
				occurrenceId: t.occurrenceId ?? null,
				day: localDay(t.countedAt),
				countedAt: t.countedAt,
				source: 'tap' as const,
				people: 1,
				ageBand: t.ageBand,
				gender: t.gender,
				firstVisit: t.firstVisit,
				clientKey: t.clientKey,
				recordedBy
			}))
		)
		.onConflictDoNothing()
		.returning({ clientKey: visits.clientKey });
	const accepted = new Set(inserted.map((r) => r.clientKey!));
	return { ok: true, accepted: [...accepted], duplicates: taps.map((t) => t.clientKey).filter((k) => !accepted.has(k)) };
}

/** Today's taps of a program, by age band (what the counting phone shows as totals). */
export async function tapTotals(tx: Db, organizationId: string, programId: string, day: string) {
	const rows = await tx
		.select({ ageBand: visits.ageBand, n: sql<number>`sum(${visits.people})::int` })
		.from(visits)
		.where(sql`${visits.organizationId} = ${organizationId} and ${visits.programId} = ${programId} and ${visits.day} = ${day}`)
		.groupBy(visits.ageBand);
	return rows;
}
