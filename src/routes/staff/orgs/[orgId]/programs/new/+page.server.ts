import type { Actions, PageServerLoad } from './$types';
import { emptyProgramValues } from '$lib/server/directory';
import { actorDb, requireOrganization } from '$lib/server/auth/guard';
import { formContext, submitProgram, withBlankRow } from '$lib/server/staff/program-page';

export const load: PageServerLoad = async (event) => {
	const { organizationId } = requireOrganization(event, 'directory.edit');
	const context = await actorDb(event, (tx) => formContext(tx, organizationId, event.locals.locale));
	return { ...context, values: withBlankRow(emptyProgramValues()) };
};

export const actions: Actions = {
	preview: (event) => submitProgram(event, null, 'preview'),
	save: (event) => submitProgram(event, null, 'save')
};
