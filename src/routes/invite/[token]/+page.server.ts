import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/runtime';
import { acceptInvitation, findInvitation } from '$lib/server/network';
import { organizationNames } from '$lib/server/directory';
import { createSession, passwordProblem } from '$lib/server/auth';
import { clientOf, switchSession } from '$lib/server/auth/web';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async ({ params, locals, url }) => {
	const invitation = await findInvitation(db(), params.token);
	if (!invitation) return { invitation: null };
	const names = await organizationNames(db(), [invitation.organizationId]);
	return {
		invitation: {
			email: invitation.email,
			role: invitation.role,
			organizationName: names.get(invitation.organizationId) ?? '',
			existing: invitation.existingUserId !== null,
			signedInAsInvitee: locals.actor?.userId === invitation.existingUserId && invitation.existingUserId !== null,
			signedInAsOther: locals.actor !== null && locals.actor.userId !== invitation.existingUserId
		},
		loginLink: `/login?next=${encodeURIComponent(url.pathname)}`
	};
};

export const actions: Actions = {
	default: async (event) => {
		const data = await event.request.formData();
		const t = (key: Parameters<typeof translate>[1]) => translate(event.locals.locale, key);
		const displayName = String(data.get('displayName') ?? '').trim();
		const password = String(data.get('password') ?? '');
		const invitation = await findInvitation(db(), event.params.token);
		if (!invitation) return fail(400, { errors: { form: t('auth.invite.invalid') } });
		if (!invitation.existingUserId) {
			const errors: Record<string, string> = {};
			if (!displayName) errors.displayName = t('auth.error.required');
			else if (displayName.length > 80) errors.displayName = t('auth.error.tooLong');
			const problem = passwordProblem(password);
			if (problem) errors.password = t(`auth.password.${problem}`);
			else if (password !== String(data.get('confirm') ?? '')) errors.confirm = t('auth.password.mismatch');
			if (Object.keys(errors).length) return fail(400, { errors, displayName });
		}
		const result = await acceptInvitation(db(), event.params.token, { signedInUserId: event.locals.actor?.userId ?? null, displayName, password }, clientOf(event));
		if (result.outcome === 'login_required') redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
		if (result.outcome === 'wrong_account') return fail(403, { errors: { form: t('auth.invite.wrongAccount') } });
		if (result.outcome === 'invalid') return fail(400, { errors: { form: t('auth.invite.invalid') } });
		// A new account starts signed in; roles that need a second factor are sent to set it up.
		if (!event.locals.actor) await switchSession(event, await createSession(db(), result.userId, true, clientOf(event)));
		redirect(303, '/staff');
	}
};
