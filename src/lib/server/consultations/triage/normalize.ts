/**
 * Folding a message before the crisis rules look at it. People write 死にたい as しにたーい,
 * ｼﾆﾀｲ, シニタイ, 死にたぃ, 死 に た い or しにたいいいい; the rules should be written once.
 *   1. line breaks become 。 so that a pattern limited to one sentence stays in its line;
 *   2. NFKC (half-width katakana to full-width, full-width Latin and digits to ASCII) and lower case;
 *   3. spaces and zero-width characters removed (死 に た い);
 *   4. 〜 and ~ removed, and ー after hiragana removed (しにたーい): after katakana ー stays, it is
 *      part of a loanword's spelling (ストーカー must not become すとか, as in ですとか);
 *   5. katakana to hiragana, small vowels to full ones (ぃ → い);
 *   6. runs of three or more of one character to one (しにたいいいい → しにたい).
 * Kanji are kept: a rule lists 死/し/氏/4 itself where a variant matters, because folding kanji to
 * readings would need a dictionary and would blur 市に / 死に.
 */

const SMALL_VOWELS: Record<string, string> = { ぁ: 'あ', ぃ: 'い', ぅ: 'う', ぇ: 'え', ぉ: 'お' };

function katakanaToHiragana(text: string): string {
	return text.replace(/[\u30a1-\u30f6]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0x60));
}

function fullVowels(text: string): string {
	return text.replace(/[ぁぃぅぇぉ]/g, (ch) => SMALL_VOWELS[ch]);
}

export function normalizeMessage(text: string): string {
	const folded = text
		.replace(/[\r\n]+/g, '。')
		.normalize('NFKC')
		.toLowerCase()
		.replace(/[\s\u200b-\u200d\u2060\ufeff]+/gu, '')
		.replace(/[〜~]+/g, '')
		.replace(/([\u3041-\u309f])ー+/g, '$1');
	return fullVowels(katakanaToHiragana(folded))
		.replace(/ー{2,}/g, 'ー')
		.replace(/(.)\1{2,}/gu, '$1');
}

/**
 * The same folding for a rule's regular expression, limited to what cannot change its syntax:
 * katakana to hiragana and small vowels. A rule writes ストーカー or リスカ and matches the folded text.
 */
export function foldPattern(pattern: string): string {
	return fullVowels(katakanaToHiragana(pattern));
}
