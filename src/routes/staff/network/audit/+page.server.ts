import type { PageServerLoad } from './$types';
import { requireSecretariat } from '$lib/server/auth/guard';
import { parseAuditQuery } from '$lib/server/audit';
import { networkAuditPage } from '$lib/server/network';

export const csr = false;

/** The whole network's audit log: the secretariat only. */
export const load: PageServerLoad = async (event) => {
	const scope = requireSecretariat(event, 'network.audit');
	return networkAuditPage(scope, { query: parseAuditQuery(event.url.searchParams), locale: event.locals.locale });
};
