/**
 * Reading 国土数値情報 鉄道データ (N02): the station file (N02-XX_Station.geojson), one feature per
 * station of each line, its geometry the platform as a line. One entry per station as a resident
 * means it: the lines serving one name at one place together (新宿: JR, 小田急, 京王, 東京メトロ …),
 * grouped by the group code (N02_005g) when the file has it, else by the same name within 500 m.
 * A file with anything we cannot read is refused whole, so a load never half-replaces the list.
 */
import iconv from 'iconv-lite';
import { distanceKm } from '../places';
import { stationNameKey } from './name';

export interface StationEntry {
	name: string;
	nameKey: string;
	lineNames: string[];
	operatorNames: string[];
	stationCodes: string[];
	groupCode: string | null;
	lat: number;
	lng: number;
}

export type N02Result = { ok: true; stations: StationEntry[]; features: number; lines: number; operators: number } | { ok: false; reason: string };

/** The licence and the attribution 国土数値情報 asks for (利用規約: 出典の明示、加工した旨). */
export const N02_SOURCE = {
	licence: 'CC BY 4.0 互換(国土数値情報利用約款)',
	attribution: '「国土数値情報（鉄道データ）」（国土交通省）を加工して作成'
} as const;

/** Stations of one name closer than this are one station (transfer stations without a group code). */
const SAME_PLACE_KM = 0.5;

/** Where a station point may lie: Japan with its remote islands (a file with latitude and longitude swapped fails here). */
const JAPAN = { south: 20, north: 46, west: 122, east: 154 };

type Position = [number, number];

/** The file's bytes as text: UTF-8 (the current GeoJSON files), or Shift_JIS (older ones). */
export function decodeN02(bytes: Uint8Array): string {
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
	} catch {
		return iconv.decode(Buffer.from(bytes), 'cp932');
	}
}

export function readN02(text: string): N02Result {
	let doc: unknown;
	try {
		doc = JSON.parse(text);
	} catch {
		return { ok: false, reason: 'the file is not JSON (expected the GeoJSON station file of 国土数値情報 N02, e.g. N02-23_Station.geojson)' };
	}
	const features = (doc as { type?: unknown; features?: unknown } | null)?.features;
	if ((doc as { type?: unknown } | null)?.type !== 'FeatureCollection' || !Array.isArray(features)) return { ok: false, reason: 'the file is not a GeoJSON FeatureCollection' };
	if (!features.length) return { ok: false, reason: 'the file holds no stations' };
	const problems: string[] = [];
	const read: ReadFeature[] = [];
	features.forEach((f: unknown, i: number) => {
		const feature = readFeature(f);
		if (typeof feature === 'string') problems.push(`feature ${i + 1}: ${feature}`);
		else read.push(feature);
	});
	if (problems.length) {
		const shown = problems.slice(0, 5).join('; ');
		return { ok: false, reason: `${problems.length} of ${features.length} features cannot be read (${shown}${problems.length > 5 ? '; …' : ''}); is this the station file (N02-XX_Station.geojson), not the railway sections file?` };
	}
	return {
		ok: true,
		stations: groupStations(read),
		features: features.length,
		lines: new Set(read.map((f) => `${f.operator}\u0000${f.line}`)).size,
		operators: new Set(read.map((f) => f.operator)).size
	};
}

function readFeature(f: unknown) {
	const props = (f as { properties?: Record<string, unknown> } | null)?.properties;
	const geometry = (f as { geometry?: { type?: unknown; coordinates?: unknown } } | null)?.geometry;
	if (!props || typeof props !== 'object') return 'no properties';
	const name = text(props.N02_005);
	const line = text(props.N02_003);
	const operator = text(props.N02_004);
	if (!name) return 'no station name (N02_005)';
	if (!line || !operator) return 'no line or operator name (N02_003, N02_004)';
	const parts = linesOf(geometry);
	if (!parts) return `geometry is not a LineString, MultiLineString or Point of longitude, latitude`;
	const point = middleOf(parts);
	if (point[1] < JAPAN.south || point[1] > JAPAN.north || point[0] < JAPAN.west || point[0] > JAPAN.east) return `the point ${point[1]}, ${point[0]} is not in Japan`;
	return { name, nameKey: stationNameKey(name), line, operator, code: text(props.N02_005c), groupCode: text(props.N02_005g), lat: point[1], lng: point[0] };
}

