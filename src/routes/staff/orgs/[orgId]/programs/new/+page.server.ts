import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { emptyProgramValues, fieldsOf, programForStaff, programValuesOf } from '$lib/server/directory';
import { requireOrganization } from '$lib/server/auth/guard';
import { uuid } from '$lib/server/boundary';
import { runIn } from '$lib/server/scope';
import { translatorFor } from '$lib/server/present';
import { formContext, submitProgram, withBlankRow } from '$lib/server/staff/program-page';

const guard = (event: RequestEvent) => requireOrganization(event, 'directory.edit');

/**
 * A new program, blank or copied (`?from=<program id>`, one of the organisation's own): the copy
 * fills the form with the program's content, places and schedules under a new name, and nothing
 * is saved until staff save it, as a draft. Another organisation's id, or a malformed one, gives
 * the blank form.
 */
export const load: PageServerLoad = async (event) => {
	const scope = guard(event);
	const from = uuid.safeParse(event.url.searchParams.get('from') ?? '');
	return runIn(scope, async (tx) => {
		const context = await formContext(tx, scope, event.locals.locale);
		const source = from.success ? await programForStaff(tx, scope.organizationId, from.data) : null;
		if (!source) {
			// One place only: it is the place, checked from the start.
			const values = emptyProgramValues();
			if (context.places.length === 1) values.locationIds = [context.places[0].id];
			return { ...context, values: withBlankRow(values), copiedFrom: null };
		}
		const t = translatorFor(event.locals.locale);
		const values = programValuesOf({ ...source.input, title: t('staff.program.copyTitle', { title: source.input.title }) }, source.locationIds, source.input.schedules.map(fieldsOf));
		return { ...context, values: withBlankRow(values), copiedFrom: { id: source.id, title: source.input.title } };
	});
};

export const actions: Actions = {
	preview: (event) => submitProgram(event, null, guard(event), 'preview'),
	save: (event) => submitProgram(event, null, guard(event), 'save')
};
