import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { db, throttle } from '$lib/server/runtime';
import { withAccess } from '$lib/server/db/tenant';
import { recordAudit } from '$lib/server/audit';
import { confirmPassword, confirmTotpEnrolment, disableTotp, enrolmentData, pendingTotpSecret, recoveryCodeStatus, renewTotpSecret, replaceRecoveryCodes } from '$lib/server/auth';
import { clientOf } from '$lib/server/auth/web';
import { auditOrigin } from '$lib/server/auth/guard';
import { translate } from '$lib/i18n';
import type { RequestEvent } from '@sveltejs/kit';

/** Reachable by every signed-in person, also before a required second factor is set up. */
function signedIn(event: Pick<RequestEvent, 'locals' | 'url'>) {
	const actor = event.locals.actor;
	if (!actor) redirect(303, `/login?next=${encodeURIComponent('/account/2fa')}`);
	return actor;
}

export const load: PageServerLoad = async (event) => {
	const actor = signedIn(event);
	const enrolled = async () => {
		const status = await withAccess(db(), { userId: actor.userId }, (tx) => recoveryCodeStatus(tx, actor.userId));
		return { enrolled: true, required: actor.mfaRequired, ...status, enrolment: null };
	};
	if (actor.mfaEnrolled) return enrolled();
	// The key is the server's and stays the same until enrolment ends or the person asks for a new
	// one: someone who copies it into their app and comes back must find the same key here.
	const secret = await withAccess(db(), { userId: actor.userId }, async (tx) => {
		const pending = await pendingTotpSecret(tx, actor.userId);
		if (pending?.created) await recordAudit(tx, auditOrigin(event), { action: 'account.mfa_key_created', entityType: 'user', entityId: actor.userId, changedFields: ['totp_pending_secret'] });
		return pending?.secret ?? null;
	});
	// Null: enrolment finished in this very request (the page loads again after the action).
	if (secret === null) return enrolled();
	return { enrolled: false, required: actor.mfaRequired, remaining: 0, legacy: 0, enrolment: await enrolmentData(secret, actor.email) };
};

export const actions: Actions = {
	enable: async (event) => {
		const actor = signedIn(event);
		// Only the code is read: a secret sent by the browser is never used.
		const code = String((await event.request.formData()).get('code') ?? '').slice(0, 20);
		if (actor.mfaEnrolled) return fail(400, { error: translate(event.locals.locale, 'auth.mfa.already') });
		if (!code.trim()) return fail(400, { error: translate(event.locals.locale, 'auth.mfa.missing') });
		const codes = await withAccess(db(), { userId: actor.userId }, async (tx) => {
			const fresh = await confirmTotpEnrolment(tx, actor.userId, actor.email, code.normalize('NFKC'));
			if (fresh) await recordAudit(tx, auditOrigin(event), { action: 'account.mfa_enable', entityType: 'user', entityId: actor.userId, changedFields: ['totp_secret'] });
			return fresh;
		});
		if (!codes) return fail(400, { error: translate(event.locals.locale, 'auth.mfa.enrolInvalid') });
		return { recoveryCodes: codes };
	},
	newKey: async (event) => {
		const actor = signedIn(event);
		if (actor.mfaEnrolled) return fail(400, { error: translate(event.locals.locale, 'auth.mfa.already') });
		await withAccess(db(), { userId: actor.userId }, async (tx) => {
			await renewTotpSecret(tx, actor.userId);
			await recordAudit(tx, auditOrigin(event), { action: 'account.mfa_key_replaced', entityType: 'user', entityId: actor.userId, changedFields: ['totp_pending_secret'] });
		});
		return { notice: translate(event.locals.locale, 'auth.mfa.newKeyDone') };
	},
	// New codes end the old ones, so whoever holds the session must also know the password (ASVS 3.7.1).
	codes: async (event) => {
		const actor = signedIn(event);
		if (!actor.mfaEnrolled) return fail(400, { error: translate(event.locals.locale, 'auth.mfa.notOn') });
		const password = String((await event.request.formData()).get('password') ?? '').slice(0, 1000);
		const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(event.locals.locale, key, params);
		const check = password ? await confirmPassword(db(), throttle(), actor.userId, password, clientOf(event)) : ({ outcome: 'missing' } as const);
		if (check.outcome === 'throttled') return fail(429, { error: t('auth.throttled', { minutes: Math.ceil(check.retryAfter / 60) }) });
		const outcome = await withAccess(db(), { userId: actor.userId }, async (tx) => {
			if (check.outcome !== 'confirmed') {
				await recordAudit(tx, auditOrigin(event), { action: 'account.recovery_codes_refused', entityType: 'user', entityId: actor.userId });
				return check.outcome;
			}
			const fresh = await replaceRecoveryCodes(tx, actor.userId);
			await recordAudit(tx, auditOrigin(event), { action: 'account.recovery_codes', entityType: 'user', entityId: actor.userId, changedFields: ['recovery_codes'] });
			return fresh;
		});
		if (outcome === 'missing') return fail(400, { error: t('auth.mfa.codesPasswordMissing') });
		if (outcome === 'wrong') return fail(400, { error: t('auth.mfa.codesPasswordWrong') });
		return { recoveryCodes: outcome };
	},
	disable: async (event) => {
		const actor = signedIn(event);
		if (actor.mfaRequired) return fail(403, { error: translate(event.locals.locale, 'auth.mfa.cannotDisable') });
		const password = String((await event.request.formData()).get('password') ?? '').slice(0, 1000);
		const check = await confirmPassword(db(), throttle(), actor.userId, password, clientOf(event));
		if (check.outcome === 'throttled') return fail(429, { error: translate(event.locals.locale, 'auth.throttled', { minutes: Math.ceil(check.retryAfter / 60) }) });
		if (check.outcome === 'wrong') return fail(400, { error: translate(event.locals.locale, 'auth.password.wrongCurrent') });
		await withAccess(db(), { userId: actor.userId }, async (tx) => {
			await disableTotp(tx, actor.userId);
			await recordAudit(tx, auditOrigin(event), { action: 'account.mfa_disable', entityType: 'user', entityId: actor.userId, changedFields: ['totp_secret'] });
		});
		redirect(303, '/account?changed=mfa');
	}
};
