import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { parseAuditQuery } from '$lib/server/audit';
import { organizationAuditPage } from '$lib/server/network';

export const csr = false;

/** An organisation's audit log: its admins and the secretariat. */
export const load: PageServerLoad = async (event) => {
	const scope = requireOrganization(event, 'audit.view');
	const page = await organizationAuditPage(scope, { query: parseAuditQuery(event.url.searchParams), locale: event.locals.locale });
	if (!page) error(404, 'Not Found');
	return page;
};
