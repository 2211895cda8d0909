import { describe, expect, it } from 'vitest';
import { gramId, gramIds, normalizeText, queryWords, textGrams, wordGrams } from './normalize';
import { expandWord } from './synonyms';

describe('normalizeText', () => {
	it('folds the spellings of こども to one form', () => {
		const forms = ['こども', '子ども', '子供', 'コドモ', 'ｺﾄﾞﾓ'].map(normalizeText);
		expect(new Set(forms).size).toBe(1);
	});
	it('folds ひきこもり and 引きこもり, and full-width Latin', () => {
		expect(normalizeText('引きこもり')).toBe(normalizeText('ひきこもり'));
		expect(normalizeText('ＮＰＯ法人')).toBe(normalizeText('NPO法人'));
		expect(normalizeText('ＬＩＮＥ相談')).toBe('line相談');
	});
	it('turns katakana into hiragana but keeps the long vowel mark', () => {
		expect(normalizeText('フードパントリー')).toBe('ふーどぱんとりー');
		expect(normalizeText('カフェ')).toBe('かふぇ');
	});
	it('is idempotent, also where a variant sits inside its canonical form', () => {
		for (const text of ['フードパントリー', 'パントリー', 'ひとり親家庭', 'オンライン相談', '子供食堂', '引きこもり']) {
			expect(normalizeText(normalizeText(text))).toBe(normalizeText(text));
		}
		expect(normalizeText('パントリー')).toBe('ぱんとりー');
		expect(normalizeText('オンライン')).toBe('おんらいん');
	});
	it('keeps unrelated text as it is', () => {
		expect(normalizeText('相談窓口')).toBe('相談窓口');
	});
});

describe('grams', () => {
	it('index characters and adjacent pairs within words only', () => {
		expect(textGrams('子育て 相談').sort()).toEqual(['子', '子育', '育', '育て', 'て', '相', '相談', '談'].sort());
	});
	it('a query word needs its bigrams, a single character itself', () => {
		expect(wordGrams('食堂')).toEqual(['食堂']);
		expect(wordGrams('食')).toEqual(['食']);
		expect(wordGrams('こども食堂')).toEqual(['こど', 'ども', 'も食', '食堂']);
	});
	it('every bigram of a word in a text is in the text’s grams', () => {
		const grams = new Set(textGrams(normalizeText('地域の子ども食堂で会いましょう')));
		for (const g of wordGrams(normalizeText('子供食堂'))) expect(grams.has(g)).toBe(true);
	});
});

describe('queryWords and synonyms', () => {
	it('splits on spaces (full-width too) and punctuation, dropping duplicates', () => {
		expect(queryWords('不登校　相談、不登校')).toEqual(['ふとうこう', '相談']);
	});
	it('expands a word with its synonym group, the word first', () => {
		const alternatives = expandWord(normalizeText('食堂'));
		expect(alternatives[0]).toBe('食堂');
		expect(alternatives).toContain(normalizeText('ごはん'));
		expect(alternatives).toContain('食事');
	});
	it('finds a listed word inside a phrase', () => {
		expect(expandWord(normalizeText('話を聞いてほしい'))).toContain('相談');
		expect(expandWord(normalizeText('誰かと話したい'))).toContain('相談');
	});
	it('does not expand words that belong to no group', () => {
		expect(expandWord('吃音')).toEqual(['吃音']);
	});
});

describe('gramId', () => {
	it('gives every gram of the BMP an id of its own, within a signed 32-bit integer', () => {
		const seen = new Map<number, string>();
		const chars = ['a', 'z', '0', 'あ', 'ん', 'ー', '相', '談', '老', '\u8000', '\uffff', '\u0001', '食', '堂'];
		const grams = [...chars, ...chars.flatMap((a) => chars.map((b) => a + b))];
		for (const g of grams) {
			const id = gramId(g);
			expect(Number.isInteger(id) && id >= -(2 ** 31) && id < 2 ** 31).toBe(true);
			expect(seen.get(id) ?? g).toBe(g);
			seen.set(id, g);
		}
		// The extremes of the two kinds never meet.
		expect(gramId('\uffff')).toBeLessThan(gramId('\u0001\u0001'));
		expect(gramId('\uffff\uffff')).toBe(2 ** 31 - 1);
	});
	it('folds characters beyond the BMP into shared ids, never into those of the BMP', () => {
		expect(gramId('𠮷')).toBe(gramId('\u{203B7}'));
		expect(gramId('𠮷')).not.toBe(gramId('吉'));
		expect(gramId('𠮷野')).toBe(gramId('\u{203B7}野'));
	});
	it('lists ids sorted, without repeats', () => {
		expect(gramIds(['食堂', 'こど', '食堂', 'あ'])).toEqual([gramId('あ'), gramId('こど'), gramId('食堂')].sort((a, b) => a - b));
	});
});
