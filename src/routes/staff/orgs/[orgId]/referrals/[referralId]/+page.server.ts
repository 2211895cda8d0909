import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { fieldErrors, uuid, queryOf, notice, formOf } from '$lib/server/boundary';
import { openReferral, stepForm, takeReferralStep, NOTE_MAX, REFERRAL_OUTCOMES } from '$lib/server/referrals';

const referralParam = z.object({ referralId: uuid });

/** The referral id of the path; a malformed one is a 404 like an unknown one. */
function referralIdOf(event: Pick<RequestEvent, 'params'>): string {
	const parsed = referralParam.safeParse(event.params);
	if (!parsed.success) error(404, 'Not Found');
	return parsed.data.referralId.toLowerCase();
}

/** `?done=` after sending or a step; anything else shows no notice. */
const pageQuery = z.object({ done: notice(['sent', 'step']) });

/** The referral as this side sees it (the receiver's opening is recorded every time). */
export const load: PageServerLoad = async (event) => {
	const scope = requireOrganization(event, 'referrals.receive');
	const opened = await openReferral(scope, { referralId: referralIdOf(event) });
	if (!opened.ok) error(404, 'Not Found');
	return { orgId: scope.organizationId, referral: opened.value, outcomes: REFERRAL_OUTCOMES, noteMax: NOTE_MAX, done: queryOf(pageQuery, event.url.searchParams).done };
};

/** The step form's fields as sent; stepForm checks them. */
const stepFields = z.object({ action: z.string(), note: z.string(), outcome: z.string(), redirectTo: z.string() });

export const actions: Actions = {
	/** One step (accept, decline, redirect, first contact, ongoing, complete, close): the module says whether this side may take it now. */
	step: async (event) => {
		const referralId = referralIdOf(event);
		const form = await event.request.formData();
		const raw = formOf(stepFields, form);
		const scope = requireOrganization(event, raw.action === 'close' ? 'referrals.send' : 'referrals.receive');
		const parsed = stepForm.safeParse(raw);
		if (!parsed.success) return fail(400, { action: raw.action, values: raw, errors: fieldErrors<Record<string, string>>(parsed.error) });
		const done = await takeReferralStep(scope, { referralId, ...parsed.data });
		if (!done.ok) {
			if (done.reason === 'not_found') error(404, 'Not Found');
			return fail(done.reason === 'illegal_transition' || done.reason === 'consent_ended' ? 409 : 400, { action: raw.action, values: raw, refused: done.reason });
		}
		redirect(303, `/staff/orgs/${scope.organizationId}/referrals/${referralId}?done=step`);
	}
};
