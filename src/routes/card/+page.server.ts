import { z } from 'zod';
import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { organizationsWithPublishedPrograms } from '$lib/server/directory';
import { ageBandOf, genderOf, issueCard, AGE_BANDS, GENDERS } from '$lib/server/participation';
import { db } from '$lib/server/db';
import { throttle } from '$lib/server/auth';
import { residentScope } from '$lib/server/auth/guard';
import { translator } from '$lib/i18n';
import { formOf } from '$lib/server/boundary';

export const load: PageServerLoad = async () => {
	const organizations = await organizationsWithPublishedPrograms(db());
	return { organizations, ageBands: AGE_BANDS, genders: GENDERS };
};

/** The card form's fields as sent (the organisations ticked, the optional answers, consent); checked below. */
const cardFields = z.object({ organizations: z.array(z.string()), ageBand: z.string(), gender: z.string(), consent: z.string() });

export const actions: Actions = {
	default: async (event) => {
		const t = translator(event.locals.locale);
		const fields = formOf(cardFields, await event.request.formData());
		const values = { organizations: fields.organizations, ageBand: fields.ageBand, gender: fields.gender };
		const errors: Record<string, string> = {};
		if (fields.organizations.length === 0) errors.organizations = 'card.error.organizations';
		if (fields.consent !== 'on') errors.consent = 'card.error.consent';
		if (Object.keys(errors).length) return fail(400, { values, errors });
		// Counted per network only: nobody elsewhere can stop a resident from getting a card.
		const verdict = await throttle().attemptFromNetwork('card', event.locals.ip);
		if (!verdict.allowed) return fail(429, { values, errors: {}, message: t('card.throttled', { minutes: Math.ceil(verdict.retryAfter / 60) }) });
		// Which organisations a card may name is participation's rule (issueCard): none, or one not offered, is refused.
		const card = await issueCard(residentScope(event), { organizationIds: fields.organizations, ageBand: ageBandOf(values.ageBand), gender: genderOf(values.gender) });
		if (!card.ok) return fail(400, { values, errors: { organizations: 'card.error.organizations' } });
		redirect(303, `/card/${card.value.token}?done=created`);
	}
};
