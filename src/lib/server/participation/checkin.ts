/**
 * Check-in at the door: a participation card or a registration, scanned or typed, for one of the
 * organisation's dates. A visit is one row per person per program per day, so a second scan is
 * "already checked in", never a second visit.
 */
import { and, eq, sql } from 'drizzle-orm';
import { addDays, localDay } from '../directory';
import { occurrenceOf, registrationByReference, registrationForArrival, registrationOfCardAt, markRegistrationAttended } from '../events';
import { recordAudit } from '../audit';
import { cardConsents, participationCards, visits } from './schema';
import { parseDoorCode } from './cards';
import { ok, refused, runIn, type OrganizationScope, type Result, type Tx } from '../scope';

export type CheckedIn = { result: 'checked_in' | 'already'; kind: 'card' | 'registration'; firstVisit: boolean; people: number };
export type CheckInRefusal = 'bad_code' | 'no_occurrence' | 'not_today' | 'occurrence_cancelled' | 'unknown_card' | 'revoked' | 'unknown_registration' | 'registration_cancelled' | 'waitlisted' | 'other_occurrence';
export type CheckInResult = Result<CheckedIn, CheckInRefusal>;

export interface CheckInInput {
	occurrenceId: string;
	code: string;
	now?: Date;
}

/**
 * Check one person in at one of the scope's organisation's dates, recorded by the scope's actor. In
 * the organisation's context: cards without its holder's consent for it are invisible.
 */
export async function checkIn(scope: OrganizationScope, input: CheckInInput): Promise<CheckInResult> {
	const parsed = parseDoorCode(input.code);
	if (!parsed) return refused('bad_code');
	return runIn(scope, (tx) => checkInWith(tx, scope, input, parsed));
}

async function checkInWith(tx: Tx<'organization'>, scope: OrganizationScope, input: CheckInInput, parsed: NonNullable<ReturnType<typeof parseDoorCode>>): Promise<CheckInResult> {
	const { organizationId } = scope;
	const occurrence = await occurrenceOf(tx, organizationId, input.occurrenceId);
	if (!occurrence) return refused('no_occurrence');
	if (occurrence.status === 'cancelled') return refused('occurrence_cancelled');
	const now = input.now ?? new Date();
	const today = localDay(now);
	// The day of the session, or the day either side (a session past midnight, a late entry).
	if (occurrence.day < addDays(today, -1) || occurrence.day > addDays(today, 1)) return refused('not_today');

	let arrival: Arrival;
	if (parsed.kind === 'card') {
		// One answer for "no such card" and "not allowed here": other organisations' cards are not
		// ours to confirm.
		const [card] = await tx
			.select({ id: participationCards.id, revokedAt: participationCards.revokedAt, ageBand: participationCards.ageBand, gender: participationCards.gender })
			.from(participationCards)
			.innerJoin(cardConsents, and(eq(cardConsents.cardId, participationCards.id), eq(cardConsents.organizationId, organizationId)))
			.where(eq(participationCards.code, parsed.code));
		if (!card) return refused('unknown_card');
		if (card.revokedAt) return refused('revoked');
		arrival = { personKey: `card:${card.id}`, people: 1, base: { source: 'card', cardId: card.id, ageBand: card.ageBand, gender: card.gender } };
		// A card holder who registered for this date brings the group the registration names.
		const registration = await registrationOfCardAt(tx, organizationId, occurrence.id, card.id);
		if (registration) {
			await markRegistrationAttended(tx, organizationId, registration.id);
			arrival.people = registration.groupSize;
			arrival.base.registrationId = registration.id;
		}
	} else {
		const registration = await registrationByReference(tx, organizationId, parsed.code);
		if (!registration) return refused('unknown_registration');
		if (registration.occurrenceId !== occurrence.id) return refused('other_occurrence');
		if (registration.status === 'cancelled') return refused('registration_cancelled');
		if (registration.status === 'waitlisted') return refused('waitlisted');
		arrival = await registrationArrival(tx, organizationId, registration);
	}
	const visit = await recordVisit(tx, scope, occurrence, arrival, now);
	if (visit.inserted) await recordAudit(tx, scope.origin, { action: 'visit.check_in', organizationId, entityType: 'visit', entityId: visit.id, changedFields: [parsed.kind] });
	return ok({ result: visit.inserted ? 'checked_in' : 'already', kind: parsed.kind, firstVisit: visit.firstVisit, people: visit.people });
}

