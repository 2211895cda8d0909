import type { RequestHandler } from './$types';
import { actorDb, auditOrigin, requirePermission } from '$lib/server/auth/guard';
import { auditCsvResponse } from '$lib/server/audit';

/** The whole network's audit log as CSV (the page's filters); the download is recorded. */
export const GET: RequestHandler = async (event) => {
	requirePermission(event, 'network.audit');
	return actorDb(event, (tx) => auditCsvResponse(tx, auditOrigin(event), event.url, event.locals.locale, { organizationId: null, basePath: '/staff/network/audit' }));
};
