import type { Actions, PageServerLoad } from './$types';
import { requireSecretariat } from '$lib/server/auth/guard';
import { confirmAction, previewPageData } from '$lib/server/staff/import-page';

const BASE = '/staff/network/import';

export const load: PageServerLoad = async (event) => previewPageData(requireSecretariat(event, 'directory.edit'), event.params.importId, event.locals.locale, BASE);

export const actions: Actions = {
	confirm: (event) => confirmAction(event, requireSecretariat(event, 'directory.edit'), event.params.importId, BASE)
};
