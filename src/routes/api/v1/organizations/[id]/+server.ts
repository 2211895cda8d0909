import { getOrganization, idParam } from '$lib/server/directory';
import { db } from '$lib/server/runtime';
import { apiError, apiJson } from '$lib/server/api/respond';
import { organizationDetail } from '$lib/server/api/programs';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url, locals }) => {
	if (!idParam.safeParse(params.id).success) return apiError(400, 'invalid_id', 'The organization id must be a UUID.', [{ param: 'id', code: 'invalid_format', message: 'expected a UUID' }]);
	const detail = await getOrganization(db(), params.id);
	if (!detail) return apiError(404, 'not_found', 'No published organization has this id.');
	return apiJson(organizationDetail(detail, locals.locale, url.origin));
};
