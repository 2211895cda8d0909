import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from './index';
import { checkRules, unboundedQuantifiers } from './rules';
import { diffRules, formOf, measureRules, meetsFloor, rulesFromForm, type PostedRules } from './review';

/** The form of the shipped rules as the page posts it. */
function posted(version: string): PostedRules {
	const form = formOf(DEFAULT_RULES);
	return { version, exclusions: form.exclusions, rules: new Map(form.rules.map((r) => [r.id, { patterns: r.patterns, exclusions: r.exclusions }])) };
}

describe('checkRules: a set submitted or stored', () => {
	it('accepts the shipped rules', () => {
		expect(checkRules(JSON.parse(JSON.stringify(DEFAULT_RULES)))).toEqual({ ok: true, rules: DEFAULT_RULES });
	});

	it('lists every problem in Japanese with where it is', () => {
		const doc = structuredClone(DEFAULT_RULES) as unknown as { version: string; exclusions: Array<Record<string, unknown>>; rules: Array<Record<string, unknown>> };
		doc.version = 'v 1';
		doc.exclusions[0].pattern = '.*';
		doc.rules[0].patterns = ['ok', '[あ'];
		doc.rules[0].typo = true;
		doc.rules[1].category = 'sadness';
		const r = checkRules(doc);
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.problems).toEqual(
			expect.arrayContaining([
				'版の名前: 版の名前は英数字と . _ - で書いてください（例 2026-12-2）',
				`全体の除外 ${DEFAULT_RULES.exclusions[0].id} のパターン: 空の文字列に一致するパターンは使えません: .*`,
				expect.stringMatching(new RegExp(`^規則 ${DEFAULT_RULES.rules[0].id.replace('.', '\\.')} の語 2: 正規表現として読めません`)),
				`規則 ${DEFAULT_RULES.rules[0].id}: 認識されていないキー: "typo"`,
				`規則 ${DEFAULT_RULES.rules[1].id} の分類: 分類は danger / suicide / self_harm / violence / abuse のどれかです`
			])
		);
	});

	it('refuses a set that leaves a category without a rule', () => {
		const doc = { ...DEFAULT_RULES, rules: DEFAULT_RULES.rules.filter((r) => r.category !== 'danger') };
		expect(checkRules(doc)).toEqual({ ok: false, problems: ['規則: 分類 danger の規則がありません'] });
	});
});

describe('patterns that would stall on a long message', () => {
	const withPattern = (pattern: string) => {
		const doc = structuredClone(DEFAULT_RULES);
		doc.rules[0].patterns = [pattern];
		return checkRules(doc);
	};
	it.each([
		['(あ|ああ)*い', 'かっこ全体を上限なく繰り返す'],
		['(しに)+たい', 'かっこ全体を上限なく繰り返す'],
		['(しに){2,}たい', 'かっこ全体を上限なく繰り返す'],
		['.*しに.*たい', '上限のない繰り返し（+ * {n,}）は一つのパターンに一つまで'],
		['し+に+たい', '上限のない繰り返し（+ * {n,}）は一つのパターンに一つまで']
	])('%s is refused', (pattern, message) => {
		const checked = withPattern(pattern);
		expect(checked.ok).toBe(false);
		if (!checked.ok) expect(checked.problems.join()).toContain(message);
	});
	it.each(['[0-9]+年前', '死に[^。]{0,20}たい', '(しに){1,3}たい', '[(]+し', '\\(し\\)+に'])('%s is allowed', (pattern) => {
		expect(withPattern(pattern).ok).toBe(true);
	});
	it('no shipped pattern has more than one unbounded quantifier, or one on a group', () => {
		const patterns = [...DEFAULT_RULES.exclusions.map((e) => e.pattern), ...DEFAULT_RULES.rules.flatMap((r) => [...r.patterns, ...(r.exclusions ?? [])])];
		expect(patterns.filter((p) => unboundedQuantifiers(p).count > 1 || unboundedQuantifiers(p).onGroup)).toEqual([]);
	});
});

describe('the one-term-per-line form', () => {
	it('gives back the same rules when nothing was edited', () => {
		const r = rulesFromForm(DEFAULT_RULES, posted('same-1'));
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(checkRules(r.document)).toEqual({ ok: true, rules: { ...DEFAULT_RULES, version: 'same-1' } });
	});

	it('trims lines, drops blank ones, keeps notes of exclusions it knows', () => {
		const p = posted('edit-1');
		p.rules.set('suicide.disappear', { patterns: '  消えたい \r\n\r\n\nいなくなりたいよう\n', exclusions: 'ボールペン' });
		p.exclusions = `${DEFAULT_RULES.exclusions[0].id}: ${DEFAULT_RULES.exclusions[0].pattern}\nextra.thing:バナナ牛乳`;
		const r = rulesFromForm(DEFAULT_RULES, p);
		if (!r.ok) throw new Error(r.problems.join());
		const doc = r.document as typeof DEFAULT_RULES;
		expect(doc.rules.find((x) => x.id === 'suicide.disappear')).toMatchObject({ patterns: ['消えたい', 'いなくなりたいよう'], exclusions: ['ボールペン'] });
		expect(doc.exclusions).toEqual([DEFAULT_RULES.exclusions[0], { id: 'extra.thing', pattern: 'バナナ牛乳' }]);
	});

	it('names what the form itself got wrong', () => {
		const p = posted('bad-1');
		p.rules.delete('abuse.word');
		p.rules.set('abuse.unknown', { patterns: 'x' });
		p.exclusions = 'ただの語';
		expect(rulesFromForm(DEFAULT_RULES, p)).toEqual({
			ok: false,
			problems: ['規則 abuse.unknown: もとの版にない規則です', '全体の除外 1行目: 「id: パターン」の形で書いてください（例 negation.not-that: 死にたいわけじゃない）: ただの語', '規則 abuse.word: 語の欄がありません']
		});
	});
});

describe('difference and figures', () => {
	it('lists terms added and removed per category and per exclusion list', () => {
		const to = structuredClone(DEFAULT_RULES);
		const disappear = to.rules.find((r) => r.id === 'suicide.disappear')!;
		const removed = disappear.patterns.shift()!;
		disappear.patterns.push('あたらしいことば');
		disappear.exclusions = [...(disappear.exclusions ?? []), 'ボールペン'];
		to.exclusions = to.exclusions.slice(1);
		const diff = diffRules(DEFAULT_RULES, to);
		expect(diff.categories).toEqual([{ category: 'suicide', added: ['あたらしいことば'], removed: [removed] }]);
		expect(diff.ruleExclusions).toEqual([{ ruleId: 'suicide.disappear', added: ['ボールペン'], removed: [] }]);
		expect(diff.exclusions).toEqual({ added: [], removed: [`${DEFAULT_RULES.exclusions[0].id}: ${DEFAULT_RULES.exclusions[0].pattern}`] });
		expect(diff.same).toBe(false);
		expect(diffRules(DEFAULT_RULES, DEFAULT_RULES).same).toBe(true);
	});

	it('measures both sets and applies the floor to the held-out one', () => {
		const m = measureRules(DEFAULT_RULES);
		expect(m.meetsFloor).toBe(true);
		expect(m.heldout.missed.length).toBe(m.heldout.crisis - m.heldout.caught);
		expect(meetsFloor({ recall: 0.95, falseAlarmRate: 0.15 })).toBe(true);
		expect(meetsFloor({ recall: 0.949, falseAlarmRate: 0 })).toBe(false);
		expect(meetsFloor({ recall: 1, falseAlarmRate: 0.151 })).toBe(false);
	});
});
