import { getProgram } from '$lib/server/directory';
import { db } from '$lib/server/db';
import { todayInTokyo } from '$lib/server/clock';
import { apiError, apiJson } from '$lib/server/api/respond';
import { directoryLicence } from '$lib/server/opendata';
import { apiLicense, programDetail } from '$lib/server/api/programs';
import { idPathParams, Program } from '$lib/server/api/schemas';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url, locals }) => {
	const path = idPathParams.safeParse(params);
	if (!path.success) return apiError(400, 'invalid_id', 'The program id must be a UUID.', [{ param: 'id', code: 'invalid_format', message: 'expected a UUID' }]);
	const detail = await getProgram(db(), path.data.id);
	if (!detail) return apiError(404, 'not_found', 'No published program has this id.');
	const license = apiLicense(await directoryLicence(db()), locals.locale);
	return apiJson(Program, programDetail(detail, locals.locale, url.origin, todayInTokyo(), license));
};
