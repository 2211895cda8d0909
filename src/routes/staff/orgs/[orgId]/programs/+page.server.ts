import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { organizationForStaff, programsOf, UUID } from '$lib/server/directory';
import { actorDb, requireOrganization } from '$lib/server/auth/guard';
import { formatOccurrence, formatTime, translatorFor } from '$lib/server/present';
import { publishProgram } from '$lib/server/staff/program-page';
import { noticeOf } from '$lib/server/staff/notice';

const DAY_MS = 86_400_000;

export const load: PageServerLoad = async (event) => {
	const { organizationId } = requireOrganization(event, 'directory.edit');
	const t = translatorFor(event.locals.locale);
	return actorDb(event, async (tx) => {
		const org = await organizationForStaff(tx, organizationId);
		if (!org) error(404, 'Not Found');
		const list = await programsOf(tx, organizationId);
		return {
			organization: { id: org.id, name: org.name, published: org.published },
			programs: list.map((p) => ({
				id: p.id,
				title: p.title,
				published: p.published,
				status: p.status as 'active' | 'planned' | 'ended',
				// A day without opening hours is stored as midnight to midnight.
				next: p.nextStartsAt ? formatOccurrence(t, p.nextStartsAt, p.nextEndsAt, formatTime(p.nextStartsAt) === '0:00' && p.nextEndsAt?.getTime() === p.nextStartsAt.getTime() + DAY_MS) : null
			})),
			done: noticeOf(event.url)
		};
	});
};

/** Publishing from the list: what the secretariat uses to take any program off the public pages. */
async function publish(event: RequestEvent, published: boolean) {
	const { organizationId } = requireOrganization(event, 'directory.edit');
	const programId = String((await event.request.formData()).get('programId') ?? '');
	if (!UUID.test(programId)) error(404, 'Not Found');
	await publishProgram(event, organizationId, programId, published);
	redirect(303, `/staff/orgs/${organizationId}/programs?done=${published ? 'published' : 'unpublished'}`);
}

export const actions: Actions = {
	publish: (event) => publish(event, true),
	unpublish: (event) => publish(event, false)
};
