import { db } from '$lib/server/db';
import { refuse, respondHsds } from '$lib/server/api/respond';
import { getPaginatedListOfServiceAtLocation as contract } from '$lib/server/api/contracts';
import { hsdsServiceAtLocationPage, hsdsServiceFilter, parseHsdsQuery } from '$lib/server/opendata';
import type { RequestHandler } from './$types';

/** HSDS service_at_locations (each published program at each of its places), paged; `full=true` nests the service fully; `postcode` / `proximity` as on /services. */
export const GET: RequestHandler = async ({ url }) => {
	const parsed = parseHsdsQuery(url.searchParams, { schema: contract.query });
	if (!parsed.ok) return refuse(contract, 400, 'invalid_parameter', 'One or more query parameters are invalid.', parsed.errors);
	const filter = await hsdsServiceFilter(db(), parsed.query);
	if (!filter.ok) return refuse(contract, 400, 'invalid_parameter', 'One or more query parameters are invalid.', filter.errors);
	return respondHsds(contract, db(), (licence) => hsdsServiceAtLocationPage(db(), url.origin, parsed.query, filter.filter, licence));
};
