/**
 * A program's registration defaults for its dates (program_registration_settings): registration
 * on or off, 定員 in people or 組, the window (opens N days before, closes N hours before) and the
 * questions — set once, copied onto every upcoming date that follows the program
 * (`occurrences.follows_program`), including the dates the materialiser adds later
 * (`applyProgramDefaults` runs at the end of every sync). A date staff set by hand stops following
 * and keeps its own values until they put it back (`followProgramDate`). The window is stored on
 * each date, computed from its start, so registering needs nothing but the date's row.
 */
import { and, asc, eq, gte, sql } from 'drizzle-orm';
import type { Reader } from '../db';
import { recordAudit } from '../audit';
import { addDays, isOwnProgram, programSummaries, zonedInstant } from '../directory';
import { ok, refused, runIn, type OrganizationScope, type Result, type Tx } from '../scope';
import { storedQuestions, type Question } from './questions';
import { occurrences, programRegistrationSettings, type CapacityUnit, type OccurrenceStatus } from './schema';

export interface RegistrationDefaults {
	registrationOpen: boolean;
	capacity: number | null;
	capacityUnit: CapacityUnit;
	/** Registration opens at 0:00 (Tokyo) this many days before the date; null: as soon as it is listed. */
	opensDaysBefore: number | null;
	/** Registration closes this many hours before the date starts; null: when it starts. */
	closesHoursBefore: number | null;
	questions: Question[];
}

export const NO_DEFAULTS: RegistrationDefaults = { registrationOpen: false, capacity: null, capacityUnit: 'people', opensDaysBefore: null, closesHoursBefore: null, questions: [] };

/** A program's defaults as saved, or none yet (`saved: false`, registration off). */
export async function programDefaults(db: Reader, programId: string): Promise<RegistrationDefaults & { saved: boolean }> {
	const [row] = await db.select().from(programRegistrationSettings).where(eq(programRegistrationSettings.programId, programId));
	if (!row) return { ...NO_DEFAULTS, saved: false };
	return {
		registrationOpen: row.registrationOpen,
		capacity: row.capacity,
		capacityUnit: row.capacityUnit,
		opensDaysBefore: row.opensDaysBefore,
		closesHoursBefore: row.closesHoursBefore,
		questions: storedQuestions(row.questions),
		saved: true
	};
}

/** The questions a program asks at registration (public: the form shows them). */
export async function questionsOfProgram(db: Reader, programId: string): Promise<Question[]> {
	const [row] = await db.select({ questions: programRegistrationSettings.questions }).from(programRegistrationSettings).where(eq(programRegistrationSettings.programId, programId));
	return row ? storedQuestions(row.questions) : [];
}

const windowColumns = sql`
	registration_open = s.registration_open,
	capacity = s.capacity,
	capacity_unit = s.capacity_unit,
	registration_opens_at = case when s.opens_days_before is null then null else ((o.day - s.opens_days_before)::timestamp at time zone 'Asia/Tokyo') end,
	registration_closes_at = case when s.closes_hours_before is null then null else o.starts_at - make_interval(hours => s.closes_hours_before) end`;

const differs = sql`(o.registration_open, o.capacity, o.capacity_unit, o.registration_opens_at, o.registration_closes_at) is distinct from
	(s.registration_open, s.capacity, s.capacity_unit,
	 case when s.opens_days_before is null then null else ((o.day - s.opens_days_before)::timestamp at time zone 'Asia/Tokyo') end,
	 case when s.closes_hours_before is null then null else o.starts_at - make_interval(hours => s.closes_hours_before) end)`;

/**
 * Copy the programs' settings onto their dates that follow them, from `fromDay` on (or the dates
 * named), in one statement; the window is computed from each date's own day and start. With
 * `onlyChanged`, dates already in line are not written (the nightly sync). Answers how many
 * dates were written.
 */
export async function applyProgramDefaults(tx: Tx<'organization' | 'secretariat' | 'system'>, input: { programIds?: readonly string[]; occurrenceIds?: readonly string[]; fromDay?: string; onlyChanged?: boolean }): Promise<number> {
	if (input.programIds?.length === 0 || input.occurrenceIds?.length === 0) return 0;
	const conditions = [sql`s.program_id = o.program_id`, sql`o.follows_program`];
	if (input.fromDay) conditions.push(sql`o.day >= ${input.fromDay}::date`);
	if (input.programIds) conditions.push(sql`o.program_id = any(${`{${input.programIds.join(',')}}`}::uuid[])`);
	if (input.occurrenceIds) conditions.push(sql`o.id = any(${`{${input.occurrenceIds.join(',')}}`}::uuid[])`);
	if (input.onlyChanged) conditions.push(differs);
	const result = await tx.execute(sql`update occurrences o set ${windowColumns}, updated_at = now() from program_registration_settings s where ${sql.join(conditions, sql` and `)}`);
	return result.rowCount ?? 0;
}

