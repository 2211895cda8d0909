/** Taxonomies as data (taxonomy.json), with Japanese and English labels. */
import data from './taxonomy.json';

export type TaxonomyName = 'lifeStages' | 'forms' | 'targets' | 'legalForms' | 'languages';
export interface Term {
	code: string;
	ja: string;
	en: string;
}

export const taxonomy: Record<TaxonomyName, Term[]> = data;

/** Column value in taxonomy_terms.taxonomy for each list. */
export const taxonomyKey: Record<TaxonomyName, string> = {
	lifeStages: 'life_stage',
	forms: 'form',
	targets: 'target',
	legalForms: 'legal_form',
	languages: 'language'
};

const byCode = Object.fromEntries((Object.keys(taxonomy) as TaxonomyName[]).map((name) => [name, new Map(taxonomy[name].map((t) => [t.code, t]))])) as Record<TaxonomyName, Map<string, Term>>;

export function codes(name: TaxonomyName): [string, ...string[]] {
	return taxonomy[name].map((t) => t.code) as [string, ...string[]];
}

export function term(name: TaxonomyName, code: string): Term | undefined {
	return byCode[name].get(code);
}

export function label(name: TaxonomyName, code: string, locale: 'ja' | 'en' = 'ja'): string {
	return byCode[name].get(code)?.[locale] ?? code;
}
