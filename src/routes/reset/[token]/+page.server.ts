import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { findEmailToken, newPasswordPair, resetPassword } from '$lib/server/auth';
import { fieldMessages, formOf } from '$lib/server/boundary';
import { clientOf, switchSession } from '$lib/server/auth/web';
import { translate, type MessageKey } from '$lib/i18n';

export const load: PageServerLoad = async ({ params }) => ({ valid: (await findEmailToken(db(), 'password_reset', params.token)) !== null });

export const actions: Actions = {
	default: async (event) => {
		const data = await event.request.formData();
		const parsed = newPasswordPair.safeParse(formOf(newPasswordPair, data));
		const t = (key: MessageKey) => translate(event.locals.locale, key);
		if (!parsed.success) return fail(400, { errors: fieldMessages(parsed.error, (key) => t(key as MessageKey)) });
		const password = parsed.data.password;
		if (!(await resetPassword(db(), event.params.token, password, clientOf(event)))) return fail(400, { errors: { form: t('auth.reset.invalid') } });
		await switchSession(event, null);
		redirect(303, '/login?reset=1');
	}
};
