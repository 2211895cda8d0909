/**
 * An organisation's dates (its occurrences, as staff call them) on the staff pages: the list with
 * registration counts, one date's page, and what staff change on a date — settings, cancel,
 * restore, move, delete, a one-off event. Each change takes the organisation's scope, finds the
 * date among the organisation's own (another's id is `not_found`), and records its `occurrence.*`
 * event as the last write of its transaction.
 */
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { recordAudit } from '../audit';
import { can } from '../auth';
import { isOwnProgram, locationsOf } from '../directory';
import { ok, refused, runIn, type OrganizationScope, type Result, type Tx } from '../scope';
import { calendarEntries, calendarEntry, programFilterOf, type CalendarEntry } from './calendar';
import { cancelOccurrence, createOneOff, deleteOneOff, moveOccurrence, occurrenceOf, restoreOccurrence, setOccurrenceSettings, type OccurrenceRow, type OccurrenceSettings, type OneOffInput } from './occurrences';
import { occurrences, registrations } from './schema';
import { failedNotices, type FailedNotices } from './notice-retry';
import { activeRecipients, peopleToCall, type PersonToCall, changeKeyOf, changeMessage, claimNotices, dispatchNotices, noticeKindOf, type ChangeKind, type Delivery, type PreviousTime } from './notices';

export interface RegistrationCount {
	/** People registered (group sizes summed) and registrations (組). */
	people: number;
	groups: number;
	waitlisted: number;
}

