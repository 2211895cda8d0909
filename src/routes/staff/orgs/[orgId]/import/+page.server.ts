import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { error } from '@sveltejs/kit';
import { requireOrganization } from '$lib/server/auth/guard';
import { ownOrganization } from '$lib/server/directory';
import { uploadAction, uploadPageData } from '$lib/server/staff/import-page';

const guard = (event: RequestEvent) => requireOrganization(event, 'directory.edit');

export const load: PageServerLoad = async (event) => {
	const scope = guard(event);
	const org = await ownOrganization(scope);
	if (!org) error(404, 'Not Found');
	return { organization: { id: org.id, name: org.name }, ...uploadPageData(scope, `/staff/orgs/${org.id}/import`) };
};

export const actions: Actions = {
	upload: (event) => uploadAction(event, guard(event), `/staff/orgs/${event.params.orgId}/import`)
};
