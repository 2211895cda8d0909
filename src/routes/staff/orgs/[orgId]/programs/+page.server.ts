import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { organizationForStaff, programsOf } from '$lib/server/directory';
import { actorDb, requireOrganization } from '$lib/server/auth/guard';

export const load: PageServerLoad = async (event) => {
	const { organizationId } = requireOrganization(event, 'directory.edit');
	return actorDb(event, async (tx) => {
		const org = await organizationForStaff(tx, organizationId);
		if (!org) error(404, 'Not Found');
		const list = await programsOf(tx, organizationId);
		return {
			organization: { id: org.id, name: org.name },
			programs: list.map((p) => ({ id: p.id, title: p.title, published: p.published, status: p.status, next: p.nextStartsAt?.toISOString() ?? null }))
		};
	});
};
