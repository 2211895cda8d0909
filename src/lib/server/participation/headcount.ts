/**
 * Anonymous head counts: one tap per visitor (age band, gender, first visit or not) for places
 * that take no names. Each tap carries the id the phone gave it; a batch sent again after a lost
 * answer is counted once (unique organisation + client key).
 */
import { z } from 'zod';
import { and, eq, sql } from 'drizzle-orm';
import { addDays, localDay, programSummaries } from '../directory';
import { occurrenceOf } from '../events';
import { visits, AGE_BANDS, GENDERS } from './schema';
import { recordAudit } from '../audit';
import { ok, refused, runIn, type OrganizationScope, type Result, type Tx } from '../scope';

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

/**
 * One tap from the counting page's form without JavaScript: its key is the one the server made
 * when it drew the page (a UUID), the date is optional (empty: none), gender defaults to not
 * given, and the visit is a first one unless marked `repeat`. Counted now.
 */
export const tapForm = z
	.object({
		clientKey: z.guid(),
		programId: z.guid(),
		occurrenceId: z.union([z.literal('').transform(() => null), z.guid()]).default(null),
		ageBand: z.enum(AGE_BANDS),
		gender: z.enum(GENDERS).default('not_given'),
		visit: z.string().optional()
	})
	.transform(({ visit, ...tap }): Tap => ({ ...tap, countedAt: new Date(), firstVisit: visit !== 'repeat' }));

/** The undo form names the device's last tap by its key; undoTap checks the key itself. */
export const undoForm = z.object({ clientKey: z.string() });

export type TapRefusal = 'foreign_program' | 'bad_occurrence' | 'bad_time';
export type TapsOutcome = Result<{ accepted: string[]; duplicates: string[] }, TapRefusal, { clientKey: string }>;

/**
 * Record a batch of taps for the scope's organisation, by the scope's actor; a batch that counted
 * anything is recorded in the audit log (`visit.taps`, the number of taps counted). The whole batch
 * is refused, naming the first bad tap, when one is for another organisation's program, has a
 * clock far off, or names a date that does not match.
 */
export async function recordTaps(scope: OrganizationScope, input: { taps: Tap[]; now?: Date }): Promise<TapsOutcome> {
	const { organizationId } = scope;
	const { taps } = input;
	const now = input.now ?? new Date();
	return runIn(scope, async (tx) => {
		const programs = await programSummaries(
			tx,
			taps.map((t) => t.programId)
		);
		for (const tap of taps) {
			if (programs.get(tap.programId)?.organizationId !== organizationId) return refused('foreign_program', { clientKey: tap.clientKey });
			// A phone offline for a day still sends; a clock far off is a mistake.
			if (tap.countedAt.getTime() > now.getTime() + 10 * 60_000 || tap.countedAt.getTime() < now.getTime() - 7 * 86_400_000) return refused('bad_time', { clientKey: tap.clientKey });
			if (tap.occurrenceId) {
				const o = await occurrenceOf(tx, organizationId, tap.occurrenceId);
				if (!o || o.programId !== tap.programId || o.day < addDays(localDay(tap.countedAt), -1) || o.day > addDays(localDay(tap.countedAt), 1)) return refused('bad_occurrence', { clientKey: tap.clientKey });
			}
		}
		const accepted = await insertTaps(tx, organizationId, taps, scope.actor.userId);
		if (accepted.size) await recordAudit(tx, scope.origin, { action: 'visit.taps', organizationId, entityType: 'visit', entityId: String(accepted.size) });
		return ok({ accepted: [...accepted], duplicates: taps.map((t) => t.clientKey).filter((k) => !accepted.has(k)) });
	});
}

async function insertTaps(tx: Tx<'organization'>, organizationId: string, taps: Tap[], recordedBy: string): Promise<Set<string>> {
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
	return new Set(inserted.map((r) => r.clientKey!));
}

/**
 * A program's people on one day, as the counting phone shows them: heads counted by tap and people
 * checked in at the door (by card or 受付番号), so the day's total can say what it includes. A read
 * inside the page's transaction in the scope's organisation.
 */
export async function dayTotals(tx: Tx<'organization'>, scope: OrganizationScope, input: { programId: string; day: string }): Promise<{ taps: number; checkedIn: number }> {
	const { organizationId } = scope;
	const { programId, day } = input;
	const rows = await tx
		.select({ tapped: sql<boolean>`${visits.source} = 'tap'`, n: sql<number>`sum(${visits.people})::int` })
		.from(visits)
		.where(sql`${visits.organizationId} = ${organizationId} and ${visits.programId} = ${programId} and ${visits.day} = ${day}`)
		.groupBy(sql`1`);
	return { taps: rows.find((r) => r.tapped)?.n ?? 0, checkedIn: rows.find((r) => !r.tapped)?.n ?? 0 };
}

export type UndoRefusal = 'nothing_to_undo';

/**
 * Undo a mistaken tap: the phone names its last tap by the key it gave it, and only the caller's
 * own tap of today is removed (`visit.undo_tap`) — not a check-in, not a colleague's tap, not an
 * earlier day's. The visits table lets the organisation delete its own rows.
 */
export async function undoTap(scope: OrganizationScope, input: { clientKey: string; now?: Date }): Promise<Result<{ programId: string }, UndoRefusal>> {
	const { organizationId } = scope;
	const key = tapInput.shape.clientKey.safeParse(input.clientKey);
	if (!key.success) return refused('nothing_to_undo');
	const today = localDay(input.now ?? new Date());
	return runIn(scope, async (tx) => {
		const [removed] = await tx
			.delete(visits)
			.where(and(eq(visits.organizationId, organizationId), eq(visits.clientKey, key.data), eq(visits.source, 'tap'), eq(visits.recordedBy, scope.actor.userId), eq(visits.day, today)))
			.returning({ id: visits.id, programId: visits.programId });
		if (!removed) return refused('nothing_to_undo');
		await recordAudit(tx, scope.origin, { action: 'visit.undo_tap', organizationId, entityType: 'visit', entityId: removed.id });
		return ok({ programId: removed.programId });
	});
}
