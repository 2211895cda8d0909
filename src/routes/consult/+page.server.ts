import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { activeTriage, addresseeName, consultationInput, hotlinesFor, startConsultation, CONTACT_MAX, MESSAGE_MAX, NICKNAME_MAX } from '$lib/server/consultations';
import { fieldErrors, uuid, queryOf, formOf } from '$lib/server/boundary';
import { residentScope } from '$lib/server/auth/guard';
import { throttle } from '$lib/server/auth';
import { translator } from '$lib/i18n';

export const csr = false;

/** `?organization=<id>` from an organisation's public page; anything else means the one window. */
const organizationParam = z.object({ organization: uuid.optional().catch(undefined) });

export const load: PageServerLoad = async (event) => {
	const { organization } = queryOf(organizationParam, event.url.searchParams);
	const name = organization ? await addresseeName(residentScope(event), organization) : null;
	return { organization: name ? { id: organization!, name } : null, limits: { message: MESSAGE_MAX, nickname: NICKNAME_MAX, contact: CONTACT_MAX } };
};

/** The form's fields as sent; consultationInput checks them. */
const consultFields = z.object({ message: z.string(), nickname: z.string(), contact: z.string(), organizationId: z.string() });

type Errors = Partial<Record<'message' | 'nickname' | 'contact' | 'organization', string>>;

export const actions: Actions = {
	default: async (event) => {
		const t = translator(event.locals.locale);
		const form = await event.request.formData();
		const values = formOf(consultFields, form);
		const parsed = consultationInput.safeParse({ ...values, organizationId: values.organizationId || undefined });
		if (!parsed.success) return fail(400, { values, errors: fieldErrors<Errors>(parsed.error, { organizationId: 'organization' }) });
		// Counted per network only. A refused message still gets the hotlines when it needs them.
		const verdict = await throttle().attemptFromNetwork('consult', event.locals.ip);
		if (!verdict.allowed) return fail(429, { values, errors: {} as Errors, message: t('consult.throttled', { minutes: Math.ceil(verdict.retryAfter / 60) }), hotlines: hotlinesFor(await activeTriage(parsed.data.message)) });
		const started = await startConsultation(residentScope(event), parsed.data);
		if (!started.ok) {
			if (started.reason === 'unknown_organization') return fail(400, { values, errors: { organization: 'consult.error.organization' } as Errors });
			return fail(503, { values, errors: {} as Errors, message: t('consult.unavailable'), hotlines: hotlinesFor(await activeTriage(parsed.data.message)) });
		}
		redirect(303, `/consult/t/${started.value.token}?sent=1`);
	}
};
