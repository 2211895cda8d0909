/**
 * The organisation's figures page reads three modules in one transaction, each part for who may
 * see it: attendance (participation), consultations (for its counsellors) and referrals (for
 * whoever sends or receives them here).
 */
import { error } from '@sveltejs/kit';
import { organizationForStaff } from '../directory';
import { organizationFigures, AGE_BANDS, GENDERS, type FiguresQuery } from '../participation';
import { organizationConsultationFigures } from '../consultations';
import { organizationReferralFigures, seesReferralFigures } from '../referrals';
import { runIn, type OrganizationScope, type Result } from '../scope';

/** A part the person may see, or null (not shown). */
const shown = <T>(part: Result<T, 'forbidden'>): T | null => (part.ok ? part.value : null);

export async function organizationFiguresPage(scope: OrganizationScope, input: { query: FiguresQuery; today: string }) {
	const { query: q, today } = input;
	return runIn(scope, async (tx) => {
		const org = await organizationForStaff(tx, scope.organizationId);
		if (!org) error(404, 'Not Found');
		// Each part's module says whether this person sees it (attendance.view, consultations.read).
		const attendance = shown(await organizationFigures(tx, scope, { query: q, today }));
		const consultations = shown(await organizationConsultationFigures(tx, scope, { from: q.from, to: q.to }));
		const referrals = seesReferralFigures(scope) ? await organizationReferralFigures(tx, scope, { from: q.from, to: q.to }) : null;
		return { organization: { id: org.id, name: org.name }, query: q, attendance, consultations, referrals, ageBands: AGE_BANDS, genders: GENDERS };
	});
}
