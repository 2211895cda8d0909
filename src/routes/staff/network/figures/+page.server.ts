import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireSecretariat } from '$lib/server/auth/guard';
import { readFiguresQuery, regionFigures, AGE_BANDS, GENDERS } from '$lib/server/participation';
import { todayInTokyo } from '$lib/server/clock';
import { translator } from '$lib/i18n';

/** The region's attendance for the secretariat: every organisation and the whole network. */
export const load: PageServerLoad = async (event) => {
	const scope = requireSecretariat(event, 'network.attendance');
	const today = todayInTokyo();
	const q = readFiguresQuery(event.url.searchParams, today);
	if (!q) error(400, { message: translator(event.locals.locale)('figures.invalid') });
	const figures = await regionFigures(scope, { query: q, today });
	return { query: q, ...figures, ageBands: AGE_BANDS, genders: GENDERS };
};
