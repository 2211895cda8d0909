/** What the finder returns. */
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
	organizationId: string;
	organizationName: string;
	place: { name: string; prefecture: string; city: string } | null;
	next: { startsAt: string; endsAt: string | null; allDay: boolean } | null;
	/** The schedule as described in words, for programs whose timing no rule can say. */
	scheduleNote: string | null;
	distanceKm: number | null;
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
	/** The point distances were measured from, when a place was given. */
	origin: { lat: number; lng: number; label: string | null } | null;
	/** A `near` place name that matched no known place (the search ran without it). */
	unknownPlace: string | null;
}

export interface FinderClock {
	today: string; // Asia/Tokyo day
	now: Date;
}
