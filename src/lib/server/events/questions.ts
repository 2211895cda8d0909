/**
 * A program's registration questions (Google Forms' place in a こども食堂's day): their definitions,
 * checked with zod when staff save them, and the zod schema built from them that checks a
 * resident's answers. Answers become one self-describing document (each answer carries its
 * question's label), sealed on the registration: staff can still read an answer after the question
 * was changed or removed.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { QUESTION_KINDS, type QuestionKind } from './schema';

// ── definitions ─────────────────────────────────────────────────────────────────────────────────

export const MAX_QUESTIONS = 12;
export const MAX_SUB_FIELDS = 4;
export const MAX_OPTIONS = 20;
/** The most per-person rows a form shows (the largest group a registration may name). */
export const MAX_ROWS = 20;

export type DefinitionErrorKey = 'questions.def.label' | 'questions.def.kind' | 'questions.def.options' | 'questions.def.option' | 'questions.def.range' | 'questions.def.fields' | 'questions.def.tooMany';

const def = (key: DefinitionErrorKey) => ({ error: key });

const questionId = z.string().regex(/^[a-z][a-z0-9]{3,15}$/);
const label = z.string().trim().min(1, def('questions.def.label')).max(100, def('questions.def.label'));
const options = z
	.array(z.string().trim().min(1, def('questions.def.option')).max(60, def('questions.def.option')), def('questions.def.options'))
	.min(2, def('questions.def.options'))
	.max(MAX_OPTIONS, def('questions.def.options'))
	.refine((list) => new Set(list).size === list.length, def('questions.def.options'));
const bound = z.number().int(def('questions.def.range')).min(-100000, def('questions.def.range')).max(100000, def('questions.def.range')).nullable();

const base = { id: questionId, label, required: z.boolean(), sensitive: z.boolean() };

const subField = z.discriminatedUnion('kind', [z.object({ id: questionId, kind: z.literal('text'), label, required: z.boolean() }), z.object({ id: questionId, kind: z.literal('choice'), label, required: z.boolean(), options })], def('questions.def.kind'));

export const questionSchema = z.discriminatedUnion(
	'kind',
	[
		z.object({ ...base, kind: z.literal('text') }),
		z.object({ ...base, kind: z.literal('choice'), options }),
		z.object({ ...base, kind: z.literal('number'), min: bound, max: bound }).refine((q) => q.min === null || q.max === null || q.min <= q.max, { ...def('questions.def.range'), path: ['max'] }),
		z.object({
			...base,
			kind: z.literal('per_person'),
			fields: z
				.array(subField)
				.min(1, def('questions.def.fields'))
				.max(MAX_SUB_FIELDS, def('questions.def.fields'))
				.refine((list) => new Set(list.map((f) => f.id)).size === list.length, def('questions.def.fields'))
		}),
		// A consent box is there to be checked: it is always required.
		z.object({ ...base, kind: z.literal('consent'), required: z.literal(true) })
	],
	def('questions.def.kind')
);
export type Question = z.infer<typeof questionSchema>;
export type SubField = Extract<Question, { kind: 'per_person' }>['fields'][number];

export const questionsSchema = z
	.array(questionSchema)
	.max(MAX_QUESTIONS, def('questions.def.tooMany'))
	.refine((list) => new Set(list.map((q) => q.id)).size === list.length, def('questions.def.tooMany'));

/** Stored definitions, read back: anything that no longer parses is dropped rather than breaking the form. */
export function storedQuestions(value: unknown): Question[] {
	const parsed = questionsSchema.safeParse(value);
	if (parsed.success) return parsed.data;
	if (!Array.isArray(value)) return [];
	return value.flatMap((q) => {
		const one = questionSchema.safeParse(q);
		return one.success ? [one.data] : [];
	});
}

/** A new question's or sub-field's id: short, random, stable once saved (answers name it). */
export const newQuestionId = () => `q${randomBytes(5).toString('hex')}`;

// ── the staff's form: rows of fields, without JavaScript ───────────────────────────────────────

