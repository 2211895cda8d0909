import type { PageServerLoad } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { referralsOf } from '$lib/server/referrals';

/** 受け取った / 送った: the organisation's referrals (statuses, dates, organisations; no items). */
export const load: PageServerLoad = async (event) => {
	const scope = requireOrganization(event, 'referrals.receive');
	return { orgId: scope.organizationId, lists: await referralsOf(scope) };
};
