import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, normalizeMessage, parseRules, triage, type TriageResult } from './index';
import { HELDOUT, TUNING, measure } from './measure';
import { HOTLINES, hotlinesFor, parseHotlines } from '../hotlines';
import rulesJson from './rules.json';
import { hasNestedQuantifier } from './rules';

describe('crisis triage, measured on the labelled sets (docs/triage.md)', () => {
	for (const [name, items, minimum] of [
		['held-out', HELDOUT, 100],
		['tuning', TUNING, 150]
	] as const) {
		it(`${name}: recall ≥ 0.95 and false alarms ≤ 0.15`, () => {
			const m = measure(items);
			expect(m.messages).toBeGreaterThanOrEqual(minimum);
			expect(m.crisis).toBeGreaterThan(m.messages / 3);
			expect(m.ordinary).toBeGreaterThan(m.messages / 3);
			// The missed and falsely alarmed messages are listed in the failure message.
			expect({ recall: m.recall >= 0.95, missed: m.missed.map((i) => i.text) }).toMatchObject({ recall: true });
			expect({ falseAlarms: m.falseAlarmRate <= 0.15, alarms: m.alarms.map((a) => a.item.text) }).toMatchObject({ falseAlarms: true });
		});
	}

	it('the two sets share no message, so the held-out figure is not a tuning figure', () => {
		const tuning = new Set(TUNING.map((i) => normalizeMessage(i.text)));
		expect(HELDOUT.filter((i) => tuning.has(normalizeMessage(i.text))).map((i) => i.text)).toEqual([]);
	});
});

const urgent = (text: string) => triage(text).urgent;

describe('normalisation: one rule catches the ways people write it', () => {
	it.each([
		'死にたい',
		'しにたい',
		'シニタイ',
		'ｼﾆﾀｲ',
		'しにたいいいい',
		'しにたーい',
		'しーにーたーいー',
		'死 に た い',
		'死にたぃ',
		'氏にたい',
		'4にたい',
		'４にたい',
		'死にてぇ',
		'死にたみ',
		'消えたい',
		'ｷｴﾀｲ',
		'キエタイ',
		'ﾘｽｶした',
		'りすかした',
		'ＤＶを受けている',
		'ODしちゃった',
		'もう\n死にたい'
	])('%s is urgent', (text) => {
		expect(urgent(text)).toBe(true);
	});

	it('folds width, kana, small vowels, spaces, elongation and runs; keeps ー in katakana words', () => {
		expect(normalizeMessage('ｼﾆﾀｲ')).toBe('しにたい');
		expect(normalizeMessage('しーにーたーいー')).toBe('しにたい');
		expect(normalizeMessage('死　に た い')).toBe('死にたい');
		expect(normalizeMessage('しにたぃぃぃぃ')).toBe('しにたい');
		expect(normalizeMessage('ＤＶ')).toBe('dv');
		expect(normalizeMessage('ストーカー')).toBe('すとーかー');
		expect(normalizeMessage('一行目\n二行目')).toBe('一行目。二行目');
		expect(normalizeMessage('😭😭😭')).toBe('😭😭😭');
	});

	it('a loanword keeps its ー, so ですとか is not ストーカー', () => {
		expect(urgent('ボランティアですとか、食堂ですとか')).toBe(false);
		expect(triage('ストーカーに困っています').categories).toEqual(['danger']);
	});
});

describe('figurative speech, negation and look-alike words are not crises', () => {
	it.each([
		'死ぬほど笑った',
		'死ぬほどおいしい',
		'疲れて死にそう（笑）',
		'殺虫剤を買いたい',
		'殺菌の方法',
		'消えるボールペンは使えますか',
		'電気が消えた',
		'死にたいくらい眠い',
		'消えたいくらい恥ずかしい',
		'死にたいとは思っていません',
		'自殺なんて考えていません',
		'死角に防犯カメラ',
		'必死に勉強',
		'殴り書きのメモ',
		'ボールを蹴って遊ぶ',
		'実家に帰りたくないなぁ、お正月は友達と',
		'学校にいきたくない',
		'助けていただいてありがとうございました',
		'4ねんせいです',
		'田中氏に相談したい',
		'自殺予防の研修',
		'児童虐待防止のオレンジリボン',
		'DVDを借りたい',
		'鍵を閉じ込めてしまいました'
	])('%s is not urgent', (text) => {
		expect(triage(text)).toMatchObject({ urgent: false, categories: [], matches: [] });
	});

	it('死にたいくらい + a painful state stays urgent; only trivial states are figurative', () => {
		expect(urgent('死にたいくらいつらい')).toBe(true);
		expect(urgent('死にたいくらい眠い')).toBe(false);
	});

	it('a double negation (思わない日はない) is not taken for a negation', () => {
		expect(urgent('死にたいと思わない日はない')).toBe(true);
	});

	it('an excluded phrase hides only itself: another crisis phrase in the message still counts', () => {
		expect(urgent('死にたいわけじゃないけど消えたい')).toBe(true);
		expect(urgent('恥ずかしくて消えたい。もう生きていたくない')).toBe(true);
	});
});

