import { z } from 'zod';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { uuid, queryOf } from '$lib/server/boundary';
import { newProgramPage, submitProgram } from '$lib/server/staff/program-page';

const guard = (event: RequestEvent) => requireOrganization(event, 'directory.edit');

const newQuery = z.object({ from: uuid.nullable().catch(null) });

/** A new program, blank or copied from one of the organisation's own (`?from=<program id>`). */
export const load: PageServerLoad = async (event) => {
	const { from } = queryOf(newQuery, event.url.searchParams);
	return newProgramPage(guard(event), { from, locale: event.locals.locale });
};

export const actions: Actions = {
	preview: (event) => submitProgram(event, null, guard(event), 'preview'),
	save: (event) => submitProgram(event, null, guard(event), 'save')
};
