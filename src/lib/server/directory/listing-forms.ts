/**
 * Reading the staff forms (profile, place, program with its schedule rows): one zod schema per
 * form, each issue's message the field's i18n key, every problem named by field, and what was
 * typed kept so the form comes back as the person left it.
 */
import { z } from 'zod';
import { UUID, fieldErrors } from '../boundary';
import { codes, taxonomy } from './taxonomy';
import { isBlank, readScheduleFields, scheduleRow, type ScheduleErrors, type ScheduleFields } from './schedule-form';
import type { ProfileInput, ProgramEdit, LocationFields } from './listings';
import { PROGRAM_AUDIENCES, type ProgramInput } from './model';
import { prefectureByName } from './places';

export type FieldErrors = Record<string, string>;
export type Parsed<T, V> = { ok: true; value: T; values: V } | { ok: false; errors: FieldErrors; values: V };

const str = (form: FormData, name: string, max = 5000) =>
	String(form.get(name) ?? '')
		.trim()
		.slice(0, max);

// ── the fields ─────────────────────────────────────────────────────────────────────────────────

const tooLong = 'staff.error.tooLong';
const required = (max: number) => z.string().min(1, 'staff.error.required').max(max, tooLong);
/** Empty for none. */
const optional = (max: number) =>
	z
		.string()
		.max(max, tooLong)
		.transform((v) => v || null);
/** Empty, or what `pattern` accepts (a shape only: the key names what was expected). */
const emptyOr = (pattern: RegExp, key: string) =>
	z
		.string()
		.regex(new RegExp(`^(?:|${pattern.source})$`), key)
		.transform((v) => v || null);
const url = z
	.string()
	.max(300, tooLong)
	.regex(/^(?:|https?:\/\/\S+)$/, 'staff.error.url')
	.transform((v) => v || null);
const postal = emptyOr(/\d{3}-?\d{4}/, 'staff.error.postalCode');
/** Empty for none, else a code of the taxonomy. */
const choiceOrNone = (name: 'legalForms') => z.union([z.literal('').transform(() => null), z.enum(codes(name) as [string, ...string[]])], 'staff.error.choice');

const profileSchema = z.object({
	name: required(120),
	nameKana: optional(200),
	legalForm: choiceOrNone('legalForms'),
	representative: optional(120),
	prefecture: optional(10),
	city: optional(40),
	addressLine: optional(200),
	postalCode: postal,
	website: url,
	message: optional(400),
	description: z.string().max(2000, tooLong)
});

export function readProfile(form: FormData): Parsed<ProfileInput, Record<string, string>> {
	const values = Object.fromEntries(Object.keys(profileSchema.shape).map((k) => [k, str(form, k)]));
	const parsed = profileSchema.safeParse(values);
	return parsed.success ? { ok: true, value: parsed.data, values } : { ok: false, errors: fieldErrors(parsed.error), values };
}

/** Empty, or a decimal degree within Japan's range. */
const coordinate = (min: number, max: number, key = 'staff.error.coordinate') => z.union([z.literal('').transform(() => null), z.coerce.number<string>(key).min(min, key).max(max, key)], key);

const locationSchema = z
	.object({
		name: required(120),
		// One of the 47 as written in full (「東京」 is 東京都): the place's 市区町村 and its point are found from it.
		prefecture: z
			.string()
			.min(2, 'staff.error.required')
			.max(10, tooLong)
			.transform((v, ctx) => prefectureByName(v)?.name ?? (ctx.addIssue({ code: 'custom', message: 'staff.error.prefecture' }), z.NEVER)),
		city: optional(40),
		line: optional(200),
		postalCode: postal,
		lat: coordinate(20, 46),
		lng: coordinate(122, 154),
		accessibility: optional(500),
		transport: optional(500)
	})
	// Checked once every field is itself right.
	.refine((v) => (v.lat === null) === (v.lng === null), { message: 'staff.error.coordinatePair', path: ['lng'], when: (payload) => payload.issues.length === 0 });

export function readLocation(form: FormData): Parsed<LocationFields, Record<string, string>> {
	const values = Object.fromEntries(Object.keys(locationSchema.shape).map((k) => [k, str(form, k)]));
	const parsed = locationSchema.safeParse(values);
	return parsed.success ? { ok: true, value: parsed.data, values } : { ok: false, errors: fieldErrors(parsed.error), values };
}