/** The window defaults give a date (the same rule as the SQL above): for the preview. */
export function windowFor(d: Pick<RegistrationDefaults, 'opensDaysBefore' | 'closesHoursBefore'>, date: { day: string; startsAt: Date }): { opensAt: Date | null; closesAt: Date | null } {
	return {
		opensAt: d.opensDaysBefore === null ? null : zonedInstant(addDays(date.day, -d.opensDaysBefore), '00:00'),
		closesAt: d.closesHoursBefore === null ? null : new Date(date.startsAt.getTime() - d.closesHoursBefore * 3600_000)
	};
}

export interface DefaultsDate {
	id: string;
	day: string;
	startsAt: Date;
	endsAt: Date | null;
	allDay: boolean;
	status: OccurrenceStatus;
	registrationOpen: boolean;
	capacity: number | null;
	capacityUnit: CapacityUnit;
	registrationOpensAt: Date | null;
	registrationClosesAt: Date | null;
}

export interface DefaultsPreview {
	/** Upcoming dates that follow the program: a change applies to these. */
	following: DefaultsDate[];
	/** Upcoming dates set by hand: they keep their own settings. */
	own: DefaultsDate[];
}

/** The program's upcoming dates, split into those a change of its defaults touches and those it leaves. */
export async function defaultsPreview(db: Reader, programId: string, today: string): Promise<DefaultsPreview> {
	const rows = await db
		.select({
			id: occurrences.id,
			day: occurrences.day,
			startsAt: occurrences.startsAt,
			endsAt: occurrences.endsAt,
			allDay: occurrences.allDay,
			status: occurrences.status,
			registrationOpen: occurrences.registrationOpen,
			capacity: occurrences.capacity,
			capacityUnit: occurrences.capacityUnit,
			registrationOpensAt: occurrences.registrationOpensAt,
			registrationClosesAt: occurrences.registrationClosesAt,
			followsProgram: occurrences.followsProgram
		})
		.from(occurrences)
		.where(and(eq(occurrences.programId, programId), gte(occurrences.day, today)))
		.orderBy(asc(occurrences.startsAt), asc(occurrences.id));
	const strip = (r: (typeof rows)[number]): DefaultsDate => {
		const { followsProgram, ...d } = r;
		void followsProgram;
		return d;
	};
	return { following: rows.filter((r) => r.followsProgram).map(strip), own: rows.filter((r) => !r.followsProgram).map(strip) };
}

export interface DefaultsPage extends DefaultsPreview {
	/** `joinMethod`: what the program's public page says about joining (予約不要, 要予約 …). */
	program: { id: string; title: string; joinMethod: string };
	defaults: RegistrationDefaults & { saved: boolean };
}

/** The registration settings page of one of the organisation's programs; null for none of its own. */
export async function registrationDefaultsPage(tx: Tx<'organization'>, scope: OrganizationScope, input: { programId: string; today: string }): Promise<DefaultsPage | null> {
	if (!(await isOwnProgram(tx, scope.organizationId, input.programId))) return null;
	const program = (await programSummaries(tx, [input.programId])).get(input.programId);
	if (!program) return null;
	const [defaults, preview] = await Promise.all([programDefaults(tx, input.programId), defaultsPreview(tx, input.programId, input.today)]);
	return { program: { id: input.programId, title: program.title, joinMethod: program.joinMethod }, defaults, ...preview };
}

const FIELDS: Array<[keyof Omit<RegistrationDefaults, 'questions'>, string]> = [
	['registrationOpen', 'registration_open'],
	['capacity', 'capacity'],
	['capacityUnit', 'capacity_unit'],
	['opensDaysBefore', 'opens_days_before'],
	['closesHoursBefore', 'closes_hours_before']
];

/**
 * Save a program's defaults and apply them to every upcoming date that follows it, in one
 * transaction. Recorded as `program.registration_defaults` with the changed fields; the entity
 * id names the program and how many dates the change touched.
 */
