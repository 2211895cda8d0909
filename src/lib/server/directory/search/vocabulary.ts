/**
 * The index's vocabulary, for typo tolerance: the nouns and noun compounds of published titles,
 * tags and our dictionaries, each with its reading. A query word that matches nothing is corrected
 * to the vocabulary word with the same reading (こども食道 → こども食堂, 不登効 → 不登校: a homophone
 * typed with the wrong kanji) or, failing that, the nearest by edit distance on spelling or reading.
 */
import { distance } from 'fastest-levenshtein';
import { readingOf, tokenize, type Token } from './analyser';
import { normalizeText } from './normalize';

interface Entry {
	/** Folded form (as the index holds it). */
	norm: string;
	/** Reading, folded. */
	reading: string;
	/** The spelling most often seen, to show in 「もしかして」. */
	surface: string;
	count: number;
}

const isNoun = (t: Token) => (t.pos === '名詞' && !['代名詞', '非自立', '数'].includes(t.pos1)) || t.pos === '接頭詞' || t.pos === 'UNK';

/** Nouns and compounds of up to three consecutive nouns (防災子ども食堂 → 子ども食堂, 食堂 …). */
export function terms(text: string): Array<{ surface: string; reading: string }> {
	const out: Array<{ surface: string; reading: string }> = [];
	for (const run of text.normalize('NFKC').split(/[\s\p{P}\p{S}]+/u)) {
		const tokens = tokenize(run);
		for (let i = 0; i < tokens.length; i++) {
			for (let n = 1; n <= 3 && i + n <= tokens.length; n++) {
				const slice = tokens.slice(i, i + n);
				if (!slice.every(isNoun)) break;
				if (slice[slice.length - 1].pos === '接頭詞') continue;
				const surface = slice.map((t) => t.surface).join('');
				if ([...surface].length < 2) continue;
				out.push({ surface, reading: slice.map((t) => t.reading ?? t.surface).join('') });
			}
		}
	}
	return out;
}

export class Vocabulary {
	private byNorm = new Map<string, Entry & { surfaces: Map<string, number> }>();
	private byReading = new Map<string, Entry[]>();
	private list: Entry[] = [];

	/** `texts`: titles, tags, names; `words`: dictionary words (synonyms, needs). `limit`: most frequent terms kept. */
	constructor(texts: string[], words: string[], limit = 20000) {
		const add = (surface: string, reading: string, weight: number) => {
			const norm = normalizeText(surface);
			const entry = this.byNorm.get(norm) ?? { norm, reading: normalizeText(reading), surface, count: 0, surfaces: new Map() };
			entry.count += weight;
			entry.surfaces.set(surface, (entry.surfaces.get(surface) ?? 0) + weight);
			this.byNorm.set(norm, entry);
		};
		for (const text of texts) for (const t of terms(text)) add(t.surface, t.reading, 1);
		for (const word of words) if ([...word].length >= 2) add(word, readingOf(word), 1);
		const entries = [...this.byNorm.values()].sort((a, b) => b.count - a.count).slice(0, limit);
		this.byNorm = new Map(entries.map((e) => [e.norm, e]));
		for (const e of entries) {
			e.surface = [...e.surfaces].sort((a, b) => b[1] - a[1])[0][0];
			const same = this.byReading.get(e.reading) ?? [];
			same.push(e);
			this.byReading.set(e.reading, same);
		}
		this.list = entries;
	}

	get size(): number {
		return this.list.length;
	}

	/** The vocabulary word a query word was probably meant to be, or null (known word, or nothing near). */
	correct(word: string): string | null {
		const norm = normalizeText(word);
		if (this.byNorm.has(norm)) return null;
		const reading = normalizeText(readingOf(word));
		const homophone = this.byReading.get(reading)?.find((e) => e.norm !== norm);
		if (homophone) return homophone.surface;
		const length = [...norm].length;
		const maxSpelling = length <= 2 ? 0 : length <= 5 ? 1 : 2;
		const readingLength = [...reading].length;
		const maxReading = readingLength <= 3 ? 0 : readingLength <= 6 ? 1 : 2;
		let best: { entry: Entry; d: number } | null = null;
		for (const e of this.list) {
			let d = Infinity;
			if (maxSpelling && Math.abs(e.norm.length - norm.length) <= maxSpelling) {
				const ds = distance(norm, e.norm);
				if (ds <= maxSpelling) d = ds;
			}
			if (maxReading && Math.abs(e.reading.length - reading.length) <= maxReading) {
				const dr = distance(reading, e.reading);
				if (dr <= maxReading) d = Math.min(d, dr);
			}
			if (d < Infinity && (!best || d < best.d || (d === best.d && e.count > best.entry.count))) best = { entry: e, d };
		}
		return best ? best.entry.surface : null;
	}
}
