import type { PageServerLoad } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { todayInTokyo } from '$lib/server/clock';
import { eventsListPage } from '$lib/server/staff/event-pages';

export const load: PageServerLoad = async (event) => eventsListPage(requireOrganization(event, 'events.manage'), { today: todayInTokyo(), locale: event.locals.locale });
