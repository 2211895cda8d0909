import { error, redirect } from '@sveltejs/kit';
import QRCode from 'qrcode';
import type { Actions, PageServerLoad } from './$types';
import { calendarEntry, cancelByToken, registrationByToken, showReference } from '$lib/server/events';
import { sendPromotion, whenOf } from '$lib/server/events/registration-mail';
import { db, throttle } from '$lib/server/runtime';
import { auditOrigin } from '$lib/server/auth/guard';
import { translator } from '$lib/i18n';

/** The resident's own registration, by the bearer link; wrong links count against the network. */
async function mine(event: Parameters<PageServerLoad>[0]) {
	const t = translator(event.locals.locale);
	const verdict = await throttle().check('link', 'registration', event.locals.ip);
	if (!verdict.allowed) error(429, { message: t('registration.throttled', { minutes: Math.ceil(verdict.retryAfter / 60) }) });
	const registration = await registrationByToken(db(), event.params.token);
	if (!registration) {
		await throttle().fail('link', 'registration', event.locals.ip);
		error(404, { message: t('registration.notFound') });
	}
	return registration;
}

export const load: PageServerLoad = async (event) => {
	const registration = await mine(event);
	const entry = await calendarEntry(db(), registration.occurrenceId);
	if (!entry) error(404, 'Not Found');
	return {
		registration: { ...registration, reference: showReference(registration.reference) },
		event: { id: entry.id, title: entry.title, when: whenOf(entry, event.locals.locale), placeName: entry.placeName, cancelled: entry.status === 'cancelled', organizationName: entry.organizationName },
		// What the door scans: the reference, nothing about the person.
		qr: registration.status === 'cancelled' ? null : await QRCode.toString(`TSUNAGU-R:${registration.reference}`, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' }),
		done: event.url.searchParams.get('done')
	};
};

export const actions: Actions = {
	cancel: async (event) => {
		await mine(event as unknown as Parameters<PageServerLoad>[0]);
		const result = await cancelByToken(db(), event.params.token, auditOrigin(event));
		for (const p of result.promoted) {
			if (p.contactKind !== 'email') continue;
			const entry = await calendarEntry(db(), p.occurrenceId);
			if (entry) sendPromotion(p.contact, entry);
		}
		redirect(303, `/registrations/${event.params.token}?done=cancelled`);
	}
};
