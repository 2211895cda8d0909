import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { actorDb, auditOrigin, requirePermission } from '$lib/server/auth/guard';
import { auditCsvResponse } from '$lib/server/audit';
import { organizationNames } from '$lib/server/directory';
import { UUID } from '$lib/server/boundary';

/** The organisation's audit log as CSV (the page's filters); the download is recorded. */
export const GET: RequestHandler = async (event) => {
	const orgId = event.params.orgId;
	if (!UUID.test(orgId)) error(404, 'Not Found');
	requirePermission(event, 'audit.view', orgId);
	return actorDb(event, async (tx) => {
		if (!(await organizationNames(tx, [orgId])).has(orgId)) error(404, 'Not Found');
		return auditCsvResponse(tx, auditOrigin(event), event.url, event.locals.locale, { organizationId: orgId, basePath: `/staff/orgs/${orgId}/audit` });
	});
};
