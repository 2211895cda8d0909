/** Places a resident names, and the distance from them. */
import { sql } from 'drizzle-orm';
import type { Pool } from '../../db';
import { PREFECTURES } from '../areas';
import { municipalityOf, nearestPlace, placesCalled, placesNamed, prefectureByName, resolvePlace } from '../places';
import { findStation, stationWords } from '../stations';

export interface PlaceCentre {
	lat: number;
	lng: number;
	label: string;
	/** What was named: a prefecture, a municipality or ward, a postcode, a station (from the loaded station list), or a name found only among our own places. */
	kind: 'prefecture' | 'municipality' | 'ward' | 'postcode' | 'station' | 'named';
	/** Programs with this 地方公共団体コード are "in" the place (whatever their distance); null when unknown (and for a station, which has no inside). */
	areaCode: string | null;
	/** The place's prefecture's code (for radius=pref); null when unknown. */
	prefectureCode: string | null;
	/** The attribution the point's source requires wherever it is used (a station's); null for the app's own registry. */
	attribution: string | null;
}

/**
 * Centre of a place a resident names, from the offline registry: a postcode (its 市区町村), a
 * prefecture (its office), a 市区町村 or 区 with or without its prefecture ("世田谷区", "札幌",
 * "東京都/世田谷区", "北海道札幌市"). A name the registry does not know is looked for among the
 * directory's own places (the average of those whose city starts so).
 */
export async function placeCentre(db: Pool, place: string): Promise<PlaceCentre | null> {
	// A word ending in 駅 is a station or nothing: 「府中駅」 is never taken for 府中市.
	const station = await findStation(db, place);
	if (station) {
		if (station.kind !== 'found') return null;
		const s = station.station;
		return { lat: s.lat, lng: s.lng, label: s.label, kind: 'station', areaCode: null, prefectureCode: s.prefectureCode, attribution: s.attribution };
	}
	const known = resolvePlace(place);
	if (known) {
		return { lat: known.lat, lng: known.lng, label: known.label, kind: known.kind, areaCode: known.place.code, prefectureCode: known.place.prefectureCode, attribution: null };
	}
	return namedPlace(db, place);
}

/** The prefecture a point is in, roughly (its nearest municipality's), for radius=pref around a point. */
export function prefectureCodeAt(point: { lat: number; lng: number }): string | null {
	return nearestPlace(point)?.prefectureCode ?? null;
}

async function namedPlace(db: Pool, place: string): Promise<PlaceCentre | null> {
	let [pref, name] = place.includes('/') ? place.split('/', 2).map((s) => s.trim()) : [null, place.trim()];
	if (!name) return null;
	// "北海道札幌市" names the prefecture and the city together.
	const leading = pref ? undefined : PREFECTURES.find((p) => name.startsWith(p) && name.length > p.length);
	if (leading) [pref, name] = [leading, name.slice(leading.length)];
	const city = await db.execute<{ lat: number; lng: number; prefecture: string; city: string; code: string | null }>(sql`
		select avg(lat)::float8 as lat, avg(lng)::float8 as lng, prefecture, city, min(municipality_code) as code from locations
		where lat is not null and city like ${name.replace(/[\\%_]/g, '\\$&') + '%'}
			${pref ? sql`and prefecture = ${pref}` : sql``}
		group by prefecture, city order by bool_or(city = ${name}) desc, count(*) desc limit 1`);
	const row = city.rows[0];
	if (!row) return null;
	const prefectureCode = resolvePlace(row.prefecture)?.place.code ?? null;
	return { lat: row.lat, lng: row.lng, label: `${row.prefecture}${row.city}`, kind: 'named', areaCode: row.code, prefectureCode, attribution: null };
}

/**
 * What a place typed into the finder looks like when it resolved to nothing: a postcode (〒 and
 * 7 digits, any width, with or without a hyphen), a station's name (a word ending in 駅, with or
 * without a place beside it: 「府中駅 東京都」), or another name. The search page says why it could
 * not use it accordingly.
 */
export function placeTextKind(text: string): 'postcode' | 'station' | 'name' {
	const typed = text.trim();
	if (/^〒?\s*[0-9０-９]{3}[-‐－ー−]?[0-9０-９]{4}$/.test(typed)) return 'postcode';
	if (stationWords(typed)) return 'station';
	return 'name';
}

