/**
 * Occurrences: each dated session of a program. Recurring ones are materialised from the
 * directory's schedules a year ahead; one staff member can cancel or move a single date, and the
 * next materialisation leaves that date as they set it (RFC 5545's RECURRENCE-ID override).
 */
import { and, asc, eq, gte, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Reader } from '../db';
import { runIn, type SystemScope, type Tx } from '../scope';
import { scheduleSeries, expandSchedule, addDays, localDay, programIdsWithSchedules, replaceUpcomingDates, UPCOMING_HORIZON_DAYS } from '../directory';
import { occurrences, registrations, type CapacityUnit, type OccurrenceKind } from './schema';
import { applyProgramDefaults } from './defaults';

/** How far ahead dates exist as rows (registration opens on them, feeds list their overrides). */
export const OCCURRENCE_HORIZON_DAYS = 180;
/**
 * ...and at least this many dates of every series, however far: a program announced a year ahead
 * (or a yearly one) still has dates people can register for and staff can prepare.
 */
export const MIN_DATES_AHEAD = 6;
const FAR_HORIZON_DAYS = 3 * 366;

export type OccurrenceRow = typeof occurrences.$inferSelect;

/**
 * Bring the occurrences of some programs (or all) in line with their schedules from `today` on.
 * Past rows are history (開催回数) and never touched. A future row that staff changed is kept; a
 * future row the schedule no longer produces is deleted, or cancelled if people registered.
 * In the programs' organisation's context (staff saving a program) or the system's (the daily sync):
 * it must see every registration of those dates.
 */
export async function syncOccurrences(tx: Tx<'organization' | 'secretariat' | 'system'>, today: string, programIds?: readonly string[]) {
	if (programIds && programIds.length === 0) return { inserted: 0, updated: 0, removed: 0 };
	const until = addDays(today, OCCURRENCE_HORIZON_DAYS);
	const series = await scheduleSeries(tx, programIds);
	const wanted = new Map<string, { scheduleId: string; seriesDay: string; programId: string; organizationId: string; locationId: string | null; startsAt: Date; endsAt: Date | null; allDay: boolean }>();
	for (const s of series) {
		let dates = expandSchedule(s.rule, today, until);
		if (dates.length < MIN_DATES_AHEAD) dates = expandSchedule(s.rule, today, addDays(today, FAR_HORIZON_DAYS)).slice(0, MIN_DATES_AHEAD);
		for (const o of dates) {
			wanted.set(`${s.scheduleId}|${o.day}`, {
				scheduleId: s.scheduleId,
				seriesDay: o.day,
				programId: s.programId,
				organizationId: s.organizationId,
				locationId: s.locationId,
				startsAt: o.start,
				endsAt: o.end,
				allDay: o.allDay
			});
		}
	}
	const scope = programIds ? inArray(occurrences.programId, [...programIds]) : undefined;
	const existing = await tx
		.select({
			id: occurrences.id,
			scheduleId: occurrences.scheduleId,
			seriesDay: occurrences.seriesDay,
			startsAt: occurrences.startsAt,
			endsAt: occurrences.endsAt,
			locationId: occurrences.locationId,
			allDay: occurrences.allDay,
			status: occurrences.status,
			moved: occurrences.moved
		})
		.from(occurrences)
		.where(and(scope, isNotNull(occurrences.seriesDay), gte(occurrences.seriesDay, today)));

	let updated = 0;
	const stale: string[] = [];
	for (const row of existing) {
		const key = `${row.scheduleId}|${row.seriesDay}`;
		const want = row.scheduleId ? wanted.get(key) : undefined;
		if (!want) {
			// A changed or cancelled date stays as staff left it; an untouched one goes.
			if (!row.moved && row.status === 'scheduled') stale.push(row.id);
			continue;
		}
		wanted.delete(key);
		if (row.moved || row.status === 'cancelled') continue;
		const same = row.startsAt.getTime() === want.startsAt.getTime() && (row.endsAt?.getTime() ?? null) === (want.endsAt?.getTime() ?? null) && row.locationId === want.locationId && row.allDay === want.allDay;
		if (same) continue;
		await tx
			.update(occurrences)
			.set({ startsAt: want.startsAt, endsAt: want.endsAt, day: localDay(want.startsAt), locationId: want.locationId, allDay: want.allDay, updatedAt: new Date() })
			.where(eq(occurrences.id, row.id));
		updated++;
	}

	let removed = 0;
	if (stale.length) {
		// People registered for a date that no longer exists must hear of it: keep it, cancelled.
		const held = await tx
			.selectDistinct({ id: registrations.occurrenceId })
			.from(registrations)
			.where(and(inArray(registrations.occurrenceId, stale), sql`${registrations.status} <> 'cancelled'`));
		const keep = new Set(held.map((h) => h.id));
		const drop = stale.filter((id) => !keep.has(id));
		if (keep.size)
			await tx
				.update(occurrences)
				.set({ status: 'cancelled', updatedAt: new Date() })
				.where(inArray(occurrences.id, [...keep]));
		for (let i = 0; i < drop.length; i += 5000) await tx.delete(occurrences).where(inArray(occurrences.id, drop.slice(i, i + 5000)));
		removed = stale.length;
	}

	const rows = [...wanted.values()].map((w) => ({ ...w, day: localDay(w.startsAt) }));
	for (let i = 0; i < rows.length; i += 2000) {
		await tx
			.insert(occurrences)
			.values(rows.slice(i, i + 2000))
			.onConflictDoNothing();
	}
	// Dates that follow their program (the new ones too) take its registration defaults.
	await applyProgramDefaults(tx, { programIds, fromDay: today, onlyChanged: true });
	// The directory rebuilt its finder dates from the bare schedules; programs with exceptions
	// (a cancelled, moved or one-off date) get theirs from the sessions instead.
	const excepted = await tx
		.selectDistinct({ id: occurrences.programId })
		.from(occurrences)
		.where(and(scope, gte(occurrences.day, today), sql`(${occurrences.status} = 'cancelled' or ${occurrences.moved} or ${occurrences.seriesDay} is null)`));
	for (const { id } of excepted) await publishDates(tx, id, today);
	return { inserted: rows.length, updated, removed };
}

