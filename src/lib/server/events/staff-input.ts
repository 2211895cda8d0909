/**
 * Reading the staff's occurrence forms (move a date, settings, a one-off event) into checked
 * values, with an i18n message key per field when something is wrong. One zod schema per form,
 * built from the field schemas below; each issue's message is the field's key.
 */
import { z } from 'zod';
import { localDay, zonedInstant } from '../directory';
import { formatTime } from '../present';
import { fieldErrors, isDayInRange, uuid } from '../boundary';
import { CAPACITY_UNITS, OCCURRENCE_KINDS, type CapacityUnit, type OccurrenceKind } from './schema';

export type OccurrenceFieldErrors = Partial<Record<'day' | 'start' | 'end' | 'note' | 'capacity' | 'title' | 'programId' | 'kind' | 'registrationOpensAt' | 'registrationClosesAt', OccurrenceErrorKey>>;
export type OccurrenceErrorKey = 'events.error.day' | 'events.error.time' | 'events.error.endBeforeStart' | 'events.error.note' | 'events.error.capacity' | 'events.error.title' | 'events.error.program' | 'events.error.kind' | 'events.error.windowAt' | 'events.error.closesBeforeOpens';

const key = (k: OccurrenceErrorKey) => ({ error: k });

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

// ── the fields ─────────────────────────────────────────────────────────────────────────────────

/** A real day within DAY_RANGE (the shared date rule). */
const day = z.string().refine(isDayInRange, key('events.error.day'));
/** HH:MM, 00:00 to 23:59. */
const time = z.string().regex(TIME, key('events.error.time'));
const endTime = z.union([z.literal(''), time], key('events.error.time'));
const note = z.string().max(500, key('events.error.note'));
const kind = z.enum(OCCURRENCE_KINDS, key('events.error.kind'));
/** Empty for no limit, else a whole number from 1 to 10000 (`Number()` reads it: `5.0`, `1e2`). */
const capacityKey = key('events.error.capacity');
const capacity = z.union([z.literal('').transform(() => null), z.coerce.number<string>(capacityKey).int(capacityKey).min(1, capacityKey).max(10000, capacityKey)], capacityKey);
/** Shown with the capacity, so its issue is filed under `capacity` (FILED_UNDER). */
const capacityUnit = z.enum(CAPACITY_UNITS, capacityKey);
const programId = z.string().refine((id) => uuid.safeParse(id).success, key('events.error.program'));
const title = z.string().max(120, key('events.error.title'));
/**
 * A moment of the registration window as the form's datetime-local field sends it (Tokyo wall
 * clock, `2026-12-05T09:00`; a space for the T is read too, for browsers that show a text field);
 * empty for none (opens now / closes when the date starts).
 */
const windowAtKey = key('events.error.windowAt');
const windowAt = z.union(
	[
		z.literal('').transform(() => null),
		z
			.string()
			.regex(/^\d{4}-\d{2}-\d{2}[T ]([01]\d|2[0-3]):[0-5]\d$/, windowAtKey)
			.refine((v) => isDayInRange(v.slice(0, 10)), windowAtKey)
			.transform((v) => zonedInstant(v.slice(0, 10), v.slice(11, 16)))
	],
	windowAtKey
);

/** The value a datetime-local field shows for a moment (Tokyo wall clock); empty for none. */
export const windowValue = (at: Date | null) => (at ? `${localDay(at)}T${formatTime(at).padStart(5, '0')}` : '');

const moveShape = { day, start: time, end: endTime, note };
const settingsShape = { kind, registrationOpen: z.boolean(), capacity, capacityUnit, registrationOpensAt: windowAt, registrationClosesAt: windowAt };

/** An end, when given, after the start; checked whenever both times are themselves well formed. */
const endAfterStart = (v: { start: string; end: string }) => !v.end || v.end > v.start;
const endBeforeStart: z.core.$ZodCustomParams = { ...key('events.error.endBeforeStart'), path: ['end'], when: (payload) => !payload.issues.some((i) => i.path?.[0] === 'start' || i.path?.[0] === 'end') };

const FILED_UNDER = { capacityUnit: 'capacity' };

/** The window closes after it opens, when both are given; checked once both read as moments. */
const closesAfterOpens = (v: { registrationOpensAt: Date | null; registrationClosesAt: Date | null }) => !v.registrationOpensAt || !v.registrationClosesAt || v.registrationClosesAt.getTime() > v.registrationOpensAt.getTime();
const closesBeforeOpens: z.core.$ZodCustomParams = { ...key('events.error.closesBeforeOpens'), path: ['registrationClosesAt'], when: (payload) => !payload.issues.some((i) => i.path?.[0] === 'registrationOpensAt' || i.path?.[0] === 'registrationClosesAt') };

const toMove = (v: { day: string; start: string; end: string; note: string }) => ({ startsAt: zonedInstant(v.day, v.start), endsAt: v.end ? zonedInstant(v.day, v.end) : null, note: v.note || null });
interface SettingsValue {
	kind: OccurrenceKind;
	registrationOpen: boolean;
	capacity: number | null;
	capacityUnit: CapacityUnit;
	registrationOpensAt: Date | null;
	registrationClosesAt: Date | null;
}
const toSettings = (v: SettingsValue): SettingsValue => ({ kind: v.kind, registrationOpen: v.registrationOpen, capacity: v.capacity, capacityUnit: v.capacityUnit, registrationOpensAt: v.registrationOpensAt, registrationClosesAt: v.registrationClosesAt });

