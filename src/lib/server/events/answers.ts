/**
 * Answers to a program's registration questions: the zod schema built from the questions (for
 * the group size the resident gave), reading the public form's fields (`a.<question>`, per person
 * `a.<question>.<row>.<field>`), and the one self-describing document sealed on the registration
 * (each answer carries its question's label, so staff can read it after the question changed).
 */
import { z } from 'zod';
import { QUESTION_KINDS, type QuestionKind } from './schema';
import { MAX_ROWS, type Question } from './questions';

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

/** How many per-person rows a sent form held: its highest row in `a.<question>.<row>.<field>` (answerName), plus one; 0 for none. */
export function rowsSent(names: Iterable<string>): number {
	let rows = 0;
	for (const name of names) {
		const row = /^a\.[^.]+\.(\d+)\./.exec(name);
		if (row) rows = Math.max(rows, Number(row[1]) + 1);
	}
	return rows;
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
		// A field the person left blank is left out: 「アレルギー: 」 with nothing after it reads as a missing answer.
		return a.value
			.map(
				(row, i) =>
					`${words.person(i + 1)} ${fields
						.filter((f) => (row[f.id] ?? '') !== '')
						.map((f) => `${f.label}: ${row[f.id]}`)
						.join(' / ')}`
			)
			.join('\n');
	}
	return String(a.value);
}
