/**
 * Reading the staff's occurrence forms (move a date, settings, a one-off event) into checked
 * values, with an i18n message key per field when something is wrong.
 */
import { z } from 'zod';
import { zonedInstant } from '../directory';
import { isDayInRange } from '../boundary/dates';
import { CAPACITY_UNITS, OCCURRENCE_KINDS, type CapacityUnit, type OccurrenceKind } from './schema';

export type OccurrenceFieldErrors = Partial<Record<'day' | 'start' | 'end' | 'note' | 'capacity' | 'title' | 'programId' | 'kind', OccurrenceErrorKey>>;
export type OccurrenceErrorKey = 'events.error.day' | 'events.error.time' | 'events.error.endBeforeStart' | 'events.error.note' | 'events.error.capacity' | 'events.error.title' | 'events.error.program' | 'events.error.kind';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

export interface MoveValues {
	day: string;
	start: string;
	end: string;
	note: string;
}

export type MoveParse = { ok: true; value: { startsAt: Date; endsAt: Date | null; note: string | null } } | { ok: false; values: MoveValues; errors: OccurrenceFieldErrors };

/** A new date and time for one occurrence. */
export function readMove(form: FormData): MoveParse {
	const values = { day: text(form, 'day'), start: text(form, 'start'), end: text(form, 'end'), note: text(form, 'note') };
	const errors: OccurrenceFieldErrors = {};
	if (!isDayInRange(values.day)) errors.day = 'events.error.day';
	if (!TIME.test(values.start)) errors.start = 'events.error.time';
	if (values.end && !TIME.test(values.end)) errors.end = 'events.error.time';
	else if (values.end && TIME.test(values.start) && values.end <= values.start) errors.end = 'events.error.endBeforeStart';
	if (values.note.length > 500) errors.note = 'events.error.note';
	if (Object.keys(errors).length) return { ok: false, values, errors };
	return {
		ok: true,
		value: { startsAt: zonedInstant(values.day, values.start), endsAt: values.end ? zonedInstant(values.day, values.end) : null, note: values.note || null }
	};
}

export interface SettingsValues {
	kind: string;
	registrationOpen: boolean;
	capacity: string;
	capacityUnit: string;
}

const capacityField = z.union([z.literal(''), z.coerce.number().int().min(1).max(10000)]);

export type SettingsParse = { ok: true; value: { kind: OccurrenceKind; registrationOpen: boolean; capacity: number | null; capacityUnit: CapacityUnit } } | { ok: false; values: SettingsValues; errors: OccurrenceFieldErrors };

/** Kind (session / 見学会), whether people register, and how many places (people or 組). */
export function readSettings(form: FormData): SettingsParse {
	const values = { kind: text(form, 'kind') || 'session', registrationOpen: form.get('registrationOpen') === 'on', capacity: text(form, 'capacity'), capacityUnit: text(form, 'capacityUnit') || 'people' };
	const errors: OccurrenceFieldErrors = {};
	if (!(OCCURRENCE_KINDS as readonly string[]).includes(values.kind)) errors.kind = 'events.error.kind';
	const capacity = capacityField.safeParse(values.capacity);
	if (!capacity.success || !(CAPACITY_UNITS as readonly string[]).includes(values.capacityUnit)) errors.capacity = 'events.error.capacity';
	if (Object.keys(errors).length || !capacity.success) return { ok: false, values, errors };
	return {
		ok: true,
		value: { kind: values.kind as OccurrenceKind, registrationOpen: values.registrationOpen, capacity: capacity.data === '' ? null : capacity.data, capacityUnit: values.capacityUnit as CapacityUnit }
	};
}

export interface OneOffValues extends MoveValues, SettingsValues {
	programId: string;
	title: string;
}

export type OneOffParse =
	{ ok: true; value: { programId: string; title: string | null; startsAt: Date; endsAt: Date | null; note: string | null; kind: OccurrenceKind; registrationOpen: boolean; capacity: number | null; capacityUnit: CapacityUnit } } | { ok: false; values: OneOffValues; errors: OccurrenceFieldErrors };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A one-off event: which program it belongs to, its own title (optional), when, and settings. */
export function readOneOff(form: FormData): OneOffParse {
	const move = readMove(form);
	const settings = readSettings(form);
	const programId = text(form, 'programId');
	const title = text(form, 'title');
	const values: OneOffValues = {
		...(move.ok ? { day: text(form, 'day'), start: text(form, 'start'), end: text(form, 'end'), note: text(form, 'note') } : move.values),
		...(settings.ok ? { kind: text(form, 'kind') || 'session', registrationOpen: form.get('registrationOpen') === 'on', capacity: text(form, 'capacity'), capacityUnit: text(form, 'capacityUnit') || 'people' } : settings.values),
		programId,
		title
	};
	const errors: OccurrenceFieldErrors = { ...(move.ok ? {} : move.errors), ...(settings.ok ? {} : settings.errors) };
	if (!UUID.test(programId)) errors.programId = 'events.error.program';
	if (title.length > 120) errors.title = 'events.error.title';
	if (!move.ok || !settings.ok || Object.keys(errors).length) return { ok: false, values, errors };
	return { ok: true, value: { programId, title: title || null, ...move.value, ...settings.value } };
}