/**
 * Sync every program, a few hundred per transaction: at national scale (100,000 programs) one
 * transaction would hold millions of rows. A platform job: every organisation's dates.
 */
export async function syncAllOccurrences(scope: SystemScope, today: string, chunk = 500) {
	const all = await runIn(scope, async (tx) => {
		const ids = await programIdsWithSchedules(tx);
		const withRows = (await tx.selectDistinct({ id: occurrences.programId }).from(occurrences).where(isNotNull(occurrences.seriesDay))).map((r) => r.id);
		// Programs whose schedules were all removed still have future rows to drop.
		return [...new Set([...ids, ...withRows])];
	});
	const total = { inserted: 0, updated: 0, removed: 0 };
	for (let i = 0; i < all.length; i += chunk) {
		const part = await runIn(scope, (tx) => syncOccurrences(tx, today, all.slice(i, i + chunk)));
		total.inserted += part.inserted;
		total.updated += part.updated;
		total.removed += part.removed;
	}
	return total;
}

/** Give the directory's finder a program's scheduled dates as its sessions hold them. */
export async function publishDates(tx: Tx<'organization' | 'secretariat' | 'system'>, programId: string, today: string) {
	const rows = await tx
		.select({ day: occurrences.day, startsAt: occurrences.startsAt, endsAt: occurrences.endsAt, allDay: occurrences.allDay })
		.from(occurrences)
		.where(and(eq(occurrences.programId, programId), eq(occurrences.status, 'scheduled'), gte(occurrences.day, today), sql`${occurrences.day} <= ${addDays(today, UPCOMING_HORIZON_DAYS)}`));
	await replaceUpcomingDates(tx, programId, rows);
}

/** Whether occurrences lag behind (the daily job missed a day, or none exist yet). */
export async function occurrencesStale(db: Reader, today: string): Promise<boolean> {
	const [row] = await db.select({ last: sql<string | null>`max(${occurrences.seriesDay})` }).from(occurrences);
	return !row?.last || row.last < addDays(today, OCCURRENCE_HORIZON_DAYS - 7);
}

/** One occurrence of this organisation, or null (another organisation's id reads as absent). */
export async function occurrenceOf(tx: Tx<'organization'>, organizationId: string, occurrenceId: string): Promise<OccurrenceRow | null> {
	const [row] = await tx
		.select()
		.from(occurrences)
		.where(and(eq(occurrences.id, occurrenceId), eq(occurrences.organizationId, organizationId)));
	return row ?? null;
}

/** Any occurrence by id (public pages check the program's publication themselves). */
export async function occurrenceById(db: Reader, occurrenceId: string): Promise<OccurrenceRow | null> {
	const [row] = await db.select().from(occurrences).where(eq(occurrences.id, occurrenceId));
	return row ?? null;
}

/** A program's next occurrences from an instant on (not yet over), cancelled ones included. */
export async function nextOccurrencesOfProgram(db: Reader, programId: string, now: Date, limit: number): Promise<OccurrenceRow[]> {
	return db
		.select()
		.from(occurrences)
		.where(and(eq(occurrences.programId, programId), sql`coalesce(${occurrences.endsAt}, ${occurrences.startsAt} + interval '2 hours') > ${now}`))
		.orderBy(asc(occurrences.startsAt))
		.limit(limit);
}

/** A program's occurrences between two days (inclusive), cancelled ones included. */
export async function occurrencesOfProgram(db: Reader, programId: string, fromDay: string, toDay: string): Promise<OccurrenceRow[]> {
	return db
		.select()
		.from(occurrences)
		.where(and(eq(occurrences.programId, programId), gte(occurrences.day, fromDay), sql`${occurrences.day} <= ${toDay}`))
		.orderBy(asc(occurrences.startsAt));
}

