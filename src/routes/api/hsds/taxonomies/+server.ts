import { db } from '$lib/server/db';
import { apiError } from '$lib/server/api/respond';
import { hsdsJson, hsdsTaxonomyPage, parseHsdsQuery } from '$lib/server/opendata';
import type { RequestHandler } from './$types';

/** HSDS taxonomies: tsunagu's life stages, forms, targets, and its own attribute terms. */
export const GET: RequestHandler = ({ url }) => {
	const parsed = parseHsdsQuery(url.searchParams);
	if (!parsed.ok) return apiError(400, 'invalid_parameter', 'One or more query parameters are invalid.', parsed.errors);
	return hsdsJson(db(), (licence) => hsdsTaxonomyPage(parsed.query, { search: parsed.query.search }, licence));
};
