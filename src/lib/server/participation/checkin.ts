/**
 * Check-in at the door: a participation card or a registration, scanned or typed, for one of the
 * organisation's dates. A visit is one row per person per program per day, so a second scan is
 * "already checked in", never a second visit.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { addDays, localDay } from '../directory';
import { occurrenceOf, registrationByReference, markRegistrationAttended } from '../events';
import { cardConsents, participationCards, visits } from './schema';
import { parseDoorCode } from './cards';

export type CheckInResult =
	| { ok: true; result: 'checked_in' | 'already'; kind: 'card' | 'registration'; firstVisit: boolean; people: number }
	| { ok: false; reason: 'bad_code' | 'no_occurrence' | 'not_today' | 'occurrence_cancelled' | 'unknown_card' | 'revoked' | 'unknown_registration' | 'registration_cancelled' | 'waitlisted' | 'other_occurrence' };

export interface CheckInInput {
	organizationId: string;
	occurrenceId: string;
	code: string;
	recordedBy: string | null;
	now?: Date;
}

/** Run inside the staff member's RLS context (actorDb): cards without this organisation's consent are invisible. */
export async function checkIn(tx: Db, input: CheckInInput): Promise<CheckInResult> {
	const parsed = parseDoorCode(input.code);
	if (!parsed) return { ok: false, reason: 'bad_code' };
	const occurrence = await occurrenceOf(tx, input.organizationId, input.occurrenceId);
	if (!occurrence) return { ok: false, reason: 'no_occurrence' };
	if (occurrence.status === 'cancelled') return { ok: false, reason: 'occurrence_cancelled' };
	const now = input.now ?? new Date();
	const today = localDay(now);
	// The day of the session, or the day either side (a session past midnight, a late entry).
	if (occurrence.day < addDays(today, -1) || occurrence.day > addDays(today, 1)) return { ok: false, reason: 'not_today' };

	let personKey: string;
	let people = 1;
	let base: Partial<typeof visits.$inferInsert> = {};
	if (parsed.kind === 'card') {
		// One answer for "no such card" and "not allowed here": other organisations' cards are not
		// ours to confirm.
		const [card] = await tx
			.select({ id: participationCards.id, revokedAt: participationCards.revokedAt, ageBand: participationCards.ageBand, gender: participationCards.gender })
			.from(participationCards)
			.innerJoin(cardConsents, and(eq(cardConsents.cardId, participationCards.id), eq(cardConsents.organizationId, input.organizationId)))
			.where(eq(participationCards.code, parsed.code));
		if (!card) return { ok: false, reason: 'unknown_card' };
		if (card.revokedAt) return { ok: false, reason: 'revoked' };
		personKey = `card:${card.id}`;
		base = { source: 'card', cardId: card.id, ageBand: card.ageBand, gender: card.gender };
	} else {
		const registration = await registrationByReference(tx, input.organizationId, parsed.code);
		if (!registration) return { ok: false, reason: 'unknown_registration' };
		if (registration.occurrenceId !== occurrence.id) return { ok: false, reason: 'other_occurrence' };
		if (registration.status === 'cancelled') return { ok: false, reason: 'registration_cancelled' };
		if (registration.status === 'waitlisted') return { ok: false, reason: 'waitlisted' };
		await markRegistrationAttended(tx, input.organizationId, registration.id);
		personKey = registration.cardId ? `card:${registration.cardId}` : `registration:${registration.id}`;
		people = registration.groupSize;
		base = { source: 'registration', registrationId: registration.id, cardId: registration.cardId };
	}
	const [earlier] = await tx
		.select({ one: sql<number>`1` })
		.from(visits)
		.where(and(eq(visits.organizationId, input.organizationId), eq(visits.personKey, personKey)))
		.limit(1);
	const firstVisit = earlier === undefined;
	const inserted = await tx
		.insert(visits)
		.values({ ...base, source: base.source!, organizationId: input.organizationId, programId: occurrence.programId, occurrenceId: occurrence.id, day: occurrence.day, countedAt: now, personKey, people, firstVisit, recordedBy: input.recordedBy })
		.onConflictDoNothing()
		.returning({ id: visits.id });
	return { ok: true, result: inserted.length ? 'checked_in' : 'already', kind: parsed.kind, firstVisit: inserted.length > 0 && firstVisit, people };
}
