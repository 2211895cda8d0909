import { db } from '$lib/server/db';
import { idParam } from '$lib/server/directory';
import { apiError } from '$lib/server/api/respond';
import { hsdsJson, hsdsOrganizationById } from '$lib/server/opendata';
import type { RequestHandler } from './$types';

/** One HSDS organization with its published services. */
export const GET: RequestHandler = async ({ params, url }) => {
	if (!idParam.safeParse(params.id).success) return apiError(400, 'invalid_id', 'The organization id must be a UUID.', [{ param: 'id', code: 'invalid_format', message: 'expected a UUID' }]);
	const organization = await hsdsOrganizationById(db(), params.id, url.origin);
	if (!organization) return apiError(404, 'not_found', 'No published organization has this id.');
	return hsdsJson(db(), () => organization);
};
