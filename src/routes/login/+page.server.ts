import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { throttle } from '$lib/server/auth';
import { logIn } from '$lib/server/auth';
import { clientOf, safeNext, switchSession } from '$lib/server/auth/web';
import { translate } from '$lib/i18n';
import { queryOf } from '$lib/server/boundary';

/** `?next=` (checked by safeNext), and `?reset` / `?expired` notices whatever their value. */
const loginQuery = z.object({ next: z.string().nullable(), reset: z.string().nullable(), expired: z.string().nullable() });

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.actor) redirect(303, safeNext(queryOf(loginQuery, url.searchParams).next));
	const { reset, expired } = queryOf(loginQuery, url.searchParams);
	return { reset: reset !== null, expired: expired !== null };
};

const loginForm = z.object({ email: z.string().trim().min(1).max(254), password: z.string().min(1).max(1000) });

export const actions: Actions = {
	default: async (event) => {
		const form = Object.fromEntries(await event.request.formData());
		const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(event.locals.locale, key, params);
		const email = typeof form.email === 'string' ? form.email.slice(0, 254) : '';
		const parsed = loginForm.safeParse(form);
		if (!parsed.success) return fail(400, { email, error: t('auth.login.missing') });
		const result = await logIn(db(), throttle(), parsed.data.email, parsed.data.password, clientOf(event));
		if (!result.ok) {
			if (result.reason === 'throttled') return fail(429, { email, error: t('auth.throttled', { minutes: Math.ceil(result.retryAfter / 60) }) });
			return fail(400, { email, error: t('auth.login.invalid') });
		}
		await switchSession(event, result.value.token);
		const next = safeNext(queryOf(loginQuery, event.url.searchParams).next);
		if (result.value.step === 'second_factor') redirect(303, `/login/2fa?next=${encodeURIComponent(next)}`);
		redirect(303, next);
	}
};
