/**
 * The check-in page as good as the paper sign-in sheet: the dates to choose from (today's first;
 * past ones for late entry, upcoming ones to see who is coming), and for the chosen date the
 * people expected with group size and needs, who has arrived, and the counts.
 */
import { can } from '../auth';
import { recordAudit } from '../audit';
import { addDays } from '../directory';
import { calendarEntries, calendarEntry, expectedAt, occurrenceOf, programFilterOf, type CalendarEntry, type ExpectedPerson } from '../events';
import { runIn, type OrganizationScope } from '../scope';

/** How far back a late entry may reach, and how far ahead the list looks. */
export const DOOR_PAST_DAYS = 60;
export const DOOR_AHEAD_DAYS = 30;

export interface DoorDate {
	id: string;
	day: string;
	startsAt: Date;
	allDay: boolean;
	title: string;
	cancelled: boolean;
	when: 'past' | 'today' | 'upcoming';
	/** Codes are taken the day of the date and the day either side (checkIn); one-tap arrivals on any date up to tomorrow (arriveFromList). */
	codes: boolean;
	arrivals: boolean;
}

export interface DoorPage {
	dates: DoorDate[];
	chosen: DoorDate | null;
	/** Null when no date is chosen. */
	expected: ExpectedPerson[] | null;
	/** Whether names and needs are shown (the actor may see registrations). */
	withNames: boolean;
	summary: { groups: number; people: number; arrived: number; arrivedPeople: number } | null;
}

const toDoorDate = (e: CalendarEntry, today: string): DoorDate => {
	const cancelled = e.status === 'cancelled';
	return {
		id: e.id,
		day: e.day,
		startsAt: e.startsAt,
		allDay: e.allDay,
		title: e.title,
		cancelled,
		when: e.day < today ? 'past' : e.day > today ? 'upcoming' : 'today',
		codes: !cancelled && e.day >= addDays(today, -1) && e.day <= addDays(today, 1),
		arrivals: !cancelled && e.day <= addDays(today, 1)
	};
};

/**
 * The door's page for the scope's organisation. Reading names is an access to personal data,
 * recorded as the registrations page records it (`registration.list`).
 */
export async function doorPage(scope: OrganizationScope, input: { today: string; occurrenceId: string | null }): Promise<DoorPage> {
	const { organizationId } = scope;
	const { today } = input;
	const withNames = can(scope.actor, 'registrations.view', organizationId);
	return runIn(scope, async (tx) => {
		const entries = await calendarEntries(tx, programFilterOf({ organization: organizationId }, false), addDays(today, -DOOR_PAST_DAYS), addDays(today, DOOR_AHEAD_DAYS));
		const dates = entries.filter((e) => e.status === 'scheduled').map((e) => toDoorDate(e, today));
		let chosen = dates.find((d) => d.id === input.occurrenceId) ?? null;
		// A date of the organisation's outside the list (long past, cancelled) may still be opened by its link.
		if (!chosen && input.occurrenceId && (await occurrenceOf(tx, organizationId, input.occurrenceId))) {
			const entry = await calendarEntry(tx, input.occurrenceId);
			if (entry) chosen = toDoorDate(entry, today);
		}
		chosen ??= dates.find((d) => d.when === 'today') ?? null;
		if (!chosen) return { dates, chosen, expected: null, withNames, summary: null };
		const expected = await expectedAt(tx, organizationId, chosen.id, withNames);
		if (withNames && expected.length > 0) await recordAudit(tx, scope.origin, { action: 'registration.list', organizationId, entityType: 'occurrence', entityId: chosen.id });
		const arrived = expected.filter((p) => p.arrivedAt !== null);
		return {
			dates,
			chosen,
			expected,
			withNames,
			summary: { groups: expected.length, people: expected.reduce((n, p) => n + p.groupSize, 0), arrived: arrived.length, arrivedPeople: arrived.reduce((n, p) => n + p.groupSize, 0) }
		};
	});
}
