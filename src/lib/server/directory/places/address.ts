/**
 * An address written in one cell (「神奈川県川崎市中原区小杉町1-2-3」), as spreadsheets hold it, split
 * into the fields a place stores: prefecture, 市区町村 and the rest. The 市区町村 is the longest
 * known name after the prefecture (so 川崎市中原区 beats 川崎市); a town the registry does not know
 * is cut at its first 市・区・町・村, and a 郡 is kept with its town.
 */
import { leadingPrefecture, municipalityOf, prefectureByName } from './registry';

export interface SplitAddress {
	prefecture: string | null;
	city: string | null;
	line: string | null;
}

const LONGEST_CITY = 16;

/** `fallbackPrefecture` is used when the address does not start with one (「中原区小杉町1-2」). */
export function splitAddress(text: string, fallbackPrefecture: string | null = null): SplitAddress {
	const address = text.normalize('NFKC').replace(/\s+/g, '');
	if (!address) return { prefecture: fallbackPrefecture, city: null, line: null };
	const leading = leadingPrefecture(address);
	const prefecture = leading?.name ?? (fallbackPrefecture && prefectureByName(fallbackPrefecture) ? prefectureByName(fallbackPrefecture)!.name : null);
	const rest = leading ? address.slice(leading.name.length) : address;
	for (let n = Math.min(LONGEST_CITY, rest.length); n >= 2; n--) {
		const city = rest.slice(0, n);
		if (/[市区町村]$/.test(city) && municipalityOf(prefecture, city)) return { prefecture, city, line: rest.slice(n) || null };
	}
	const m = /^(.{1,10}?郡.{1,8}?[町村]|.{1,10}?市.{1,6}?区(?=.)|.{1,10}?[市区町村])/.exec(rest);
	if (m) return { prefecture, city: m[1], line: rest.slice(m[1].length) || null };
	return { prefecture, city: null, line: rest || null };
}
