import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { acceptInvitation, invitationByToken } from '$lib/server/network';
import { createSession } from '$lib/server/auth';
import { residentScope } from '$lib/server/auth/guard';
import { clientOf, switchSession } from '$lib/server/auth/web';
import { formOf } from '$lib/server/boundary';
import { translate, type MessageKey } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { locals, url, params } = event;
	const invitation = await invitationByToken(residentScope(event), { token: params.token });
	if (!invitation) return { invitation: null };
	return {
		invitation: {
			email: invitation.email,
			role: invitation.role,
			organizationName: invitation.organizationName,
			existing: invitation.existingUserId !== null,
			signedInAsInvitee: locals.actor?.userId === invitation.existingUserId && invitation.existingUserId !== null,
			signedInAsOther: locals.actor !== null && locals.actor.userId !== invitation.existingUserId
		},
		loginLink: `/login?next=${encodeURIComponent(url.pathname)}`
	};
};

/** The form's fields as sent; acceptInvitation checks them when the invitation makes a new account. */
const inviteFields = z.object({ displayName: z.string(), password: z.string(), confirm: z.string() });

export const actions: Actions = {
	default: async (event) => {
		const form = formOf(inviteFields, await event.request.formData());
		const t = (key: MessageKey) => translate(event.locals.locale, key);
		const result = await acceptInvitation(residentScope(event), { token: event.params.token, signedInUserId: event.locals.actor?.userId ?? null, ...form });
		if (!result.ok) {
			if (result.reason === 'account_fields') return fail(400, { errors: Object.fromEntries(Object.entries(result.errors).map(([field, key]) => [field, t(key as MessageKey)])), displayName: form.displayName.trim() });
			if (result.reason === 'login_required') redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
			if (result.reason === 'wrong_account') return fail(403, { errors: { form: t('auth.invite.wrongAccount') } });
			return fail(400, { errors: { form: t('auth.invite.invalid') } });
		}
		// A new account starts signed in; roles that need a second factor are sent to set it up.
		if (!event.locals.actor) await switchSession(event, await createSession(db(), result.value.userId, true, clientOf(event)));
		redirect(303, '/staff');
	}
};
