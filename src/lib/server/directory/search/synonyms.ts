/** Query expansion: our own synonym groups (synonyms.json) first, then Sudachi's dictionary (thesaurus.ts). */
import synonymData from './synonyms.json';
import { normalizeText } from './normalize';
import needData from './needs.json';
import { thesaurusSynonyms } from './thesaurus';

const groups: string[][] = synonymData.groups.map((g) => [...new Set(g.map(normalizeText))]);

/**
 * Two kana or fewer, once folded: タダ is ただ and ママ is まま, which the finder's substring match
 * finds inside ordinary words (ご参加いただけます, 高浜町's reading たかはままち; Sudachi's デモ inside
 * 誰でも). Such a word stands for its group when typed, but is never searched for another word of
 * the group, ours or the dictionary's — as thesaurus.ts leaves out Sudachi's ambiguous words (フリー
 * for 無料).
 */
const shortKana = /^[\u3041-\u309fー]{1,2}$/;

/**
 * Every spelling a query word stands for: the word itself, plus each group it belongs to.
 * The word itself comes first so that ranking can prefer exact matches.
 *
 * A word our own groups know is expanded by them alone: they are tuned to this field, and the
 * general dictionary would add readings of it that are noise here (居場所 → 所在, 退職 → 退陣).
 * Any other word takes the Sudachi dictionary's synonyms (玩具 → おもちゃ, 特養 → 特別養護老人ホーム).
 */
export function expandWord(word: string): string[] {
	const alternatives = new Set([word]);
	for (const group of groups) if (group.includes(word)) for (const w of group) if (w === word || !shortKana.test(w)) alternatives.add(w);
	if (alternatives.size === 1) {
		for (const w of thesaurusSynonyms(word)) if (!shortKana.test(w)) alternatives.add(w);
		// Residents type phrases (「誰かと話したい」「話を聞いてほしい」): a listed word inside the
		// phrase stands for its group.
		for (const group of groups) if (group.some((w) => [...w].length >= 2 && !shortKana.test(w) && word.includes(w))) for (const w of group) if (!shortKana.test(w)) alternatives.add(w);
	}
	return [...alternatives];
}

/** Every word of the synonym and needs dictionaries, as written (for the typo vocabulary). */
export function dictionaryWords(): string[] {
	return [...new Set([...synonymData.groups.flat(), ...needData.needs.flatMap((n) => n.terms)])];
}