/** After one date changed: the finder's dates of its program follow. */
async function changed(tx: Tx<'organization'>, row: OccurrenceRow | undefined): Promise<OccurrenceRow | null> {
	if (row) await publishDates(tx, row.programId, localDay(new Date()));
	return row ?? null;
}

export async function cancelOccurrence(tx: Tx<'organization'>, organizationId: string, occurrenceId: string, note: string | null) {
	const rows = await tx
		.update(occurrences)
		.set({ status: 'cancelled', note, updatedAt: new Date() })
		.where(and(eq(occurrences.id, occurrenceId), eq(occurrences.organizationId, organizationId)))
		.returning();
	return changed(tx, rows[0]);
}

/** Undo a cancellation. The note was its reason (cancelling writes it), so it goes too. */
export async function restoreOccurrence(tx: Tx<'organization'>, organizationId: string, occurrenceId: string) {
	const rows = await tx
		.update(occurrences)
		.set({ status: 'scheduled', note: null, updatedAt: new Date() })
		.where(and(eq(occurrences.id, occurrenceId), eq(occurrences.organizationId, organizationId)))
		.returning();
	return changed(tx, rows[0]);
}

/** Move one date (another day or time); the series keeps its other dates. */
export async function moveOccurrence(tx: Tx<'organization'>, organizationId: string, occurrenceId: string, to: { startsAt: Date; endsAt: Date | null; note: string | null }) {
	const rows = await tx
		.update(occurrences)
		.set({ startsAt: to.startsAt, endsAt: to.endsAt, day: localDay(to.startsAt), allDay: false, moved: true, note: to.note, updatedAt: new Date() })
		.where(and(eq(occurrences.id, occurrenceId), eq(occurrences.organizationId, organizationId)))
		.returning();
	// A date that follows its program's defaults: its window moves with it (issue 16).
	if (rows[0]?.followsProgram) await applyProgramDefaults(tx, { occurrenceIds: [occurrenceId], onlyChanged: true });
	return changed(tx, rows[0]);
}

export interface OccurrenceSettings {
	kind: OccurrenceKind;
	registrationOpen: boolean;
	capacity: number | null;
	capacityUnit: CapacityUnit;
	/** The date's own window (null: open now / until it starts); left as it is when not given. */
	registrationOpensAt?: Date | null;
	registrationClosesAt?: Date | null;
}

/** Registration, capacity and kind of one occurrence, set by hand: it stops following its program's defaults. */
export async function setOccurrenceSettings(tx: Tx<'organization'>, organizationId: string, occurrenceId: string, settings: OccurrenceSettings) {
	const rows = await tx
		.update(occurrences)
		.set({ ...settings, followsProgram: false, updatedAt: new Date() })
		.where(and(eq(occurrences.id, occurrenceId), eq(occurrences.organizationId, organizationId)))
		.returning();
	return rows[0] ?? null;
}

export interface OneOffInput extends OccurrenceSettings {
	/** Registration, 定員 and window from the program's defaults (applied after the insert), not the settings given. */
	followsProgram?: boolean;
	programId: string;
	startsAt: Date;
	endsAt: Date | null;
	locationId: string | null;
	title: string | null;
	note: string | null;
}

/**
 * A one-off event (a festival, a 見学会) of one of the organisation's programs. With
 * `followsProgram` it takes the program's registration defaults like any series date (registration
 * off when the program has none); otherwise its settings are the form's own.
 */
export async function createOneOff(tx: Tx<'organization'>, organizationId: string, input: OneOffInput): Promise<OccurrenceRow> {
	const { followsProgram = false, ...fields } = input;
	const own = followsProgram ? { registrationOpen: false, capacity: null, capacityUnit: 'people' as const, registrationOpensAt: null, registrationClosesAt: null } : {};
	const [inserted] = await tx
		.insert(occurrences)
		.values({ ...fields, ...own, organizationId, day: localDay(input.startsAt), scheduleId: null, seriesDay: null, followsProgram })
		.returning();
	let row = inserted;
	if (followsProgram && (await applyProgramDefaults(tx, { occurrenceIds: [inserted.id] })) > 0) [row] = await tx.select().from(occurrences).where(eq(occurrences.id, inserted.id));
	return (await changed(tx, row))!;
}

/** Delete a one-off event nobody registered for; series dates are cancelled instead. */
export async function deleteOneOff(tx: Tx<'organization'>, organizationId: string, occurrenceId: string): Promise<boolean> {
	const rows = await tx
		.delete(occurrences)
		.where(and(eq(occurrences.id, occurrenceId), eq(occurrences.organizationId, organizationId), isNull(occurrences.seriesDay), sql`not exists (select 1 from registrations r where r.occurrence_id = ${occurrences.id})`))
		.returning({ id: occurrences.id, programId: occurrences.programId });
	if (rows[0]) await publishDates(tx, rows[0].programId, localDay(new Date()));
	return rows.length === 1;
}
