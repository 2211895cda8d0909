/**
 * Fixtures a test makes for itself, instead of borrowing rows of the demo region: an
 * organisation, a place, a program (with or without a schedule), an occurrence, a registration.
 *
 * Each is made through the owning module's own exported function, as the app makes it, inside
 * `setUp` (the platform's context for set-up; the tests check access separately):
 * - organisation: directory `createMemberOrganization` (published at once, as after approval); the
 *                 network secretariat's the same way, as start-up makes it (network/bootstrap.ts)
 * - place:        directory `saveLocation`
 * - program:      directory `saveProgram` (a draft with its search document, schedules and upcoming
 *                 dates), then `setProgramPublished` unless `published: false`
 * - occurrence:   `makeScheduledDates` makes a scheduled program's dated sessions with events
 *                 `syncOccurrences` (in a system scope, as the nightly job does); `makeOccurrence`
 *                 makes a one-off with events `createOneOff`; `setDateSettings` sets one date by hand
 *                 (events `setOccurrenceSettings`)
 * - registration defaults: the program's row of events' settings table, applied to its dates with
 *                 `applyProgramDefaults` (`makeRegistrationDefaults`)
 * - registration: events `register` (the public path: sealed contact, audit row, waiting list), in
 *                 a resident's scope (`residentOn`)
 * - audit record: audit's `recordAudit` (`makeAuditEvents`), for a test of the log's readers
 * - sealed value: crypto's `encryptText` (`sealedFor`), for a row a test places itself
 * No plain SQL except the one settings row, which only the staff operation writes (with its audit
 * record and a scope the test would need a member for).
 */
import { randomBytes } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import type { Pool } from '../../src/lib/server/db';
import { setUpAsStaff, setUp } from './contexts';
import { createMemberOrganization, organizationIdBySlug, type NewOrganization } from '../../src/lib/server/directory/organizations';
import { saveLocation, saveProgram, setProgramPublished, type LocationFields, type ProgramEdit } from '../../src/lib/server/directory/listings';
import { localDay } from '../../src/lib/server/directory/schedule';
import { createOneOff, occurrenceById, setOccurrenceSettings, syncOccurrences, type OneOffInput, type OccurrenceRow, type OccurrenceSettings } from '../../src/lib/server/events/occurrences';
import { applyProgramDefaults, NO_DEFAULTS, type RegistrationDefaults } from '../../src/lib/server/events/defaults';
import { occurrences, programRegistrationSettings } from '../../src/lib/server/events/schema';
import { register, type Registered, type RegistrationInput } from '../../src/lib/server/events/registrations';
import type { AnswerDocument } from '../../src/lib/server/events/answers';
import { mintResidentScope } from '../../src/lib/server/scope/scope';
import { recordAudit, type AuditEntry, type AuditOrigin } from '../../src/lib/server/audit';
import { encryptText, type SealContext } from '../../src/lib/server/crypto';
import { runIn, systemScope, type ResidentScope } from '../../src/lib/server/scope';
import { programEdit } from './program';

type ScheduleEdit = ProgramEdit['schedules'][number];

/** A short tag, unique in the run, for names and e-mail addresses. */
export function uniqueTag(): string {
	return randomBytes(4).toString('hex');
}

const today = () => localDay(new Date(), 'Asia/Tokyo');

/** A published organisation (directory's createMemberOrganization). */
export async function makeOrganization(db: Pool, input: Partial<NewOrganization> = {}): Promise<string> {
	return setUp(db, (tx) => createMemberOrganization(tx, { name: `試験団体${uniqueTag()}`, prefecture: '東京都', city: '荒川区', description: '', ...input }));
}

/**
 * The network secretariat's organisation as start-up makes it when no secretariat exists and the
 * demo region is off (network's ensureSecretariatInvitation: directory's createMemberOrganization,
 * slug `network-secretariat`, named by NETWORK_NAME or ネットワーク事務局); the one already there if
 * so. The template database has none: it holds the demo region, whose secretariat (seed 003) is
 * chosen only at a start-up with the demo region on. Who is secretariat is a membership (a
 * `secretariat_admin` there), which the test gives.
 */
export async function makeSecretariatOrganization(db: Pool): Promise<string> {
	return setUp(db, async (tx) => (await organizationIdBySlug(tx, 'network-secretariat')) ?? createMemberOrganization(tx, { name: 'ネットワーク事務局', slug: 'network-secretariat' }));
}

/** A place of the organisation (directory's saveLocation). */
export async function makePlace(db: Pool, organizationId: string, fields: Partial<LocationFields> = {}, day = today()): Promise<string> {
	const input: LocationFields = { name: `試験会場${uniqueTag()}`, prefecture: '東京都', city: '荒川区', line: null, postalCode: null, lat: null, lng: null, accessibility: null, transport: null, ...fields };
	const saved = await setUpAsStaff(db, (tx) => saveLocation(tx, organizationId, null, input, day));
	if (!saved) throw new Error('makePlace: the organisation does not exist');
	return saved.id;
}

export interface ProgramOptions {
	/** Fields of the staff edit form; the rest from tests/helpers/program.ts (a こども食堂). */
	edit?: Partial<ProgramEdit>;
	/** The one schedule's fields over the default (第1・第3土曜日 from 2027-01-01); `null` for no schedule. */
	schedule?: Partial<ScheduleEdit> | null;
	/** Places of this organisation, the first the schedule's place. */
	placeIds?: string[];
	/** Published (in the finder) unless false. */
	published?: boolean;
	/** The day upcoming dates are counted from. */
	today?: string;
}

