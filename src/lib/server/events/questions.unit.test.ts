/** Registration questions: definitions checked when staff save them, answers checked against them. */
import { describe, expect, it } from 'vitest';
import { questionRowsOf, questionsSchema, readQuestions, rowOf, type Question } from './questions';
import { answerText, answersOfDocument, readAnswers, rowsSent } from './answers';

const form = (entries: Record<string, string>) => {
	const f = new FormData();
	for (const [k, v] of Object.entries(entries)) f.set(k, v);
	return f;
};

const GRADE: Question = {
	id: 'qgrade01',
	kind: 'per_person',
	label: 'お子さんの学年',
	required: true,
	sensitive: true,
	fields: [
		{ id: 'fgrade01', kind: 'choice', label: '学年', required: true, options: ['小1', '小2', '小3'] },
		{ id: 'fallergy', kind: 'text', label: 'アレルギー', required: false }
	]
};
const QUESTIONS: Question[] = [
	{ id: 'qnote001', kind: 'text', label: 'ひとこと', required: false, sensitive: false },
	{ id: 'qhow0001', kind: 'choice', label: '何で知りましたか', required: true, sensitive: false, options: ['チラシ', '学校', '友だち'] },
	{ id: 'qadults1', kind: 'number', label: '大人の人数', required: true, sensitive: false, min: 0, max: 5 },
	GRADE,
	{ id: 'qphoto01', kind: 'consent', label: '写真撮影に同意します', required: true, sensitive: false }
];

describe('question definitions', () => {
	it('accept the five kinds and refuse broken ones', () => {
		expect(questionsSchema.safeParse(QUESTIONS).success).toBe(true);
		const bad = [
			{ ...QUESTIONS[0], label: '' },
			{ ...QUESTIONS[1], options: ['ひとつだけ'] },
			{ ...QUESTIONS[1], options: ['同じ', '同じ'] },
			{ ...QUESTIONS[2], min: 5, max: 1 },
			{ ...GRADE, fields: [] },
			{ ...QUESTIONS[4], required: false },
			{ ...QUESTIONS[0], kind: 'date' }
		];
		for (const q of bad) expect(questionsSchema.safeParse([q]).success, JSON.stringify(q)).toBe(false);
		expect(questionsSchema.safeParse([QUESTIONS[0], QUESTIONS[0]]).success).toBe(false);
	});

	it('are read from the staff form rows, blank rows ignored, errors filed on the row and sub-field', () => {
		const rows = questionRowsOf(
			form({
				questionCount: '4',
				'q0.kind': 'per_person',
				'q0.label': 'お子さんの学年',
				'q0.required': 'on',
				'q0.f0.label': '学年',
				'q0.f0.kind': 'choice',
				'q0.f0.options': '小1\n小2\n\n小3',
				'q0.f1.label': 'アレルギー',
				'q1.kind': 'choice',
				'q1.label': '何で知りましたか',
				'q1.options': 'チラシ',
				'q2.kind': 'text',
				'q2.label': '',
				'q3.kind': 'per_person',
				'q3.label': '一人ずつ',
				'q3.f2.kind': 'choice',
				'q3.f2.label': '好きな色'
			})
		);
		const read = readQuestions(rows);
		expect(read.ok).toBe(false);
		if (read.ok) return;
		expect(read.rows).toHaveLength(3); // the blank one is no question
		expect(read.errors[0]).toEqual({});
		expect(read.errors[1]).toEqual({ options: 'questions.def.options' });
		expect(read.errors[2].fieldErrors?.[2]).toEqual({ options: 'questions.def.options' });

		const good = readQuestions(rows.slice(0, 1));
		expect(good.ok).toBe(true);
		if (!good.ok) return;
		const [q] = good.value;
		expect(q).toMatchObject({
			kind: 'per_person',
			label: 'お子さんの学年',
			required: true,
			fields: [
				{ kind: 'choice', label: '学年', options: ['小1', '小2', '小3'] },
				{ kind: 'text', label: 'アレルギー' }
			]
		});
		// Saved ids stay: the row of a saved question gives back the same question.
		const again = readQuestions([rowOf(q)]);
		expect(again.ok && again.value).toEqual([q]);
	});
});

