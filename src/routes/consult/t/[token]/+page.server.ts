import { z } from 'zod';
import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { addPersonMessage, messageInput, threadByLink, MESSAGE_MAX } from '$lib/server/consultations';
import { fieldErrors, queryOf, notice, formOf } from '$lib/server/boundary';
import { byBearerLink, residentScope } from '$lib/server/auth/guard';
import { throttle } from '$lib/server/auth';
import { translator } from '$lib/i18n';
import { consentsByLink } from '$lib/server/consent';

export const csr = false;

/** The person's thread by its private link; every miss is the same 404. */
const mine = (event: Pick<RequestEvent, 'locals' | 'params'>) => byBearerLink(event, () => threadByLink(residentScope(event), (event.params as { token: string }).token), { throttled: 'consult.linkThrottled', notFound: 'consult.notFound' });

/** `?sent=1` after a message, `?consent=` after answering a consent (./consent); anything else shows no notice. */
const pageQuery = z.object({ sent: notice(['1']), consent: notice(['give', 'refuse', 'withdraw']) });

export const load: PageServerLoad = async (event) => {
	const thread = await mine(event);
	// Only the bearer of the link should ever see this page: no shared or back-button caches.
	event.setHeaders({ 'cache-control': 'private, no-store' });
	// What the counsellor asks before connecting the person elsewhere (answered at ./consent).
	const query = queryOf(pageQuery, event.url.searchParams);
	const consent = await consentsByLink(residentScope(event), event.params.token);
	return { thread, sent: query.sent === '1', limit: MESSAGE_MAX, token: event.params.token, consents: consent?.consents ?? [], prefill: consent?.prefill ?? { name: null, contact: null }, consentDone: query.consent };
};

export const actions: Actions = {
	default: async (event) => {
		await mine(event);
		const t = translator(event.locals.locale);
		const { message } = formOf(messageInput, await event.request.formData());
		const parsed = messageInput.safeParse({ message });
		if (!parsed.success) return fail(400, { message, errors: fieldErrors<{ message?: string }>(parsed.error) });
		const verdict = await throttle().attemptFromNetwork('consult', event.locals.ip);
		if (!verdict.allowed) return fail(429, { message, errors: {}, notice: t('consult.throttled', { minutes: Math.ceil(verdict.retryAfter / 60) }) });
		const added = await addPersonMessage(residentScope(event), { token: event.params.token, message: parsed.data.message });
		if (!added.ok) return fail(404, { message, errors: {}, notice: t('consult.notFound') });
		redirect(303, `/consult/t/${event.params.token}?sent=1`);
	}
};
