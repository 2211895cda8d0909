import { z } from 'zod';
import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { askOrganization, consentIdInput, formValues, myInformation, subjectRequestInput, withdrawConsent, REQUEST_DUE_DAYS, REQUEST_MAX } from '$lib/server/consent';
import { fieldErrors, queryOf, notice } from '$lib/server/boundary';
import { byBearerLink, residentScope } from '$lib/server/auth/guard';

export const csr = false;

/**
 * わたしの情報: the person's own view through their private link (a consultation's, a
 * registration's or a card's). Every miss — unknown, malformed, emptied — is the same 404.
 */
const mine = (event: Pick<RequestEvent, 'locals' | 'params'>) => byBearerLink(event, () => myInformation(residentScope(event), (event.params as { token: string }).token), { throttled: 'my.throttled', notFound: 'my.notFound' });

/** `?done=` after withdrawing or asking, with the answer's `due` day. */
const pageQuery = z.object({
	done: notice(['withdraw', 'asked']),
	due: z
		.string()
		.regex(/^\d{4}-\d{2}-\d{2}$/)
		.nullable()
		.catch(null)
});

export const load: PageServerLoad = async (event) => {
	const info = await mine(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const { done, due } = queryOf(pageQuery, event.url.searchParams);
	return { token: event.params.token, info, done, due, dueDays: REQUEST_DUE_DAYS, requestMax: REQUEST_MAX };
};

export const actions: Actions = {
	withdraw: async (event) => {
		await mine(event);
		const parsed = consentIdInput.safeParse(formValues(await event.request.formData(), ['consentId']));
		if (!parsed.success) return fail(400, { withdrawNotice: 'consent.error.consent' });
		const withdrawn = await withdrawConsent(residentScope(event), { token: event.params.token, consentId: parsed.data.consentId });
		if (withdrawn.ok) redirect(303, `/my/${event.params.token}?done=withdraw`);
		return fail(withdrawn.reason === 'not_found' ? 404 : 409, { withdrawNotice: withdrawn.reason === 'not_found' ? 'consent.error.consent' : 'consent.error.notGiven' });
	},
	ask: async (event) => {
		await mine(event);
		const values = formValues(await event.request.formData(), ['organizationId', 'kind', 'body']);
		const shown = { organizationId: String(values.organizationId ?? ''), kind: String(values.kind ?? ''), body: String(values.body ?? '') };
		const parsed = subjectRequestInput.safeParse(values);
		if (!parsed.success) return fail(400, { ask: shown, errors: fieldErrors<Record<string, string>>(parsed.error) });
		const asked = await askOrganization(residentScope(event), { token: event.params.token, ...parsed.data });
		if (!asked.ok) return fail(asked.reason === 'not_found' ? 404 : 400, { ask: shown, errors: { organizationId: asked.reason === 'not_found' ? 'my.notFound' : 'consent.error.notHolder' } });
		redirect(303, `/my/${event.params.token}?done=asked&due=${asked.value.dueOn}`);
	}
};
