import type { PageServerLoad } from './$types';
import { actorDb, requirePermission } from '$lib/server/auth/guard';
import { auditPageData } from '$lib/server/audit';

export const csr = false;

/** The whole network's audit log: the secretariat only. */
export const load: PageServerLoad = async (event) => {
	requirePermission(event, 'network.audit');
	return actorDb(event, (tx) => auditPageData(tx, event.url, event.locals.locale, { organizationId: null, basePath: '/staff/network/audit' }));
};
