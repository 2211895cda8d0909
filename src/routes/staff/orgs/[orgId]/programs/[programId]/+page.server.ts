import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { publishProgram } from '$lib/server/directory';
import { requireOrganization } from '$lib/server/auth/guard';
import { uuid } from '$lib/server/boundary';
import { programPage, submitProgram } from '$lib/server/staff/program-page';
import { noticeOf } from '$lib/server/staff/notice';

const guard = (event: RequestEvent) => requireOrganization(event, 'directory.edit');

/** The program in the path: a record id, or 404. */
function programIdOf(event: Pick<RequestEvent, 'params'>): string {
	const id = uuid.safeParse(event.params.programId);
	if (!id.success) error(404, 'Not Found');
	return id.data;
}

export const load: PageServerLoad = async (event) => {
	const page = await programPage(guard(event), { programId: programIdOf(event), locale: event.locals.locale });
	return { ...page, done: noticeOf(event.url) };
};

async function publish(event: RequestEvent, published: boolean) {
	const scope = guard(event);
	const programId = programIdOf(event);
	const done = await publishProgram(scope, { programId, published });
	if (!done.ok) error(404, 'Not Found');
	redirect(303, `/staff/orgs/${scope.organizationId}/programs/${programId}?done=${published ? 'published' : 'unpublished'}`);
}

export const actions: Actions = {
	preview: (event) => submitProgram(event, programIdOf(event), guard(event), 'preview'),
	save: (event) => submitProgram(event, programIdOf(event), guard(event), 'save'),
	publish: (event) => publish(event, true),
	unpublish: (event) => publish(event, false)
};
