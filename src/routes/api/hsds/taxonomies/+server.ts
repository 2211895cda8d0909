import { db } from '$lib/server/db';
import { refuse, respondHsds } from '$lib/server/api/respond';
import { getPaginatedListOfTaxonomies as contract } from '$lib/server/api/contracts';
import { hsdsTaxonomyPage, parseHsdsQuery } from '$lib/server/opendata';
import type { RequestHandler } from './$types';

/** HSDS taxonomies: tsunagu's life stages, forms, targets, and its own attribute terms. */
export const GET: RequestHandler = ({ url }) => {
	const parsed = parseHsdsQuery(url.searchParams, { schema: contract.query });
	if (!parsed.ok) return refuse(contract, 400, 'invalid_parameter', 'One or more query parameters are invalid.', parsed.errors);
	return respondHsds(contract, db(), (licence) => hsdsTaxonomyPage(parsed.query, { search: parsed.query.search }, licence));
};