/** One question as the staff form shows it (all text, so a refused form comes back as typed). */
export interface QuestionRow {
	id: string;
	kind: string;
	label: string;
	required: boolean;
	sensitive: boolean;
	/** Choices, one per line. */
	options: string;
	min: string;
	max: string;
	fields: Array<{ id: string; kind: string; label: string; required: boolean; options: string }>;
}

export type QuestionRowErrors = Partial<Record<'label' | 'kind' | 'options' | 'range' | 'fields', DefinitionErrorKey>> & { fieldErrors?: Array<Partial<Record<'label' | 'options', DefinitionErrorKey>>> };

export const blankSubField = () => ({ id: '', kind: 'text', label: '', required: false, options: '' });
export const blankQuestionRow = (): QuestionRow => ({ id: '', kind: 'text', label: '', required: false, sensitive: false, options: '', min: '', max: '', fields: Array.from({ length: MAX_SUB_FIELDS }, blankSubField) });

/** A saved question as a form row, with blank sub-field rows to fill in. */
export function rowOf(q: Question): QuestionRow {
	const fields: QuestionRow['fields'] = q.kind === 'per_person' ? q.fields.map((f) => ({ id: f.id, kind: f.kind, label: f.label, required: f.required, options: f.kind === 'choice' ? f.options.join('\n') : '' })) : [];
	while (fields.length < MAX_SUB_FIELDS) fields.push(blankSubField());
	return {
		id: q.id,
		kind: q.kind,
		label: q.label,
		required: q.required,
		sensitive: q.sensitive,
		options: q.kind === 'choice' ? q.options.join('\n') : '',
		min: q.kind === 'number' && q.min !== null ? String(q.min) : '',
		max: q.kind === 'number' && q.max !== null ? String(q.max) : '',
		fields
	};
}

const lines = (text: string) =>
	text
		.split(/\r?\n/)
		.map((l) => l.trim())
		.filter(Boolean);
const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();
const int = (raw: string): number | null | typeof NaN => (raw === '' ? null : /^-?\d+$/.test(raw.normalize('NFKC')) ? Number(raw.normalize('NFKC')) : NaN);

/** The question rows the form sent (`q0.label`, `q0.f1.kind` …), in order, removed ones left out. */
export function questionRowsOf(form: FormData): QuestionRow[] {
	const count = Math.min(Math.max(Number(text(form, 'questionCount')) || 0, 0), MAX_QUESTIONS + 1);
	const rows: QuestionRow[] = [];
	for (let i = 0; i < count; i++) {
		if (form.get(`q${i}.remove`) === 'on') continue;
		const p = `q${i}.`;
		rows.push({
			id: text(form, `${p}id`),
			kind: text(form, `${p}kind`) || 'text',
			label: text(form, `${p}label`),
			required: form.get(`${p}required`) === 'on',
			sensitive: form.get(`${p}sensitive`) === 'on',
			options: String(form.get(`${p}options`) ?? ''),
			min: text(form, `${p}min`),
			max: text(form, `${p}max`),
			fields: Array.from({ length: MAX_SUB_FIELDS }, (_, j) => ({
				id: text(form, `${p}f${j}.id`),
				kind: text(form, `${p}f${j}.kind`) || 'text',
				label: text(form, `${p}f${j}.label`),
				required: form.get(`${p}f${j}.required`) === 'on',
				options: String(form.get(`${p}f${j}.options`) ?? '')
			}))
		});
	}
	return rows;
}

const isBlank = (row: QuestionRow) => row.label === '' && lines(row.options).length === 0 && row.fields.every((f) => f.label === '');

