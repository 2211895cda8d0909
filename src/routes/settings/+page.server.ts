import { redirect, type Actions } from '@sveltejs/kit';
import { isLocale } from '$lib/i18n';
import { sameSiteTarget } from '$lib/server/boundary';

const YEAR = 60 * 60 * 24 * 365;

/** Only same-site paths: `back` must not become an open redirect. */
const safeBack = (value: FormDataEntryValue | null) => sameSiteTarget(value, '/');

export const load = () => redirect(303, '/');

export const actions: Actions = {
	text: async ({ request, cookies }) => {
		const form = await request.formData();
		cookies.set('text', form.get('size') === 'large' ? 'large' : 'normal', { path: '/', maxAge: YEAR, httpOnly: true, sameSite: 'lax' });
		redirect(303, safeBack(form.get('back')));
	},
	lang: async ({ request, cookies }) => {
		const form = await request.formData();
		const lang = form.get('lang');
		if (isLocale(lang)) cookies.set('lang', lang, { path: '/', maxAge: YEAR, httpOnly: true, sameSite: 'lax' });
		redirect(303, safeBack(form.get('back')));
	}
};
