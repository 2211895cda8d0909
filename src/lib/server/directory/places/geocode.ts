/**
 * Address → coordinates for staff saving a place, offline: the 市区町村 named by prefecture and
 * city (or else by the postcode) gives its representative point, marked approximate. An online
 * geocoder (国土地理院's address search) is an option, off by default: set
 * TSUNAGU_ONLINE_GEOCODER=gsi to ask it first for a street-level point.
 */
import { municipalityOf, postcodeLookup, type Place } from './registry';

export interface PlaceAddress {
	prefecture: string;
	city: string | null;
	line: string | null;
	postalCode: string | null;
}

export interface Geocoded {
	municipalityCode: string | null;
	lat: number;
	lng: number;
	/** A representative point of the municipality, not the place itself. */
	approximate: boolean;
	source: 'municipality' | 'postcode' | 'online';
}

/** The 市区町村 an address is in: from its city as written, else from its postcode. */
export function municipalityOfAddress(address: Pick<PlaceAddress, 'prefecture' | 'city' | 'postalCode'>): Place | null {
	const named = municipalityOf(address.prefecture, address.city);
	if (named) return named;
	const byPostcode = address.postalCode ? postcodeLookup(address.postalCode) : null;
	return byPostcode?.places.find((p) => p.prefecture === address.prefecture) ?? null;
}

/** Offline: the municipality's point (approximate); null when the address names no known municipality. */
export function geocodeOffline(address: PlaceAddress): Geocoded | null {
	const named = municipalityOf(address.prefecture, address.city);
	const place = municipalityOfAddress(address);
	if (!place || place.lat === null || place.lng === null) return null;
	return { municipalityCode: place.code, lat: place.lat, lng: place.lng, approximate: true, source: named ? 'municipality' : 'postcode' };
}

/** Why a place without coordinates gets no point offline: no 市区町村 in its address, or one the registry does not know. */
export type Unplaced = { reason: 'no_city'; city: null } | { reason: 'unknown_city'; city: string };

/**
 * Whether a place saved with these fields would be on the map (typed coordinates, or its
 * 市区町村's point), and if not, why: what staff are told when an import or a form leaves a place
 * unfindable by distance. Offline only (an online geocoder, when configured, may still place it).
 */
export function whyUnplaced(address: PlaceAddress & { lat: number | null; lng: number | null }): Unplaced | null {
	if (address.lat !== null && address.lng !== null) return null;
	if (geocodeOffline(address)) return null;
	return address.city ? { reason: 'unknown_city', city: address.city } : { reason: 'no_city', city: null };
}

type Fetch = (url: string, init?: { signal?: AbortSignal }) => Promise<{ ok: boolean; json(): Promise<unknown> }>;

/** The online geocoder, when one is configured (TSUNAGU_ONLINE_GEOCODER=gsi); null otherwise. */
export function onlineGeocoder(env: NodeJS.ProcessEnv = process.env, fetchImpl: Fetch = fetch): ((address: PlaceAddress) => Promise<{ lat: number; lng: number } | null>) | null {
	if (env.TSUNAGU_ONLINE_GEOCODER !== 'gsi') return null;
	return async (address) => {
		if (!address.line) return null;
		const q = `${address.prefecture}${address.city ?? ''}${address.line}`;
		try {
			const res = await fetchImpl(`https://msearch.gsi.go.jp/address-search/AddressSearch?q=${encodeURIComponent(q)}`, { signal: AbortSignal.timeout(3000) });
			if (!res.ok) return null;
			const body = (await res.json()) as Array<{ geometry?: { coordinates?: [number, number] } }>;
			const c = body[0]?.geometry?.coordinates;
			return c && Number.isFinite(c[0]) && Number.isFinite(c[1]) ? { lat: c[1], lng: c[0] } : null;
		} catch {
			return null; // offline or slow: the offline point stands
		}
	};
}

/** Online first when configured (a street-level point), else the offline municipality point. */
export async function geocodeAddress(address: PlaceAddress, env: NodeJS.ProcessEnv = process.env): Promise<Geocoded | null> {
	const offline = geocodeOffline(address);
	const online = onlineGeocoder(env);
	const hit = online ? await online(address) : null;
	if (hit) return { municipalityCode: offline?.municipalityCode ?? municipalityOfAddress(address)?.code ?? null, ...hit, approximate: false, source: 'online' };
	return offline;
}
