import { z } from 'zod';
import { fail } from '@sveltejs/kit';
import type { Actions } from './$types';
import { db } from '$lib/server/db';
import { publicOrigin } from '$lib/server/http/origin';
import { throttle } from '$lib/server/auth';
import { requestPasswordReset } from '$lib/server/auth';
import { clientOf } from '$lib/server/auth/web';
import { sendMailInBackground } from '$lib/server/mail';
import { translate } from '$lib/i18n';
import { formOf } from '$lib/server/boundary';

/** The address as typed, trimmed and cut to 254 characters; whether it has an account is answered the same either way. */
const resetForm = z.object({ email: z.string().transform((value) => value.trim().slice(0, 254)) });
/** Something shaped like an address (one @, no spaces), or the form asks again. */
const address = z.string().regex(/^[^\s@]+@[^\s@]+$/);

export const actions: Actions = {
	default: async (event) => {
		const { email } = resetForm.parse(formOf(resetForm, await event.request.formData()));
		const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(event.locals.locale, key, params);
		if (!address.safeParse(email).success) return fail(400, { email, error: t('auth.error.email') });
		const result = await requestPasswordReset(db(), throttle(), email, clientOf(event));
		if (!result.ok) return fail(429, { email, error: t('auth.throttled', { minutes: Math.ceil(result.retryAfter / 60) }) });
		if (result.value.token) {
			const link = `${publicOrigin()}/reset/${result.value.token}`;
			sendMailInBackground({ to: email, subject: t('mail.reset.subject'), text: t('mail.reset.body', { link }) });
		}
		// The same answer whether or not the address has an account.
		return { sent: true };
	}
};