/**
 * For a station's name that resolved to no place (「新宿駅」, not in the loaded station list or none
 * loaded): the municipalities of the same name, each as a `near` value and its label, for the
 * resident to choose from. No station data ships with the app (no package on npm had station
 * coordinates under a licence that lets us ship them, see bench/RESULTS.md's issue-15 notes; the
 * operator may load 国土数値情報's, directory/stations), so a station is never placed by guess.
 * Empty for other text.
 */
export function placesForStation(text: string): Array<{ near: string; label: string }> {
	const stem = /^(.+?)駅$/.exec(text.replace(/[\s\u3000]/g, ''))?.[1];
	if (!stem) return [];
	return placesNamed(stem)
		.slice(0, 6)
		.map((p) => ({ near: `${p.prefecture}/${p.fullName}`, label: `${p.prefecture}${p.fullName}` }));
}

/**
 * For a name that resolved to no place because several places bear it (「府中市」: 東京都 and 広島県;
 * 「西区」: a ward of many 政令市): each of them, as a `near` value, as prefecture and city for the
 * 市区町村 filter, and its label, for the resident to choose from. Empty when the name means one
 * place or none.
 */
export function placesSharingName(text: string): Array<{ near: string; prefecture: string; city: string; label: string }> {
	const places = placesCalled(text);
	if (places.length < 2) return [];
	return places.map((p) => ({ near: `${p.prefecture}/${p.fullName}`, prefecture: p.prefecture, city: p.fullName, label: `${p.prefecture}${p.fullName}` }));
}

/** Whether a word names exactly one prefecture, 市区町村 or 区 (「東京」「荒川区」「札幌」 for 札幌市), and nothing else. */
function namesOnePlace(word: string): boolean {
	if (prefectureByName(word) || municipalityOf(null, word)) return true;
	// A bare name of two or more kanji ("札幌", "横浜") when exactly one 市・区・町・村 bears it ("府中", "中野" are two or more).
	if (!/^[\u3400-\u9fff々]{2,}$/.test(word)) return false;
	return ['市', '区', '町', '村'].flatMap((suffix) => placesCalled(word + suffix)).length === 1;
}

/**
 * A place a resident typed among the words (「こども食堂 荒川区」「不登校 東京」): that word as the
 * place and the other words as the words, when exactly one word names exactly one place. Null
 * otherwise: no place, an ambiguous one (府中), two places, or only a minus word (-東京).
 */
export function placeInWords(q: string | undefined): { q: string | undefined; near: string } | null {
	const words = (q ?? '').split(/[\s\u3000]+/).filter(Boolean);
	const places = words.filter((w) => !w.startsWith('-') && namesOnePlace(w));
	if (places.length !== 1) return null;
	const rest = words.filter((w) => w !== places[0]).join(' ');
	return { q: rest || undefined, near: places[0] };
}

/**
 * A station a resident typed among the words (「こども食堂 新宿駅」): that word as the place and the
 * other words as the words, when exactly one word ends in 駅 and the loaded station list knows it
 * (at one place, or at several, which the page then offers), or a 市区町村 bears its name. Null
 * otherwise: no such word, a minus word, two stations, or a name neither knows — the words then
 * stay words.
 */
export async function stationInWords(db: Pool, q: string | undefined): Promise<{ q: string | undefined; near: string } | null> {
	const words = (q ?? '').split(/[\s\u3000]+/).filter(Boolean);
	const stations = words.filter((w) => w.length > 1 && w.endsWith('駅'));
	if (stations.length !== 1 || stations[0].startsWith('-')) return null;
	const found = await findStation(db, stations[0]);
	// A name the list does not place but a 市区町村 bears (新宿駅 → 新宿区) still moves: the place field
	// then says what it can do and offers that 市区町村, where as a word it found nothing. 道の駅 stays.
	const listed = found?.kind === 'found' || found?.kind === 'ambiguous';
	if (!listed && !placesForStation(stations[0]).length) return null;
	const rest = words.filter((w) => w !== stations[0]).join(' ');
	return { q: rest || undefined, near: stations[0] };
}
