import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireSecretariat } from '$lib/server/auth/guard';
import { networkProvisions, readProvisionQuery, PROVISIONS_LIMIT } from '$lib/server/consent';
import { todayInTokyo } from '$lib/server/clock';
import { translator } from '$lib/i18n';

export const csr = false;

/** Every provision record in the network for a period, the sharings without consent first with their reasons; the view is audited. */
export const load: PageServerLoad = async (event) => {
	const scope = requireSecretariat(event, 'network.provisions');
	const q = readProvisionQuery(event.url.searchParams, todayInTokyo());
	if (!q) error(400, { message: translator(event.locals.locale)('provisionLog.invalid') });
	const page = await networkProvisions(scope, q);
	if (!page.ok) error(403, 'Forbidden');
	return { ...page.value, limit: PROVISIONS_LIMIT };
};
