import { error, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { moderateOrganization, networkOrganizations } from '$lib/server/network';
import { requireSecretariat } from '$lib/server/auth/guard';
import { uuid } from '$lib/server/boundary';
import { noticeOf } from '$lib/server/staff/notice';

export const load: PageServerLoad = async (event) => {
	const scope = requireSecretariat(event, 'network.moderate');
	return { organizations: await networkOrganizations(scope), done: noticeOf(event.url) };
};

const moderationForm = z.object({ organizationId: uuid });

/** The secretariat may take any organisation off the public pages (and put it back). */
async function moderate(event: RequestEvent, published: boolean) {
	const scope = requireSecretariat(event, 'network.moderate');
	const parsed = moderationForm.safeParse(Object.fromEntries(await event.request.formData()));
	if (!parsed.success) error(404, 'Not Found');
	const done = await moderateOrganization(scope, { organizationId: parsed.data.organizationId, published });
	if (!done.ok) error(404, 'Not Found');
	redirect(303, `/staff/network/organizations?done=${published ? 'published' : 'unpublished'}`);
}

export const actions: Actions = {
	publish: (event) => moderate(event, true),
	unpublish: (event) => moderate(event, false)
};
