import type { RequestHandler } from './$types';
import { requireSecretariat } from '$lib/server/auth/guard';
import { parseAuditQuery } from '$lib/server/audit';
import { networkAuditCsv } from '$lib/server/network';

/** The whole network's audit log as CSV (the page's filters); the download is recorded. */
export const GET: RequestHandler = async (event) => {
	const scope = requireSecretariat(event, 'network.audit');
	return networkAuditCsv(scope, { query: parseAuditQuery(event.url.searchParams), locale: event.locals.locale });
};
