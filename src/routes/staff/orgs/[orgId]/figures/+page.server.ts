import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { readFiguresQuery } from '$lib/server/participation';
import { todayInTokyo } from '$lib/server/clock';
import { translator } from '$lib/i18n';
import { organizationFiguresPage } from '$lib/server/staff/figures-page';

/** The organisation's figures page: attendance for who may view it, consultations for its counsellors, referrals. */
export const load: PageServerLoad = async (event) => {
	const scope = requireOrganization(event, 'figures.view');
	const today = todayInTokyo();
	const q = readFiguresQuery(event.url.searchParams, today);
	if (!q) error(400, { message: translator(event.locals.locale)('figures.invalid') });
	return organizationFiguresPage(scope, { query: q, today });
};
