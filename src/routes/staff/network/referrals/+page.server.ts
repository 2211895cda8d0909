import { z } from 'zod';
import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireSecretariat } from '$lib/server/auth/guard';
import { referralAcceptDays, referralContactDays, referralQueuePage, resolveInput, resolveQueueEntry } from '$lib/server/referrals';
import { translator } from '$lib/i18n';
import { queryOf, notice } from '$lib/server/boundary';

/** `?done=resolved` after resolving one; anything else shows no notice. */
const pageQuery = z.object({ done: notice(['resolved']) });

/** The secretariat's queue of stuck referrals: organisations, reasons and days only (never the person). */
export const load: PageServerLoad = async (event) => {
	const scope = requireSecretariat(event, 'network.referrals');
	const page = await referralQueuePage(scope);
	return {
		...page,
		open: page.open.map((e) => ({ ...e, waitingSince: e.waitingSince.toISOString(), queuedAt: e.queuedAt.toISOString() })),
		acceptDays: referralAcceptDays(),
		contactDays: referralContactDays(),
		resolved: queryOf(pageQuery, event.url.searchParams).done === 'resolved'
	};
};

export const actions: Actions = {
	/** 「対応済みにする」: a bad id comes back with a message (400), nothing changed. */
	resolve: async (event) => {
		const scope = requireSecretariat(event, 'network.referrals');
		const t = translator(event.locals.locale);
		const parsed = resolveInput.safeParse(Object.fromEntries(await event.request.formData()));
		if (!parsed.success) return fail(400, { error: t('referralQueue.invalid') });
		const done = await resolveQueueEntry(scope, parsed.data);
		if (!done.ok) {
			if (done.reason === 'not_found') error(404, { message: t('referralQueue.notFound') });
			return fail(409, { error: t('referralQueue.alreadyResolved') });
		}
		redirect(303, '/staff/network/referrals?done=resolved');
	}
};
