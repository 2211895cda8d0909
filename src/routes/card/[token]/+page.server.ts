import { z } from 'zod';
import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import QRCode from 'qrcode';
import type { Actions, PageServerLoad } from './$types';
import { organizationsWithPublishedPrograms } from '$lib/server/directory';
import { cardByToken, revokeCard, setCardConsents, showCardCode, CARD_PREFIX } from '$lib/server/participation';
import { db } from '$lib/server/db';
import { byBearerLink, residentScope } from '$lib/server/auth/guard';
import { queryOf, notice, formOf } from '$lib/server/boundary';

/** The holder's card by its bearer link. */
const mine = (event: Pick<RequestEvent, 'locals' | 'params'>) => byBearerLink(event, () => cardByToken(residentScope(event), (event.params as { token: string }).token), { throttled: 'card.linkThrottled', notFound: 'card.notFound' });

/** `?done=` after making, saving or revoking the card; anything else shows no notice. */
const pageQuery = z.object({ done: notice(['created', 'saved', 'revoked']) });

export const load: PageServerLoad = async (event) => {
	const card = await mine(event);
	const organizations = await organizationsWithPublishedPrograms(db());
	return {
		card: { code: showCardCode(card.code), revoked: card.revoked, organizationIds: card.organizationIds },
		organizations,
		qr: card.revoked ? null : await QRCode.toString(`${CARD_PREFIX}${card.code}`, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' }),
		done: queryOf(pageQuery, event.url.searchParams).done
	};
};

/** The organisations ticked (every value sent); participation refuses one the page does not offer. */
const consentsForm = z.object({ organizations: z.array(z.string()) });

export const actions: Actions = {
	consents: async (event) => {
		await mine(event);
		const { organizations } = formOf(consentsForm, await event.request.formData());
		// An organisation the page does not offer (no longer, or never) is refused as on the card form; nothing changes.
		const saved = await setCardConsents(residentScope(event), { token: event.params.token, organizationIds: organizations });
		if (!saved.ok && saved.reason === 'unknown_organization') return fail(400, { consentsError: 'card.error.unknownOrganization' as const });
		redirect(303, `/card/${event.params.token}?done=saved`);
	},
	revoke: async (event) => {
		await mine(event);
		await revokeCard(residentScope(event), { token: event.params.token });
		redirect(303, `/card/${event.params.token}?done=revoked`);
	}
};
