/**
 * A program's registration questions (Google Forms' place in a こども食堂's day): their definitions,
 * checked with zod when staff save them, and the staff form's rows they are read from. The
 * residents' answers are checked by a schema built from them (answers.ts).
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
