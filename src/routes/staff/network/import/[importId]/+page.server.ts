import type { Actions, PageServerLoad } from './$types';
import { requireSecretariat } from '$lib/server/auth/guard';
import { mapAction, mappingPageData } from '$lib/server/staff/import-page';

const BASE = '/staff/network/import';

export const load: PageServerLoad = async (event) => mappingPageData(requireSecretariat(event, 'directory.edit'), event.params.importId, event.locals.locale);

export const actions: Actions = {
	map: (event) => mapAction(event, requireSecretariat(event, 'directory.edit'), event.params.importId, BASE)
};
