import { db } from '$lib/server/db';
import { apiError } from '$lib/server/api/respond';
import { hsdsJson, hsdsServicePage, parseHsdsQuery } from '$lib/server/opendata';
import type { RequestHandler } from './$types';

/** HSDS services (tsunagu's published programs), paged; `full=true` nests each fully. */
export const GET: RequestHandler = async ({ url }) => {
	const parsed = parseHsdsQuery(url.searchParams);
	if (!parsed.ok) return apiError(400, 'invalid_parameter', 'One or more query parameters are invalid.', parsed.errors);
	const q = parsed.query;
	return hsdsJson(db(), await hsdsServicePage(db(), url.origin, q, { search: q.search, organizationId: q.organizationId, modifiedAfter: q.modifiedAfter, taxonomyTermId: q.taxonomyTermId, taxonomyId: q.taxonomyId, full: q.full }));
};
