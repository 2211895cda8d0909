import { getOrganization } from '$lib/server/directory';
import { db } from '$lib/server/db';
import { apiError, apiJson } from '$lib/server/api/respond';
import { directoryLicence } from '$lib/server/opendata';
import { apiLicense, organizationDetail } from '$lib/server/api/programs';
import { idPathParams, Organization } from '$lib/server/api/schemas';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url, locals }) => {
	const path = idPathParams.safeParse(params);
	if (!path.success) return apiError(400, 'invalid_id', 'The organization id must be a UUID.', [{ param: 'id', code: 'invalid_format', message: 'expected a UUID' }]);
	const detail = await getOrganization(db(), path.data.id);
	if (!detail) return apiError(404, 'not_found', 'No published organization has this id.');
	const license = apiLicense(await directoryLicence(db()), locals.locale);
	return apiJson(Organization, organizationDetail(detail, locals.locale, url.origin, license));
};
