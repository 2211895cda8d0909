import { z } from 'zod';
import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { throttle } from '$lib/server/auth';
import { confirmEnrolment, enrolmentData, enrolmentKey, newEnrolmentKey, newRecoveryCodes, secondFactorStatus, turnOffTotp } from '$lib/server/auth';
import { requireAccount } from '$lib/server/auth/guard';
import { translate } from '$lib/i18n';
import type { RequestEvent } from '@sveltejs/kit';
import { formOf } from '$lib/server/boundary';

/** Reachable by every signed-in person, also before a required second factor is set up. */
const signedIn = (event: Pick<RequestEvent, 'locals' | 'url'>) => requireAccount(event, { setUpSecondFactor: true });

export const load: PageServerLoad = async (event) => {
	const scope = signedIn(event);
	const { actor } = scope;
	const enrolled = async () => ({ enrolled: true, required: actor.mfaRequired, ...(await secondFactorStatus(scope)), enrolment: null });
	if (actor.mfaEnrolled) return enrolled();
	// The key is the server's and stays the same until enrolment ends or the person asks for a new
	// one: someone who copies it into their app and comes back must find the same key here.
	const secret = await enrolmentKey(scope);
	// Null: enrolment finished in this very request (the page loads again after the action).
	if (secret === null) return enrolled();
	return { enrolled: false, required: actor.mfaRequired, remaining: 0, legacy: 0, enrolment: await enrolmentData(secret, actor.email) };
};

/** The enrolment code (a secret the browser sends is never read) and the password, each cut to a sane length. */
const codeForm = z.object({ code: z.string().transform((value) => value.slice(0, 20)) });
const passwordForm = z.object({ password: z.string().transform((value) => value.slice(0, 1000)) });

export const actions: Actions = {
	enable: async (event) => {
		const scope = signedIn(event);
		const { actor } = scope;
		// Only the code is read: a secret sent by the browser is never used.
		const { code } = codeForm.parse(formOf(codeForm, await event.request.formData()));
		if (actor.mfaEnrolled) return fail(400, { error: translate(event.locals.locale, 'auth.mfa.already') });
		if (!code.trim()) return fail(400, { error: translate(event.locals.locale, 'auth.mfa.missing') });
		const result = await confirmEnrolment(scope, actor.email, code);
		if (!result.ok) return fail(400, { error: translate(event.locals.locale, 'auth.mfa.enrolInvalid') });
		return { recoveryCodes: result.value };
	},
	newKey: async (event) => {
		const scope = signedIn(event);
		const { actor } = scope;
		if (actor.mfaEnrolled) return fail(400, { error: translate(event.locals.locale, 'auth.mfa.already') });
		await newEnrolmentKey(scope);
		return { notice: translate(event.locals.locale, 'auth.mfa.newKeyDone') };
	},
	// New codes end the old ones, so whoever holds the session must also know the password (ASVS 3.7.1).
	codes: async (event) => {
		const scope = signedIn(event);
		const { actor } = scope;
		if (!actor.mfaEnrolled) return fail(400, { error: translate(event.locals.locale, 'auth.mfa.notOn') });
		const { password } = passwordForm.parse(formOf(passwordForm, await event.request.formData()));
		const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(event.locals.locale, key, params);
		const result = await newRecoveryCodes(scope, throttle(), password);
		if (result.ok) return { recoveryCodes: result.value };
		if (result.reason === 'throttled') return fail(429, { error: t('auth.throttled', { minutes: Math.ceil(result.retryAfter / 60) }) });
		return fail(400, { error: t(result.reason === 'missing' ? 'auth.mfa.codesPasswordMissing' : 'auth.mfa.codesPasswordWrong') });
	},
	disable: async (event) => {
		const scope = signedIn(event);
		const { password } = passwordForm.parse(formOf(passwordForm, await event.request.formData()));
		const result = await turnOffTotp(scope, throttle(), password);
		// The role needs a second factor: it stays, whatever the password.
		if (!result.ok && result.reason === 'required') return fail(403, { error: translate(event.locals.locale, 'auth.mfa.cannotDisable') });
		if (!result.ok && result.reason === 'throttled') return fail(429, { error: translate(event.locals.locale, 'auth.throttled', { minutes: Math.ceil(result.retryAfter / 60) }) });
		if (!result.ok) return fail(400, { error: translate(event.locals.locale, 'auth.password.wrongCurrent') });
		redirect(303, '/account?changed=mfa');
	}
};
