/**
 * What a resident typed, understood: words to match (each with every spelling it stands for),
 * words to exclude (`-東京`), and the needs a feeling or life event expresses (夫を亡くした →
 * 死別・グリーフ). Pure and cached: the finder's text matching turns it into SQL.
 */
import { tokenize, type Token } from './analyser';
import { matchNeeds, needsOfWord, type Need } from './needs';
import { normalizeText } from './normalize';
import { romajiReading } from './romaji';
import { expandWord } from './synonyms';

export interface QueryWord {
	/** The word as it stands in the query (NFKC), for rewriting the query when a typo is corrected. */
	raw: string;
	/** The word as typed, normalised: scored highest where it occurs as it is. */
	typed: string;
	/** Every spelling that satisfies the word: the word, its synonyms, readings, the needs it expresses. */
	spellings: string[];
	/** Whether the word is a sentence (話し相手がほしい) or a need: not a candidate for typo correction. */
	phrase: boolean;
}

export interface AnalysedQuery {
	words: QueryWord[];
	/** Spellings of each excluded word (`-東京`). */
	excluded: string[][];
	/** Names of the needs found (死別・グリーフ, 退職後 …), for tests and explanations. */
	needs: string[];
}

const separators = /[\s\p{P}\p{S}]+/u;
const exclusionMark = /^[-−‐]/;
const japanese = /[\u3040-\u30ff\u3400-\u9fff]/;
const kanaOnly = /^[\u3040-\u30ffー]+$/;

/** The query split into included and excluded raw words (NFKC; a leading minus excludes). */
export function splitQuery(query: string): { include: string[]; exclude: string[] } {
	const include: string[] = [];
	const exclude: string[] = [];
	for (const part of query.normalize('NFKC').split(/\s+/)) {
		if (exclusionMark.test(part) && part.length > 1) exclude.push(...part.slice(1).split(separators).filter(Boolean));
		else include.push(...part.split(separators).filter(Boolean));
	}
	return { include, exclude };
}

/** A word that is a sentence rather than a name: it has particles, auxiliaries or inflected verbs. */
function isSentence(raw: string, tokens: Token[]): boolean {
	if (tokens.length < 2) return false;
	const particles = tokens.some((t) => t.pos === '助詞' || t.pos === '助動詞');
	// Kana alone is often a name the dictionary does not know (さっぽろ → さ|っぽ|ろ, きつおん →
	// きつ|おん): a sentence needs particles or auxiliaries and no fragments.
	if (kanaOnly.test(raw)) return particles && tokens.every((t) => t.pos !== 'UNK' && !t.pos1.startsWith('接尾') && ([...t.surface].length > 1 || t.pos === '助詞' || t.pos === '助動詞' || t.pos === '動詞'));
	return particles || tokens.some((t) => (t.pos === '動詞' || t.pos === '形容詞') && t.surface !== t.base);
}

/** Content nouns of a sentence, consecutive nouns kept together (こども食堂に行きたい → こども食堂). */
function contentWords(tokens: Token[], consumed: Set<string>): string[] {
	const words: string[] = [];
	let run: Token[] = [];
	const flush = () => {
		const nouns = run.filter((t) => !consumed.has(t.surface) && !consumed.has(t.base));
		if (nouns.length && nouns.some((t) => t.pos !== '接頭詞')) words.push(nouns.map((t) => t.surface).join(''));
		run = [];
	};
	for (const t of tokens) {
		const noun = (t.pos === '名詞' && !['代名詞', '非自立', '副詞可能'].includes(t.pos1)) || t.pos === '接頭詞' || t.pos === 'UNK';
		if (noun) run.push(t);
		else flush();
	}
	flush();
	return words;
}

const unique = (xs: Array<string | null | undefined>) => [...new Set(xs.filter((x): x is string => !!x))];
const needTerms = (found: Need[]) => found.flatMap((n) => n.terms.map(normalizeText));

function plainWord(raw: string, found: Need[] = []): QueryWord {
	const typed = normalizeText(raw);
	const kana = romajiReading(typed);
	return {
		raw,
		typed,
		spellings: unique([...expandWord(typed), ...(kana ? expandWord(kana) : []), ...needTerms(found)]),
		phrase: found.length > 0
	};
}

function analyse(query: string): AnalysedQuery {
	const { include, exclude } = splitQuery(query);
	const words: QueryWord[] = [];
	const needNames = new Set<string>();
	for (const raw of include) {
		const tokens = japanese.test(raw) ? tokenize(raw) : [];
		if (!isSentence(raw, tokens)) {
			const found = [...needsOfWord(raw), ...needsOfWord(normalizeText(raw))];
			for (const n of found) needNames.add(n.need);
			words.push(plainWord(raw, [...new Set(found)]));
			continue;
		}
		const typed = normalizeText(raw);
		const synonyms = expandWord(typed);
		const { needs: found, consumed } = matchNeeds(tokens);
		for (const n of found) needNames.add(n.need);
		if (synonyms.length > 1 || found.length) {
			words.push({ raw, typed, spellings: unique([...synonyms, ...needTerms(found)]), phrase: true });
			// A phrase our synonym list knows (学校に行きづらい) is understood whole.
			if (synonyms.length === 1) for (const w of contentWords(tokens, consumed)) words.push(plainWord(w));
			continue;
		}
		const content = contentWords(tokens, consumed);
		if (content.length) for (const w of content) words.push({ ...plainWord(w), phrase: true });
		else words.push(plainWord(raw));
	}
	const seen = new Set<string>();
	return {
		words: words.filter((w) => !seen.has(w.typed) && seen.add(w.typed)),
		excluded: exclude.map((raw) => {
			const typed = normalizeText(raw);
			return unique([typed, romajiReading(typed)]);
		}),
		needs: [...needNames]
	};
}

const cache = new Map<string, AnalysedQuery>();

/** The analysed query; the last thousand distinct queries are kept. */
export function analyseQuery(query: string): AnalysedQuery {
	let hit = cache.get(query);
	if (hit) return hit;
	hit = analyse(query);
	if (cache.size >= 1000) cache.delete(cache.keys().next().value as string);
	cache.set(query, hit);
	return hit;
}
