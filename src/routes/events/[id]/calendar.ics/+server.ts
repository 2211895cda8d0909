import type { RequestHandler } from './$types';
import { idParam } from '$lib/server/directory';
import { icsResponse, occurrenceById, occurrenceFeed } from '$lib/server/events';
import { apiError } from '$lib/server/api/respond';
import { db } from '$lib/server/db';
import { translate } from '$lib/i18n';

/** "Add to calendar" for one date. */
export const GET: RequestHandler = async ({ params, url, locals }) => {
	if (!idParam.safeParse(params.id).success) return apiError(400, 'invalid_id', 'The event id is not valid.');
	const occurrence = await occurrenceById(db(), params.id);
	const body = occurrence ? await occurrenceFeed(db(), occurrence, { origin: url.origin, name: translate(locals.locale, 'app.name') }) : null;
	if (!body) return apiError(404, 'not_found', 'No public event has this id.');
	return icsResponse(body, `event-${params.id}.ics`);
};
