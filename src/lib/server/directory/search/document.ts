/**
 * The search document of a program: what the finder matches against, split by weight.
 * Title beats tags (forms, targets, life stages, place, organisation) beats body text.
 */
import { gramIds, normalizeText, textGrams } from './normalize';
import { readingOf } from './analyser';
import { label } from '../taxonomy';

export interface SearchSource {
	title: string;
	summary: string;
	description: string;
	outcomes?: string | null;
	forms: string[];
	targets: string[];
	lifeStages: string[];
	organizationName: string;
	organizationKana?: string | null;
	areas: Array<{ prefecture: string; city: string | null; name?: string | null }>;
	partners?: string[];
}

export interface SearchDocument {
	searchTitle: string;
	searchTags: string;
	searchBody: string;
	/** The grams of title, tags and body as integers (gramIds), which the finder matches against (migration 0023). */
	searchGramIds: number[];
}

export function buildSearchDocument(p: SearchSource): SearchDocument {
	const tags = [
		...p.forms.map((c) => label('forms', c)),
		...p.targets.map((c) => label('targets', c)),
		...p.lifeStages.map((c) => label('lifeStages', c)),
		p.organizationName,
		p.organizationKana ?? '',
		...p.areas.flatMap((a) => [a.prefecture, a.city ?? '', a.city ? shortCity(a.city) : '', a.name ?? ''])
	];
	const searchTitle = normalizeText(p.title);
	// The kana readings of title and tags go with the tags, so that ふとうこう, こどもしょくどう or
	// (typed as romaji) sapporo find 不登校, こども食堂 and 札幌.
	const searchTags = normalizeText([...tags.filter(Boolean), ...readings([p.title, ...tags])].join(' '));
	const searchBody = normalizeText([p.summary, p.description, p.outcomes ?? '', ...(p.partners ?? [])].join(' '));
	const searchGramIds = gramIds(textGrams(`${searchTitle} ${searchTags} ${searchBody}`));
	return { searchTitle, searchTags, searchBody, searchGramIds };
}

/** "札幌市中央区" is also found as "札幌", "船橋市" as "船橋". */
function shortCity(city: string): string {
	return city
		.replace(/(市|区|町|村)$/, '')
		.replace(/^(.+?市).+区$/, '$1')
		.replace(/市$/, '');
}

const kanji = /[\u3400-\u9fff々]/;
const separators = /[\s\p{P}\p{S}]+/u;
const readingCache = new Map<string, string>();

/** Hiragana readings of the runs of `texts` that hold kanji (tags repeat: their readings are cached). */
function readings(texts: string[]): string[] {
	const out = new Set<string>();
	for (const text of texts)
		for (const run of text.normalize('NFKC').split(separators)) {
			if (!kanji.test(run)) continue;
			let reading = readingCache.get(run);
			if (reading === undefined) {
				reading = normalizeText(readingOf(run));
				if (readingCache.size >= 20000) readingCache.clear();
				readingCache.set(run, reading);
			}
			if (reading !== normalizeText(run)) out.add(reading);
		}
	return [...out];
}
