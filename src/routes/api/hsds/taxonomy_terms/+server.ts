import { db } from '$lib/server/db';
import { refuse, respondHsds } from '$lib/server/api/respond';
import { getPaginatedListOfTaxonomyTerms as contract } from '$lib/server/api/contracts';
import { hsdsTermPage, parseHsdsQuery } from '$lib/server/opendata';
import type { RequestHandler } from './$types';

/** HSDS taxonomy terms (Japanese names, English descriptions); filters: search, taxonomy_id, parent_id, top_only. */
export const GET: RequestHandler = ({ url }) => {
	const parsed = parseHsdsQuery(url.searchParams, { schema: contract.query });
	if (!parsed.ok) return refuse(contract, 400, 'invalid_parameter', 'One or more query parameters are invalid.', parsed.errors);
	const q = parsed.query;
	return respondHsds(contract, db(), (licence) => hsdsTermPage(q, { search: q.search, taxonomyId: q.taxonomyId, parentId: q.parentId }, licence));
};
