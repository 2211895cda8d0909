import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { locationForStaff, organizationForStaff, readLocation, saveLocation, UUID } from '$lib/server/directory';
import { actorDb, auditOrigin, requireOrganization } from '$lib/server/auth/guard';
import { recordAudit } from '$lib/server/audit';
import { todayInTokyo } from '$lib/server/runtime';

export const load: PageServerLoad = async (event) => {
	const { organizationId } = requireOrganization(event, 'directory.edit');
	if (!UUID.test(event.params.locationId)) error(404, 'Not Found');
	return actorDb(event, async (tx) => {
		const org = await organizationForStaff(tx, organizationId);
		const place = await locationForStaff(tx, organizationId, event.params.locationId);
		if (!org || !place) error(404, 'Not Found');
		const s = (v: string | number | null) => (v === null ? '' : String(v));
		return {
			organization: { id: org.id, name: org.name },
			values: { name: place.name, prefecture: place.prefecture, city: s(place.city), line: s(place.addressLine), postalCode: s(place.postalCode), lat: s(place.lat), lng: s(place.lng), accessibility: s(place.accessibility), transport: s(place.transport) } as Record<string, string>
		};
	});
};

export const actions: Actions = {
	save: async (event) => {
		const { organizationId } = requireOrganization(event, 'directory.edit');
		const locationId = event.params.locationId;
		if (!UUID.test(locationId)) error(404, 'Not Found');
		// Another organisation's place is not found, whatever the body says.
		if (!(await actorDb(event, (tx) => locationForStaff(tx, organizationId, locationId)))) error(404, 'Not Found');
		const parsed = readLocation(await event.request.formData());
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		const saved = await actorDb(event, async (tx) => {
			const result = await saveLocation(tx, organizationId, locationId, parsed.value, todayInTokyo());
			if (result?.changed.length) await recordAudit(tx, auditOrigin(event), { action: 'location.update', organizationId, entityType: 'location', entityId: result.id, changedFields: result.changed });
			return result;
		});
		if (!saved) error(404, 'Not Found');
		redirect(303, `/staff/orgs/${organizationId}/locations?done=saved`);
	}
};
