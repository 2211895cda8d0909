import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import QRCode from 'qrcode';
import type { Actions, PageServerLoad } from './$types';
import { answerText, calendarEntry, cancelByToken, linePusher, newRegistrationLineCode, registrationByToken, showReference, whenOf } from '$lib/server/events';
import { db } from '$lib/server/db';
import { byBearerLink, residentScope } from '$lib/server/auth/guard';
import { localDay } from '$lib/server/directory';
import { formatDay, formatTime, translatorFor } from '$lib/server/present';
import { lineAccount } from '$lib/server/consultations';
import { queryOf } from '$lib/server/boundary';
import { REGISTRATION_PREFIX } from '$lib/server/participation';

/** `?done=` after registering or cancelling; anything else shows no notice. */
const pageQuery = z.object({ done: z.enum(['created', 'cancelled']).nullable().catch(null) });

/** The resident's own registration, by the bearer link (the module checks the link). */
const mine = (event: Parameters<PageServerLoad>[0]) => byBearerLink(event, () => registrationByToken(residentScope(event), event.params.token), { throttled: 'registration.linkThrottled', notFound: 'registration.notFound' });

/** The official account to send the code to (LINE_ACCOUNT_ID), when the network named it. */
function accountLinks() {
	const account = lineAccount();
	return account ? { id: account.id, friendUrl: account.friendUrl } : null;
}

export const load: PageServerLoad = async (event) => {
	const { answers, ...registration } = await mine(event);
	const entry = await calendarEntry(db(), registration.occurrenceId);
	if (!entry) error(404, 'Not Found');
	const t = translatorFor(event.locals.locale);
	return {
		registration: { ...registration, reference: showReference(registration.reference) },
		// What they answered to the program's questions, in words (issue 16): only this link shows them.
		answers: answers.map((a) => ({ id: a.id, label: a.label, text: answerText(a, { yes: t('questions.yes'), person: (n) => t('questions.person', { n }) }) })).filter((a) => a.text !== ''),
		event: { id: entry.id, title: entry.title, when: whenOf(entry, event.locals.locale), placeName: entry.placeName, cancelled: entry.status === 'cancelled', organizationName: entry.organizationName },
		// What the door scans: the reference, nothing about the person.
		qr: registration.status === 'cancelled' ? null : await QRCode.toString(`${REGISTRATION_PREFIX}${registration.reference}`, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' }),
		done: queryOf(pageQuery, event.url.searchParams).done,
		// LINE is offered when the network's channel is configured, for a registration still on.
		line: { offered: linePusher() !== null && registration.status !== 'cancelled' && entry.status !== 'cancelled', linked: registration.lineLinked, account: accountLinks() }
	};
};

export const actions: Actions = {
	/** A one-time code to send to the LINE official account (shown once, on this answer only). */
	lineCode: async (event) => {
		await mine(event as unknown as Parameters<PageServerLoad>[0]);
		if (!linePusher()) error(404, 'Not Found');
		const made = await newRegistrationLineCode(residentScope(event), { token: event.params.token });
		if (!made.ok && made.reason === 'ended') return fail(409, { lineError: 'notice.line.ended' as const });
		if (!made.ok) error(404, 'Not Found');
		const t = translatorFor(event.locals.locale);
		const { code, expiresAt } = made.value;
		// With the account's basic ID, one tap opens the chat with the code already typed.
		return { lineCode: code, lineExpires: `${formatDay(t, localDay(expiresAt))} ${formatTime(expiresAt)}`, lineMessageUrl: lineAccount()?.messageUrl(code) ?? null };
	},
	cancel: async (event) => {
		await mine(event as unknown as Parameters<PageServerLoad>[0]);
		const result = await cancelByToken(residentScope(event), { token: event.params.token });
		// Checked in already: they came, nothing to cancel (the page says so, no 「キャンセルしました」).
		if (!result.ok && result.reason === 'attended') return fail(409, { cancelError: 'registration.mine.attendedNoCancel' as const });
		// Already cancelled (a second click): nothing more to do, the page says so. Those moved up are told by cancelByToken.
		redirect(303, `/registrations/${event.params.token}?done=cancelled`);
	}
};
