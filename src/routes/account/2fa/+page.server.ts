import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/runtime';
import { withAccess } from '$lib/server/db/tenant';
import { recordAudit } from '$lib/server/audit';
import { disableTotp, enableTotp, enrolmentData, matchingStep, newTotpSecret, remainingRecoveryCodes, replaceRecoveryCodes, verifyPassword } from '$lib/server/auth';
import { users } from '$lib/server/auth/schema';
import { auditOrigin } from '$lib/server/auth/guard';
import { translate } from '$lib/i18n';
import { eq } from 'drizzle-orm';
import type { RequestEvent } from '@sveltejs/kit';

/** Reachable by every signed-in person, also before a required second factor is set up. */
function signedIn(event: Pick<RequestEvent, 'locals' | 'url'>) {
	const actor = event.locals.actor;
	if (!actor) redirect(303, `/login?next=${encodeURIComponent('/account/2fa')}`);
	return actor;
}

const SECRET = /^[A-Z2-7]{32}$/;

export const load: PageServerLoad = async (event) => {
	const actor = signedIn(event);
	if (actor.mfaEnrolled) {
		const remaining = await withAccess(db(), { userId: actor.userId }, (tx) => remainingRecoveryCodes(tx, actor.userId));
		return { enrolled: true, required: actor.mfaRequired, remaining, enrolment: null };
	}
	const secret = newTotpSecret();
	return { enrolled: false, required: actor.mfaRequired, remaining: 0, enrolment: { ...(await enrolmentData(secret, actor.email)), raw: secret } };
};

export const actions: Actions = {
	enable: async (event) => {
		const actor = signedIn(event);
		const data = await event.request.formData();
		const secret = String(data.get('secret') ?? '');
		const code = String(data.get('code') ?? '').slice(0, 20);
		if (actor.mfaEnrolled) return fail(400, { error: translate(event.locals.locale, 'auth.mfa.already') });
		if (!SECRET.test(secret)) return fail(400, { error: translate(event.locals.locale, 'auth.mfa.invalid') });
		const step = matchingStep(secret, actor.email, code);
		if (step === null) {
			return fail(400, { error: translate(event.locals.locale, 'auth.mfa.invalid'), secret, enrolment: await enrolmentData(secret, actor.email) });
		}
		const codes = await withAccess(db(), { userId: actor.userId }, async (tx) => {
			const fresh = await enableTotp(tx, actor.userId, secret, step);
			await recordAudit(tx, auditOrigin(event), { action: 'account.mfa_enable', entityType: 'user', entityId: actor.userId, changedFields: ['totp_secret'] });
			return fresh;
		});
		return { recoveryCodes: codes };
	},
	codes: async (event) => {
		const actor = signedIn(event);
		if (!actor.mfaEnrolled) return fail(400, { error: translate(event.locals.locale, 'auth.mfa.notOn') });
		const codes = await withAccess(db(), { userId: actor.userId }, async (tx) => {
			const fresh = await replaceRecoveryCodes(tx, actor.userId);
			await recordAudit(tx, auditOrigin(event), { action: 'account.recovery_codes', entityType: 'user', entityId: actor.userId, changedFields: ['recovery_codes'] });
			return fresh;
		});
		return { recoveryCodes: codes };
	},
	disable: async (event) => {
		const actor = signedIn(event);
		if (actor.mfaRequired) return fail(403, { error: translate(event.locals.locale, 'auth.mfa.cannotDisable') });
		const password = String((await event.request.formData()).get('password') ?? '').slice(0, 1000);
		const ok = await withAccess(db(), { userId: actor.userId }, async (tx) => {
			const [row] = await tx.select({ hash: users.passwordHash }).from(users).where(eq(users.id, actor.userId));
			if (!(await verifyPassword(row?.hash ?? null, password))) return false;
			await disableTotp(tx, actor.userId);
			await recordAudit(tx, auditOrigin(event), { action: 'account.mfa_disable', entityType: 'user', entityId: actor.userId, changedFields: ['totp_secret'] });
			return true;
		});
		if (!ok) return fail(400, { error: translate(event.locals.locale, 'auth.password.wrongCurrent') });
		redirect(303, '/account?changed=mfa');
	}
};