describe('answers', () => {
	const ok = { 'a.qhow0001': '学校', 'a.qadults1': '１', 'a.qgrade01.0.fgrade01': '小3', 'a.qgrade01.0.fallergy': '卵', 'a.qphoto01': 'on' };

	it('make one self-describing document', () => {
		const read = readAnswers(QUESTIONS, form(ok), 2);
		expect(read.ok).toBe(true);
		if (!read.ok) return;
		const byId = Object.fromEntries(read.value.answers.map((a) => [a.id, a]));
		expect(byId.qnote001.value).toBeNull();
		expect(byId.qadults1.value).toBe(1);
		expect(byId.qgrade01).toMatchObject({ label: 'お子さんの学年', sensitive: true, value: [{ fgrade01: '小3', fallergy: '卵' }] });
		expect(byId.qphoto01.value).toBe(true);
		const reopened = answersOfDocument(JSON.stringify(read.value));
		expect(
			answerText(
				reopened.find((a) => a.id === 'qgrade01')!,
				{ yes: '同意', person: (n) => `${n}人目` }
			)
		).toBe('1人目 学年: 小3 / アレルギー: 卵');
	});

	it('in words leave out a field a person left blank (no 「アレルギー: 」 with nothing after it)', () => {
		const read = readAnswers(QUESTIONS, form({ 'a.qhow0001': 'チラシ', 'a.qadults1': '1', 'a.qgrade01.0.fgrade01': '小1', 'a.qgrade01.1.fgrade01': '小3', 'a.qgrade01.1.fallergy': '卵', 'a.qphoto01': 'on' }), 2);
		expect(read.ok).toBe(true);
		if (!read.ok) return;
		const grade = read.value.answers.find((a) => a.id === 'qgrade01')!;
		expect(answerText(grade, { yes: '同意', person: (n) => `${n}人目` })).toBe('1人目 学年: 小1\n2人目 学年: 小3 / アレルギー: 卵');
	});

	it('are refused with a message key beside each field', () => {
		const read = readAnswers(QUESTIONS, form({ 'a.qhow0001': 'テレビ', 'a.qadults1': '9', 'a.qgrade01.0.fallergy': '卵', 'a.qgrade01.1.fgrade01': '小1', 'a.qgrade01.2.fgrade01': '小2', 'a.qnote001': 'あ'.repeat(501) }), 2);
		expect(read.ok).toBe(false);
		if (read.ok) return;
		expect(read.errors).toEqual({
			'a.qnote001': { key: 'questions.error.tooLong', params: { max: 500 } },
			'a.qhow0001': { key: 'questions.error.choice' },
			'a.qadults1': { key: 'questions.error.max', params: { max: 5 } },
			'a.qgrade01.0.fgrade01': { key: 'questions.error.required' },
			'a.qgrade01': { key: 'questions.error.rows', params: { count: 2 } },
			'a.qphoto01': { key: 'questions.error.consent' }
		});
		// What was typed comes back to be shown again.
		expect(read.values['a.qgrade01.0.fallergy']).toBe('卵');
	});

	it('ignore blank per-person rows but need one when required', () => {
		const read = readAnswers([GRADE], form({ 'a.qgrade01.3.fallergy': ' ' }), 1);
		expect(read.ok).toBe(false);
		if (read.ok) return;
		expect(read.errors).toEqual({ 'a.qgrade01': { key: 'questions.error.rowsRequired' } });
		const one = readAnswers([GRADE], form({ 'a.qgrade01.2.fgrade01': '小2' }), 1);
		expect(one.ok && one.value.answers[0].value).toEqual([{ fgrade01: '小2', fallergy: '' }]);
	});
});

describe('rowsSent', () => {
	it('is the highest per-person row a form sent, plus one; other answers and names count for none', () => {
		expect(rowsSent(['a.qhow0001', 'a.qgrade01.0.fgrade01', 'a.qgrade01.5.fallergy', 'a.qgrade01.2.fgrade01'])).toBe(6);
		expect(rowsSent(['a.qhow0001', 'name', 'a.qgrade01.x.fgrade01', 'a.qgrade01.1'])).toBe(0);
		expect(rowsSent([])).toBe(0);
	});
});
