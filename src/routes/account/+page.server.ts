import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { db, throttle } from '$lib/server/runtime';
import { changePassword, deleteUserSessions, listUserSessions, passwordProblem, updateDisplayName } from '$lib/server/auth';
import { recordAudit } from '$lib/server/audit';
import { withAccess } from '$lib/server/db/tenant';
import { auditOrigin, requireActor } from '$lib/server/auth/guard';
import { clientOf, switchSession } from '$lib/server/auth/web';
import { translate, type MessageKey } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const sessions = await listUserSessions(db(), actor.userId);
	return {
		account: { displayName: actor.displayName, email: actor.email, mfaEnrolled: actor.mfaEnrolled, mfaRequired: actor.mfaRequired, memberships: actor.memberships },
		sessions: sessions.map((s) => ({ current: s.id === actor.sessionId, createdAt: s.createdAt.toISOString(), lastSeenAt: s.lastSeenAt.toISOString(), ip: s.ip, userAgent: s.userAgent })),
		changed: event.url.searchParams.get('changed')
	};
};

const nameForm = z.object({ displayName: z.string().trim().min(1, 'auth.error.required').max(80, 'auth.error.tooLong') });

export const actions: Actions = {
	name: async (event) => {
		const actor = requireActor(event);
		const parsed = nameForm.safeParse(Object.fromEntries(await event.request.formData()));
		if (!parsed.success) return fail(400, { form: 'name', errors: { displayName: translate(event.locals.locale, parsed.error.issues[0].message as MessageKey) } });
		await updateDisplayName(db(), actor.userId, parsed.data.displayName, clientOf(event));
		redirect(303, '/account?changed=name');
	},
	password: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const current = String(data.get('current') ?? '');
		const next = String(data.get('next') ?? '');
		const t = (key: MessageKey) => translate(event.locals.locale, key);
		const problem = passwordProblem(next);
		if (problem) return fail(400, { form: 'password', errors: { next: t(`auth.password.${problem}`) } });
		if (next !== String(data.get('confirm') ?? '')) return fail(400, { form: 'password', errors: { confirm: t('auth.password.mismatch') } });
		const result = await changePassword(db(), throttle(), actor.userId, actor.sessionId, current.slice(0, 1000), next, clientOf(event));
		if (result.outcome === 'throttled') return fail(429, { form: 'password', errors: { current: translate(event.locals.locale, 'auth.throttled', { minutes: Math.ceil(result.retryAfter / 60) }) } });
		if (result.outcome === 'wrong') return fail(400, { form: 'password', errors: { current: t('auth.password.wrongCurrent') } });
		redirect(303, '/account?changed=password');
	},
	/** "Log out everywhere": every session of the account, this one included. */
	everywhere: async (event) => {
		const actor = requireActor(event);
		await withAccess(db(), { userId: actor.userId }, (tx) => recordAudit(tx, auditOrigin(event), { action: 'session.logout_everywhere', entityType: 'user', entityId: actor.userId }));
		await deleteUserSessions(db(), actor.userId);
		await switchSession(event, null);
		redirect(303, '/login');
	}
};
