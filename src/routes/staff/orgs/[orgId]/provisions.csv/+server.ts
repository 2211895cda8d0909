import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { exportOrganizationProvisions, readProvisionQuery } from '$lib/server/consent';
import { todayInTokyo } from '$lib/server/clock';
import { translator } from '$lib/i18n';
import { csvResponse } from '$lib/server/staff/csv';

/** The organisation's provision records as CSV (provided, then received); the download is audited. */
export const GET: RequestHandler = async (event) => {
	const scope = requireOrganization(event, 'privacy.requests');
	const q = readProvisionQuery(event.url.searchParams, todayInTokyo());
	if (!q) error(400, { message: translator(event.locals.locale)('provisionLog.invalid') });
	const csv = await exportOrganizationProvisions(scope, q, event.locals.locale);
	if (!csv.ok) error(403, 'Forbidden');
	return csvResponse(csv.value, `provisions-${scope.organizationId}-${q.from}-${q.to}.csv`);
};
