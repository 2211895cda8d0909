import { db } from '$lib/server/db';
import { apiError } from '$lib/server/api/respond';
import { hsdsJson, hsdsTermPage, parseHsdsQuery } from '$lib/server/opendata';
import type { RequestHandler } from './$types';

/** HSDS taxonomy terms (Japanese names, English descriptions); filters: search, taxonomy_id, parent_id, top_only. */
export const GET: RequestHandler = ({ url }) => {
	const parsed = parseHsdsQuery(url.searchParams);
	if (!parsed.ok) return apiError(400, 'invalid_parameter', 'One or more query parameters are invalid.', parsed.errors);
	const q = parsed.query;
	return hsdsJson(db(), (licence) => hsdsTermPage(q, { search: q.search, taxonomyId: q.taxonomyId, parentId: q.parentId }, licence));
};
