import { json } from '@sveltejs/kit';
import { apiError } from '$lib/server/api/respond';
import { hsdsHeaders, hsdsTaxonomyPage, parseHsdsQuery } from '$lib/server/opendata';
import type { RequestHandler } from './$types';

/** HSDS taxonomies: tsunagu's life stages, forms, targets, and its own attribute terms. */
export const GET: RequestHandler = ({ url }) => {
	const parsed = parseHsdsQuery(url.searchParams);
	if (!parsed.ok) return apiError(400, 'invalid_parameter', 'One or more query parameters are invalid.', parsed.errors);
	return json(hsdsTaxonomyPage(parsed.query, { search: parsed.query.search }), { headers: hsdsHeaders() });
};
