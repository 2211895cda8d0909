/**
 * The search document of a program: what the finder matches against, split by weight.
 * Title beats tags (forms, targets, life stages, place, organisation) beats body text.
 */
import { normalizeText, textGrams } from './normalize';
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
	searchGrams: string[];
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
	const searchTags = normalizeText(tags.filter(Boolean).join(' '));
	const searchBody = normalizeText([p.summary, p.description, p.outcomes ?? '', ...(p.partners ?? [])].join(' '));
	return { searchTitle, searchTags, searchBody, searchGrams: textGrams(`${searchTitle} ${searchTags} ${searchBody}`) };
}

/** "札幌市中央区" is also found as "札幌", "船橋市" as "船橋". */
function shortCity(city: string): string {
	return city
		.replace(/(市|区|町|村)$/, '')
		.replace(/^(.+?市).+区$/, '$1')
		.replace(/市$/, '');
}
