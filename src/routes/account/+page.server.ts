import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { throttle } from '$lib/server/auth';
import { changePassword, listUserSessions, logOutEverywhere, newPasswordPair, updateDisplayName } from '$lib/server/auth';
import { requireAccount } from '$lib/server/auth/guard';
import { switchSession } from '$lib/server/auth/web';
import { fieldMessages, queryOf, notice, formOf } from '$lib/server/boundary';
import { translate, type MessageKey } from '$lib/i18n';

/** `?changed=` after a change on this page or ./2fa; anything else shows no notice. */
const pageQuery = z.object({ changed: notice(['name', 'password', 'mfa']) });

export const load: PageServerLoad = async (event) => {
	const scope = requireAccount(event);
	const { actor } = scope;
	const sessions = await listUserSessions(scope);
	return {
		account: { displayName: actor.displayName, email: actor.email, mfaEnrolled: actor.mfaEnrolled, mfaRequired: actor.mfaRequired, memberships: actor.memberships },
		sessions: sessions.map((s) => ({ current: s.id === actor.sessionId, createdAt: s.createdAt.toISOString(), lastSeenAt: s.lastSeenAt.toISOString(), ip: s.ip, userAgent: s.userAgent })),
		changed: queryOf(pageQuery, event.url.searchParams).changed
	};
};

const nameForm = z.object({ displayName: z.string().trim().min(1, 'auth.error.required').max(80, 'auth.error.tooLong') });

/** The password form's fields as sent (`next` is the new password; newPasswordPair checks it). */
const passwordFields = z.object({ current: z.string(), next: z.string(), confirm: z.string() });

export const actions: Actions = {
	name: async (event) => {
		const scope = requireAccount(event);
		const parsed = nameForm.safeParse(Object.fromEntries(await event.request.formData()));
		if (!parsed.success) return fail(400, { form: 'name', errors: { displayName: translate(event.locals.locale, parsed.error.issues[0].message as MessageKey) } });
		await updateDisplayName(scope, parsed.data.displayName);
		redirect(303, '/account?changed=name');
	},
	password: async (event) => {
		const scope = requireAccount(event);
		const data = await event.request.formData();
		const { current, next: nextPassword, confirm } = formOf(passwordFields, data);
		const t = (key: MessageKey) => translate(event.locals.locale, key);
		// The form names the new password `next`; the shared pair calls it `password`.
		const parsed = newPasswordPair.safeParse({ password: nextPassword, confirm });
		if (!parsed.success) return fail(400, { form: 'password', errors: fieldMessages(parsed.error, (key) => t(key as MessageKey), { password: 'next' }) });
		const next = parsed.data.password;
		const result = await changePassword(scope, throttle(), current.slice(0, 1000), next);
		if (!result.ok && result.reason === 'throttled') return fail(429, { form: 'password', errors: { current: translate(event.locals.locale, 'auth.throttled', { minutes: Math.ceil(result.retryAfter / 60) }) } });
		if (!result.ok) return fail(400, { form: 'password', errors: { current: t('auth.password.wrongCurrent') } });
		redirect(303, '/account?changed=password');
	},
	/** "Log out everywhere": every session of the account, this one included. */
	everywhere: async (event) => {
		await logOutEverywhere(requireAccount(event));
		await switchSession(event, null);
		redirect(303, '/login');
	}
};
