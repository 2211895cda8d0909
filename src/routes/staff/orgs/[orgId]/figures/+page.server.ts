import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { runIn } from '$lib/server/scope';
import { organizationForStaff } from '$lib/server/directory';
import { organizationFigures, readFiguresQuery, AGE_BANDS, GENDERS } from '$lib/server/participation';
import { todayInTokyo } from '$lib/server/clock';
import { translator } from '$lib/i18n';
import { can } from '$lib/server/auth';
import { organizationConsultationFigures } from '$lib/server/consultations';
import { organizationReferralFigures, seesReferralFigures } from '$lib/server/referrals';

/** The organisation's figures page: attendance for who may view it, consultations for its counsellors. */
export const load: PageServerLoad = async (event) => {
	const scope = requireOrganization(event, 'figures.view');
	const today = todayInTokyo();
	const q = readFiguresQuery(event.url.searchParams, today);
	if (!q) error(400, { message: translator(event.locals.locale)('figures.invalid') });
	return runIn(scope, async (tx) => {
		const org = await organizationForStaff(tx, scope.organizationId);
		if (!org) error(404, 'Not Found');
		const attendance = can(scope.actor, 'attendance.view', scope.organizationId) ? await organizationFigures(tx, scope, { query: q, today }) : null;
		// Consultation figures only for those who may read the organisation's consultations.
		const consultations = can(scope.actor, 'consultations.read', scope.organizationId) ? await organizationConsultationFigures(tx, scope, { from: q.from, to: q.to }) : null;
		// Referral figures for whoever may send or receive referrals here (row-level security shows its own).
		const referrals = seesReferralFigures(scope) ? await organizationReferralFigures(tx, scope, { from: q.from, to: q.to }) : null;
		return { organization: { id: org.id, name: org.name }, query: q, attendance, consultations, referrals, ageBands: AGE_BANDS, genders: GENDERS };
	});
};
