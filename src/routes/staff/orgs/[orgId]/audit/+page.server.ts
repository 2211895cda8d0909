import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { actorDb, requirePermission } from '$lib/server/auth/guard';
import { auditPageData } from '$lib/server/audit';
import { organizationNames } from '$lib/server/directory';
import { UUID } from '$lib/server/boundary';

export const csr = false;

/** An organisation's audit log: its admins and the secretariat. */
export const load: PageServerLoad = async (event) => {
	const orgId = event.params.orgId;
	if (!UUID.test(orgId)) error(404, 'Not Found');
	requirePermission(event, 'audit.view', orgId);
	return actorDb(event, async (tx) => {
		const names = await organizationNames(tx, [orgId]);
		if (!names.has(orgId)) error(404, 'Not Found');
		const view = await auditPageData(tx, event.url, event.locals.locale, { organizationId: orgId, basePath: `/staff/orgs/${orgId}/audit` });
		return { organization: { id: orgId, name: names.get(orgId)! }, ...view };
	});
};
