import { db } from '$lib/server/db';
import { idParam } from '$lib/server/directory';
import { apiError } from '$lib/server/api/respond';
import { hsdsJson, hsdsTaxonomyById } from '$lib/server/opendata';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ params }) => {
	if (!idParam.safeParse(params.id).success) return apiError(400, 'invalid_id', 'The taxonomy id must be a UUID.', [{ param: 'id', code: 'invalid_format', message: 'expected a UUID' }]);
	const found = hsdsTaxonomyById(params.id);
	if (!found) return apiError(404, 'not_found', 'No taxonomy has this id.');
	return hsdsJson(db(), () => found);
};
