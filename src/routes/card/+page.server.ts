import { z } from 'zod';
import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { organizationsWithPublishedPrograms } from '$lib/server/directory';
import { ageBandOf, genderOf, issueCard, AGE_BANDS, GENDERS } from '$lib/server/participation';
import { db } from '$lib/server/db';
import { throttle } from '$lib/server/auth';
import { residentScope } from '$lib/server/auth/guard';
import { translator } from '$lib/i18n';
import { fieldErrors, formOf } from '$lib/server/boundary';

export const load: PageServerLoad = async () => {
	const organizations = await organizationsWithPublishedPrograms(db());
	return { organizations, ageBands: AGE_BANDS, genders: GENDERS };
};

/** The card form: at least one organisation ticked and the consent box (participation checks which organisations); the answers optional, read by ageBandOf / genderOf. */
const cardForm = z.object({
	organizations: z.array(z.string()).min(1, 'card.error.organizations'),
	ageBand: z.string(),
	gender: z.string(),
	consent: z.literal('on', { message: 'card.error.consent' })
});

export const actions: Actions = {
	default: async (event) => {
		const t = translator(event.locals.locale);
		const fields = formOf(cardForm, await event.request.formData());
		const values = { organizations: fields.organizations, ageBand: fields.ageBand, gender: fields.gender };
		const parsed = cardForm.safeParse(fields);
		if (!parsed.success) return fail(400, { values, errors: fieldErrors<Record<string, string>>(parsed.error) });
		// Counted per network only: nobody elsewhere can stop a resident from getting a card.
		const verdict = await throttle().attemptFromNetwork('card', event.locals.ip);
		if (!verdict.allowed) return fail(429, { values, errors: {}, message: t('card.throttled', { minutes: Math.ceil(verdict.retryAfter / 60) }) });
		// Which organisations a card may name is participation's rule (issueCard): none, or one not offered, is refused.
		const card = await issueCard(residentScope(event), { organizationIds: parsed.data.organizations, ageBand: ageBandOf(parsed.data.ageBand), gender: genderOf(parsed.data.gender) });
		if (!card.ok) return fail(400, { values, errors: { organizations: 'card.error.organizations' } });
		redirect(303, `/card/${card.value.token}?done=created`);
	}
};
