import type { PageServerLoad } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { todayInTokyo } from '$lib/server/clock';
import { eventsListPage } from '$lib/server/staff/event-pages';
import { notice, queryOf } from '$lib/server/boundary';
import { z } from 'zod';

/** `?done=` after deleting or creating a date; anything else shows no notice. */
const pageQuery = z.object({ done: notice(['deleted', 'created']) });

export const load: PageServerLoad = async (event) => ({
	...(await eventsListPage(requireOrganization(event, 'events.manage'), { today: todayInTokyo(), locale: event.locals.locale })),
	done: queryOf(pageQuery, event.url.searchParams).done
});
