import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { locationsOf, organizationForStaff } from '$lib/server/directory';
import { actorDb, requireOrganization } from '$lib/server/auth/guard';
import { noticeOf } from '$lib/server/staff/notice';

export const load: PageServerLoad = async (event) => {
	const { organizationId } = requireOrganization(event, 'directory.edit');
	return actorDb(event, async (tx) => {
		const org = await organizationForStaff(tx, organizationId);
		if (!org) error(404, 'Not Found');
		const places = await locationsOf(tx, organizationId);
		return {
			organization: { id: org.id, name: org.name },
			places: places.map((p) => ({ id: p.id, name: p.name, area: [p.prefecture, p.city, p.addressLine].filter(Boolean).join(' ') })),
			done: noticeOf(event.url)
		};
	});
};
