import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { answerConsent, answerInput, consentIdInput, consentsByLink, formValues, withdrawConsent, type AnswerRefusal, type WithdrawRefusal } from '$lib/server/consent';
import { fieldErrors } from '$lib/server/boundary';
import { byBearerLink, residentScope } from '$lib/server/auth/guard';

export const csr = false;

/**
 * The person's answers to what their counsellor asks them before connecting them with another
 * organisation (the thread page shows the questions and posts here). A miss is the thread's 404.
 */
const mine = (event: Pick<RequestEvent, 'locals' | 'params'>) => byBearerLink(event, () => consentsByLink(residentScope(event), (event.params as { token: string }).token), { throttled: 'consult.linkThrottled', notFound: 'consult.notFound' });

export const load: PageServerLoad = async (event) => {
	const found = await mine(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	return { token: event.params.token, consents: found.consents, prefill: found.prefill };
};

function back(token: string, done: string): never {
	redirect(303, `/consult/t/${token}?consent=${done}#consent`);
}

const answerRefusal: Record<Exclude<AnswerRefusal, 'not_found'>, { status: number; errors?: Record<string, string>; notice?: string }> = {
	name_required: { status: 400, errors: { name: 'consent.error.nameRequired' } },
	contact_required: { status: 400, errors: { contact: 'consent.error.contactRequired' } },
	not_pending: { status: 409, notice: 'consent.error.notPending' }
};
const withdrawRefusal: Record<Exclude<WithdrawRefusal, 'not_found'>, string> = { not_given: 'consent.error.notGiven' };

export const actions: Actions = {
	answer: async (event) => {
		await mine(event);
		const values = formValues(await event.request.formData(), ['answer', 'consentId', 'name', 'contact', 'reach']);
		const shown = { name: String(values.name ?? ''), contact: String(values.contact ?? ''), reach: String(values.reach ?? '') };
		const consentId = typeof values.consentId === 'string' ? values.consentId : undefined;
		const parsed = answerInput.safeParse(values);
		if (!parsed.success) return fail(400, { consentId, values: shown, errors: fieldErrors<Record<string, string>>(parsed.error) });
		const input = parsed.data;
		const answered = await answerConsent(
			residentScope(event),
			input.answer === 'give' ? { token: event.params.token, consentId: input.consentId, answer: 'give', values: { name: input.name, contact: input.contact, reach: input.reach } } : { token: event.params.token, consentId: input.consentId, answer: 'refuse' }
		);
		if (answered.ok) back(event.params.token, input.answer);
		if (answered.reason === 'not_found') return fail(404, { consentId, values: shown, errors: {}, notice: 'consent.error.consent' });
		const r = answerRefusal[answered.reason];
		return fail(r.status, { consentId, values: shown, errors: r.errors ?? {}, notice: r.notice });
	},
	withdraw: async (event) => {
		await mine(event);
		const parsed = consentIdInput.safeParse(formValues(await event.request.formData(), ['consentId']));
		if (!parsed.success) return fail(400, { errors: {}, notice: 'consent.error.consent' });
		const withdrawn = await withdrawConsent(residentScope(event), { token: event.params.token, consentId: parsed.data.consentId });
		if (withdrawn.ok) back(event.params.token, 'withdraw');
		return fail(withdrawn.reason === 'not_found' ? 404 : 409, { consentId: parsed.data.consentId, errors: {}, notice: withdrawn.reason === 'not_found' ? 'consent.error.consent' : withdrawRefusal[withdrawn.reason] });
	}
};
