import { db } from '$lib/server/db';
import { refuse, respondHsds } from '$lib/server/api/respond';
import { getOrganizationById as contract } from '$lib/server/api/contracts';
import { hsdsOrganizationById } from '$lib/server/opendata';
import type { RequestHandler } from './$types';

/** One HSDS organization with its published services. */
export const GET: RequestHandler = async ({ params, url }) => {
	const path = contract.params.safeParse(params);
	if (!path.success) return refuse(contract, 400, 'invalid_id', 'The organization id must be a UUID.', [{ param: 'id', code: 'invalid_format', message: 'expected a UUID' }]);
	const found = await hsdsOrganizationById(db(), path.data.id, url.origin);
	if (!found) return refuse(contract, 404, 'not_found', 'No published organization has this id.');
	return respondHsds(contract, db(), () => found);
};
