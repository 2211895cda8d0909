import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { addLocation, ownOrganization, readLocation } from '$lib/server/directory';
import { requireOrganization } from '$lib/server/auth/guard';
import { todayInTokyo } from '$lib/server/clock';

export const load: PageServerLoad = async (event) => {
	const org = await ownOrganization(requireOrganization(event, 'directory.edit'));
	if (!org) error(404, 'Not Found');
	return { organization: { id: org.id, name: org.name }, values: { prefecture: org.prefecture ?? '', city: org.city ?? '' } as Record<string, string> };
};

export const actions: Actions = {
	save: async (event) => {
		const scope = requireOrganization(event, 'directory.edit');
		const parsed = readLocation(await event.request.formData());
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		const created = await addLocation(scope, { location: parsed.value, today: todayInTokyo() });
		if (!created.ok) error(404, 'Not Found');
		// Saved without a point (an unknown 市区町村, no coordinates): staff are told it cannot be found by distance.
		redirect(303, `/staff/orgs/${scope.organizationId}/locations?done=${created.value.placed ? 'saved' : 'unplaced'}`);
	}
};
