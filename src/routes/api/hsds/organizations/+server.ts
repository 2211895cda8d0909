import { db } from '$lib/server/db';
import { apiError } from '$lib/server/api/respond';
import { hsdsJson, hsdsOrganizationPage, parseHsdsQuery } from '$lib/server/opendata';
import type { RequestHandler } from './$types';

/** HSDS organizations (every published organisation, with or without published programs), paged. */
export const GET: RequestHandler = async ({ url }) => {
	const parsed = parseHsdsQuery(url.searchParams);
	if (!parsed.ok) return apiError(400, 'invalid_parameter', 'One or more query parameters are invalid.', parsed.errors);
	const q = parsed.query;
	return hsdsJson(db(), (licence) => hsdsOrganizationPage(db(), url.origin, q, { search: q.search }, licence));
};