export async function saveRegistrationDefaults(scope: OrganizationScope, input: { programId: string; defaults: RegistrationDefaults; today: string }): Promise<Result<{ touched: number }, 'not_found'>> {
	const { organizationId } = scope;
	const { programId, defaults, today } = input;
	return runIn(scope, async (tx) => {
		if (!(await isOwnProgram(tx, organizationId, programId))) return refused('not_found');
		const before = await programDefaults(tx, programId);
		const values = {
			registrationOpen: defaults.registrationOpen,
			capacity: defaults.capacity,
			capacityUnit: defaults.capacityUnit,
			opensDaysBefore: defaults.opensDaysBefore,
			closesHoursBefore: defaults.closesHoursBefore,
			questions: defaults.questions,
			updatedAt: new Date()
		};
		await tx
			.insert(programRegistrationSettings)
			.values({ programId, organizationId, ...values })
			.onConflictDoUpdate({ target: programRegistrationSettings.programId, set: values });
		const touched = await applyProgramDefaults(tx, { programIds: [programId], fromDay: today });
		const changed = FIELDS.filter(([k]) => !before.saved || before[k] !== defaults[k]).map(([, column]) => column);
		if (!before.saved || JSON.stringify(before.questions) !== JSON.stringify(defaults.questions)) changed.push('questions');
		await recordAudit(tx, scope.origin, { action: 'program.registration_defaults', organizationId, entityType: 'program_dates', entityId: `${programId} dates=${touched}`, changedFields: changed });
		return ok({ touched });
	});
}

/**
 * A copied program takes its source's registration defaults and questions, inside the
 * transaction that creates it, and its new dates follow them. Nothing when the source has none
 * or is not the organisation's (row-level security and the check below). Recorded as
 * `program.registration_defaults` on the new program.
 */
export async function copyRegistrationDefaults(tx: Tx<'organization' | 'secretariat'>, scope: OrganizationScope, input: { fromProgramId: string; toProgramId: string; today: string }): Promise<void> {
	const { organizationId } = scope;
	if (!(await isOwnProgram(tx, organizationId, input.fromProgramId))) return;
	const source = await programDefaults(tx, input.fromProgramId);
	if (!source.saved) return;
	const { registrationOpen, capacity, capacityUnit, opensDaysBefore, closesHoursBefore, questions } = source;
	await tx.insert(programRegistrationSettings).values({ programId: input.toProgramId, organizationId, registrationOpen, capacity, capacityUnit, opensDaysBefore, closesHoursBefore, questions });
	const touched = await applyProgramDefaults(tx, { programIds: [input.toProgramId], fromDay: input.today });
	await recordAudit(tx, scope.origin, { action: 'program.registration_defaults', organizationId, entityType: 'program_dates', entityId: `${input.toProgramId} dates=${touched}`, changedFields: [...FIELDS.map(([, column]) => column), 'questions'] });
}

/**
 * Put a date set by hand back on its program's settings (「取組の設定に戻す」): it follows
 * again, and takes the program's registration, 定員 and window now (registration off when the
 * program has none). Recorded as `occurrence.follow_program`.
 */
export async function followProgramDate(scope: OrganizationScope, input: { occurrenceId: string }): Promise<Result<void, 'not_found'>> {
	const { organizationId } = scope;
	return runIn(scope, async (tx) => {
		const [occurrence] = await tx
			.select({ id: occurrences.id })
			.from(occurrences)
			.where(and(eq(occurrences.id, input.occurrenceId), eq(occurrences.organizationId, organizationId)));
		if (!occurrence) return refused('not_found');
		await tx
			.update(occurrences)
			.set({ followsProgram: true, registrationOpen: false, capacity: null, capacityUnit: 'people', registrationOpensAt: null, registrationClosesAt: null, updatedAt: new Date() })
			.where(and(eq(occurrences.id, occurrence.id), eq(occurrences.organizationId, organizationId)));
		await applyProgramDefaults(tx, { occurrenceIds: [occurrence.id] });
		await recordAudit(tx, scope.origin, { action: 'occurrence.follow_program', organizationId, entityType: 'occurrence', entityId: occurrence.id, changedFields: ['follows_program', 'registration_open', 'capacity', 'capacity_unit', 'registration_opens_at', 'registration_closes_at'] });
		return ok();
	});
}

/** Whether registration is open at `now` by the date's window (not whether the date takes registrations at all). */
export function windowState(o: { registrationOpensAt: Date | null; registrationClosesAt: Date | null }, now: Date): 'before' | 'open' | 'after' {
	if (o.registrationOpensAt && now.getTime() < o.registrationOpensAt.getTime()) return 'before';
	if (o.registrationClosesAt && now.getTime() >= o.registrationClosesAt.getTime()) return 'after';
	return 'open';
}
