/**
 * Reading the staff's program registration form (registration, 定員, window, questions) into
 * checked defaults, with a message key per field — and per question row — when something is wrong.
 */
import { z } from 'zod';
import { fieldErrors } from '../boundary';
import { CAPACITY_UNITS } from './schema';
import { questionRowsOf, readQuestions, rowOf, type QuestionRow, type QuestionRowErrors } from './questions';
import type { RegistrationDefaults } from './defaults';

export type DefaultsErrorKey = 'events.error.capacity' | 'defaults.error.opens' | 'defaults.error.closes' | 'questions.def.tooMany';
export type DefaultsFieldErrors = Partial<Record<'capacity' | 'opensDaysBefore' | 'closesHoursBefore' | 'questions', DefaultsErrorKey>>;

export interface DefaultsValues {
	registrationOpen: boolean;
	capacity: string;
	capacityUnit: string;
	opensDaysBefore: string;
	closesHoursBefore: string;
	questions: QuestionRow[];
}

const key = (k: DefaultsErrorKey) => ({ error: k });
const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

/** Empty for none, else a whole number in [min, max] (full-width digits read too). */
const wholeOrNone = (k: DefaultsErrorKey, min: number, max: number) =>
	z.union([
		z.literal('').transform(() => null),
		z
			.string()
			.transform((v) => v.normalize('NFKC'))
			.pipe(z.string().regex(/^\d+$/, key(k)))
			.transform(Number)
			.pipe(z.number().int(key(k)).min(min, key(k)).max(max, key(k)))
	]);

const schema = z.object({
	registrationOpen: z.boolean(),
	capacity: wholeOrNone('events.error.capacity', 1, 10000),
	capacityUnit: z.enum(CAPACITY_UNITS, key('events.error.capacity')),
	// The table's own bounds (program_registration_settings_window).
	opensDaysBefore: wholeOrNone('defaults.error.opens', 0, 365),
	closesHoursBefore: wholeOrNone('defaults.error.closes', 0, 720)
});

export type DefaultsParse = { ok: true; value: RegistrationDefaults; values: DefaultsValues } | { ok: false; values: DefaultsValues; errors: DefaultsFieldErrors; questionErrors: QuestionRowErrors[] };

/** The whole form: settings and question rows, each checked; a blank question row is no question. */
export function readDefaults(form: FormData): DefaultsParse {
	const rows = questionRowsOf(form);
	const values: DefaultsValues = {
		registrationOpen: form.get('registrationOpen') === 'on',
		capacity: text(form, 'capacity'),
		capacityUnit: text(form, 'capacityUnit') || 'people',
		opensDaysBefore: text(form, 'opensDaysBefore'),
		closesHoursBefore: text(form, 'closesHoursBefore'),
		questions: rows
	};
	const parsed = schema.safeParse(values);
	const questions = readQuestions(rows);
	values.questions = questions.rows;
	if (!parsed.success || !questions.ok) {
		const errors: DefaultsFieldErrors = parsed.success ? {} : fieldErrors<DefaultsFieldErrors>(parsed.error, { capacityUnit: 'capacity' });
		if (!questions.ok && questions.tooMany) errors.questions = 'questions.def.tooMany';
		return { ok: false, values, errors, questionErrors: questions.ok ? [] : questions.errors };
	}
	// The checked questions as rows again, new ones with the ids they will be saved under.
	return { ok: true, value: { ...parsed.data, questions: questions.value }, values: { ...values, questions: questions.value.map(rowOf) } };
}
