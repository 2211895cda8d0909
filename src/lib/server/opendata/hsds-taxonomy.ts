/**
 * tsunagu's classifications as HSDS taxonomies: life stages, forms (取組のかたち) and targets
 * (届けたい人たち), each term with its Japanese name and its English label as description; and a
 * small taxonomy of tsunagu's own for facts HSDS has no field for (a schedule's RRULE as written,
 * closed on national holidays, the source of an organisation's facts), used as attributes.
 */
import { taxonomy, term, type TaxonomyName } from '../directory';
import { hsdsId } from './hsds-ids';

export type HsdsTaxonomyName = 'lifeStages' | 'forms' | 'targets' | 'tsunagu';

interface TaxonomyInfo {
	name: string;
	description: string;
}

const TAXONOMIES: Record<HsdsTaxonomyName, TaxonomyInfo> = {
	lifeStages: { name: 'tsunagu ライフステージ (life stages)', description: '対象の年代。Who a service is for, by age or stage of life.' },
	forms: { name: 'tsunagu 取組のかたち (forms)', description: '取組のかたち(居場所、相談、学習支援など)。What kind of service it is.' },
	targets: { name: 'tsunagu 届けたい人たち (targets)', description: '届けたい人たち。The people a service means to reach.' },
	tsunagu: { name: 'tsunagu attributes', description: 'HSDSに項目のない事実(繰り返し規則、祝日の休み、情報の出典)。Facts HSDS has no field for.' }
};

/** Terms of tsunagu's own attribute taxonomy. */
const OWN_TERMS: Record<string, { name: string; description: string }> = {
	rrule: { name: '繰り返し規則 (RRULE)', description: 'The schedule as an RFC 5545 RRULE, exactly as tsunagu holds it.' },
	closed_on_holidays: { name: '祝日は休み', description: 'Closed on Japanese national holidays (国民の祝日): those dates are left out of the schedule.' },
	source: { name: '情報の出典', description: 'Where the facts of this record come from (a citable reference).' }
};

const LIST_NAMES: Array<Exclude<HsdsTaxonomyName, 'tsunagu'>> = ['lifeStages', 'forms', 'targets'];

export const taxonomyId = (name: HsdsTaxonomyName) => hsdsId('taxonomy', name);
export const termId = (name: HsdsTaxonomyName, code: string) => hsdsId('taxonomy_term', name, code);

export type HsdsTaxonomy = {
	id: string;
	name: string;
	description: string;
};

export type HsdsTaxonomyTerm = {
	id: string;
	code: string;
	name: string;
	description: string;
	taxonomy: string;
	taxonomy_id: string;
	taxonomy_detail: HsdsTaxonomy;
	language: string;
};

export function hsdsTaxonomy(name: HsdsTaxonomyName): HsdsTaxonomy {
	return { id: taxonomyId(name), ...TAXONOMIES[name] };
}

export function hsdsTerm(name: HsdsTaxonomyName, code: string): HsdsTaxonomyTerm {
	const own = name === 'tsunagu' ? OWN_TERMS[code] : undefined;
	const known = name === 'tsunagu' ? undefined : term(name as TaxonomyName, code);
	const detail = hsdsTaxonomy(name);
	return {
		id: termId(name, code),
		code,
		name: own?.name ?? known?.ja ?? code,
		description: own?.description ?? known?.en ?? code,
		taxonomy: detail.name,
		taxonomy_id: detail.id,
		taxonomy_detail: detail,
		language: 'ja'
	};
}

/** Every taxonomy, in a fixed order. */
export function allTaxonomies(): HsdsTaxonomy[] {
	return [...LIST_NAMES, 'tsunagu' as const].map(hsdsTaxonomy);
}

/** Every term of every taxonomy, in each taxonomy's order. */
export function allTerms(): HsdsTaxonomyTerm[] {
	return [...LIST_NAMES.flatMap((name) => taxonomy[name].map((t) => hsdsTerm(name, t.code))), ...Object.keys(OWN_TERMS).map((code) => hsdsTerm('tsunagu', code))];
}