/** Registered and waitlisted counts per occurrence (only what the context may see). */
export async function registrationCounts(tx: Tx<'organization'>, occurrenceIds: readonly string[]): Promise<Map<string, RegistrationCount>> {
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

/** Whether the scope's actor may see who registered (and so how many). */
const seesRegistrations = (scope: OrganizationScope) => can(scope.actor, 'registrations.view', scope.organizationId);

/**
 * The organisation's occurrences in [from, to], drafts included, with counts when the actor may see
 * registrations; when the period holds fewer than 20, the list runs on to the next 20 (a program
 * that starts later).
 */
export async function staffOccurrences(tx: Tx<'organization'>, scope: OrganizationScope, input: { from: string; to: string }): Promise<StaffOccurrence[]> {
	const { organizationId } = scope;
	const { from, to } = input;
	const withCounts = seesRegistrations(scope);
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

export interface DatePage {
	occurrence: OccurrenceRow;
	entry: CalendarEntry;
	/** Null when the actor may not see registrations. */
	counts: RegistrationCount | null;
	seesRegistrations: boolean;
	/** 「電話で連絡が必要な人」: who no notice reaches (or reached, for a cancelled date); null when the actor may not see registrations. */
	toCall: PersonToCall[] | null;
	/** The date's failed notices (counts only), for 「もう一度送る」. */
	failed: FailedNotices;
}

/** One of the organisation's dates as its page shows it; null for none of its own. */
export async function datePage(tx: Tx<'organization'>, scope: OrganizationScope, input: { occurrenceId: string }): Promise<DatePage | null> {
	const occurrence = await occurrenceOf(tx, scope.organizationId, input.occurrenceId);
	if (!occurrence) return null;
	const entry = await calendarEntry(tx, occurrence.id);
	if (!entry) return null;
	const sees = seesRegistrations(scope);
	const counts = sees ? ((await registrationCounts(tx, [occurrence.id])).get(occurrence.id) ?? { people: 0, groups: 0, waitlisted: 0 }) : null;
	const toCall = sees ? await peopleToCall(tx, scope.organizationId, occurrence.id, occurrence.status === 'cancelled' ? 'cancelled' : null) : null;
	// Names and phone numbers shown: an access to personal data, as the registrations page records it.
	if (toCall?.length) await recordAudit(tx, scope.origin, { action: 'registration.list', organizationId: scope.organizationId, entityType: 'occurrence', entityId: occurrence.id });
	const failed = await failedNotices(tx, scope.organizationId, occurrence);
	return { occurrence, entry, counts, seesRegistrations: sees, toCall, failed };
}

// ── what staff change on a date ─────────────────────────────────────────────────────────────────

export type DateRefusal = 'not_found';

/** Run `change` on one of the scope's organisation's dates and record `action` last. */
async function onDate<R extends string = never>(scope: OrganizationScope, occurrenceId: string, change: (tx: Tx<'organization'>, occurrence: OccurrenceRow) => Promise<{ action: string; changedFields?: string[] } | R>): Promise<Result<void, DateRefusal | R>> {
	return runIn(scope, async (tx) => {
		const occurrence = await occurrenceOf(tx, scope.organizationId, occurrenceId);
		if (!occurrence) return refused('not_found');
		const done = await change(tx, occurrence);
		if (typeof done === 'string') return refused(done);
		await recordAudit(tx, scope.origin, { action: done.action, organizationId: scope.organizationId, entityType: 'occurrence', entityId: occurrence.id, changedFields: done.changedFields });
		return ok();
	});
}

/** Two values of a setting the same (moments of the window by their instant). */
const sameSetting = (a: unknown, b: unknown) => (a instanceof Date || b instanceof Date ? (a instanceof Date ? a.getTime() : a) === (b instanceof Date ? b.getTime() : b) : a === b);

/** Kind, registration, capacity and window of a date, set by hand (it no longer follows the program's defaults); the audit names the fields that changed. */
export function changeDateSettings(scope: OrganizationScope, input: { occurrenceId: string; settings: OccurrenceSettings }): Promise<Result<void, DateRefusal>> {
	const { settings } = input;
	return onDate<never>(scope, input.occurrenceId, async (tx, occurrence) => {
		await setOccurrenceSettings(tx, scope.organizationId, occurrence.id, settings);
		const changedFields: string[] = (Object.keys(settings) as Array<keyof OccurrenceSettings>).filter((k) => settings[k] !== undefined && !sameSetting(settings[k], occurrence[k]));
		// Set by hand: the date keeps these values when the program's defaults change.
		if (occurrence.followsProgram) changedFields.push('follows_program');
		return { action: 'occurrence.settings', changedFields };
	});
}

/**
 * Tell the date's registered and waiting people of a change made in this transaction: notices are
 * claimed here (once per change) and returned, to be sent once the change is committed.
 */
async function claimChangeNotices(tx: Tx<'organization'>, scope: OrganizationScope, occurrence: OccurrenceRow, change: ChangeKind, note: string | null, previous?: PreviousTime): Promise<Delivery[]> {
	const entry = await calendarEntry(tx, occurrence.id);
	if (!entry) return [];
	const recipients = await activeRecipients(tx, scope.organizationId, occurrence.id);
	const deliveries = await claimNotices(tx, noticeKindOf(change), changeKeyOf(change, new Date()), recipients, (r) => changeMessage(change, entry, note, r.name, previous));
	if (deliveries.length > 0) await recordAudit(tx, scope.origin, { action: 'registration.notice', organizationId: scope.organizationId, entityType: 'occurrence', entityId: occurrence.id, changedFields: [change, ...new Set(deliveries.map((d) => d.channel))] });
	return deliveries;
}

/** The date's row locked for this change: two staff pressing 中止 at once announce it once. */
async function locked(tx: Tx<'organization'>, occurrence: OccurrenceRow): Promise<OccurrenceRow> {
	const [row] = await tx.select().from(occurrences).where(eq(occurrences.id, occurrence.id)).for('update');
	return row ?? occurrence;
}

/** Run a change that tells registrants, then send what it claimed once committed. */
async function announcing(scope: OrganizationScope, occurrenceId: string, change: (tx: Tx<'organization'>, occurrence: OccurrenceRow, told: Delivery[]) => Promise<{ action: string; changedFields?: string[] }>): Promise<Result<void, DateRefusal>> {
	const told: Delivery[] = [];
	const result = await onDate<never>(scope, occurrenceId, (tx, occurrence) => change(tx, occurrence, told));
	if (result.ok) dispatchNotices(scope, told);
	return result;
}

/** Cancel a date, with a note for the people who come; registrants are told (once: cancelling a cancelled date tells nobody again). */
export function cancelDate(scope: OrganizationScope, input: { occurrenceId: string; note: string | null }): Promise<Result<void, DateRefusal>> {
	return announcing(scope, input.occurrenceId, async (tx, found, told) => {
		const occurrence = await locked(tx, found);
		await cancelOccurrence(tx, scope.organizationId, occurrence.id, input.note);
		if (occurrence.status !== 'cancelled') told.push(...(await claimChangeNotices(tx, scope, occurrence, 'cancelled', input.note)));
		return { action: 'occurrence.cancel', changedFields: ['status', ...(input.note ? ['note'] : [])] };
	});
}

/** Undo a cancellation; registrants who were told it was cancelled are told it is on. */
export function restoreDate(scope: OrganizationScope, input: { occurrenceId: string }): Promise<Result<void, DateRefusal>> {
	return announcing(scope, input.occurrenceId, async (tx, found, told) => {
		const occurrence = await locked(tx, found);
		await restoreOccurrence(tx, scope.organizationId, occurrence.id);
		if (occurrence.status === 'cancelled') told.push(...(await claimChangeNotices(tx, scope, occurrence, 'restored', null)));
		return { action: 'occurrence.restore', changedFields: ['status', ...(occurrence.note ? ['note'] : [])] };
	});
}

/** Move a date to another day or time (the series keeps its other dates); registrants of a date still on are told the new time. */
export function moveDate(scope: OrganizationScope, input: { occurrenceId: string; to: { startsAt: Date; endsAt: Date | null; note: string | null } }): Promise<Result<void, DateRefusal>> {
	return announcing(scope, input.occurrenceId, async (tx, found, told) => {
		const occurrence = await locked(tx, found);
		const moved = await moveOccurrence(tx, scope.organizationId, occurrence.id, input.to);
		const sameTime = occurrence.startsAt.getTime() === input.to.startsAt.getTime() && (occurrence.endsAt?.getTime() ?? null) === (input.to.endsAt?.getTime() ?? null) && !occurrence.allDay;
		if (moved && occurrence.status === 'scheduled' && !sameTime) told.push(...(await claimChangeNotices(tx, scope, moved, 'moved', input.to.note, occurrence)));
		return { action: 'occurrence.move', changedFields: ['starts_at', 'ends_at', 'note'] };
	});
}

/** Delete a one-off event nobody registered for; `not_deletable` for a series date or one with registrations. */
export function deleteDate(scope: OrganizationScope, input: { occurrenceId: string }): Promise<Result<void, DateRefusal | 'not_deletable'>> {
	return onDate<'not_deletable'>(scope, input.occurrenceId, async (tx, occurrence) => ((await deleteOneOff(tx, scope.organizationId, occurrence.id)) ? { action: 'occurrence.delete' } : 'not_deletable'));
}

/**
 * A one-off event of one of the organisation's programs; `foreign_program` for a program that is not
 * its own. A place that is not the organisation's is left out, as an unknown one would be. With
 * `followsProgram` the date takes the program's registration defaults (and follows later changes).
 */
export async function addOneOffDate(scope: OrganizationScope, input: Omit<OneOffInput, 'locationId'> & { locationId: string }): Promise<Result<OccurrenceRow, 'foreign_program'>> {
	const { organizationId } = scope;
	return runIn(scope, async (tx) => {
		if (!(await isOwnProgram(tx, organizationId, input.programId))) return refused('foreign_program');
		const places = await locationsOf(tx, organizationId);
		const place = places.find((p) => p.id === input.locationId)?.id ?? null;
		const row = await createOneOff(tx, organizationId, { ...input, locationId: place });
		const settingsFields = input.followsProgram ? ['follows_program'] : ['capacity', 'registration_open', 'registration_opens_at', 'registration_closes_at'];
		await recordAudit(tx, scope.origin, { action: 'occurrence.create', organizationId, entityType: 'occurrence', entityId: row.id, changedFields: ['program_id', 'starts_at', 'kind', ...settingsFields] });
		return ok(row);
	});
}
