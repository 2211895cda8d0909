/** Romaji input: `sapporo` → さっぽろ, `hikikomori` → ひきこもり, also inside mixed text (子どもshokudou). */
import { toHiragana } from 'wanakana';

const latinRun = /[a-z]{3,}/g;

/** Kana a Latin run reads as, or null when it is not clean romaji (`line` → ぃね, `npo` → んぽ are not). */
function romajiRun(run: string): string | null {
	const kana = toHiragana(run);
	if (!/^[\u3041-\u3096ー]+$/.test(kana) || /^[ぁぃぅぇぉゃゅょっんー]/.test(kana) || kana.endsWith('っ')) return null;
	return kana;
}

/**
 * The hiragana reading of a normalised query word with its romaji runs converted, or null when it
 * has none. The word keeps its own spelling too (NPO, DV, LINE are words in our texts).
 */
export function romajiReading(word: string): string | null {
	let changed = false;
	const kana = word.replace(latinRun, (run) => {
		const k = romajiRun(run);
		if (!k) return run;
		changed = true;
		return k;
	});
	return changed && kana !== word ? kana : null;
}
