import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { allOrganizations, setOrganizationPublished, UUID } from '$lib/server/directory';
import { actorDb, auditOrigin, requirePermission } from '$lib/server/auth/guard';
import { recordAudit } from '$lib/server/audit';
import { noticeOf } from '$lib/server/staff/notice';

export const load: PageServerLoad = async (event) => {
	requirePermission(event, 'network.moderate');
	const list = await actorDb(event, (tx) => allOrganizations(tx));
	return { organizations: list, done: noticeOf(event.url) };
};

/** The secretariat may take any organisation off the public pages (and put it back). */
async function moderate(event: RequestEvent, published: boolean) {
	requirePermission(event, 'network.moderate');
	const id = String((await event.request.formData()).get('organizationId') ?? '');
	if (!UUID.test(id)) error(404, 'Not Found');
	const ok = await actorDb(event, async (tx) => {
		const done = await setOrganizationPublished(tx, id, published);
		if (done) await recordAudit(tx, auditOrigin(event), { action: published ? 'organization.publish' : 'organization.unpublish', organizationId: id, entityType: 'organization', entityId: id, changedFields: ['published'] });
		return done;
	});
	if (!ok) error(404, 'Not Found');
	redirect(303, `/staff/network/organizations?done=${published ? 'published' : 'unpublished'}`);
}

export const actions: Actions = {
	publish: (event) => moderate(event, true),
	unpublish: (event) => moderate(event, false)
};