/** Who arrives and how many: the visit's person, its group and what it is recorded from. */
interface Arrival {
	personKey: string;
	people: number;
	base: Partial<typeof visits.$inferInsert>;
}

type RegistrationAtDoor = NonNullable<Awaited<ReturnType<typeof registrationByReference>>>;

/** A registration arrives: marked attended, counted as its group, as its holder's card when it names one. */
async function registrationArrival(tx: Tx<'organization'>, organizationId: string, registration: RegistrationAtDoor): Promise<Arrival> {
	await markRegistrationAttended(tx, organizationId, registration.id);
	return {
		personKey: registration.cardId ? `card:${registration.cardId}` : `registration:${registration.id}`,
		people: registration.groupSize,
		base: { source: 'registration', registrationId: registration.id, cardId: registration.cardId }
	};
}

/**
 * The visit of an arrival. The same person (or group) at the same program and day is one visit,
 * whichever code came first: a later code may only raise the count to its group and fill in the
 * registration.
 */
async function recordVisit(tx: Tx<'organization'>, scope: OrganizationScope, occurrence: { id: string; programId: string; day: string }, arrival: Arrival, countedAt: Date) {
	const { organizationId } = scope;
	const [earlier] = await tx
		.select({ one: sql<number>`1` })
		.from(visits)
		.where(and(eq(visits.organizationId, organizationId), eq(visits.personKey, arrival.personKey)))
		.limit(1);
	const [visit] = await tx
		.insert(visits)
		.values({ ...arrival.base, source: arrival.base.source!, organizationId, programId: occurrence.programId, occurrenceId: occurrence.id, day: occurrence.day, countedAt, personKey: arrival.personKey, people: arrival.people, firstVisit: earlier === undefined, recordedBy: scope.actor.userId })
		.onConflictDoUpdate({
			target: [visits.programId, visits.day, visits.personKey],
			targetWhere: sql`${visits.personKey} is not null`,
			set: { people: sql`greatest(${visits.people}, excluded.people)`, registrationId: sql`coalesce(${visits.registrationId}, excluded.registration_id)` }
		})
		.returning({ id: visits.id, people: visits.people, inserted: sql<boolean>`xmax = 0` });
	return { ...visit, firstVisit: visit.inserted && earlier === undefined };
}

export type ArriveRefusal = 'no_occurrence' | 'occurrence_cancelled' | 'not_yet' | 'unknown_registration' | 'other_occurrence' | 'not_registered';

/**
 * One tap on the door's list: a registered person (or group) arrived, without a code — recorded
 * exactly as their 受付番号 would be (`visit.check_in`, changed field `list`). Also for a past date
 * (late entry from the paper sheet), counted at the date's start; not before the date.
 */
export async function arriveFromList(scope: OrganizationScope, input: { occurrenceId: string; registrationId: string; now?: Date }): Promise<Result<CheckedIn, ArriveRefusal>> {
	const { organizationId } = scope;
	return runIn(scope, async (tx) => {
		const occurrence = await occurrenceOf(tx, organizationId, input.occurrenceId);
		if (!occurrence) return refused('no_occurrence');
		if (occurrence.status === 'cancelled') return refused('occurrence_cancelled');
		const now = input.now ?? new Date();
		const today = localDay(now);
		if (occurrence.day > addDays(today, 1)) return refused('not_yet');
		const registration = await registrationForArrival(tx, organizationId, input.registrationId);
		if (!registration) return refused('unknown_registration');
		if (registration.occurrenceId !== occurrence.id) return refused('other_occurrence');
		if (registration.status !== 'registered') return refused('not_registered');
		const arrival = await registrationArrival(tx, organizationId, registration);
		// A late entry counts on the date itself, at its start, not at the time it was typed in.
		const countedAt = occurrence.day < addDays(today, -1) ? occurrence.startsAt : now;
		const visit = await recordVisit(tx, scope, occurrence, arrival, countedAt);
		if (visit.inserted) await recordAudit(tx, scope.origin, { action: 'visit.check_in', organizationId, entityType: 'visit', entityId: visit.id, changedFields: ['list'] });
		return ok({ result: visit.inserted ? 'checked_in' : 'already', kind: 'registration', firstVisit: visit.firstVisit, people: visit.people });
	});
}
