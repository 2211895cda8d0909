import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { parseAuditQuery } from '$lib/server/audit';
import { organizationAuditCsv } from '$lib/server/network';

/** The organisation's audit log as CSV (the page's filters); the download is recorded. */
export const GET: RequestHandler = async (event) => {
	const scope = requireOrganization(event, 'audit.view');
	const csv = await organizationAuditCsv(scope, { query: parseAuditQuery(event.url.searchParams), locale: event.locals.locale });
	if (!csv) error(404, 'Not Found');
	return csv;
};
