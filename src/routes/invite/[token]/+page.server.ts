import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { acceptInvitation, invitationByToken } from '$lib/server/network';
import { createSession, newPasswordPair } from '$lib/server/auth';
import { residentScope } from '$lib/server/auth/guard';
import { clientOf, switchSession } from '$lib/server/auth/web';
import { fieldMessages, formOf } from '$lib/server/boundary';
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

/** A new account's name and password (an existing account only signs in); messages are i18n keys. */
const newAccountForm = z.object({ displayName: z.string().trim().min(1, 'auth.error.required').max(80, 'auth.error.tooLong') }).and(newPasswordPair);

/** The form's fields as sent; newAccountForm checks them when the invitation makes a new account. */
const inviteFields = z.object({ displayName: z.string(), password: z.string(), confirm: z.string() });

export const actions: Actions = {
	default: async (event) => {
		const scope = residentScope(event);
		const data = await event.request.formData();
		const form = formOf(inviteFields, data);
		const t = (key: MessageKey) => translate(event.locals.locale, key);
		const displayName = form.displayName.trim();
		const invitation = await invitationByToken(scope, { token: event.params.token });
		if (!invitation) return fail(400, { errors: { form: t('auth.invite.invalid') } });
		if (!invitation.existingUserId) {
			const parsed = newAccountForm.safeParse(form);
			if (!parsed.success) {
				const errors = fieldMessages(parsed.error, (key) => t(key as MessageKey));
				return fail(400, { errors, displayName });
			}
		}
		const result = await acceptInvitation(scope, { token: event.params.token, signedInUserId: event.locals.actor?.userId ?? null, displayName, password: form.password });
		if (!result.ok) {
			if (result.reason === 'login_required') redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
			if (result.reason === 'wrong_account') return fail(403, { errors: { form: t('auth.invite.wrongAccount') } });
			return fail(400, { errors: { form: t('auth.invite.invalid') } });
		}
		// A new account starts signed in; roles that need a second factor are sent to set it up.
		if (!event.locals.actor) await switchSession(event, await createSession(db(), result.value.userId, true, clientOf(event)));
		redirect(303, '/staff');
	}
};
