import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { z } from 'zod';
import { requireOrganization } from '$lib/server/auth/guard';
import { addDays } from '$lib/server/directory';
import { newEventPage } from '$lib/server/staff/event-pages';
import { addOneOffDate, readOneOff } from '$lib/server/events';
import { todayInTokyo } from '$lib/server/clock';
import { queryOf, formOf } from '$lib/server/boundary';

/** `?program=` preselects one of the organisation's programs; anything else preselects none. */
const newQuery = z.object({ program: z.string().max(100).catch('') });
/** A place that is not one of the organisation's (or none) leaves the event without one. */
const placeField = z.string().max(100).catch('');
const placeForm = z.object({ locationId: placeField });

export const load: PageServerLoad = async (event) => {
	const scope = requireOrganization(event, 'events.manage');
	const query = queryOf(newQuery, event.url.searchParams);
	const day = addDays(todayInTokyo(), 7);
	const start = '13:00';
	const page = await newEventPage(scope, { programId: query.program, day, start });
	// A new date follows its program's registration defaults unless staff choose its own; the own
	// fields start from those defaults (issue 16), so choosing 「この回だけの設定」 changes only what differs.
	const own = page.defaults ?? { registrationOpen: false, capacity: '', capacityUnit: 'people', registrationOpensAt: '', registrationClosesAt: '' };
	return {
		...page,
		values: {
			programId: query.program,
			title: '',
			day,
			start,
			end: '15:00',
			note: '',
			kind: 'session',
			settingsFrom: 'program',
			registrationOpen: own.registrationOpen,
			capacity: own.capacity,
			capacityUnit: own.capacityUnit,
			registrationOpensAt: own.registrationOpensAt,
			registrationClosesAt: own.registrationClosesAt,
			locationId: ''
		}
	};
};

export const actions: Actions = {
	default: async (event) => {
		const scope = requireOrganization(event, 'events.manage');
		const form = await event.request.formData();
		const parsed = readOneOff(form);
		const locationId = placeField.parse(formOf(placeForm, form).locationId);
		if (!parsed.ok) return fail(400, { values: { ...parsed.values, locationId }, errors: parsed.errors });
		// Only this organisation's programs and places: another's program reads as a mistake in the form.
		const created = await addOneOffDate(scope, { ...parsed.value, locationId });
		if (!created.ok) return fail(400, { values: { ...parsed.values, locationId }, errors: { programId: 'events.error.program' as const } });
		redirect(303, `/staff/orgs/${scope.organizationId}/events/${created.value.id}?done=created`);
	}
};