describe('design choices (docs/triage.md)', () => {
	it('a third party in crisis is urgent: the person writing needs the same help', () => {
		expect(triage('友達が死にたいって言ってる').categories).toEqual(['suicide']);
		expect(urgent('息子がリストカットをしているようです')).toBe(true);
		expect(urgent('隣の家から子どもの泣き声と怒鳴り声が毎晩聞こえる')).toBe(true);
	});

	it('a recent or continuing past is urgent; a distant past the person says is over is not', () => {
		expect(urgent('昨日も死にたいと思ってた')).toBe(true);
		expect(urgent('昔から死にたいと思っていて、今もそう')).toBe(true);
		expect(urgent('昔は死にたいと思っていたが今は大丈夫')).toBe(false);
		expect(urgent('昔は死にたいと思っていた。もう大丈夫じゃない')).toBe(true);
	});

	it('a quotation from a song or a film is not urgent; words said to the person are', () => {
		expect(urgent('ドラマで「死にたい」ってセリフがあった')).toBe(false);
		expect(urgent('子どもが「死ね」という言葉を覚えてしまった')).toBe(false);
		expect(triage('親に「死ね」って言われる').categories).toContain('abuse');
	});

	it('immediate danger is its own category, listed first', () => {
		const r = triage('今から死にます');
		expect(r.categories[0]).toBe('danger');
		expect(r.categories).toContain('suicide');
		expect(r.matches.map((m) => m.ruleId)).toContain('danger.imminent');
	});
});

describe('the examples in docs/triage.md', () => {
	it.each([
		'生きるのがつらい',
		'楽に死ねる方法',
		'死んだほうがまし',
		'眠ったまま起きたくない',
		'全部終わらせたい',
		'壁に頭を打ちつける',
		'市販薬を大量に飲んだ',
		'夫が酔って暴れる',
		'夫に怒鳴られる',
		'突き飛ばされた',
		'脅されている',
		'手をあげてしまいそう',
		'外に出してもらえない',
		'今、線路の近くにいます',
		'誰か来て',
		'待ち伏せされている',
		'刃物を向けられた',
		'意識がもうろう',
		'4のう',
		'氏ね'
	])('%s is urgent', (text) => {
		expect(urgent(text)).toBe(true);
	});

	it.each(['話しにたいして', '仕事を終わらせたい', 'good food', '太鼓をたたく', '今から行きます', '献血', '兄弟げんかで叩き合う', '料理で指を切った', '髪を切りたい', '橋の上から花火', '遺言書', '死ぬ気で頑張る', '死んだように眠る', '生きがい', '慢性的な疲れ', '4年生', '氏名'])(
		'%s is not urgent',
		(text) => {
			expect(urgent(text)).toBe(false);
		}
	);

	it('known limits stay documented: katakana elongation and context-only distress are not caught', () => {
		expect(urgent('シニターイ')).toBe(false);
		expect(urgent('もう限界')).toBe(false);
	});
});

describe('rules are versioned data', () => {
	it('the committed rules parse, carry their version, and survive a JSON round trip', () => {
		expect(DEFAULT_RULES.version).toBe(rulesJson.version);
		const copy = parseRules(JSON.parse(JSON.stringify(DEFAULT_RULES)));
		expect(triage('もう消えたい', copy)).toEqual(triage('もう消えたい'));
		expect(triage('もう消えたい').rulesVersion).toBe(DEFAULT_RULES.version);
	});

	it('triage uses the rules it is given', () => {
		const rules = parseRules({ version: 'test-1', exclusions: [{ id: 'x.not', pattern: 'ばなな牛乳' }], rules: [{ id: 'danger.banana', category: 'danger', patterns: ['バナナ'] }] });
		expect(triage('ばなな', rules)).toEqual({ urgent: true, categories: ['danger'], matches: [{ ruleId: 'danger.banana', category: 'danger' }], rulesVersion: 'test-1' });
		expect(triage('バナナ牛乳', rules).urgent).toBe(false);
		expect(triage('死にたい', rules).urgent).toBe(false);
	});

	const valid = { version: '1', exclusions: [], rules: [{ id: 'suicide.a', category: 'suicide', patterns: ['死にたい'] }] };
	it.each([
		['no version', { ...valid, version: '' }],
		['no rules', { ...valid, rules: [] }],
		['an unknown category', { ...valid, rules: [{ id: 'x.a', category: 'sadness', patterns: ['a'] }] }],
		['a broken regular expression', { ...valid, rules: [{ id: 'suicide.a', category: 'suicide', patterns: ['(死にたい'] }] }],
		['a pattern that matches everything', { ...valid, rules: [{ id: 'suicide.a', category: 'suicide', patterns: ['.*'] }] }],
		['an exclusion that matches everything', { ...valid, exclusions: [{ id: 'x.all', pattern: 'a?' }] }],
		['a full-width pattern that could never match', { ...valid, rules: [{ id: 'suicide.a', category: 'suicide', patterns: ['ＤＶ'] }] }],
		['an upper-case pattern that could never match', { ...valid, rules: [{ id: 'suicide.a', category: 'suicide', patterns: ['DV'] }] }],
		['a nested quantifier that backtracks for ever', { ...valid, rules: [{ id: 'suicide.a', category: 'suicide', patterns: ['(し+)+に'] }] }],
		['a duplicate id', { ...valid, rules: [valid.rules[0], valid.rules[0]] }],
		['a bad id', { ...valid, rules: [{ ...valid.rules[0], id: 'Suicide A' }] }],
		['not an object', 'rules']
	])('parseRules refuses %s', (_, doc) => {
		expect(() => parseRules(doc)).toThrow();
	});
});

