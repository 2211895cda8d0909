import type { Actions, PageServerLoad } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { confirmAction, previewPageData } from '$lib/server/staff/import-page';

export const load: PageServerLoad = async (event) => ({ orgId: event.params.orgId, ...(await previewPageData(requireOrganization(event, 'directory.edit'), event.params.importId, event.locals.locale, `/staff/orgs/${event.params.orgId}/import`)) });

export const actions: Actions = {
	confirm: (event) => confirmAction(event, requireOrganization(event, 'directory.edit'), event.params.importId, `/staff/orgs/${event.params.orgId}/import`)
};