// ── the forms ──────────────────────────────────────────────────────────────────────────────────

export interface MoveValues {
	day: string;
	start: string;
	end: string;
	note: string;
}

export type MoveParse = { ok: true; value: { startsAt: Date; endsAt: Date | null; note: string | null } } | { ok: false; values: MoveValues; errors: OccurrenceFieldErrors };

const moveSchema = z.object(moveShape).refine(endAfterStart, endBeforeStart).transform(toMove);

const moveValues = (form: FormData): MoveValues => ({ day: text(form, 'day'), start: text(form, 'start'), end: text(form, 'end'), note: text(form, 'note') });

/** A new date and time for one occurrence. */
export function readMove(form: FormData): MoveParse {
	const values = moveValues(form);
	const parsed = moveSchema.safeParse(values);
	return parsed.success ? { ok: true, value: parsed.data } : { ok: false, values, errors: fieldErrors(parsed.error) };
}

export interface SettingsValues {
	kind: string;
	registrationOpen: boolean;
	capacity: string;
	capacityUnit: string;
	registrationOpensAt: string;
	registrationClosesAt: string;
}

export type SettingsParse = { ok: true; value: SettingsValue } | { ok: false; values: SettingsValues; errors: OccurrenceFieldErrors };

const settingsSchema = z.object(settingsShape).refine(closesAfterOpens, closesBeforeOpens).transform(toSettings);

/** An empty kind is a session, an empty unit people; a checkbox is on only as `on`. */
const settingsValues = (form: FormData): SettingsValues => ({
	kind: text(form, 'kind') || 'session',
	registrationOpen: form.get('registrationOpen') === 'on',
	capacity: text(form, 'capacity'),
	capacityUnit: text(form, 'capacityUnit') || 'people',
	registrationOpensAt: text(form, 'registrationOpensAt'),
	registrationClosesAt: text(form, 'registrationClosesAt')
});

/** Kind (session / 見学会), whether people register, how many places (people or 組), and the window (when registration opens and closes). */
export function readSettings(form: FormData): SettingsParse {
	const values = settingsValues(form);
	const parsed = settingsSchema.safeParse(values);
	return parsed.success ? { ok: true, value: parsed.data } : { ok: false, values, errors: fieldErrors(parsed.error, FILED_UNDER) };
}

/** Where a one-off date's registration settings come from: the program's defaults, or its own below. */
export const SETTINGS_FROM = ['program', 'own'] as const;
export type SettingsFrom = (typeof SETTINGS_FROM)[number];

export interface OneOffValues extends MoveValues, SettingsValues {
	programId: string;
	title: string;
	settingsFrom: string;
}

export type OneOffParse = { ok: true; value: { programId: string; title: string | null; startsAt: Date; endsAt: Date | null; note: string | null; followsProgram: boolean } & SettingsValue; values: OneOffValues } | { ok: false; values: OneOffValues; errors: OccurrenceFieldErrors };

const oneOffSchema = z
	.object({ ...moveShape, ...settingsShape, programId, title, settingsFrom: z.enum(SETTINGS_FROM, key('events.error.kind')) })
	.refine(endAfterStart, endBeforeStart)
	.refine((v) => v.settingsFrom === 'program' || closesAfterOpens(v), closesBeforeOpens)
	.transform((v) => ({ programId: v.programId, title: v.title || null, ...toMove(v), ...toSettings(v), followsProgram: v.settingsFrom === 'program' }));

/**
 * A one-off event: which program it belongs to, its own title (optional), when, and whether it
 * follows the program's registration defaults (the default: an extra date takes registrations like
 * the others) or has settings of its own.
 */
export function readOneOff(form: FormData): OneOffParse {
	const values: OneOffValues = { ...moveValues(form), ...settingsValues(form), programId: text(form, 'programId'), title: text(form, 'title'), settingsFrom: text(form, 'settingsFrom') || 'program' };
	// Following the program, the own fields below are not used, so nothing typed there can stop the form.
	const checked = values.settingsFrom === 'program' ? { ...values, registrationOpen: false, capacity: '', capacityUnit: 'people', registrationOpensAt: '', registrationClosesAt: '' } : values;
	const parsed = oneOffSchema.safeParse(checked);
	return parsed.success ? { ok: true, value: parsed.data, values } : { ok: false, values, errors: fieldErrors(parsed.error, FILED_UNDER) };
}

export type CancelParse = { ok: true; value: { note: string | null } } | { ok: false; values: { note: string }; errors: OccurrenceFieldErrors };

const cancelSchema = z.object({ note }).transform((v) => ({ note: v.note || null }));

/** Cancelling a date: an optional note (why, what instead), up to 500 characters. */
export function readCancel(form: FormData): CancelParse {
	const values = { note: text(form, 'note') };
	const parsed = cancelSchema.safeParse(values);
	return parsed.success ? { ok: true, value: parsed.data } : { ok: false, values, errors: fieldErrors(parsed.error) };
}
