/** What the finder returns. */
import type { PlaceCentre } from './place';

export interface FinderItem {
	id: string;
	slug: string;
	title: string;
	summary: string;
	forms: string[];
	targets: string[];
	lifeStages: string[];
	costKind: string;
	costAmountYen: number | null;
	costNote: string | null;
	joinMethod: string;
	deliveryMode: string;
	languages: string[];
	/** residents | supporters (network meetings, 研修 and the like for supporters and professionals). */
	audience: string;
	organizationId: string;
	organizationName: string;
	/** city is null for a service area covering a whole prefecture (静岡県全域). */
	place: { name: string; prefecture: string; city: string | null } | null;
	next: { startsAt: string; endsAt: string | null; allDay: boolean } | null;
	/** The schedule as described in words, for programs whose timing no rule can say. */
	scheduleNote: string | null;
	/** False when a `when` filter lists the program only because its schedule is known only in words (or not at all). */
	scheduleKnown: boolean;
	distanceKm: number | null;
	/** The distance is measured to the program's 市区町村 (its place has no coordinates of its own). */
	distanceApproximate: boolean;
	score: number;
}

export interface FinderResult {
	/** Exact up to COUNT_LIMIT (finder/search.ts); beyond, a lower bound (`totalIsLowerBound`). */
	total: number;
	/** More programs match than `total` says (「1,000件以上」). */
	totalIsLowerBound: boolean;
	page: number;
	perPage: number;
	items: FinderItem[];
	/** The point distances were measured from, when a place was given: what it is (a point given as lat/lng has no label), and the attribution its source requires (a station's). */
	origin: { lat: number; lng: number; label: string | null; kind: 'point' | PlaceCentre['kind']; attribution: string | null } | null;
	/** A `near` place name that matched no known place (the search ran without it). */
	unknownPlace: string | null;
	/** The query as corrected when it found nothing as typed (こども食道 → こども食堂): these results are for it. */
	didYouMean: string | null;
	/** In a search for residents, how many supporters' programs match too (up to SUPPORTERS_COUNT_CAP); null when not counted. */
	supportersTotal: number | null;
	/** When every word together matched fewer than a few programs: the best matches missing a word or more. */
	partial: PartialMatches[];
	/** With a place: how far the search looked (km, or the place's prefecture). */
	radius: '5' | '10' | '30' | 'pref' | null;
	/** How the page is ordered: strong matches (≥ ½ the best score) then weak, each by relevance within distance bands (≤2, ≤5, ≤10, ≤30 km, farther), by distance, by relevance, by next date. */
	order: 'banded' | 'distance' | 'relevance' | 'next';
}

export interface PartialMatches {
	/** The query words these programs do not contain. */
	missing: string[];
	total: number;
	items: FinderItem[];
}

export interface FinderClock {
	today: string; // Asia/Tokyo day
	now: Date;
}
