/**
 * No empty page when some words match: when every word together finds too little, the same
 * search again with one word left out at a time (and, when that still finds nothing, with one
 * word alone), each group shown under the words it does not contain (「『無料』を含まない結果」).
 */
import { sql } from 'drizzle-orm';
import type { FinderQuery } from '../finder-query';
import { queryWords } from '../search/normalize';
import type { TextMatch } from './text';
import type { FinderItem, FinderResult, PartialMatches } from './types';

/** Fewer matches than this, and the partial matches are looked for too. */
export const FEW_MATCHES = 3;
/** Items shown per group of partial matches, and groups at most. */
const ITEMS_PER_GROUP = 5;
const MAX_GROUPS = 3;
/** A long query is not relaxed word by word (one search per word). */
const MAX_WORDS = 6;

interface Relaxation {
	missing: string[];
	text: TextMatch;
}

function relaxed(text: TextMatch, keep: TextMatch['words'], missing: TextMatch['words']): Relaxation {
	return {
		missing: missing.map((w) => w.typed),
		// The score still reads every word: a word left out scores alike on every row, so the order is that of the words kept.
		text: {
			where: sql.join([...keep.map((w) => sql`(${w.where})`), ...text.excluded], sql` and `),
			score: text.score,
			words: keep,
			excluded: text.excluded,
			levels: text.levels
		}
	};
}

/** Each word left out in turn, then (for three words or more) each word alone. */
export function relaxations(text: TextMatch): { dropOne: Relaxation[]; keepOne: Relaxation[] } {
	const words = text.words;
	if (words.length < 2 || words.length > MAX_WORDS) return { dropOne: [], keepOne: [] };
	const dropOne = words.map((w, i) => relaxed(text, [...words.slice(0, i), ...words.slice(i + 1)], [w]));
	const keepOne =
		words.length > 2
			? words.map((w, i) =>
					relaxed(
						text,
						[w],
						words.filter((_, j) => j !== i)
					)
				)
			: [];
	return { dropOne, keepOne };
}

/**
 * The words as the resident typed them (サロン, not the folded さろん), by their normalised form;
 * a word whose typing cannot be told apart stays normalised.
 */
function typedForms(q: string | undefined): Map<string, string> {
	const forms = new Map<string, string>();
	for (const token of (q ?? '').split(/[\s\u3000]+/)) {
		if (token.startsWith('-')) continue; // an excluded word is never a missing one
		const words = queryWords(token);
		if (words.length === 1 && !forms.has(words[0])) forms.set(words[0], token);
	}
	return forms;
}

type Run = (query: FinderQuery, text: TextMatch) => Promise<FinderResult>;

/**
 * The best partial matches of a search that found fewer than FEW_MATCHES: groups by the words
 * they miss, the largest first, without the programs the full search already lists.
 */
export async function partialMatches(run: Run, query: FinderQuery, text: TextMatch, found: FinderItem[]): Promise<PartialMatches[]> {
	const seen = new Set(found.map((i) => i.id));
	const { dropOne, keepOne } = relaxations(text);
	const typed = typedForms(query.q);
	const search = { ...query, page: 1, per_page: ITEMS_PER_GROUP + seen.size };
	for (const level of [dropOne, keepOne]) {
		const groups: PartialMatches[] = [];
		for (const r of level) {
			const result = await run(search, r.text);
			const items = result.items.filter((i) => !seen.has(i.id)).slice(0, ITEMS_PER_GROUP);
			// Every program of the full search matches each relaxed one too.
			if (items.length) groups.push({ missing: r.missing.map((w) => typed.get(w) ?? w), total: result.total - seen.size, items });
		}
		if (groups.length) return groups.sort((a, b) => b.total - a.total).slice(0, MAX_GROUPS);
	}
	return [];
}
