import { db } from '$lib/server/db';
import { refuse, respondHsds } from '$lib/server/api/respond';
import { getFullyNestedServiceById as contract } from '$lib/server/api/contracts';
import { hsdsServiceById } from '$lib/server/opendata';
import type { RequestHandler } from './$types';

/** One HSDS service, fully nested. */
export const GET: RequestHandler = async ({ params, url }) => {
	const path = contract.params.safeParse(params);
	if (!path.success) return refuse(contract, 400, 'invalid_id', 'The service id must be a UUID.', [{ param: 'id', code: 'invalid_format', message: 'expected a UUID' }]);
	const found = await hsdsServiceById(db(), path.data.id, url.origin);
	if (!found) return refuse(contract, 404, 'not_found', 'No published service has this id.');
	return respondHsds(contract, db(), () => found);
};
