import { db } from '$lib/server/db';
import { idParam } from '$lib/server/directory';
import { apiError } from '$lib/server/api/respond';
import { hsdsJson, hsdsServiceAtLocationById } from '$lib/server/opendata';
import type { RequestHandler } from './$types';

/** One HSDS service_at_location, fully nested (its location with addresses, its service). */
export const GET: RequestHandler = async ({ params, url }) => {
	if (!idParam.safeParse(params.id).success) return apiError(400, 'invalid_id', 'The service_at_location id must be a UUID.', [{ param: 'id', code: 'invalid_format', message: 'expected a UUID' }]);
	const found = await hsdsServiceAtLocationById(db(), params.id, url.origin);
	if (!found) return apiError(404, 'not_found', 'No published service_at_location has this id.');
	return hsdsJson(db(), () => found);
};
