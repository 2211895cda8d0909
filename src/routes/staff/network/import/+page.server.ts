import type { Actions, PageServerLoad } from './$types';
import { requireSecretariat } from '$lib/server/auth/guard';
import { uploadAction, uploadPageData } from '$lib/server/staff/import-page';

const BASE = '/staff/network/import';

export const load: PageServerLoad = async (event) => uploadPageData(requireSecretariat(event, 'directory.edit'), BASE);

export const actions: Actions = {
	upload: (event) => uploadAction(event, requireSecretariat(event, 'directory.edit'), BASE)
};
