import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { ownLocations } from '$lib/server/directory';
import { requireOrganization } from '$lib/server/auth/guard';
import { noticeOf } from '$lib/server/staff/notice';

export const load: PageServerLoad = async (event) => {
	const own = await ownLocations(requireOrganization(event, 'directory.edit'));
	if (!own) error(404, 'Not Found');
	const { organization: org, locations } = own;
	return {
		organization: { id: org.id, name: org.name },
		places: locations.map((p) => ({ id: p.id, name: p.name, area: [p.prefecture, p.city, p.addressLine].filter(Boolean).join(' ') })),
		done: noticeOf(event.url)
	};
};
