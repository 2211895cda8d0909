import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { organizationProvisions, readProvisionQuery, PROVISIONS_LIMIT } from '$lib/server/consent';
import { todayInTokyo } from '$lib/server/clock';
import { translator } from '$lib/i18n';

export const csr = false;

/** What the organisation provided to others and received from them (29条), for its admins; the view is audited. */
export const load: PageServerLoad = async (event) => {
	const scope = requireOrganization(event, 'privacy.requests');
	const q = readProvisionQuery(event.url.searchParams, todayInTokyo());
	if (!q) error(400, { message: translator(event.locals.locale)('provisionLog.invalid') });
	const page = await organizationProvisions(scope, q);
	if (!page.ok) error(403, 'Forbidden');
	return { ...page.value, limit: PROVISIONS_LIMIT };
};
