import { db } from '$lib/server/db';
import { refuse, respondHsds } from '$lib/server/api/respond';
import { getTaxonomyById as contract } from '$lib/server/api/contracts';
import { hsdsTaxonomyById } from '$lib/server/opendata';
import type { RequestHandler } from './$types';

/** One HSDS taxonomy. */
export const GET: RequestHandler = async ({ params }) => {
	const path = contract.params.safeParse(params);
	if (!path.success) return refuse(contract, 400, 'invalid_id', 'The taxonomy id must be a UUID.', [{ param: 'id', code: 'invalid_format', message: 'expected a UUID' }]);
	const found = hsdsTaxonomyById(path.data.id);
	if (!found) return refuse(contract, 404, 'not_found', 'No taxonomy has this id.');
	return respondHsds(contract, db(), () => found);
};
