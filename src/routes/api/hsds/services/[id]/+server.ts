import { db } from '$lib/server/db';
import { idParam } from '$lib/server/directory';
import { apiError } from '$lib/server/api/respond';
import { hsdsJson, hsdsServiceById } from '$lib/server/opendata';
import type { RequestHandler } from './$types';

/** One HSDS service, fully nested. */
export const GET: RequestHandler = async ({ params, url }) => {
	if (!idParam.safeParse(params.id).success) return apiError(400, 'invalid_id', 'The service id must be a UUID.', [{ param: 'id', code: 'invalid_format', message: 'expected a UUID' }]);
	const service = await hsdsServiceById(db(), params.id, url.origin);
	if (!service) return apiError(404, 'not_found', 'No published service has this id.');
	return hsdsJson(db(), () => service);
};
