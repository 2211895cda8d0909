import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireSecretariat } from '$lib/server/auth/guard';
import { isFiltered, readFiguresQuery, readRegionFilter, regionFigures, AGE_BANDS, GENDERS, MAX_FILTER_LENGTH } from '$lib/server/participation';
import { networkConsultationFigures } from '$lib/server/consultations';
import { networkReferralFigures } from '$lib/server/referrals';
import { todayInTokyo } from '$lib/server/clock';
import { translator } from '$lib/i18n';
import { can } from '$lib/server/auth';

/** The region's attendance for the secretariat: every organisation and the whole network; and its consultations, counts only. */
export const load: PageServerLoad = async (event) => {
	const scope = requireSecretariat(event, 'network.attendance');
	const today = todayInTokyo();
	const q = readFiguresQuery(event.url.searchParams, today);
	if (!q) error(400, { message: translator(event.locals.locale)('figures.invalid') });
	const read = readRegionFilter(event.url.searchParams);
	if (!read.ok) error(400, { message: translator(event.locals.locale)('figures.filterTooLong', { max: MAX_FILTER_LENGTH }) });
	const filter = read.value;
	const figures = await regionFigures(scope, { query: q, today, filter });
	// The consultation part under its own permission (a scope made for it: the counting runs in the platform's context).
	const consultations = can(scope.actor, 'network.consultation_figures') ? await networkConsultationFigures(requireSecretariat(event, 'network.consultation_figures'), { from: q.from, to: q.to }) : null;
	const referrals = can(scope.actor, 'network.referrals') ? await networkReferralFigures(requireSecretariat(event, 'network.referrals'), { from: q.from, to: q.to }) : null;
	return { query: q, filter, filtered: isFiltered(filter), ...figures, consultations: consultations?.ok ? consultations.value : null, referrals: referrals?.ok ? referrals.value : null, ageBands: AGE_BANDS, genders: GENDERS };
};
