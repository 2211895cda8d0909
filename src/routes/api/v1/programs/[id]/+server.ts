import { getProgram, idParam } from '$lib/server/directory';
import { db, todayInTokyo } from '$lib/server/runtime';
import { apiError, apiJson } from '$lib/server/api/respond';
import { programDetail } from '$lib/server/api/programs';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url, locals }) => {
	if (!idParam.safeParse(params.id).success) return apiError(400, 'invalid_id', 'The program id must be a UUID.', [{ param: 'id', code: 'invalid_format', message: 'expected a UUID' }]);
	const detail = await getProgram(db(), params.id);
	if (!detail) return apiError(404, 'not_found', 'No published program has this id.');
	return apiJson(programDetail(detail, locals.locale, url.origin, todayInTokyo()));
};
