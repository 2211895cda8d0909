import type { RequestHandler } from './$types';
import { programIdsMatching } from '$lib/server/directory';
import { icsResponse, parseCalendarParams, programFilterOf, programsFeed } from '$lib/server/events';
import { apiError } from '$lib/server/api/respond';
import { db } from '$lib/server/db';
import { translate } from '$lib/i18n';

/** The calendar page's filtered view (same query parameters) as an iCalendar feed. */
export const GET: RequestHandler = async ({ url, locals }) => {
	const parsed = parseCalendarParams(url.searchParams);
	if (!parsed.ok) return apiError(400, 'invalid_parameters', 'Some calendar parameters are not valid.', parsed.errors);
	const ids = await programIdsMatching(db(), programFilterOf(parsed.query, true));
	return icsResponse(await programsFeed(db(), ids, { origin: url.origin, name: translate(locals.locale, 'calendar.title') }), 'tsunagu-calendar.ics');
};
