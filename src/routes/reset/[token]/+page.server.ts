import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { findEmailToken, passwordProblem, resetPassword } from '$lib/server/auth';
import { clientOf, switchSession } from '$lib/server/auth/web';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async ({ params }) => ({ valid: (await findEmailToken(db(), 'password_reset', params.token)) !== null });

export const actions: Actions = {
	default: async (event) => {
		const data = await event.request.formData();
		const password = String(data.get('password') ?? '');
		const t = (key: Parameters<typeof translate>[1]) => translate(event.locals.locale, key);
		const problem = passwordProblem(password);
		if (problem) return fail(400, { errors: { password: t(`auth.password.${problem}`) } });
		if (password !== String(data.get('confirm') ?? '')) return fail(400, { errors: { confirm: t('auth.password.mismatch') } });
		if (!(await resetPassword(db(), event.params.token, password, clientOf(event)))) return fail(400, { errors: { form: t('auth.reset.invalid') } });
		await switchSession(event, null);
		redirect(303, '/login?reset=1');
	}
};
