import { describe, expect, it } from 'vitest';
import { readingOf } from './analyser';
import { buildSearchDocument } from './document';
import { analyseQuery, splitQuery } from './query';
import { romajiReading } from './romaji';
import { expandWord } from './synonyms';
import thesaurusFile from './thesaurus.json';
import { deriveThesaurus, thesaurusSynonyms } from './thesaurus';
import { readSudachi } from '../../../../../scripts/build-thesaurus';
import { Vocabulary } from './vocabulary';

describe('romaji', () => {
	it('reads clean romaji as hiragana, also inside mixed words', () => {
		expect(romajiReading('sapporo')).toBe('さっぽろ');
		expect(romajiReading('hikikomori')).toBe('ひきこもり');
		expect(romajiReading('こどもshokudou')).toBe('こどもしょくどう');
	});
	it('leaves Latin words that are not romaji', () => {
		expect(romajiReading('line')).toBeNull();
		expect(romajiReading('npo')).toBeNull();
		expect(romajiReading('dv')).toBeNull();
	});
});

describe('readings', () => {
	it('reads kanji as hiragana', () => {
		expect(readingOf('札幌市')).toBe('さっぽろし');
		expect(readingOf('不登校')).toBe('ふとうこう');
	});
	it('puts the readings of title and tags in the search document', () => {
		const doc = buildSearchDocument({ title: '防災子ども食堂', summary: '', description: '', forms: [], targets: [], lifeStages: [], organizationName: '', areas: [{ prefecture: '北海道', city: '札幌市' }] });
		expect(doc.searchTags).toContain('こどもしょくどう');
		expect(doc.searchTags).toContain('さっぽろ');
	});
});

describe('exclusions', () => {
	it('a leading minus, half- or full-width, excludes', () => {
		expect(splitQuery('不登校 -東京')).toEqual({ include: ['不登校'], exclude: ['東京'] });
		expect(splitQuery('こども食堂　－北海道')).toEqual({ include: ['こども食堂'], exclude: ['北海道'] });
		expect(splitQuery('40-50代')).toEqual({ include: ['40', '50代'], exclude: [] });
	});
	it('a query of exclusions only has no words', () => {
		expect(analyseQuery('-東京').words).toEqual([]);
	});
});

describe('needs and sentences', () => {
	it('maps feelings and life events to needs, through base forms', () => {
		expect(analyseQuery('夫を亡くしました').needs).toEqual(['死別・グリーフ']);
		expect(analyseQuery('妻が亡くなった').needs).toEqual(['死別・グリーフ']);
		expect(analyseQuery('仕事を辞めた').needs).toEqual(['退職後']);
		expect(analyseQuery('話し相手がほしい').needs).toEqual(['居場所・交流']);
		expect(analyseQuery('さみしい').needs).toEqual(['居場所・交流']);
		expect(analyseQuery('学校に行けない').needs).toEqual(['不登校']);
	});
	it('does not require the function words and absorbed nouns of a sentence', () => {
		const words = analyseQuery('夫を亡くしました').words;
		expect(words).toHaveLength(1);
		expect(words[0].spellings).toContain('死別');
		expect(analyseQuery('話し相手がほしい').words[0].spellings).toContain('いばしょ');
	});
	it('keeps content nouns of a sentence with no need', () => {
		expect(analyseQuery('将棋をしたい').words.map((w) => w.typed)).toEqual(['将棋']);
	});
	it('does not take a kana name for a sentence', () => {
		expect(analyseQuery('さっぽろ').words.map((w) => w.typed)).toEqual(['さっぽろ']);
		expect(analyseQuery('きつおん').words.map((w) => w.typed)).toEqual(['きつおん']);
	});
});

describe('typo correction', () => {
	const vocab = new Vocabulary(['防災子ども食堂', '平日午前の居場所（不登校児童の保護者の会と連携）', 'メンズシェッドのグループ活動', '札幌市'], ['こども食堂']);
	it('corrects homophones by reading', () => {
		expect(vocab.correct('こども食道')).toMatch(/^(こども|子ども)食堂$/);
		expect(vocab.correct('不登効')).toBe('不登校');
	});
	it('corrects a near spelling', () => {
		expect(vocab.correct('めんずしぇど')).toBe('メンズシェッド');
	});
	it('leaves known words and words nothing resembles', () => {
		expect(vocab.correct('居場所')).toBeNull();
		expect(vocab.correct('ぱぴぷぺぽ')).toBeNull();
	});
});

describe("synonyms: our groups, then Sudachi's dictionary", () => {
	it('thesaurus.json is what `npm run build:thesaurus` derives from the installed package (run it after updating the package or normalize.ts)', async () => {
		const { source, groups } = await readSudachi();
		expect(thesaurusFile.source).toBe(source);
		expect(thesaurusFile.groups).toEqual(deriveThesaurus(groups));
	}, 30_000);
	it('expands a word our groups do not know through the dictionary', () => {
		expect(expandWord('玩具')).toContain('おもちゃ');
		expect(expandWord('職安')).toContain('はろーわーく');
		expect(expandWord('心的外傷')).toContain('とらうま');
		expect(analyseQuery('カウンセラー').words[0].spellings).toContain('相談員');
	});
	it('keeps our own groups for the words they know: no general-dictionary noise', () => {
		// Sudachi has 居場所 = 所在 and 退職 = 退陣; our groups say what they mean here.
		expect(expandWord('いばしょ')).not.toContain('所在');
		expect(expandWord('退職')).not.toContain('退陣');
		expect(expandWord('退職')).toContain('定年');
	});
	it('a word of two kana or fewer stands for its group only when typed: folded, it occurs inside ordinary words', () => {
		// タダ folds to ただ (経験し「ただ」んせい, いただく) and ママ to まま (たかは「まま」ち, そのまま).
		const spellings = (q: string) => analyseQuery(q).words[0].spellings;
		expect(spellings('無料')).not.toContain('ただ');
		expect(spellings('無料')).toContain('費用なし');
		expect(spellings('子育て')).not.toContain('まま');
		expect(spellings('子育て')).toContain('育児');
		// Typed, they still stand for their group; nor does one inside a phrase stand for it (そのままでいい).
		expect(spellings('タダ')).toContain('無料');
		expect(spellings('ママ')).toContain('育児');
		expect(spellings('そのままでいい')).not.toContain('育児');
		// The same for Sudachi's groups: 母親 = ママ, デモンストレーション = デモ (inside 誰でも).
		expect(spellings('母親')).not.toContain('まま');
		expect(spellings('母親')).toContain('かあさん');
		expect(spellings('デモンストレーション')).not.toContain('でも');
	});
	it('leaves out what Sudachi marks as a target only, which would match inside other words', () => {
		// Sudachi's 無料 = フリー (target only) would find フリースクール and フリースペース.
		expect(thesaurusSynonyms('無料')).not.toContain('ふりー');
		expect(thesaurusSynonyms('男性')).not.toContain('男子');
		expect(thesaurusSynonyms('高齢者')).toContain('老人');
		expect(thesaurusSynonyms('高齢者')).not.toContain('しにあ');
	});
});
