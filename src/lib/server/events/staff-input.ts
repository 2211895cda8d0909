/**
 * Reading the staff's occurrence forms (move a date, settings, a one-off event) into checked
 * values, with an i18n message key per field when something is wrong. One zod schema per form,
 * built from the field schemas below; each issue's message is the field's key.
 */
import { z } from 'zod';
import { zonedInstant } from '../directory';
import { fieldErrors, isDayInRange, uuid } from '../boundary';
import { CAPACITY_UNITS, OCCURRENCE_KINDS, type CapacityUnit, type OccurrenceKind } from './schema';

export type OccurrenceFieldErrors = Partial<Record<'day' | 'start' | 'end' | 'note' | 'capacity' | 'title' | 'programId' | 'kind', OccurrenceErrorKey>>;
export type OccurrenceErrorKey = 'events.error.day' | 'events.error.time' | 'events.error.endBeforeStart' | 'events.error.note' | 'events.error.capacity' | 'events.error.title' | 'events.error.program' | 'events.error.kind';

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

const moveShape = { day, start: time, end: endTime, note };
const settingsShape = { kind, registrationOpen: z.boolean(), capacity, capacityUnit };

/** An end, when given, after the start; checked whenever both times are themselves well formed. */
const endAfterStart = (v: { start: string; end: string }) => !v.end || v.end > v.start;
const endBeforeStart: z.core.$ZodCustomParams = { ...key('events.error.endBeforeStart'), path: ['end'], when: (payload) => !payload.issues.some((i) => i.path?.[0] === 'start' || i.path?.[0] === 'end') };

const FILED_UNDER = { capacityUnit: 'capacity' };

const toMove = (v: { day: string; start: string; end: string; note: string }) => ({ startsAt: zonedInstant(v.day, v.start), endsAt: v.end ? zonedInstant(v.day, v.end) : null, note: v.note || null });
const toSettings = (v: { kind: OccurrenceKind; registrationOpen: boolean; capacity: number | null; capacityUnit: CapacityUnit }) => ({ kind: v.kind, registrationOpen: v.registrationOpen, capacity: v.capacity, capacityUnit: v.capacityUnit });

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
}

export type SettingsParse = { ok: true; value: { kind: OccurrenceKind; registrationOpen: boolean; capacity: number | null; capacityUnit: CapacityUnit } } | { ok: false; values: SettingsValues; errors: OccurrenceFieldErrors };

const settingsSchema = z.object(settingsShape).transform(toSettings);

/** An empty kind is a session, an empty unit people; a checkbox is on only as `on`. */
const settingsValues = (form: FormData): SettingsValues => ({ kind: text(form, 'kind') || 'session', registrationOpen: form.get('registrationOpen') === 'on', capacity: text(form, 'capacity'), capacityUnit: text(form, 'capacityUnit') || 'people' });

/** Kind (session / 見学会), whether people register, and how many places (people or 組). */
export function readSettings(form: FormData): SettingsParse {
	const values = settingsValues(form);
	const parsed = settingsSchema.safeParse(values);
	return parsed.success ? { ok: true, value: parsed.data } : { ok: false, values, errors: fieldErrors(parsed.error, FILED_UNDER) };
}

export interface OneOffValues extends MoveValues, SettingsValues {
	programId: string;
	title: string;
}

export type OneOffParse =
	{ ok: true; value: { programId: string; title: string | null; startsAt: Date; endsAt: Date | null; note: string | null; kind: OccurrenceKind; registrationOpen: boolean; capacity: number | null; capacityUnit: CapacityUnit } } | { ok: false; values: OneOffValues; errors: OccurrenceFieldErrors };

const oneOffSchema = z
	.object({ ...moveShape, ...settingsShape, programId, title })
	.refine(endAfterStart, endBeforeStart)
	.transform((v) => ({ programId: v.programId, title: v.title || null, ...toMove(v), ...toSettings(v) }));

/** A one-off event: which program it belongs to, its own title (optional), when, and settings. */
export function readOneOff(form: FormData): OneOffParse {
	const values: OneOffValues = { ...moveValues(form), ...settingsValues(form), programId: text(form, 'programId'), title: text(form, 'title') };
	const parsed = oneOffSchema.safeParse(values);
	return parsed.success ? { ok: true, value: parsed.data } : { ok: false, values, errors: fieldErrors(parsed.error, FILED_UNDER) };
}

export type CancelParse = { ok: true; value: { note: string | null } } | { ok: false; values: { note: string }; errors: OccurrenceFieldErrors };

const cancelSchema = z.object({ note }).transform((v) => ({ note: v.note || null }));

/** Cancelling a date: an optional note (why, what instead), up to 500 characters. */
export function readCancel(form: FormData): CancelParse {
	const values = { note: text(form, 'note') };
	const parsed = cancelSchema.safeParse(values);
	return parsed.success ? { ok: true, value: parsed.data } : { ok: false, values, errors: fieldErrors(parsed.error) };
}
