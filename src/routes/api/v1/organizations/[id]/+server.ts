import { getOrganization } from '$lib/server/directory';
import { db } from '$lib/server/db';
import { refuse, respondPublic } from '$lib/server/api/respond';
import { getOrganization as contract } from '$lib/server/api/contracts';
import { directoryLicence } from '$lib/server/opendata';
import { apiLicense, organizationDetail } from '$lib/server/api/programs';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url, locals }) => {
	const path = contract.params.safeParse(params);
	if (!path.success) return refuse(contract, 400, 'invalid_id', 'The organization id must be a UUID.', [{ param: 'id', code: 'invalid_format', message: 'expected a UUID' }]);
	const detail = await getOrganization(db(), path.data.id);
	if (!detail) return refuse(contract, 404, 'not_found', 'No published organization has this id.');
	const license = apiLicense(await directoryLicence(db()), locals.locale);
	return respondPublic(contract, organizationDetail(detail, locals.locale, url.origin, license));
};
