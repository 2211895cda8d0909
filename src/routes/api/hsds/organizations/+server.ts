import { db } from '$lib/server/db';
import { refuse, respondHsds } from '$lib/server/api/respond';
import { getPaginatedListOfOrganizations as contract } from '$lib/server/api/contracts';
import { hsdsOrganizationPage, parseHsdsQuery } from '$lib/server/opendata';
import type { RequestHandler } from './$types';

/** HSDS organizations (every published organisation, with or without published programs), paged. */
export const GET: RequestHandler = async ({ url }) => {
	const parsed = parseHsdsQuery(url.searchParams, { schema: contract.query });
	if (!parsed.ok) return refuse(contract, 400, 'invalid_parameter', 'One or more query parameters are invalid.', parsed.errors);
	const q = parsed.query;
	return respondHsds(contract, db(), (licence) => hsdsOrganizationPage(db(), url.origin, q, { search: q.search }, licence));
};
