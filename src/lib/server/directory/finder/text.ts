/**
 * Free-text matching: every query word must match, through any of its spellings; the score reads
 * title and tags. The language layer (search/) decides what a word's spellings are.
 */
import { sql, type SQL } from 'drizzle-orm';
import { queryWords, wordGrams } from '../search/normalize';
import { expandWord } from '../search/synonyms';
import { textArray } from './sql';

/** Weights are our own constants, written into the SQL as numeric literals. */
function weight(n: number): SQL {
	return sql.raw(n.toFixed(1));
}

export interface TextMatch {
	/** Every word matches (and nothing excluded does). */
	where: SQL;
	score: SQL;
	/** Each word's own condition, so a search that finds too little can relax one word at a time. */
	words: Array<{ typed: string; where: SQL }>;
}

/**
 * Every query word must match (AND); a word matches through any of its spellings (OR).
 *
 * The index condition is only gram containment (`@>`), so PostgreSQL answers it from the GIN
 * index and never re-reads the gram arrays, which live out of line (TOAST) and cost far more to
 * read than the row. A word of one or two characters is its own gram, so containment is exact.
 * When the word as typed is longer, a second condition confirms that one of its spellings occurs
 * as a substring (`strpos` on the in-line title, tags and body), so gram collisions drop out. The
 * longer synonyms of a short word are matched by their bigrams alone: confirming them would cost
 * a dozen substring searches on every row of a common word such as 相談.
 *
 * Scoring reads only title and tags: the word as typed 10 in the title and 6 in the tags, a
 * synonym 8 in the title, anything else 2. (Synonyms in the tags are not scored apart: that one
 * regular expression over every candidate's tags cost more than all the rest of the search.)
 */
export function textMatch(q: string | undefined): TextMatch | null {
	const words = q ? queryWords(q) : [];
	if (!words.length) return null;
	const perWord: TextMatch['words'] = [];
	const scores: SQL[] = [];
	for (const word of words) {
		const conditions: SQL[] = [];
		const [typed, ...synonyms] = expandWord(word);
		const spellings = [typed, ...synonyms];
		conditions.push(
			sql`(${sql.join(
				spellings.map((s) => sql`p.search_grams @> ${textArray(wordGrams(s))}`),
				sql` or `
			)})`
		);
		if ([...typed].length > 2) {
			conditions.push(
				sql`(${sql.join(
					spellings.map((s) => sql`strpos(p.search_title, ${s}) > 0 or strpos(p.search_tags, ${s}) > 0 or strpos(p.search_body, ${s}) > 0`),
					sql` or `
				)})`
			);
		}
		perWord.push({ typed, where: sql.join(conditions, sql` and `) });
		scores.push(sql`(case
			when strpos(p.search_title, ${typed}) > 0 then ${weight(10)}
			${synonyms.length ? sql`when ${containsAny(sql`p.search_title`, synonyms)} then ${weight(8)}` : sql``}
			when strpos(p.search_tags, ${typed}) > 0 then ${weight(6)}
			else ${weight(2)} end)`);
	}
	return {
		where: sql.join(
			perWord.map((w) => sql`(${w.where})`),
			sql` and `
		),
		score: sql.join(scores, sql` + `),
		words: perWord
	};
}

/** Whether `field` contains any of `words`: a few `strpos`, or one regular expression for a long list. */
function containsAny(field: SQL, words: string[]): SQL {
	if (words.length <= 3)
		return sql`(${sql.join(
			words.map((w) => sql`strpos(${field}, ${w}) > 0`),
			sql` or `
		)})`;
	return sql`${field} ~ ${words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')}`;
}
