import { db } from '$lib/server/db';
import { apiError } from '$lib/server/api/respond';
import { currentHsdsLicence, hsdsHeaders, hsdsJson, hsdsServicePage, hsdsServiceRecords, hsdsServiceFilter, parseHsdsQuery } from '$lib/server/opendata';
import type { RequestHandler } from './$types';

/**
 * HSDS services (tsunagu's published programs), paged; `full=true` nests each fully;
 * `format=ndjson` streams every match, one record a line; `postcode` (and `proximity` in metres)
 * keep the services with a place there.
 */
export const GET: RequestHandler = async ({ url }) => {
	const parsed = parseHsdsQuery(url.searchParams, { ndjson: true });
	if (!parsed.ok) return apiError(400, 'invalid_parameter', 'One or more query parameters are invalid.', parsed.errors);
	const q = parsed.query;
	const filter = await hsdsServiceFilter(db(), q);
	if (!filter.ok) return apiError(400, 'invalid_parameter', 'One or more query parameters are invalid.', filter.errors);
	if (q.format === 'ndjson') {
		const records = hsdsServiceRecords(db(), url.origin, filter.filter);
		const encoder = new TextEncoder();
		const body = new ReadableStream<Uint8Array>({
			async pull(controller) {
				const next = await records.next();
				if (next.done) controller.close();
				else controller.enqueue(encoder.encode(JSON.stringify(next.value) + '\n'));
			},
			async cancel() {
				await records.return(undefined);
			}
		});
		return new Response(body, { headers: { ...hsdsHeaders(await currentHsdsLicence(db())), 'content-type': 'application/x-ndjson; charset=utf-8' } });
	}
	return hsdsJson(db(), (licence) => hsdsServicePage(db(), url.origin, q, filter.filter, licence));
};
