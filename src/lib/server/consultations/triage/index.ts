/**
 * Crisis triage — a minimal stand-in (a handful of phrases) so that the consultations module can be
 * built and tested; the real rules (variants, negation, figurative uses, a labelled set) replace
 * this file on merge. The interface is the one the real triage exports.
 */
export type CrisisCategory = 'suicide' | 'self_harm' | 'violence' | 'abuse' | 'danger';

export interface TriageResult {
	urgent: boolean;
	categories: CrisisCategory[];
	matches: { ruleId: string; category: CrisisCategory }[];
	rulesVersion: string;
}

const RULES: { id: string; category: CrisisCategory; phrases: string[] }[] = [
	{ id: 'suicide.die', category: 'suicide', phrases: ['死にたい', 'しにたい', '自殺'] },
	{ id: 'suicide.vanish', category: 'suicide', phrases: ['消えたい', 'きえたい'] },
	{ id: 'suicide.not_live', category: 'suicide', phrases: ['生きていたくない'] },
	{ id: 'self_harm.cut', category: 'self_harm', phrases: ['リスカ', 'リストカット'] },
	{ id: 'violence.hit', category: 'violence', phrases: ['殴られる', '殴られた'] },
	{ id: 'abuse.home', category: 'abuse', phrases: ['帰るのが怖い'] }
];

export const RULES_VERSION = 'stand-in-1';

export function triage(text: string): TriageResult {
	const folded = text.normalize('NFKC');
	const matches = RULES.filter((r) => r.phrases.some((p) => folded.includes(p))).map((r) => ({ ruleId: r.id, category: r.category }));
	const categories = [...new Set(matches.map((m) => m.category))];
	return { urgent: matches.length > 0, categories, matches, rulesVersion: RULES_VERSION };
}
