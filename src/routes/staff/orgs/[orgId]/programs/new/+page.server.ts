import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { uuid } from '$lib/server/boundary';
import { newProgramPage, submitProgram } from '$lib/server/staff/program-page';

const guard = (event: RequestEvent) => requireOrganization(event, 'directory.edit');

/** A new program, blank or copied from one of the organisation's own (`?from=<program id>`). */
export const load: PageServerLoad = async (event) => {
	const from = uuid.safeParse(event.url.searchParams.get('from') ?? '');
	return newProgramPage(guard(event), { from: from.success ? from.data : null, locale: event.locals.locale });
};

export const actions: Actions = {
	preview: (event) => submitProgram(event, null, guard(event), 'preview'),
	save: (event) => submitProgram(event, null, guard(event), 'save')
};
