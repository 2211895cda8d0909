/** Query expansion with the maintained synonym list (synonyms.json). */
import synonymData from './synonyms.json';
import { normalizeText } from './normalize';
import needData from './needs.json';

const groups: string[][] = synonymData.groups.map((g) => [...new Set(g.map(normalizeText))]);

/**
 * Every spelling a query word stands for: the word itself, plus each group it belongs to.
 * The word itself comes first so that ranking can prefer exact matches.
 */
export function expandWord(word: string): string[] {
	const alternatives = new Set([word]);
	for (const group of groups) if (group.includes(word)) for (const w of group) alternatives.add(w);
	if (alternatives.size === 1) {
		// Residents type phrases (「誰かと話したい」「話を聞いてほしい」): a listed word inside the
		// phrase stands for its group.
		for (const group of groups) if (group.some((w) => [...w].length >= 2 && word.includes(w))) for (const w of group) alternatives.add(w);
	}
	return [...alternatives];
}

/** Every word of the synonym and needs dictionaries, as written (for the typo vocabulary). */
export function dictionaryWords(): string[] {
	return [...new Set([...synonymData.groups.flat(), ...needData.needs.flatMap((n) => n.terms)])];
}
