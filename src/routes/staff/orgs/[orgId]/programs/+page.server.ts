import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { z } from 'zod';
import { ownPrograms, publishProgram } from '$lib/server/directory';
import { requireOrganization } from '$lib/server/auth/guard';
import { uuid } from '$lib/server/boundary';
import { formatOccurrence, translatorFor } from '$lib/server/present';
import { noticeOf } from '$lib/server/staff/notice';

export const load: PageServerLoad = async (event) => {
	const own = await ownPrograms(requireOrganization(event, 'directory.edit'));
	if (!own) error(404, 'Not Found');
	const t = translatorFor(event.locals.locale);
	const { organization: org, programs } = own;
	return {
		organization: { id: org.id, name: org.name, published: org.published },
		programs: programs.map((p) => ({
			id: p.id,
			title: p.title,
			published: p.published,
			status: p.status as 'active' | 'planned' | 'ended',
			next: p.nextStartsAt ? formatOccurrence(t, p.nextStartsAt, p.nextEndsAt, p.nextAllDay) : null
		})),
		done: noticeOf(event.url)
	};
};

const publishForm = z.object({ programId: uuid });

/** Publishing from the list: what the secretariat uses to take any program off the public pages. */
async function publish(event: RequestEvent, published: boolean) {
	const scope = requireOrganization(event, 'directory.edit');
	const form = publishForm.safeParse(Object.fromEntries(await event.request.formData()));
	if (!form.success) error(404, 'Not Found');
	const done = await publishProgram(scope, { programId: form.data.programId, published });
	if (!done.ok) error(404, 'Not Found');
	redirect(303, `/staff/orgs/${scope.organizationId}/programs?done=${published ? 'published' : 'unpublished'}`);
}

export const actions: Actions = {
	publish: (event) => publish(event, true),
	unpublish: (event) => publish(event, false)
};
