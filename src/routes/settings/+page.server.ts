import { redirect, type Actions } from '@sveltejs/kit';
import { z } from 'zod';
import { isLocale, type Locale } from '$lib/i18n';
import { formOf, sameSiteTarget } from '$lib/server/boundary';

const YEAR = 60 * 60 * 24 * 365;

/** Only same-site paths: `back` must not become an open redirect (anything else goes home). */
const back = z.string();
/** Text size: anything but `large` is the normal size. */
const textForm = z.object({ size: z.enum(['large', 'normal']).catch('normal'), back });
/** Language: an unknown one changes nothing. */
const langForm = z.object({ lang: z.custom<Locale>(isLocale).optional().catch(undefined), back });

export const load = () => redirect(303, '/');

export const actions: Actions = {
	text: async ({ request, cookies }) => {
		const form = textForm.parse(formOf(textForm, await request.formData()));
		cookies.set('text', form.size, { path: '/', maxAge: YEAR, httpOnly: true, sameSite: 'lax' });
		redirect(303, sameSiteTarget(form.back, '/'));
	},
	lang: async ({ request, cookies }) => {
		const form = langForm.parse(formOf(langForm, await request.formData()));
		if (form.lang) cookies.set('lang', form.lang, { path: '/', maxAge: YEAR, httpOnly: true, sameSite: 'lax' });
		redirect(303, sameSiteTarget(form.back, '/'));
	}
};
