import type { RequestHandler } from './$types';
import { getOrganization, idParam, programIdsMatching } from '$lib/server/directory';
import { icsResponse, programsFeed } from '$lib/server/events';
import { apiError } from '$lib/server/api/respond';
import { db } from '$lib/server/db';

/** Every published program of one organisation, as one iCalendar feed. */
export const GET: RequestHandler = async ({ params, url }) => {
	if (!idParam.safeParse(params.id).success) return apiError(400, 'invalid_id', 'The organisation id is not valid.');
	const detail = await getOrganization(db(), params.id);
	if (!detail) return apiError(404, 'not_found', 'No published organisation has this id.');
	const ids = await programIdsMatching(db(), { organizationId: params.id, publishedOnly: true });
	return icsResponse(await programsFeed(db(), ids, { origin: url.origin, name: detail.organization.name }), `organization-${params.id}.ics`);
};
