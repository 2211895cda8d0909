/**
 * Japanese text folding for the finder. Documents and queries go through the same steps, so
 * こども / 子ども / 子供, ＮＰＯ / NPO and カタカナ / ひらがな meet in one form:
 *   1. NFKC: full-width Latin and digits to ASCII, half-width kana to full-width;
 *   2. lower case;
 *   3. katakana to hiragana (the long-vowel mark stays);
 *   4. spelling variants (variants.json) to one canonical spelling.
 */
import variantData from './variants.json';

function foldScript(text: string): string {
	return text
		.normalize('NFKC')
		.toLowerCase()
		.replace(/[\u30a1-\u30f6]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0x60));
}

// Variants are folded first (so 'コドモ' is listed as 'こども'), then applied longest first so that
// 引き籠もり is not half-replaced by a shorter entry.
// Each canonical form also maps to itself, so that a variant inside it (パントリー inside
// フードパントリー) is not replaced a second time: the longer match wins at each position.
const variantRules: Array<[string, string]> = [
	...new Map(
		variantData.groups.flatMap((group) => {
			const canonical = foldScript(group[0]);
			return group.map((v) => [foldScript(v), canonical] as [string, string]);
		})
	)
].sort((a, b) => b[0].length - a[0].length);

const variantPattern = new RegExp(variantRules.map(([from]) => from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
const variantTarget = new Map(variantRules);

export function normalizeText(text: string): string {
	const folded = foldScript(text);
	return variantRules.length ? folded.replace(variantPattern, (m) => variantTarget.get(m) ?? m) : folded;
}

/** Separators between words: whitespace and punctuation, Japanese and Western. */
const separators = /[\s\p{P}\p{S}]+/u;

/** Query words: normalised, split on spaces and punctuation, duplicates and empties removed. */
export function queryWords(query: string): string[] {
	return [...new Set(normalizeText(query).split(separators).filter(Boolean))];
}

/**
 * Index grams of normalised text: every character and every pair of adjacent characters inside a
 * word. Japanese has no spaces between words, so character bigrams give partial-word matching
 * that a GIN index can serve (a query word's grams must all be present; the exact substring
 * check then removes false positives).
 */
export function textGrams(normalized: string): string[] {
	const grams = new Set<string>();
	for (const word of normalized.split(separators)) {
		const chars = [...word];
		for (let i = 0; i < chars.length; i++) {
			grams.add(chars[i]);
			if (i + 1 < chars.length) grams.add(chars[i] + chars[i + 1]);
		}
	}
	return [...grams];
}

/** The smallest set of grams a document must hold to contain `word`: its bigrams, or the character. */
export function wordGrams(word: string): string[] {
	const chars = [...word];
	if (chars.length === 1) return chars;
	const grams = new Set<string>();
	for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i] + chars[i + 1]);
	return [...grams];
}

/**
 * A gram as a 32-bit integer, for the integer index of programs' grams (`search_gram_ids`,
 * migration 0023, intarray). Changing it changes every stored id: raise PROGRAM_INDEX_VERSION
 * (directory/save.ts) with it.
 *
 * A gram is one or two code points. A code point of the BMP stands for itself; one beyond it
 * (rare kanji such as 𠮷, emoji) is folded into the surrogate range, which no text holds
 * (0xD800 + its low 11 bits), so two such characters may share an id — a query word holding one is
 * then confirmed on the text (finder/text.ts). A pair (a, b) is (a − 32768) · 65536 + b; a single
 * character c is the pair (0, c), and no text holds code point 0: every gram of the BMP has an
 * id of its own, and every id fits a signed 32-bit integer.
 */
export function gramId(gram: string): number {
	const points = [...gram].map((c) => foldPoint(c.codePointAt(0)!));
	const [hi, lo] = points.length === 1 ? [0, points[0]] : points;
	return (hi - 32768) * 65536 + lo;
}

/** The ids of `grams`, sorted and without repeats (as intarray keeps them). */
export function gramIds(grams: string[]): number[] {
	return [...new Set(grams.map(gramId))].sort((a, b) => a - b);
}

/** Whether `text` holds a character beyond the BMP, whose gram ids are shared (see gramId). */
export function hasSharedGramIds(text: string): boolean {
	return [...text].some((c) => c.codePointAt(0)! > 0xffff);
}

function foldPoint(point: number): number {
	return point > 0xffff ? 0xd800 + (point & 0x7ff) : point;
}
