import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { editLocation, ownLocation, readLocation } from '$lib/server/directory';
import { requireOrganization } from '$lib/server/auth/guard';
import { uuid } from '$lib/server/boundary';
import { todayInTokyo } from '$lib/server/clock';

/** The place in the path: a record id, or 404. */
function locationIdOf(event: Pick<RequestEvent, 'params'>): string {
	const id = uuid.safeParse(event.params.locationId);
	if (!id.success) error(404, 'Not Found');
	return id.data;
}

export const load: PageServerLoad = async (event) => {
	const scope = requireOrganization(event, 'directory.edit');
	const own = await ownLocation(scope, { locationId: locationIdOf(event) });
	if (!own) error(404, 'Not Found');
	const { organization: org, location: place } = own;
	const s = (v: string | number | null) => (v === null ? '' : String(v));
	return {
		organization: { id: org.id, name: org.name },
		values: {
			name: place.name,
			prefecture: place.prefecture,
			city: s(place.city),
			line: s(place.addressLine),
			postalCode: s(place.postalCode),
			lat: s(place.lat),
			lng: s(place.lng),
			approximate: place.coordinatesApproximate ? '1' : '',
			accessibility: s(place.accessibility),
			transport: s(place.transport)
		} as Record<string, string>
	};
};

export const actions: Actions = {
	save: async (event) => {
		const scope = requireOrganization(event, 'directory.edit');
		const locationId = locationIdOf(event);
		// Another organisation's place is not found, whatever the body says.
		if (!(await ownLocation(scope, { locationId }))) error(404, 'Not Found');
		const parsed = readLocation(await event.request.formData());
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		const saved = await editLocation(scope, { locationId, location: parsed.value, today: todayInTokyo() });
		if (!saved.ok) error(404, 'Not Found');
		// Saved without a point (an unknown 市区町村, no coordinates): staff are told it cannot be found by distance.
		redirect(303, `/staff/orgs/${scope.organizationId}/locations?done=${saved.value.placed ? 'saved' : 'unplaced'}`);
	}
};
