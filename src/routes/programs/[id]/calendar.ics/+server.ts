import type { RequestHandler } from './$types';
import { idParam, programSummaries } from '$lib/server/directory';
import { icsResponse, programsFeed } from '$lib/server/events';
import { apiError } from '$lib/server/api/respond';
import { db } from '$lib/server/db';

/** One program's dates as an iCalendar feed (subscribe in a calendar app). */
export const GET: RequestHandler = async ({ params, url }) => {
	if (!idParam.safeParse(params.id).success) return apiError(400, 'invalid_id', 'The program id is not valid.');
	const program = (await programSummaries(db(), [params.id])).get(params.id);
	if (!program?.published) return apiError(404, 'not_found', 'No published program has this id.');
	return icsResponse(await programsFeed(db(), [program.id], { origin: url.origin, name: program.title }), `program-${program.id}.ics`);
};