function text(v: unknown): string | null {
	if (typeof v === 'number') return String(v);
	return typeof v === 'string' && v.trim() ? v.trim() : null;
}

function isPosition(p: unknown): p is Position {
	return Array.isArray(p) && p.length >= 2 && typeof p[0] === 'number' && typeof p[1] === 'number' && Number.isFinite(p[0]) && Number.isFinite(p[1]);
}

function linesOf(geometry: { type?: unknown; coordinates?: unknown } | undefined): Position[][] | null {
	const c = geometry?.coordinates;
	let parts: unknown[];
	if (geometry?.type === 'Point') parts = [[c]];
	else if (geometry?.type === 'LineString') parts = [c];
	else if (geometry?.type === 'MultiLineString' && Array.isArray(c)) parts = c;
	else return null;
	if (!parts.length || !parts.every((part) => Array.isArray(part) && part.length > 0 && part.every(isPosition))) return null;
	return parts as Position[][];
}

/** The point halfway along the geometry (its parts in order): the middle of the platform. */
export function middleOf(parts: Position[][]): Position {
	const segments = parts.flatMap((part) => part.slice(1).map((to, i) => ({ from: part[i], to, km: distanceKm({ lng: part[i][0], lat: part[i][1] }, { lng: to[0], lat: to[1] }) })));
	const total = segments.reduce((s, x) => s + x.km, 0);
	if (total === 0) return parts[0][0];
	let left = total / 2;
	for (const s of segments) {
		if (left <= s.km) {
			const t = s.km ? left / s.km : 0;
			return [s.from[0] + (s.to[0] - s.from[0]) * t, s.from[1] + (s.to[1] - s.from[1]) * t];
		}
		left -= s.km;
	}
	return segments[segments.length - 1].to;
}

type ReadFeature = Omit<StationEntry, 'lineNames' | 'operatorNames' | 'stationCodes'> & { line: string; operator: string; code: string | null };

/**
 * Each station as one entry: features with a group code by (group, name), the others by name,
 * joined when within SAME_PLACE_KM of any other of the group (a long transfer station's far
 * platforms are still one station). The point is the average of the platforms' middles.
 */
function groupStations(features: ReadFeature[]): StationEntry[] {
	const groups = new Map<string, ReadFeature[][]>();
	for (const f of features) {
		const key = f.groupCode ? `g\u0000${f.groupCode}\u0000${f.name}` : `n\u0000${f.name}`;
		const clusters = groups.get(key) ?? [];
		groups.set(key, clusters);
		if (f.groupCode) {
			if (clusters.length) clusters[0].push(f);
			else clusters.push([f]);
			continue;
		}
		// Single linkage: the feature joins every cluster it is near, which become one.
		const near = clusters.filter((c) => c.some((g) => distanceKm(g, f) <= SAME_PLACE_KM));
		const merged = [...near.flat(), f];
		groups.set(key, [...clusters.filter((c) => !near.includes(c)), merged]);
	}
	return [...groups.values()].flat().map((members) => ({
		name: members[0].name,
		nameKey: members[0].nameKey,
		lineNames: [...new Set(members.map((m) => m.line))],
		operatorNames: [...new Set(members.map((m) => m.operator))],
		stationCodes: [...new Set(members.flatMap((m) => (m.code ? [m.code] : [])))],
		groupCode: members[0].groupCode,
		lat: members.reduce((s, m) => s + m.lat, 0) / members.length,
		lng: members.reduce((s, m) => s + m.lng, 0) / members.length
	}));
}
