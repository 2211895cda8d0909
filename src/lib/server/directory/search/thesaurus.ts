/**
 * The maintained synonym dictionary: Sudachi's synonym dictionary (SudachiDict synonyms.txt,
 * © Works Applications, Apache-2.0), as the npm package sudachi-synonyms-dictionary publishes it
 * (Apache-2.0, updated from upstream by its maintainer). Our own groups (synonyms.json) stay first:
 * they are tuned to this field; this dictionary covers the words they do not know (玩具 → おもちゃ,
 * 職業安定所 → ハローワーク, 独り暮らし → 一人暮らし).
 *
 * The package is 14.6 MB of JSON (0.8 s and ≈ 90 MB to parse). `npm run build:thesaurus` reduces it
 * to what a search can use, thesaurus.json (≈ 0.5 MB, committed, words already folded as
 * normalize.ts folds them; a unit test fails when it no longer matches the installed package or
 * our folding). Kept:
 * - nouns (体言) only: the finder matches names of things, and a query's verbs go to needs.json;
 * - words a resident can type as one query word: two characters or more, no spaces;
 *   Latin-letter spellings (consultation, senior) are left out: romaji goes through wanakana;
 * - words Sudachi lets expand (展開制御 0). Words it marks as targets only (1: フリー, ネット,
 *   シニア, 男子) or never (2) are left out entirely: the finder matches substrings, so an
 *   ambiguous word would match inside unrelated ones (フリー inside フリースクール for 無料).
 */
import data from './thesaurus.json';
import { normalizeText } from './normalize';

/** One group of the package (only the fields read here). */
export interface SudachiGroup {
	id: string;
	items: Array<{ taigenYogen: string; expandControl: number; hyoukiYure: string; midashi: string }>;
}

/** The groups a search can use, each as its folded words joined by commas (one group per line in the file). */
export function deriveThesaurus(dictionary: SudachiGroup[]): string[] {
	const out: string[] = [];
	for (const group of dictionary) {
		const words = group.items
			.filter((i) => i.taigenYogen === '体言' && i.expandControl === 0 && i.hyoukiYure !== 'アルファベット表記')
			.map((i) => i.midashi)
			.filter((w) => [...w].length >= 2 && !/[\s,]/.test(w) && !/^[\x20-\x7e]+$/.test(w));
		// Folded as documents and queries are (normalize.ts), so that loading only splits lines.
		const unique = [...new Set(words.map(normalizeText))];
		if (unique.length >= 2) out.push(unique.join(','));
	}
	return out;
}

interface Index {
	groups: string[][];
	/** Each word's groups (most words have one). */
	byWord: Map<string, number[]>;
}

let index: Index | null = null;

function load(): Index {
	if (index) return index;
	const groups = data.groups.map((line) => line.split(','));
	const byWord = new Map<string, number[]>();
	groups.forEach((words, i) => {
		for (const w of words) {
			const at = byWord.get(w);
			if (at) at.push(i);
			else byWord.set(w, [i]);
		}
	});
	index = { groups, byWord };
	return index;
}

/** Load the dictionary now, so that the first search does not pay for it. */
export function warmThesaurus(): void {
	load();
}

/** The dictionary's synonyms of a normalised word (not the word itself); empty when it has none. */
export function thesaurusSynonyms(word: string): string[] {
	const { groups, byWord } = load();
	const at = byWord.get(word);
	if (!at) return [];
	return [...new Set(at.flatMap((i) => groups[i]))].filter((w) => w !== word);
}

/** Which package version the committed file was derived from. */
export const thesaurusSource: string = data.source;
