import { db } from '$lib/server/db';
import { refuse, respondHsds, respondNdjson } from '$lib/server/api/respond';
import { getPaginatedListOfServices as contract } from '$lib/server/api/contracts';
import { currentHsdsLicence, hsdsHeaders, hsdsServicePage, hsdsServiceRecords, hsdsServiceFilter, parseHsdsQuery } from '$lib/server/opendata';
import type { RequestHandler } from './$types';

/**
 * HSDS services (tsunagu's published programs), paged; `full=true` nests each fully;
 * `format=ndjson` streams every match, one record a line; `postcode` (and `proximity` in metres)
 * keep the services with a place there.
 */
export const GET: RequestHandler = async ({ url }) => {
	const parsed = parseHsdsQuery(url.searchParams, { schema: contract.query, ndjson: true });
	if (!parsed.ok) return refuse(contract, 400, 'invalid_parameter', 'One or more query parameters are invalid.', parsed.errors);
	const q = parsed.query;
	const filter = await hsdsServiceFilter(db(), q);
	if (!filter.ok) return refuse(contract, 400, 'invalid_parameter', 'One or more query parameters are invalid.', filter.errors);
	if (q.format === 'ndjson') return respondNdjson(contract, hsdsServiceRecords(db(), url.origin, filter.filter), hsdsHeaders(await currentHsdsLicence(db())));
	return respondHsds(contract, db(), (licence) => hsdsServicePage(db(), url.origin, q, filter.filter, licence));
};
