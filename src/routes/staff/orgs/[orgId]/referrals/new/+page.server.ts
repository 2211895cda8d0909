import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { fieldErrors } from '$lib/server/boundary';
import { REACH_WAYS, REASON_MIN, SHARE_ITEMS, SHARING_BASES } from '$lib/server/consent';
import { referralForm, sendForm, sendFormValues, sendInputOf, sendReferral, sourceOf, type ReferralSourceRef, type SourceRefusal } from '$lib/server/referrals';

/** ?thread=<id> or ?registration=<id>; anything else is not a page. */
function sourceOfPage(event: Pick<RequestEvent, 'url'>): ReferralSourceRef {
	const source = sourceOf(event.url.searchParams);
	if (!source) error(404, 'Not Found');
	return source;
}

function sourceRefused(reason: SourceRefusal): never {
	error(reason === 'source_not_allowed' ? 403 : 404, reason === 'source_not_allowed' ? 'Forbidden' : 'Not Found');
}

export const load: PageServerLoad = async (event) => {
	const scope = requireOrganization(event, 'referrals.send');
	const source = sourceOfPage(event);
	const form = await referralForm(scope, source);
	if (!form.ok) sourceRefused(form.reason);
	return { orgId: scope.organizationId, form: form.value, items: SHARE_ITEMS, bases: SHARING_BASES, reaches: REACH_WAYS, reasonMin: REASON_MIN };
};

export const actions: Actions = {
	default: async (event) => {
		const scope = requireOrganization(event, 'referrals.send');
		const source = sourceOfPage(event);
		const raw = sendFormValues(await event.request.formData());
		const values = { ...raw, items: undefined } as Record<string, string | undefined>;
		const items = raw.items as string[];
		const parsed = sendForm.safeParse(raw);
		if (!parsed.success) return fail(400, { values, items, errors: fieldErrors<Record<string, string>>(parsed.error) });
		const sent = await sendReferral(scope, sendInputOf(source, parsed.data));
		if (!sent.ok) {
			if (sent.reason === 'source_not_found' || sent.reason === 'source_not_allowed') sourceRefused(sent.reason);
			return fail(400, { values, items, refused: sent.reason });
		}
		redirect(303, `/staff/orgs/${scope.organizationId}/referrals/${sent.value.referralId}?done=sent`);
	}
};
