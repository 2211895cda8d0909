import { parseFinderParams, searchPrograms } from '$lib/server/directory';
import { db } from '$lib/server/db';
import { todayInTokyo } from '$lib/server/clock';
import { refuse, respondPublic } from '$lib/server/api/respond';
import { apiLicense, programSummary } from '$lib/server/api/programs';
import { searchPrograms as contract } from '$lib/server/api/contracts';
import { directoryLicence } from '$lib/server/opendata';
import type { RequestHandler } from './$types';

/**
 * Finder search. The contract's query is the finder's own schema, which parseFinderParams parses
 * with (a repeated parameter refused too). Paging fields follow HSDS 3.0 (total_items, total_pages, page_number, size …).
 */
export const GET: RequestHandler = async ({ url, locals }) => {
	const parsed = parseFinderParams(url.searchParams);
	if (!parsed.ok) return refuse(contract, 400, 'invalid_parameter', 'One or more query parameters are invalid.', parsed.errors);
	const now = new Date();
	const result = await searchPrograms(db(), parsed.query, { now, today: todayInTokyo(now) });
	const totalPages = Math.ceil(result.total / result.perPage);
	const license = apiLicense(await directoryLicence(db()), locals.locale);
	return respondPublic(contract, {
		total_items: result.total,
		// total_items is exact up to 1,000; beyond, it is 1,000 and this is true (more match).
		total_is_lower_bound: result.totalIsLowerBound,
		total_pages: totalPages,
		page_number: result.page,
		size: result.perPage,
		first_page: result.page === 1,
		last_page: result.page >= totalPages,
		empty: result.items.length === 0,
		origin: result.origin && { lat: result.origin.lat, lng: result.origin.lng, label: result.origin.label, attribution: result.origin.attribution },
		unknown_place: result.unknownPlace,
		supporters_total: result.supportersTotal,
		partial: result.partial.map((g) => ({ missing: g.missing, total_items: g.total, contents: g.items.map((item) => programSummary(item, locals.locale, url.origin)) })),
		radius: result.radius,
		order: result.order,
		contents: result.items.map((item) => programSummary(item, locals.locale, url.origin)),
		license
	});
};
