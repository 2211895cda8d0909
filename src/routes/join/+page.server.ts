import { z } from 'zod';
import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { publicOrigin } from '$lib/server/http/origin';
import { throttle } from '$lib/server/auth';
import { joinRequestInput, submitJoinRequest } from '$lib/server/network';
import { residentScope } from '$lib/server/auth/guard';
import { sendMailInBackground } from '$lib/server/mail';
import { taxonomy } from '$lib/server/directory';
import { translate, type MessageKey } from '$lib/i18n';
import { formOf } from '$lib/server/boundary';

export const load: PageServerLoad = ({ locals }) => ({
	legalForms: taxonomy.legalForms.map((term) => ({ code: term.code, label: locals.locale === 'en' ? term.en : term.ja }))
});

/** The request's fields as sent, each cut to 5000 characters; joinRequestInput checks them. */
const clipped = z.string().transform((value) => value.slice(0, 5000));
const joinFields = z.object({ organizationName: clipped, legalForm: clipped, prefecture: clipped, city: clipped, website: clipped, description: clipped, applicantName: clipped, applicantEmail: clipped, message: clipped });

export const actions: Actions = {
	default: async (event) => {
		const data = await event.request.formData();
		const values = joinFields.parse(formOf(joinFields, data));
		const t = (key: MessageKey, params?: Record<string, string | number>) => translate(event.locals.locale, key, params);
		const parsed = joinRequestInput.safeParse(values);
		if (!parsed.success) {
			const errors: Record<string, string> = {};
			for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= t(issue.message as MessageKey);
			return fail(400, { values, errors });
		}
		// Every application counts (taken before it is stored, never given back).
		const attempt = await throttle().attempt('join', parsed.data.applicantEmail, event.locals.ip);
		if (!attempt.allowed) return fail(429, { values, errors: { form: t('auth.throttled', { minutes: Math.ceil(attempt.retryAfter / 60) }) } });
		const { reviewers } = await submitJoinRequest(residentScope(event), parsed.data);
		sendMailInBackground({ to: parsed.data.applicantEmail, subject: t('mail.joinReceived.subject'), text: t('mail.joinReceived.body', { organization: parsed.data.organizationName }) });
		for (const to of reviewers) {
			sendMailInBackground({ to, subject: t('mail.joinNotice.subject'), text: t('mail.joinNotice.body', { organization: parsed.data.organizationName, link: `${publicOrigin()}/staff/network/join-requests` }) });
		}
		return { submitted: true };
	}
};
