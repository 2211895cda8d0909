import { z } from 'zod';
import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { throttle } from '$lib/server/auth';
import { completeSecondFactor, resolveSession } from '$lib/server/auth';
import { sessionToken } from '$lib/server/auth/cookies';
import { clientOf, safeNext, switchSession } from '$lib/server/auth/web';
import { translate } from '$lib/i18n';
import { queryOf, formOf } from '$lib/server/boundary';

/** `?next=`, checked by safeNext. */
const nextQuery = z.object({ next: z.string().nullable() });

/** The code, cut to 40 characters; NFKC: with a full keyboard a Japanese input method may send full-width digits and letters. */
const codeForm = z.object({ code: z.string().transform((value) => value.slice(0, 40).normalize('NFKC')) });

/** Only a session that passed the password and waits for its second factor may be here. */
async function pending(event: Parameters<PageServerLoad>[0]) {
	const state = await resolveSession(db(), sessionToken(event));
	if (state.kind !== 'pending_mfa') redirect(303, `/login?next=${encodeURIComponent(safeNext(queryOf(nextQuery, event.url.searchParams).next))}`);
	return state;
}

export const load: PageServerLoad = async (event) => {
	await pending(event);
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		const state = await pending(event as Parameters<PageServerLoad>[0]);
		const { code } = codeForm.parse(formOf(codeForm, await event.request.formData()));
		const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(event.locals.locale, key, params);
		if (!code.trim()) return fail(400, { error: t('auth.mfa.missing') });
		const result = await completeSecondFactor(db(), throttle(), state.sessionId, state.userId, code, clientOf(event));
		if (!result.ok) {
			if (result.reason === 'throttled') return fail(429, { error: t('auth.throttled', { minutes: Math.ceil(result.retryAfter / 60) }) });
			return fail(400, { error: t('auth.mfa.invalid') });
		}
		await switchSession(event, result.value.token);
		redirect(303, safeNext(queryOf(nextQuery, event.url.searchParams).next));
	}
};
