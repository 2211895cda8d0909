import type { RequestHandler } from './$types';
import { getOrganization, idParam, programIdsMatching } from '$lib/server/directory';
import { icsResponse, jsonError, programsFeed } from '$lib/server/events';
import { db, todayInTokyo } from '$lib/server/runtime';

/** Every published program of one organisation, as one iCalendar feed. */
export const GET: RequestHandler = async ({ params, url }) => {
	if (!idParam.safeParse(params.id).success) return jsonError(400, 'invalid_id', 'The organisation id is not valid.');
	const detail = await getOrganization(db(), params.id);
	if (!detail) return jsonError(404, 'not_found', 'No published organisation has this id.');
	const ids = await programIdsMatching(db(), { organizationId: params.id, publishedOnly: true });
	return icsResponse(await programsFeed(db(), ids, { origin: url.origin, name: detail.organization.name, today: todayInTokyo() }), `organization-${params.id}.ics`);
};
