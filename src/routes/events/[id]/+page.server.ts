import { error, fail, redirect } from '@sveltejs/kit';
import { randomBytes } from 'node:crypto';
import type { Actions, PageServerLoad } from './$types';
import { idParam, programSummaries } from '$lib/server/directory';
import { availability, calendarEntry, readRegistration, register, stageOf } from '$lib/server/events';
import { sendConfirmation, whenOf } from '$lib/server/events/registration-mail';
import { db } from '$lib/server/db';
import { publicOrigin } from '$lib/server/http/origin';
import { throttle } from '$lib/server/auth';
import { residentScope } from '$lib/server/auth/guard';
import { cardAllowedAt } from '$lib/server/participation';
import { translator } from '$lib/i18n';
import { cachedPublic } from '$lib/server/cache';

/** A public date: only of a published program. */
async function publicEntry(id: string) {
	if (!idParam.safeParse(id).success) error(404, 'Not Found');
	// Public data, cached per process until published data changes (src/lib/server/cache).
	const entry = await cachedPublic(`event:${id}`, async () => {
		const entry = await calendarEntry(db(), id);
		if (!entry) return null;
		const program = (await programSummaries(db(), [entry.programId])).get(entry.programId);
		return program?.published ? entry : null;
	});
	if (!entry) error(404, 'Not Found');
	return entry;
}

export const load: PageServerLoad = async (event) => {
	const { params, locals } = event;
	const entry = await publicEntry(params.id);
	// Places left change with every registration, which also empties the cache.
	const places = await cachedPublic(`event-places:${entry.id}`, () => availability(residentScope(event), { occurrenceId: entry.id }));
	const stage = stageOf(entry, new Date());
	return {
		event: {
			id: entry.id,
			programId: entry.programId,
			title: entry.title,
			programTitle: entry.programTitle,
			organizationName: entry.organizationName,
			organizationId: entry.organizationId,
			when: whenOf(entry, locals.locale),
			placeName: entry.placeName,
			note: entry.note,
			cancelled: entry.status === 'cancelled',
			moved: entry.moved,
			visit: entry.kind === 'visit',
			registrationOpen: entry.registrationOpen,
			capacityUnit: entry.capacityUnit,
			stage
		},
		places,
		// One key per rendering of the form: the same submission sent twice registers once.
		submissionKey: randomBytes(18).toString('base64url')
	};
};

export const actions: Actions = {
	default: async (event) => {
		const entry = await publicEntry(event.params.id);
		const t = translator(event.locals.locale);
		const parsed = readRegistration(await event.request.formData());
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		// Every submission counts, taken before the card check and the registration (never given back).
		const attempt = await throttle().attempt('register', parsed.value.contact, event.locals.ip);
		if (!attempt.allowed) return fail(429, { values: parsed.value as unknown as Record<string, string>, errors: {}, message: t('registration.throttled', { minutes: Math.ceil(attempt.retryAfter / 60) }) });
		const resident = residentScope(event);
		const card = parsed.value.card ? await cardAllowedAt(resident, { typed: parsed.value.card, organizationId: entry.organizationId }) : null;
		if (card && !card.ok) return fail(400, { values: { ...parsed.value, groupSize: String(parsed.value.groupSize) }, errors: { card: 'registration.error.card' as const } });
		const result = await register(resident, { occurrenceId: entry.id, registration: parsed.value, cardId: card?.ok ? card.value : null });
		if (!result.ok) return fail(result.reason === 'not_found' ? 404 : 409, { values: { ...parsed.value, groupSize: String(parsed.value.groupSize) }, errors: {}, message: t(`registration.refused.${result.reason}`) });
		const outcome = result.value;
		if (outcome.token) {
			await sendConfirmation(resident, outcome.registrationId, entry, { name: parsed.value.name, status: outcome.status as 'registered' | 'waitlisted', reference: outcome.reference, link: `${publicOrigin()}/registrations/${outcome.token}` });
		}
		// A repeated submission has no new link to show: the first answer (and the e-mail) had it.
		if (!outcome.token) return { repeated: true, reference: outcome.reference, status: outcome.status };
		redirect(303, `/registrations/${outcome.token}?done=created`);
	}
};
