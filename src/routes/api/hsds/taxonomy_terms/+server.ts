import { json } from '@sveltejs/kit';
import { apiError } from '$lib/server/api/respond';
import { hsdsHeaders, hsdsTermPage, parseHsdsQuery } from '$lib/server/opendata';
import type { RequestHandler } from './$types';

/** HSDS taxonomy terms (Japanese names, English descriptions); filters: search, taxonomy_id, parent_id, top_only. */
export const GET: RequestHandler = ({ url }) => {
	const parsed = parseHsdsQuery(url.searchParams);
	if (!parsed.ok) return apiError(400, 'invalid_parameter', 'One or more query parameters are invalid.', parsed.errors);
	const q = parsed.query;
	return json(hsdsTermPage(q, { search: q.search, taxonomyId: q.taxonomyId, parentId: q.parentId }), { headers: hsdsHeaders() });
};
