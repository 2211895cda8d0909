import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireSecretariat } from '$lib/server/auth/guard';
import { exportNetworkProvisions, readProvisionQuery } from '$lib/server/consent';
import { todayInTokyo } from '$lib/server/clock';
import { translator } from '$lib/i18n';
import { csvResponse } from '$lib/server/staff/csv';

/** The network's provision records as CSV (the page's period), without consent first; the download is audited. */
export const GET: RequestHandler = async (event) => {
	const scope = requireSecretariat(event, 'network.provisions');
	const q = readProvisionQuery(event.url.searchParams, todayInTokyo());
	if (!q) error(400, { message: translator(event.locals.locale)('provisionLog.invalid') });
	const csv = await exportNetworkProvisions(scope, q, event.locals.locale);
	if (!csv.ok) error(403, 'Forbidden');
	return csvResponse(csv.value, `provisions-${q.from}-${q.to}.csv`);
};