/** A row as the definition it stands for (ids given to new ones), for the zod schema to check. */
function candidateOf(row: QuestionRow): unknown {
	const id = questionId.safeParse(row.id).success ? row.id : newQuestionId();
	const common = { id, label: row.label, required: row.kind === 'consent' ? true : row.required, sensitive: row.sensitive, kind: row.kind };
	switch (row.kind as QuestionKind) {
		case 'choice':
			return { ...common, options: lines(row.options) };
		case 'number':
			return { ...common, min: int(row.min), max: int(row.max) };
		case 'per_person':
			return {
				...common,
				fields: row.fields.filter((f) => f.label !== '' || lines(f.options).length > 0).map((f) => ({ id: questionId.safeParse(f.id).success ? f.id : newQuestionId(), kind: f.kind, label: f.label, required: f.required, ...(f.kind === 'choice' ? { options: lines(f.options) } : {}) }))
			};
		default:
			return common;
	}
}

export type QuestionsParse = { ok: true; value: Question[]; rows: QuestionRow[] } | { ok: false; rows: QuestionRow[]; errors: QuestionRowErrors[]; tooMany: boolean };

/**
 * The staff's question rows checked one by one (a blank row is no question), with errors per row
 * and per sub-field, filed where the form shows them.
 */
export function readQuestions(rows: QuestionRow[]): QuestionsParse {
	const kept = rows.filter((r) => !isBlank(r));
	const errors: QuestionRowErrors[] = [];
	const value: Question[] = [];
	let failed = false;
	for (const row of kept) {
		const rowErrors: QuestionRowErrors = {};
		if (!(QUESTION_KINDS as readonly string[]).includes(row.kind)) rowErrors.kind = 'questions.def.kind';
		const parsed = questionSchema.safeParse(candidateOf(row));
		if (parsed.success && !rowErrors.kind) value.push(parsed.data);
		else if (!parsed.success) {
			// Sub-field issues name the kept sub-fields; map them back to the form's rows.
			const filled = row.fields.map((f, j) => (f.label !== '' || lines(f.options).length > 0 ? j : -1)).filter((j) => j >= 0);
			for (const issue of parsed.error.issues) {
				const [first, index, field] = issue.path;
				const key = issue.message as DefinitionErrorKey;
				if (first === 'fields' && typeof index === 'number') {
					rowErrors.fieldErrors ??= row.fields.map(() => ({}));
					const at = filled[index] ?? 0;
					const name = field === 'options' ? 'options' : 'label';
					rowErrors.fieldErrors[at][name] ??= key.startsWith('questions.def.') ? key : 'questions.def.label';
				} else if (first === 'fields') rowErrors.fields ??= 'questions.def.fields';
				else if (first === 'options') rowErrors.options ??= 'questions.def.options';
				else if (first === 'min' || first === 'max') rowErrors.range ??= 'questions.def.range';
				else if (first === 'label') rowErrors.label ??= 'questions.def.label';
				else rowErrors.kind ??= 'questions.def.kind';
			}
		}
		if (Object.keys(rowErrors).length) failed = true;
		errors.push(rowErrors);
	}
	const tooMany = kept.length > MAX_QUESTIONS;
	if (failed || tooMany) return { ok: false, rows: kept, errors, tooMany };
	return { ok: true, value, rows: kept };
}

// ── answers ─────────────────────────────────────────────────────────────────────────────────────

export type AnswerErrorKey = 'questions.error.required' | 'questions.error.tooLong' | 'questions.error.choice' | 'questions.error.number' | 'questions.error.min' | 'questions.error.max' | 'questions.error.consent' | 'questions.error.rows' | 'questions.error.rowsRequired';
export interface AnswerError {
	key: AnswerErrorKey;
	params?: Record<string, number>;
}

export type PersonRow = Record<string, string>;
export type AnswerValue = string | number | boolean | PersonRow[] | null;

/** One answer as sealed: the question as it was asked, and what was answered. */
export interface Answer {
	id: string;
	kind: QuestionKind;
	label: string;
	sensitive: boolean;
	value: AnswerValue;
	/** per_person: the sub-fields' ids and labels, in order. */
	fields?: Array<{ id: string; label: string }>;
}
export interface AnswerDocument {
	v: 1;
	answers: Answer[];
}