describe('nested quantifiers', () => {
	it.each(['(あ+)+', '(.*)*x', '(a|b+){0,5}', '(a{1,3})+', '((a+))+', '(x[^。]*)*y'])('%s is refused', (source) => {
		expect(hasNestedQuantifier(source)).toBe(true);
	});
	it.each(['((?!日|ひ)[^。!?]){0,8}(ない)', '[0-9]+年前', '(あ+)?い', '(て)?(い)?たくない', '[(]+', '\\(a+\\)+', '(?<![a-z])od(?![a-z])'])('%s is allowed', (source) => {
		expect(hasNestedQuantifier(source)).toBe(false);
	});
	it('no committed pattern has one', () => {
		expect(DEFAULT_RULES.rules.flatMap((r) => [...r.patterns, ...(r.exclusions ?? [])]).filter(hasNestedQuantifier)).toEqual([]);
	});
});

describe('hotlines', () => {
	const quiet: TriageResult = triage('子ども食堂の日程を教えてください');

	it('an ordinary message lists none', () => {
		expect(quiet.urgent).toBe(false);
		expect(hotlinesFor(quiet)).toEqual([]);
		expect(hotlinesFor(quiet, { child: true })).toEqual([]);
	});

	it('an urgent message lists the lines for everyone, with hours', () => {
		const lines = hotlinesFor(triage('もう消えたい'));
		expect(lines.map((h) => h.number)).toEqual(['0120-279-338', '0120-061-338', '0570-064-556', '0570-783-556', '0120-783-556']);
		expect(lines.every((h) => h.hours.length > 0 && h.name.length > 0)).toBe(true);
	});

	it('immediate danger puts 110 and 119 first', () => {
		const lines = hotlinesFor(triage('元夫が包丁を持って家の前にいる'));
		expect(lines.slice(0, 2).map((h) => h.number)).toEqual(['110', '119']);
		expect(hotlinesFor(triage('もう消えたい')).some((h) => h.audience === 'emergency')).toBe(false);
	});

	it('a child is shown チャイルドライン; an adult is not sent to a line for children', () => {
		const child = hotlinesFor(triage('家に帰るのが怖い'), { child: true });
		expect(child[0]).toMatchObject({ name: expect.stringContaining('チャイルドライン'), number: '0120-99-7777', audience: 'children' });
		expect(hotlinesFor(triage('家に帰るのが怖い')).some((h) => h.audience === 'children')).toBe(false);
	});

	it('the data file holds the lines named in ANCHORS.md and validates', () => {
		expect(HOTLINES.map((h) => h.number).sort()).toEqual(['0120-061-338', '0120-279-338', '0120-783-556', '0120-99-7777', '0570-064-556', '0570-783-556', '110', '119']);
		expect(HOTLINES.find((h) => h.number === '0120-279-338')?.hours).toBe('24時間');
		expect(() => parseHotlines({ hotlines: [{ ...HOTLINES[0], number: '０１２０' }] })).toThrow();
		expect(() => parseHotlines({ hotlines: [HOTLINES[0], HOTLINES[0]] })).toThrow();
	});
});

describe('speed', () => {
	it('triages a message well under a millisecond (CPU time, averaged over the labelled sets)', () => {
		const texts = [...HELDOUT, ...TUNING].map((i) => i.text);
		for (const t of texts) triage(t);
		const start = process.cpuUsage();
		for (let r = 0; r < 20; r++) for (const t of texts) triage(t);
		const microsPerMessage = process.cpuUsage(start).user / (20 * texts.length);
		// The measured figure is in docs/triage.md; this bound only catches a change that makes it ten times slower.
		expect(microsPerMessage).toBeLessThan(500);
	});
});
