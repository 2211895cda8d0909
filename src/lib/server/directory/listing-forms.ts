/**
 * Reading the staff forms: each field validated, every problem named by field with an i18n key,
 * and what was typed kept so the form comes back as the person left it.
 */
import { z } from 'zod';
import { UUID } from '../boundary';
import { codes, taxonomy } from './taxonomy';
import { isBlank, readScheduleFields, scheduleFrom, type ScheduleErrors, type ScheduleFields } from './schedule-form';
import type { ProfileInput, ProgramEdit, LocationFields } from './listings';
import type { ScheduleInput } from './model';

export type FieldErrors = Record<string, string>;
export type Parsed<T, V> = { ok: true; value: T; values: V } | { ok: false; errors: FieldErrors; values: V };

const str = (form: FormData, name: string, max = 5000) =>
	String(form.get(name) ?? '')
		.trim()
		.slice(0, max);
const optional = (max: number) =>
	z
		.string()
		.max(max, 'staff.error.tooLong')
		.transform((v) => v || null);
const url = z
	.string()
	.max(300, 'staff.error.tooLong')
	.refine((v) => v === '' || /^https?:\/\/[^\s]+$/.test(v), 'staff.error.url')
	.transform((v) => v || null);
const postal = z
	.string()
	.refine((v) => v === '' || /^\d{3}-?\d{4}$/.test(v), 'staff.error.postalCode')
	.transform((v) => v || null);

function errorsOf(error: z.ZodError): FieldErrors {
	const errors: FieldErrors = {};
	for (const issue of error.issues) errors[issue.path.join('.')] ??= issue.message.startsWith('staff.') ? issue.message : 'staff.error.invalid';
	return errors;
}

const profileSchema = z.object({
	name: z.string().min(1, 'staff.error.required').max(120, 'staff.error.tooLong'),
	nameKana: optional(200),
	legalForm: z
		.string()
		.refine((v) => v === '' || codes('legalForms').includes(v), 'staff.error.choice')
		.transform((v) => v || null),
	representative: optional(120),
	prefecture: optional(10),
	city: optional(40),
	addressLine: optional(200),
	postalCode: postal,
	website: url,
	message: optional(400),
	description: z.string().max(2000, 'staff.error.tooLong')
});

export function readProfile(form: FormData): Parsed<ProfileInput, Record<string, string>> {
	const values = Object.fromEntries(Object.keys(profileSchema.shape).map((k) => [k, str(form, k)]));
	const parsed = profileSchema.safeParse(values);
	return parsed.success ? { ok: true, value: parsed.data, values } : { ok: false, errors: errorsOf(parsed.error), values };
}

const coordinate = (min: number, max: number) =>
	z
		.string()
		.refine((v) => v === '' || (Number.isFinite(Number(v)) && Number(v) >= min && Number(v) <= max), 'staff.error.coordinate')
		.transform((v) => (v === '' ? null : Number(v)));

const locationSchema = z.object({
	name: z.string().min(1, 'staff.error.required').max(120, 'staff.error.tooLong'),
	prefecture: z.string().min(2, 'staff.error.required').max(10, 'staff.error.tooLong'),
	city: optional(40),
	line: optional(200),
	postalCode: postal,
	lat: coordinate(20, 46),
	lng: coordinate(122, 154),
	accessibility: optional(500),
	transport: optional(500)
});

export function readLocation(form: FormData): Parsed<LocationFields, Record<string, string>> {
	const values = Object.fromEntries(Object.keys(locationSchema.shape).map((k) => [k, str(form, k)]));
	const parsed = locationSchema.safeParse(values);
	if (!parsed.success) return { ok: false, errors: errorsOf(parsed.error), values };
	if ((parsed.data.lat === null) !== (parsed.data.lng === null)) return { ok: false, errors: { lng: 'staff.error.coordinatePair' }, values };
	return { ok: true, value: parsed.data, values };
}

export interface ProgramValues {
	title: string;
	summary: string;
	description: string;
	forms: string[];
	targets: string[];
	lifeStages: string[];
	languages: string[];
	costKind: string;
	costAmountYen: string;
	costNote: string;
	joinMethod: string;
	joinNote: string;
	firstTimeNote: string;
	deliveryMode: string;
	status: string;
	contactPhone: string;
	contactEmail: string;
	contactUrl: string;
	locationIds: string[];
	schedules: ScheduleFields[];
}

const picks = (name: 'forms' | 'targets' | 'lifeStages' | 'languages') => z.array(z.enum(codes(name) as [string, ...string[]], { message: 'staff.error.choice' }));

const programSchema = z.object({
	title: z.string().min(1, 'staff.error.required').max(120, 'staff.error.tooLong'),
	summary: z.string().max(200, 'staff.error.tooLong'),
	description: z.string().max(3000, 'staff.error.tooLong'),
	forms: picks('forms').min(1, 'staff.program.error.forms'),
	targets: picks('targets'),
	lifeStages: picks('lifeStages'),
	languages: picks('languages').min(1, 'staff.program.error.languages'),
	costKind: z.enum(['free', 'pay_what_you_can', 'fixed', 'unknown'], { message: 'staff.error.choice' }),
	costAmountYen: z
		.string()
		.refine((v) => v === '' || (/^\d{1,7}$/.test(v) && Number(v) <= 1_000_000), 'staff.program.error.amount')
		.transform((v) => (v === '' ? null : Number(v))),
	costNote: optional(200),
	joinMethod: z.enum(['no_registration', 'reservation', 'membership', 'referral_only', 'unknown'], { message: 'staff.error.choice' }),
	joinNote: optional(300),
	firstTimeNote: optional(500),
	deliveryMode: z.enum(['in_person', 'online', 'both'], { message: 'staff.error.choice' }),
	status: z.enum(['active', 'ended', 'planned'], { message: 'staff.error.choice' }),
	contactPhone: z
		.string()
		.refine((v) => v === '' || /^[0-9+()-]{6,20}$/.test(v), 'staff.program.error.phone')
		.transform((v) => v || null),
	contactEmail: z
		.string()
		.refine((v) => v === '' || z.email().safeParse(v).success, 'staff.error.email')
		.transform((v) => v || null),
	contactUrl: url
});