/** The form's names: `a.<question>` and, per person, `a.<question>.<row>.<field>`. */
export const answerName = (questionId: string, row?: number, fieldId?: string) => (row === undefined ? `a.${questionId}` : `a.${questionId}.${row}.${fieldId}`);

const MAX_TEXT = 500;
const issue = (ctx: z.RefinementCtx, key: AnswerErrorKey, path: (string | number)[] = [], params?: Record<string, number>) => ctx.addIssue({ code: 'custom', message: key, path, params });

function textRule(required: boolean) {
	return (v: string, ctx: z.RefinementCtx, path: (string | number)[] = []) => {
		if (required && v === '') issue(ctx, 'questions.error.required', path);
		if (v.length > MAX_TEXT) issue(ctx, 'questions.error.tooLong', path, { max: MAX_TEXT });
	};
}
function choiceRule(required: boolean, choices: readonly string[]) {
	return (v: string, ctx: z.RefinementCtx, path: (string | number)[] = []) => {
		if (v === '') {
			if (required) issue(ctx, 'questions.error.required', path);
		} else if (!choices.includes(v)) issue(ctx, 'questions.error.choice', path);
	};
}

/** The zod schema of one question's answer (strings from the form in, the stored value out). */
function answerSchemaOf(q: Question, groupSize: number): z.ZodType<AnswerValue> {
	const str = z.string().transform((v) => v.trim());
	switch (q.kind) {
		case 'text':
			return str.superRefine((v, ctx) => textRule(q.required)(v, ctx)).transform((v) => v || null);
		case 'choice':
			return str.superRefine((v, ctx) => choiceRule(q.required, q.options)(v, ctx)).transform((v) => v || null);
		case 'number':
			return str
				.transform((v) => v.normalize('NFKC'))
				.superRefine((v, ctx) => {
					if (v === '') {
						if (q.required) issue(ctx, 'questions.error.required');
						return;
					}
					if (!/^-?\d+$/.test(v)) return issue(ctx, 'questions.error.number');
					const n = Number(v);
					if (q.min !== null && n < q.min) issue(ctx, 'questions.error.min', [], { min: q.min });
					if (q.max !== null && n > q.max) issue(ctx, 'questions.error.max', [], { max: q.max });
				})
				.transform((v) => (v === '' ? null : Number(v)));
		case 'consent':
			return z
				.string()
				.refine((v) => v === 'on', { message: 'questions.error.consent' })
				.transform(() => true);
		case 'per_person': {
			const rules = q.fields.map((f) => ({ id: f.id, check: f.kind === 'choice' ? choiceRule(f.required, f.options) : textRule(f.required) }));
			return z
				.array(
					z.record(
						z.string(),
						z.string().transform((v) => v.trim())
					)
				)
				.superRefine((rows, ctx) => {
					let filled = 0;
					rows.forEach((row, i) => {
						if (q.fields.every((f) => (row[f.id] ?? '') === '')) return; // a blank row is no person
						filled++;
						for (const r of rules) r.check(row[r.id] ?? '', ctx, [i, r.id]);
					});
					if (q.required && filled === 0) issue(ctx, 'questions.error.rowsRequired');
					if (filled > groupSize) issue(ctx, 'questions.error.rows', [], { count: groupSize });
				})
				.transform((rows) => rows.filter((row) => q.fields.some((f) => (row[f.id] ?? '') !== '')).map((row) => Object.fromEntries(q.fields.map((f) => [f.id, row[f.id] ?? '']))));
		}
	}
}

/** The zod schema of all answers to these questions, for a group of this size. */
export function answersSchema(questions: readonly Question[], groupSize: number) {
	return z.object(Object.fromEntries(questions.map((q) => [q.id, answerSchemaOf(q, groupSize)])));
}

/** How many per-person rows the form shows: enough for the group, at least a few, at most MAX_ROWS. */
export function rowsFor(groupSize: number, filledRows = 0): number {
	return Math.min(MAX_ROWS, Math.max(4, Number.isFinite(groupSize) ? groupSize : 0, filledRows));
}

