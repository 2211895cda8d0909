/** What staff see of their organisation's dated sessions: the list with registration counts. */
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { calendarEntries, programFilterOf, type CalendarEntry } from './calendar';
import { occurrences, registrations } from './schema';

export interface RegistrationCount {
	/** People registered (group sizes summed) and registrations (組). */
	people: number;
	groups: number;
	waitlisted: number;
}

/** Registered and waitlisted counts per occurrence (only what the context may see). */
export async function registrationCounts(tx: Pick<Db, 'select'>, occurrenceIds: readonly string[]): Promise<Map<string, RegistrationCount>> {
	if (occurrenceIds.length === 0) return new Map();
	const rows = await tx
		.select({
			occurrenceId: registrations.occurrenceId,
			people: sql<number>`coalesce(sum(${registrations.groupSize}) filter (where ${registrations.status} = 'registered'), 0)::int`,
			groups: sql<number>`(count(*) filter (where ${registrations.status} = 'registered'))::int`,
			waitlisted: sql<number>`(count(*) filter (where ${registrations.status} = 'waitlisted'))::int`
		})
		.from(registrations)
		.where(and(inArray(registrations.occurrenceId, [...occurrenceIds])))
		.groupBy(registrations.occurrenceId);
	return new Map(rows.map((r) => [r.occurrenceId, { people: r.people, groups: r.groups, waitlisted: r.waitlisted }]));
}

export interface StaffOccurrence extends CalendarEntry {
	registered: RegistrationCount | null;
}

/** At least this many dates in the staff list, even when they lie beyond its period. */
const AT_LEAST = 20;

/**
 * The organisation's occurrences in [from, to], drafts included, with counts when allowed; when
 * the period holds fewer than 20, the list runs on to the next 20 (a program that starts later).
 */
export async function staffOccurrences(tx: Db, organizationId: string, from: string, to: string, withCounts: boolean): Promise<StaffOccurrence[]> {
	const filter = programFilterOf({ organization: organizationId }, false);
	let entries = await calendarEntries(tx, filter, from, to);
	if (entries.length < AT_LEAST) {
		const [last] = await tx
			.select({ day: occurrences.day })
			.from(occurrences)
			.where(and(eq(occurrences.organizationId, organizationId), gt(occurrences.day, to)))
			.orderBy(asc(occurrences.day))
			.offset(AT_LEAST - entries.length - 1)
			.limit(1);
		const end =
			last?.day ??
			(
				await tx
					.select({ day: sql<string | null>`max(${occurrences.day})::text` })
					.from(occurrences)
					.where(eq(occurrences.organizationId, organizationId))
			)[0]?.day;
		if (end && end > to) entries = await calendarEntries(tx, filter, from, end);
	}
	const counts = withCounts
		? await registrationCounts(
				tx,
				entries.map((e) => e.id)
			)
		: new Map<string, RegistrationCount>();
	return entries.map((e) => ({ ...e, registered: withCounts ? (counts.get(e.id) ?? { people: 0, groups: 0, waitlisted: 0 }) : null }));
}
