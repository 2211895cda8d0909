import { db } from '$lib/server/db';
import { apiError } from '$lib/server/api/respond';
import { hsdsJson, hsdsServiceAtLocationPage, hsdsServiceFilter, parseHsdsQuery } from '$lib/server/opendata';
import type { RequestHandler } from './$types';

/** HSDS service_at_locations (each published program at each of its places), paged; `full=true` nests the service fully; `postcode` / `proximity` as on /services. */
export const GET: RequestHandler = async ({ url }) => {
	const parsed = parseHsdsQuery(url.searchParams);
	if (!parsed.ok) return apiError(400, 'invalid_parameter', 'One or more query parameters are invalid.', parsed.errors);
	const filter = await hsdsServiceFilter(db(), parsed.query);
	if (!filter.ok) return apiError(400, 'invalid_parameter', 'One or more query parameters are invalid.', filter.errors);
	return hsdsJson(db(), (licence) => hsdsServiceAtLocationPage(db(), url.origin, parsed.query, filter.filter, licence));
};
