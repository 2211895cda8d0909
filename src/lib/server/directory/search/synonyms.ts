/** Query expansion with the maintained synonym list (synonyms.json). */
import synonymData from './synonyms.json';
import { normalizeText } from './normalize';

const groups: string[][] = synonymData.groups.map((g) => [...new Set(g.map(normalizeText))]);

/**
 * Every spelling a query word stands for: the word itself, plus each group it belongs to.
 * The word itself comes first so that ranking can prefer exact matches.
 */
export function expandWord(word: string): string[] {
	const alternatives = new Set([word]);
	for (const group of groups) if (group.includes(word)) for (const w of group) alternatives.add(w);
	return [...alternatives];
}