/** A program of the organisation (directory's saveProgram, then setProgramPublished). */
export async function makeProgram(db: Pool, organizationId: string, options: ProgramOptions = {}): Promise<string> {
	const base = programEdit({ title: `試験プログラム${uniqueTag()}`, ...options.edit }, options.schedule ?? {});
	const edit: ProgramEdit = options.schedule === null ? { ...base, schedules: [] } : base;
	return setUpAsStaff(db, async (tx) => {
		const saved = await saveProgram(tx, organizationId, null, edit, options.placeIds ?? [], options.today ?? today());
		if (!saved.ok) throw new Error(`makeProgram: ${saved.reason}`);
		if (options.published !== false) await setProgramPublished(tx, organizationId, saved.value.programId, true);
		return saved.value.programId;
	});
}

/** An organisation with one place and one published program held there (a fresh "tenant" for a test). */
export async function makeOrganizationWithProgram(db: Pool, options: ProgramOptions & { organization?: Partial<NewOrganization> } = {}) {
	const organizationId = await makeOrganization(db, options.organization);
	const placeId = await makePlace(db, organizationId);
	const programId = await makeProgram(db, organizationId, { ...options, placeIds: options.placeIds ?? [placeId] });
	return { organizationId, placeId, programId };
}

export type OccurrenceOptions = Partial<Omit<OneOffInput, 'programId'>> & { inDays?: number };

/** A one-off dated session of the program (events' createOneOff); a week from now, open, no capacity, unless told. */
export async function makeOccurrence(db: Pool, organizationId: string, programId: string, options: OccurrenceOptions = {}): Promise<OccurrenceRow> {
	const { inDays = 7, ...rest } = options;
	const startsAt = rest.startsAt ?? new Date(Date.now() + inDays * 86_400_000);
	return setUpAsStaff(db, (tx) => createOneOff(tx, organizationId, { kind: 'session', registrationOpen: true, capacity: null, capacityUnit: 'people', endsAt: null, locationId: null, title: null, note: null, ...rest, programId, startsAt }));
}

/**
 * The dated sessions of a scheduled program, made from its schedules as the nightly job makes them
 * (events' syncOccurrences, counted from `day`), earliest first.
 */
export async function makeScheduledDates(db: Pool, programId: string, day = today()): Promise<OccurrenceRow[]> {
	return runIn(systemScope(db, 'test:makeScheduledDates'), async (tx) => {
		await syncOccurrences(tx, day, [programId]);
		return tx.select().from(occurrences).where(eq(occurrences.programId, programId)).orderBy(asc(occurrences.startsAt));
	});
}

/**
 * A program's registration defaults (registration, 定員, window, questions; the rest as a program
 * without settings has them), applied to its dates from `fromDay` that follow the program, as
 * saving the settings page applies them (events' applyProgramDefaults) but without its audit record.
 */
export async function makeRegistrationDefaults(db: Pool, organizationId: string, programId: string, defaults: Partial<RegistrationDefaults>, fromDay = today()): Promise<void> {
	await setUp(db, async (tx) => {
		await tx.insert(programRegistrationSettings).values({ ...NO_DEFAULTS, ...defaults, programId, organizationId });
		await applyProgramDefaults(tx, { programIds: [programId], fromDay });
	});
}

/**
 * One date's settings changed by hand as staff change them (events' setOccurrenceSettings): the
 * given fields over the date's own, and the date stops following its program's defaults.
 */
export async function setDateSettings(db: Pool, occurrenceId: string, changes: Partial<OccurrenceSettings>): Promise<OccurrenceRow> {
	return setUpAsStaff(db, async (tx) => {
		const date = await occurrenceById(tx, occurrenceId);
		if (!date) throw new Error('setDateSettings: no such date');
		const { kind, registrationOpen, capacity, capacityUnit } = date;
		const changed = await setOccurrenceSettings(tx, date.organizationId, occurrenceId, { kind, registrationOpen, capacity, capacityUnit, ...changes });
		return changed!;
	});
}

/** Audit records as the modules write them (audit's recordAudit), in this order, in one transaction: entries for a test of the log's readers. */
export async function makeAuditEvents(db: Pool, entries: Array<{ origin: AuditOrigin; entry: AuditEntry }>): Promise<void> {
	await setUp(db, async (tx) => {
		for (const { origin, entry } of entries) await recordAudit(tx, origin, entry);
	});
}

/**
 * A value sealed as the crypto service seals it for one column of one row (crypto's encryptText,
 * which reads or makes the active data key): for a test that places that row itself and wants the
 * pages to open it.
 */
export async function sealedFor(db: Pool, plaintext: string, context: SealContext): Promise<string> {
	return setUp(db, (tx) => encryptText(tx, plaintext, context));
}

/**
 * A resident's scope on this test's database, as the guard's `residentScope` makes one for a request
 * (which reads the app's database; a test may hold its own).
 */
export function residentOn(db: Pool, origin: Partial<AuditOrigin> = {}): ResidentScope {
	return mintResidentScope(db, { actorUserId: null, ip: '192.0.2.1', userAgent: 'vitest', ...origin });
}

/** A registration for the occurrence as a resident makes it (events' register); the program must be published. */
export async function makeRegistration(db: Pool, occurrenceId: string, input: Partial<RegistrationInput> & { answers?: AnswerDocument } = {}): Promise<Registered> {
	const tag = uniqueTag();
	const { answers = null, ...fields } = input;
	const outcome = await register(residentOn(db), { occurrenceId, registration: { name: `参加者${tag}`, contact: `p-${tag}@example.org`, groupSize: 1, needs: '', card: '', consent: 'on', submissionKey: `factory-${tag}-aaaaaaaaaaaaaaaa`, ...fields }, cardId: null, answers });
	if (!outcome.ok) throw new Error(`makeRegistration: ${outcome.reason}`);
	return outcome.value;
}