/** The shared record-id pattern, still exported here for the routes that import it from the directory. */
export { UUID };

/** The program form, schedules included (`schedules.<i>.*`, `scheduleCount` rows). */
export function readProgram(form: FormData): Parsed<{ edit: ProgramEdit; locationIds: string[] }, ProgramValues> & { scheduleErrors: ScheduleErrors[] } {
	const many = (name: string) => form.getAll(name).map(String).slice(0, 50);
	const count = Math.min(Math.max(Number(form.get('scheduleCount') ?? 0) || 0, 0), 20);
	const rows = Array.from({ length: count }, (_, i) => readScheduleFields(form, i));
	const values: ProgramValues = {
		title: str(form, 'title', 200),
		summary: str(form, 'summary', 400),
		description: str(form, 'description'),
		forms: many('forms'),
		targets: many('targets'),
		lifeStages: many('lifeStages'),
		languages: many('languages'),
		costKind: str(form, 'costKind', 40),
		costAmountYen: str(form, 'costAmountYen', 20),
		costNote: str(form, 'costNote', 400),
		joinMethod: str(form, 'joinMethod', 40),
		joinNote: str(form, 'joinNote', 600),
		firstTimeNote: str(form, 'firstTimeNote', 1000),
		deliveryMode: str(form, 'deliveryMode', 40),
		status: str(form, 'status', 40),
		contactPhone: str(form, 'contactPhone', 40),
		contactEmail: str(form, 'contactEmail', 300),
		contactUrl: str(form, 'contactUrl', 400),
		locationIds: many('locationIds').filter((id) => UUID.test(id)),
		// Removed rows and the untouched blank row drop out here.
		schedules: rows.filter((r) => !r.remove && !isBlank(r))
	};
	const parsed = programSchema.safeParse(values);
	const scheduleErrors: ScheduleErrors[] = [];
	const schedules: ScheduleInput[] = [];
	for (const row of values.schedules) {
		const result = scheduleFrom(row);
		scheduleErrors.push(result.ok ? {} : result.errors);
		if (result.ok) schedules.push(result.value);
	}
	const errors = parsed.success ? {} : errorsOf(parsed.error);
	if (!parsed.success || scheduleErrors.some((e) => Object.keys(e).length)) return { ok: false, errors, values, scheduleErrors };
	const d = parsed.data;
	return {
		ok: true,
		values,
		scheduleErrors,
		value: {
			locationIds: values.locationIds,
			edit: {
				title: d.title,
				summary: d.summary,
				description: d.description,
				forms: d.forms,
				targets: d.targets,
				lifeStages: d.lifeStages,
				languages: d.languages,
				cost: { kind: d.costKind, amountYen: d.costKind === 'fixed' ? d.costAmountYen : null, note: d.costNote },
				joinMethod: d.joinMethod,
				joinNote: d.joinNote,
				firstTimeNote: d.firstTimeNote,
				deliveryMode: d.deliveryMode,
				status: d.status,
				contact: { phone: d.contactPhone, email: d.contactEmail, url: d.contactUrl },
				schedules
			}
		}
	};
}

/** A program's input as form values (for the edit page). */
export function programValuesOf(input: import('./model').ProgramInput, locationIds: string[], schedules: ScheduleFields[]): ProgramValues {
	return {
		title: input.title,
		summary: input.summary,
		description: input.description,
		forms: input.forms,
		targets: input.targets,
		lifeStages: input.lifeStages,
		languages: input.languages,
		costKind: input.cost.kind,
		costAmountYen: input.cost.amountYen === null ? '' : String(input.cost.amountYen),
		costNote: input.cost.note ?? '',
		joinMethod: input.joinMethod,
		joinNote: input.joinNote ?? '',
		firstTimeNote: input.firstTimeNote ?? '',
		deliveryMode: input.deliveryMode,
		status: input.status,
		contactPhone: input.contact.phone ?? '',
		contactEmail: input.contact.email ?? '',
		contactUrl: input.contact.url ?? '',
		locationIds,
		schedules
	};
}

export function emptyProgramValues(): ProgramValues {
	return {
		title: '',
		summary: '',
		description: '',
		forms: [],
		targets: [],
		lifeStages: [],
		languages: ['ja'],
		costKind: 'free',
		costAmountYen: '',
		costNote: '',
		joinMethod: 'no_registration',
		joinNote: '',
		firstTimeNote: '',
		deliveryMode: 'in_person',
		status: 'active',
		contactPhone: '',
		contactEmail: '',
		contactUrl: '',
		locationIds: [],
		schedules: []
	};
}

/** The choices the program form offers, labelled in the page's language. */
export function programChoices(locale: 'ja' | 'en') {
	const list = (name: 'forms' | 'targets' | 'lifeStages' | 'languages') => taxonomy[name].map((t) => ({ code: t.code, label: locale === 'en' ? t.en : t.ja }));
	return { forms: list('forms'), targets: list('targets'), lifeStages: list('lifeStages'), languages: list('languages') };
}
