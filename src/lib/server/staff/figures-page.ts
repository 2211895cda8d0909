/**
 * The organisation's figures page reads three modules in one transaction, each part for who may
 * see it: attendance (participation), consultations (for its counsellors) and referrals (for
 * whoever sends or receives them here).
 */
import { error } from '@sveltejs/kit';
import { can } from '../auth';
import { organizationForStaff } from '../directory';
import { organizationFigures, AGE_BANDS, GENDERS, type FiguresQuery } from '../participation';
import { organizationConsultationFigures } from '../consultations';
import { organizationReferralFigures, seesReferralFigures } from '../referrals';
import { runIn, type OrganizationScope } from '../scope';

export async function organizationFiguresPage(scope: OrganizationScope, input: { query: FiguresQuery; today: string }) {
	const { query: q, today } = input;
	return runIn(scope, async (tx) => {
		const org = await organizationForStaff(tx, scope.organizationId);
		if (!org) error(404, 'Not Found');
		const attendance = can(scope.actor, 'attendance.view', scope.organizationId) ? await organizationFigures(tx, scope, { query: q, today }) : null;
		const consultations = can(scope.actor, 'consultations.read', scope.organizationId) ? await organizationConsultationFigures(tx, scope, { from: q.from, to: q.to }) : null;
		const referrals = seesReferralFigures(scope) ? await organizationReferralFigures(tx, scope, { from: q.from, to: q.to }) : null;
		return { organization: { id: org.id, name: org.name }, query: q, attendance, consultations, referrals, ageBands: AGE_BANDS, genders: GENDERS };
	});
}
