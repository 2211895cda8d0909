/** A station's name as residents type it and as the page shows it. */

/**
 * The name folded for lookup: width (NFKC), spaces, katakana as hiragana (御茶ノ水 = 御茶の水),
 * ヶ/ケ/ヵ as one (霞ケ関 = 霞ヶ関), and any bracketed part dropped (押上〈スカイツリー前〉 = 押上).
 */
export function stationNameKey(name: string): string {
	return name
		.normalize('NFKC')
		.replace(/[(（〈《［[｟「『【][^)）〉》］\]｠」』】]*[)）〉》］\]｠」』】]/g, '')
		.replace(/[\s\u3000]/g, '')
		.replace(/[\u30a1-\u30f6]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0x60))
		.replace(/[ゖヶ]/g, 'け')
		.replace(/[ゕヵ]/g, 'か');
}

/** 新宿 → 新宿駅; a stop whose name already ends in 駅 (広島電鉄の「広島駅」) keeps it. */
export function stationLabel(name: string): string {
	return name.endsWith('駅') ? name : `${name}駅`;
}
