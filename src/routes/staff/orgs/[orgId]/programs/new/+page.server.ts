import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { emptyProgramValues } from '$lib/server/directory';
import { requireOrganization } from '$lib/server/auth/guard';
import { runIn } from '$lib/server/scope';
import { formContext, submitProgram, withBlankRow } from '$lib/server/staff/program-page';

const guard = (event: RequestEvent) => requireOrganization(event, 'directory.edit');

export const load: PageServerLoad = async (event) => {
	const scope = guard(event);
	const context = await runIn(scope, (tx) => formContext(tx, scope, event.locals.locale));
	return { ...context, values: withBlankRow(emptyProgramValues()) };
};

export const actions: Actions = {
	preview: (event) => submitProgram(event, null, guard(event), 'preview'),
	save: (event) => submitProgram(event, null, guard(event), 'save')
};
