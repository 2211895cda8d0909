import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { actorDb, auditOrigin, requireOrganization } from '$lib/server/auth/guard';
import { recordAudit } from '$lib/server/audit';
import { isOwnProgram, locationsOf, organizationForStaff, programsOf, addDays } from '$lib/server/directory';
import { createOneOff, readOneOff } from '$lib/server/events';
import { todayInTokyo } from '$lib/server/runtime';

export const load: PageServerLoad = async (event) => {
	const { organizationId } = requireOrganization(event, 'events.manage');
	return actorDb(event, async (tx) => {
		const org = await organizationForStaff(tx, organizationId);
		if (!org) error(404, 'Not Found');
		const [programs, places] = await Promise.all([programsOf(tx, organizationId), locationsOf(tx, organizationId)]);
		return {
			organization: { id: org.id, name: org.name },
			programs: programs.map((p) => ({ id: p.id, title: p.title })),
			places: places.map((p) => ({ id: p.id, name: p.name })),
			values: { programId: event.url.searchParams.get('program') ?? '', title: '', day: addDays(todayInTokyo(), 7), start: '13:00', end: '15:00', note: '', kind: 'session', registrationOpen: false, capacity: '', capacityUnit: 'people', locationId: '' }
		};
	});
};

export const actions: Actions = {
	default: async (event) => {
		const { organizationId } = requireOrganization(event, 'events.manage');
		const form = await event.request.formData();
		const parsed = readOneOff(form);
		const locationId = String(form.get('locationId') ?? '');
		if (!parsed.ok) return fail(400, { values: { ...parsed.values, locationId }, errors: parsed.errors });
		const typed = { ...parsed.value, title: parsed.value.title ?? '', note: parsed.value.note ?? '', day: String(form.get('day')), start: String(form.get('start')), end: String(form.get('end') ?? ''), capacity: String(form.get('capacity') ?? ''), locationId };
		const created = await actorDb(event, async (tx) => {
			// Only this organisation's programs and places: another's id reads as a mistake in the form.
			if (!(await isOwnProgram(tx, organizationId, parsed.value.programId))) return null;
			const places = await locationsOf(tx, organizationId);
			const place = places.find((p) => p.id === locationId)?.id ?? null;
			const row = await createOneOff(tx, organizationId, { ...parsed.value, locationId: place });
			await recordAudit(tx, auditOrigin(event), { action: 'occurrence.create', organizationId, entityType: 'occurrence', entityId: row.id, changedFields: ['program_id', 'starts_at', 'kind', 'capacity'] });
			return row;
		});
		if (!created) return fail(400, { values: typed, errors: { programId: 'events.error.program' as const } });
		redirect(303, `/staff/orgs/${organizationId}/events/${created.id}?done=created`);
	}
};