export interface ProgramValues {
	title: string;
	summary: string;
	description: string;
	forms: string[];
	targets: string[];
	lifeStages: string[];
	audience: string;
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

const picks = (name: 'forms' | 'targets' | 'lifeStages' | 'languages') => z.array(z.enum(codes(name) as [string, ...string[]], 'staff.error.choice'));
const amountKey = 'staff.program.error.amount';
/** Empty, or whole yen up to 1,000,000 in digits only. */
const amount = z.union(
	[
		z.literal('').transform(() => null),
		z
			.string()
			.regex(/^\d{1,7}$/, amountKey)
			.transform(Number)
			.pipe(z.number().max(1_000_000, amountKey))
	],
	amountKey
);
const oneOf = <T extends string>(values: readonly [T, ...T[]]) => z.enum(values, 'staff.error.choice');

/** The program form: its fields, and its schedule rows (`schedules.<i>.<field>`, each row checked by schedule-form's `scheduleRow`). */
const programSchema = z
	.object({
		title: required(120),
		summary: z.string().max(200, tooLong),
		description: z.string().max(3000, tooLong),
		forms: picks('forms').min(1, 'staff.program.error.forms'),
		targets: picks('targets'),
		lifeStages: picks('lifeStages'),
		audience: oneOf(PROGRAM_AUDIENCES),
		languages: picks('languages').min(1, 'staff.program.error.languages'),
		costKind: oneOf(['free', 'pay_what_you_can', 'fixed', 'unknown']),
		costAmountYen: amount,
		costNote: optional(200),
		joinMethod: oneOf(['no_registration', 'reservation', 'membership', 'referral_only', 'unknown']),
		joinNote: optional(300),
		firstTimeNote: optional(500),
		deliveryMode: oneOf(['in_person', 'online', 'both']),
		status: oneOf(['active', 'ended', 'planned']),
		contactPhone: emptyOr(/[0-9+()-]{6,20}/, 'staff.program.error.phone'),
		contactEmail: z.union([z.literal('').transform(() => null), z.email('staff.error.email')], 'staff.error.email'),
		contactUrl: url,
		locationIds: z.array(z.string()),
		schedules: z.array(scheduleRow)
	})
	.transform((d): { edit: ProgramEdit; locationIds: string[] } => ({
		locationIds: d.locationIds,
		edit: {
			title: d.title,
			summary: d.summary,
			description: d.description,
			forms: d.forms,
			targets: d.targets,
			lifeStages: d.lifeStages,
			audience: d.audience,
			languages: d.languages,
			// An amount only for a fixed cost.
			cost: { kind: d.costKind, amountYen: d.costKind === 'fixed' ? d.costAmountYen : null, note: d.costNote },
			joinMethod: d.joinMethod,
			joinNote: d.joinNote,
			firstTimeNote: d.firstTimeNote,
			deliveryMode: d.deliveryMode,
			status: d.status,
			contact: { phone: d.contactPhone, email: d.contactEmail, url: d.contactUrl },
			schedules: d.schedules
		}
	}));

/** The shared record-id pattern, still exported here for the routes that import it from the directory. */
export { UUID };

/**
 * The program's issues by field (each field's first), and each schedule row's by its field (an
 * entry per row, empty when the row is right).
 */
function programErrors(error: z.ZodError, rows: number): { errors: FieldErrors; scheduleErrors: ScheduleErrors[] } {
	const scheduleErrors: ScheduleErrors[] = Array.from({ length: rows }, () => ({}));
	const errors: FieldErrors = {};
	for (const issue of error.issues) {
		const [field, row, name] = issue.path;
		if (field === 'schedules' && typeof row === 'number') scheduleErrors[row][name as keyof ScheduleFields] ??= issue.message;
		// A choice that is not in the list is named with its position (`forms.0`), as before.
		else errors[issue.path.join('.')] ??= issue.message;
	}
	return { errors, scheduleErrors };
}

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
		// Absent (an older form) means residents, the default.
		audience: str(form, 'audience', 40) || 'residents',
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
	if (parsed.success) return { ok: true, value: parsed.data, values, scheduleErrors: values.schedules.map(() => ({})) };
	return { ok: false, values, ...programErrors(parsed.error, values.schedules.length) };
}

/** A program's input as form values (for the edit page). */
export function programValuesOf(input: ProgramInput, locationIds: string[], schedules: ScheduleFields[]): ProgramValues {
	return {
		title: input.title,
		summary: input.summary,
		description: input.description,
		forms: input.forms,
		targets: input.targets,
		lifeStages: input.lifeStages,
		audience: input.audience ?? 'residents',
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
		audience: 'residents',
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
