import type { Actions, PageServerLoad } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { mapAction, mappingPageData } from '$lib/server/staff/import-page';

export const load: PageServerLoad = async (event) => ({ orgId: event.params.orgId, ...(await mappingPageData(requireOrganization(event, 'directory.edit'), event.params.importId, event.locals.locale)) });

export const actions: Actions = {
	map: (event) => mapAction(event, requireOrganization(event, 'directory.edit'), event.params.importId, `/staff/orgs/${event.params.orgId}/import`)
};