/** What the form sent for these questions, as the schema reads it and as the form shows it again. */
function rawAnswers(questions: readonly Question[], form: FormData) {
	const raw: Record<string, string | PersonRow[]> = {};
	const values: Record<string, string> = {};
	const get = (name: string) => {
		const v = String(form.get(name) ?? '');
		if (v !== '') values[name] = v;
		return v;
	};
	for (const q of questions) {
		if (q.kind !== 'per_person') {
			raw[q.id] = get(answerName(q.id));
			continue;
		}
		const rows: PersonRow[] = [];
		for (let i = 0; i < MAX_ROWS; i++) rows.push(Object.fromEntries(q.fields.map((f) => [f.id, get(answerName(q.id, i, f.id))])));
		// Trailing blank rows are not sent back as rows: only the ones up to the last filled.
		while (rows.length && Object.values(rows[rows.length - 1]).every((v) => v.trim() === '')) rows.pop();
		raw[q.id] = rows;
	}
	return { raw, values };
}

export type AnswersParse = { ok: true; value: AnswerDocument } | { ok: false; values: Record<string, string>; errors: Record<string, AnswerError> };

/**
 * A resident's answers from the registration form, checked against the program's questions for
 * the group size they gave. Errors are keyed by the form's field names (`a.<id>`, `a.<id>.<row>.<field>`).
 */
export function readAnswers(questions: readonly Question[], form: FormData, groupSize: number): AnswersParse {
	const { raw, values } = rawAnswers(questions, form);
	const parsed = answersSchema(questions, groupSize).safeParse(raw);
	if (!parsed.success) {
		const errors: Record<string, AnswerError> = {};
		for (const i of parsed.error.issues) {
			const [qid, row, fieldId] = i.path as [string, number | undefined, string | undefined];
			const name = typeof row === 'number' && fieldId ? answerName(qid, row, fieldId) : answerName(qid);
			const params = (i as { params?: Record<string, number> }).params;
			errors[name] ??= { key: (i.message.startsWith('questions.error.') ? i.message : 'questions.error.required') as AnswerErrorKey, ...(params ? { params } : {}) };
		}
		return { ok: false, values, errors };
	}
	const data = parsed.data as Record<string, AnswerValue>;
	return {
		ok: true,
		value: {
			v: 1,
			answers: questions.map((q) => ({ id: q.id, kind: q.kind, label: q.label, sensitive: q.sensitive, value: data[q.id] ?? null, ...(q.kind === 'per_person' ? { fields: q.fields.map((f) => ({ id: f.id, label: f.label })) } : {}) }))
		}
	};
}

const answerSchema = z.object({
	id: z.string(),
	kind: z.enum(QUESTION_KINDS),
	label: z.string(),
	sensitive: z.boolean(),
	value: z.union([z.string(), z.number(), z.boolean(), z.array(z.record(z.string(), z.string())), z.null()]),
	fields: z.array(z.object({ id: z.string(), label: z.string() })).optional()
});
const documentSchema = z.object({ v: z.literal(1), answers: z.array(answerSchema) });

/** A sealed document opened: its answers, or none if it does not read as one. */
export function answersOfDocument(json: string): Answer[] {
	try {
		const parsed = documentSchema.safeParse(JSON.parse(json));
		return parsed.success ? parsed.data.answers : [];
	} catch {
		return [];
	}
}

/** One answer in words for the staff's list and the CSV (a consent as 「同意」, each person on a line). */
export function answerText(a: Answer, words: { yes: string; person: (n: number) => string }): string {
	if (a.value === null || a.value === '') return '';
	if (a.kind === 'consent') return a.value === true ? words.yes : '';
	if (Array.isArray(a.value)) {
		const fields = a.fields ?? [];
		return a.value.map((row, i) => `${words.person(i + 1)} ${fields.map((f) => `${f.label}: ${row[f.id] ?? ''}`).join(' / ')}`).join('\n');
	}
	return String(a.value);
}
