/**
 * Free-text matching: every query word must match, through any of its spellings; the score reads
 * title and tags. The language layer (search/) decides what a word's spellings are.
 */
import { sql, type SQL } from 'drizzle-orm';
import { gramId, hasSharedGramIds, wordGrams } from '../search/normalize';
import { analyseQuery } from '../search/query';
import { dictionaryWords } from '../search/synonyms';
import { Vocabulary } from '../search/vocabulary';
import { taxonomy } from '../taxonomy';
import type { Pool } from '../../db';

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
	/** `-word` conditions: they hold however the words are relaxed. */
	excluded: SQL[];
	/** Every score a program can have (sums of the words' weights), highest first. */
	levels: number[];
}

/**
 * Every query word must match (AND); a word matches through any of its spellings (OR).
 *
 * The index condition is only gram containment: for each spelling, intarray's `@@ 'a&b&…'` over
 * the grams as integers (`search_gram_ids`, search/normalize.ts gramId), so PostgreSQL answers it
 * from the GIN index, and where it is checked row by row (reading soonest first, sort=next) it is
 * a binary search per gram in an array a third of the size instead of `@>` over ~310 text grams
 * (相談 and its 12 synonyms: 3× faster at 100,000 programs, bench/RESULTS.md 2026-12-03). One `@@`
 * per spelling rather than one `(a&b)|(c)|…` for the word: GIN then scans each spelling's grams as
 * all required, as it did for `@>`; the single query made it walk the union of every gram's
 * postings (twice as slow from the index, no faster row by row).
 * A word of one or two characters is its own gram, so containment is exact — but for characters
 * beyond the BMP, which share ids: a word holding one is confirmed as a longer one is.
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
	const analysed = q ? analyseQuery(q) : null;
	// A query made only of exclusions is no text.
	if (!analysed?.words.length) return null;
	const perWord: TextMatch['words'] = [];
	const scores: SQL[] = [];
	let levels = [0];
	for (const word of analysed.words) {
		const conditions: SQL[] = [];
		const { typed } = word;
		const spellings = word.spellings;
		const synonyms = spellings.filter((s) => s !== typed);
		conditions.push(
			sql`(${sql.join(
				spellings.map((s) => {
					const ids = [...new Set(wordGrams(s).map(gramId))];
					// A spelling with no grams at all is contained in every text.
					return ids.length ? sql`p.search_gram_ids @@ ${ids.join('&')}::query_int` : sql`true`;
				}),
				sql` or `
			)})`
		);
		if ([...typed].length > 2 || spellings.some(hasSharedGramIds)) {
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
		const weights = synonyms.length ? [10, 8, 6, 2] : [10, 6, 2];
		levels = [...new Set(levels.flatMap((l) => weights.map((w) => l + w)))];
	}
	// `-東京`: an excluded word is a condition on the whole search, not a word that can be relaxed.
	const excluded = analysed.excluded.map(
		(spellings) =>
			sql`not (${sql.join(
				spellings.map((s) => sql`strpos(p.search_title, ${s}) > 0 or strpos(p.search_tags, ${s}) > 0 or strpos(p.search_body, ${s}) > 0`),
				sql` or `
			)})`
	);
	return {
		where: sql.join([...perWord.map((w) => sql`(${w.where})`), ...excluded], sql` and `),
		score: sql.join(scores, sql` + `),
		words: perWord,
		excluded,
		levels: levels.sort((a, b) => b - a)
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

// ---- Typo tolerance ------------------------------------------------------------------------

/** Published titles read for the vocabulary: the most recently updated, so national scale stays cheap. */
const vocabularyPrograms = 3000;
const vocabularyMaxAgeMs = 10 * 60 * 1000;
let vocabulary: { built: number; value: Promise<Vocabulary> } | null = null;

async function buildVocabulary(db: Pool): Promise<Vocabulary> {
	const rows = await db.execute<{ title: string; org: string }>(sql`
		select p.title, o.name as org from programs p join organizations o on o.id = p.organization_id
		where p.published and o.published order by p.updated_at desc limit ${vocabularyPrograms}`);
	const places = await db.execute<{ city: string }>(sql`select distinct city from locations where city is not null limit 2000`);
	const labels = (['forms', 'targets', 'lifeStages'] as const).flatMap((name) => taxonomy[name].map((t) => t.ja));
	return new Vocabulary([...rows.rows.flatMap((r) => [r.title, r.org]), ...places.rows.map((r) => r.city), ...labels], dictionaryWords());
}

function currentVocabulary(db: Pool): Promise<Vocabulary> {
	if (!vocabulary || Date.now() - vocabulary.built > vocabularyMaxAgeMs) {
		const value = buildVocabulary(db);
		vocabulary = { built: Date.now(), value };
		value.catch(() => (vocabulary = null));
	}
	return vocabulary.value;
}

/**
 * The query with its typos corrected (こども食道 → こども食堂, 不登効 → 不登校), or null when no word
 * needs it. Only words that match no published program at all are corrected, and only to words
 * of the index's vocabulary; sentences and needs (夫を亡くした) are left as they are.
 */
export async function correctQuery(db: Pool, q: string): Promise<string | null> {
	const analysed = analyseQuery(q);
	const match = textMatch(q);
	if (!match) return null;
	const candidates = analysed.words.map((w, i) => ({ word: w, where: match.words[i].where })).filter((c) => !c.word.phrase);
	if (!candidates.length) return null;
	const found = await db.execute<Record<string, boolean>>(
		sql`select ${sql.join(
			candidates.map((c, i) => sql`exists (select 1 from programs p where p.published and ${c.where}) as ${sql.raw(`w${i}`)}`),
			sql`, `
		)}`
	);
	const unmatched = candidates.filter((_, i) => !found.rows[0][`w${i}`]);
	if (!unmatched.length) return null;
	const vocab = await currentVocabulary(db);
	let corrected = q.normalize('NFKC');
	for (const { word } of unmatched) {
		const better = vocab.correct(word.raw);
		if (better && corrected.includes(word.raw)) corrected = corrected.replace(word.raw, better);
	}
	return corrected === q.normalize('NFKC') ? null : corrected;
}
