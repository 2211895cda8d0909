/**
 * A station a resident names (「新宿駅」「府中駅 東京都」「東京都/府中駅」「白石駅 札幌市白石区 函館線」):
 * only text with a word ending in 駅 is read as a station, so a bare 「府中」 or 「中央」 never jumps
 * to a station of that name (the station list has thousands of names, many also places' names).
 */
import { sql } from 'drizzle-orm';
import type { Reader } from '../../db';
import { areaCodesOf, distanceKm, placeByCode, prefectureByName, resolvePlace, type Place } from '../places';
import { PREFECTURES } from '../areas';
import { stationLabel, stationNameKey } from './name';

export interface Station {
	name: string;
	/** 新宿駅; with where it is when other stations share the name (府中駅(東京都府中市付近)). */
	label: string;
	lineNames: string[];
	operatorNames: string[];
	lat: number;
	lng: number;
	prefectureCode: string | null;
	/** The source's attribution, shown wherever the station is used. */
	attribution: string;
}

export interface StationChoice {
	/** A `near` value that names this station alone. */
	near: string;
	label: string;
}

export type StationLookup =
	| { kind: 'found'; station: Station }
	/** Several stations of the name far apart, and the text does not say which. */
	| { kind: 'ambiguous'; choices: StationChoice[] }
	| { kind: 'unknown' }
	/** No station list has been loaded: a station name cannot be placed at all. */
	| { kind: 'not_loaded' };

/** Stations of one name this close are one place for a search near it (JR and 地下鉄 白石 are 1.3 km apart). */
const ONE_PLACE_KM = 2;
/** A qualifier place (東京都, 府中市) holds a station whose nearest office is elsewhere if it is this close to its point. */
const QUALIFIER_KM = 15;

/** The words of a place text: the station's name (ending in 駅) and the rest; null when no word ends in 駅. */
export function stationWords(text: string): { station: string; prefecture: string | null; qualifiers: string[] } | null {
	const words = text.split(/[\s\u3000/／]+/).filter(Boolean);
	const at = words.findIndex((w) => w.length > 1 && w.endsWith('駅'));
	if (at < 0 || words.filter((w) => w.endsWith('駅')).length > 1) return null;
	let station = words[at];
	// 「東京都府中駅」: the prefecture written before the name.
	const leading = PREFECTURES.find((p) => station.startsWith(p) && station.length > p.length + 1);
	if (leading) station = station.slice(leading.length);
	return { station, prefecture: leading ?? null, qualifiers: words.filter((_, i) => i !== at) };
}

interface Row {
	name: string;
	line_names: string[];
	operator_names: string[];
	lat: number;
	lng: number;
	prefecture_code: string | null;
	municipality_code: string | null;
	attribution: string;
	[key: string]: unknown;
}

/** The station a place text names, or why none; null when the text names no station (no word ends in 駅). */
export async function findStation(db: Reader, text: string): Promise<StationLookup | null> {
	const words = stationWords(text);
	if (!words) return null;
	const stem = words.station.slice(0, -1);
	// 「広島駅」 is JR's 広島 and also a tram stop named 広島駅: both are read, the one named as typed less 駅
	// first; then by prefecture code (north to south), so choices come in the order of a map of Japan.
	const keys = [stationNameKey(stem), stationNameKey(words.station)];
	const rows = (
		await db.execute<Row>(sql`select name, line_names, operator_names, lat, lng, prefecture_code, municipality_code, attribution from stations
			where name_key in (${keys[0]}, ${keys[1]}) order by name_key = ${keys[0]} desc, prefecture_code, municipality_code, cardinality(line_names) desc, name, lat, lng limit 50`)
	).rows;
	if (!rows.length) return (await stationsLoaded(db)) ? { kind: 'unknown' } : { kind: 'not_loaded' };
	const shared = !allOnePlace(rows);
	const fits = narrowed(rows, [...(words.prefecture ? [words.prefecture] : []), ...words.qualifiers]);
	if (fits.length && allOnePlace(fits)) return { kind: 'found', station: stationOf(fits[0], shared) };
	// The text does not say which (or names a place none of them is in): each, as a link that does.
	const offered = (fits.length ? fits : rows).filter((r, i, all) => all.findIndex((o) => distanceKm(o, r) <= ONE_PLACE_KM) === i);
	return { kind: 'ambiguous', choices: offered.map((r) => ({ near: choiceText(r, offered), label: choiceLabel(r) })) };
}

function allOnePlace(rows: Row[]): boolean {
	return rows.every((r) => distanceKm(rows[0], r) <= ONE_PLACE_KM);
}

/**
 * The stations that fit every qualifier a resident added: a prefecture or a municipality (the
 * station's nearest office is in it, or the station is near its point), or a line or operator name.
 * A word that is none of these is left aside rather than taken as "none fit".
 */
function narrowed(rows: Row[], qualifiers: string[]): Row[] {
	let fits = rows;
	for (const q of qualifiers) {
		const place: Place | null = prefectureByName(q) ?? resolvePlace(q)?.place ?? null;
		if (place) {
			const inside = fits.filter((r) => r.municipality_code && areaCodesOf(r.municipality_code).includes(place.code));
			const near = place.lat !== null && place.lng !== null && place.kind !== 'prefecture' ? fits.filter((r) => distanceKm(r, { lat: place.lat!, lng: place.lng! }) <= QUALIFIER_KM) : [];
			fits = inside.length ? inside : near;
			continue;
		}
		const byLine = fits.filter((r) => [...r.line_names, ...r.operator_names].some((n) => n === q || n.includes(q)));
		if (byLine.length) fits = byLine;
	}
	return fits;
}

function municipalityOfRow(r: Row): Place | null {
	return r.municipality_code ? placeByCode(r.municipality_code) : null;
}

function stationOf(r: Row, shared: boolean): Station {
	const m = municipalityOfRow(r);
	// Where it is, by its nearest municipality office (「付近」: near a border it may be the neighbour).
	const label = shared && m ? `${stationLabel(r.name)}(${m.prefecture}${m.fullName}付近)` : stationLabel(r.name);
	return { name: r.name, label, lineNames: r.line_names, operatorNames: r.operator_names, lat: r.lat, lng: r.lng, prefectureCode: r.prefecture_code, attribution: r.attribution };
}

/** 府中駅(東京都府中市付近・京王線): where, by its nearest office, and the lines, so a resident knows which is theirs. */
function choiceLabel(r: Row): string {
	const m = municipalityOfRow(r);
	const lines = r.line_names.slice(0, 3).join('・') + (r.line_names.length > 3 ? '…' : '');
	return `${stationLabel(r.name)}(${[m ? `${m.prefecture}${m.fullName}付近` : null, lines].filter(Boolean).join('・')})`;
}

/** A `near` text naming this station among `all`: its municipality, and its first line when another shares the municipality. */
function choiceText(r: Row, all: Row[]): string {
	const m = municipalityOfRow(r);
	const where = m ? `${m.prefecture}${m.fullName}` : null;
	const sameWhere = all.filter((o) => o !== r && o.municipality_code === r.municipality_code).length > 0;
	return [stationLabel(r.name), where, sameWhere || !where ? r.line_names[0] : null].filter(Boolean).join(' ');
}

/** Whether a station list has been loaded (the place field then offers station names). */
export async function stationsLoaded(db: Reader): Promise<boolean> {
	return (await db.execute(sql`select 1 from stations limit 1`)).rows.length > 0;
}
