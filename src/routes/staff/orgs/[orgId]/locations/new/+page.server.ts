import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { organizationForStaff, readLocation, saveLocation } from '$lib/server/directory';
import { actorDb, auditOrigin, requireOrganization } from '$lib/server/auth/guard';
import { recordAudit } from '$lib/server/audit';
import { todayInTokyo } from '$lib/server/runtime';

export const load: PageServerLoad = async (event) => {
	const { organizationId } = requireOrganization(event, 'directory.edit');
	const org = await actorDb(event, (tx) => organizationForStaff(tx, organizationId));
	if (!org) error(404, 'Not Found');
	return { organization: { id: org.id, name: org.name }, values: { prefecture: org.prefecture ?? '', city: org.city ?? '' } as Record<string, string> };
};

export const actions: Actions = {
	save: async (event) => {
		const { organizationId } = requireOrganization(event, 'directory.edit');
		const parsed = readLocation(await event.request.formData());
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		const id = await actorDb(event, async (tx) => {
			if (!(await organizationForStaff(tx, organizationId))) return null;
			const created = await saveLocation(tx, organizationId, null, parsed.value, todayInTokyo());
			if (!created) return null;
			await recordAudit(tx, auditOrigin(event), { action: 'location.create', organizationId, entityType: 'location', entityId: created.id, changedFields: created.changed });
			return created.id;
		});
		if (!id) error(404, 'Not Found');
		redirect(303, `/staff/orgs/${organizationId}/locations?done=saved`);
	}
};
