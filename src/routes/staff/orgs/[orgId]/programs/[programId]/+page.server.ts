import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { fieldsOf, programForStaff, programValuesOf, setProgramPublished, UUID } from '$lib/server/directory';
import { actorDb, auditOrigin, requireOrganization } from '$lib/server/auth/guard';
import { recordAudit } from '$lib/server/audit';
import { formContext, previewsOf, submitProgram, withBlankRow } from '$lib/server/staff/program-page';

function programIdOf(event: Pick<RequestEvent, 'params'>): string {
	if (!UUID.test(event.params.programId)) error(404, 'Not Found');
	return event.params.programId;
}

export const load: PageServerLoad = async (event) => {
	const { organizationId } = requireOrganization(event, 'directory.edit');
	const programId = programIdOf(event);
	return actorDb(event, async (tx) => {
		const program = await programForStaff(tx, organizationId, programId);
		if (!program) error(404, 'Not Found');
		const context = await formContext(tx, organizationId, event.locals.locale);
		const rows = program.input.schedules.map(fieldsOf);
		return {
			...context,
			program: { id: program.id, title: program.input.title, published: program.published },
			values: withBlankRow(programValuesOf(program.input, program.locationIds, rows)),
			previews: previewsOf(rows, event.locals.locale),
			done: event.url.searchParams.get('done')
		};
	});
};

async function publish(event: RequestEvent, published: boolean) {
	const { organizationId } = requireOrganization(event, 'directory.edit');
	const programId = programIdOf(event);
	const ok = await actorDb(event, async (tx) => {
		const done = await setProgramPublished(tx, organizationId, programId, published);
		if (done) await recordAudit(tx, auditOrigin(event), { action: published ? 'program.publish' : 'program.unpublish', organizationId, entityType: 'program', entityId: programId, changedFields: ['published'] });
		return done;
	});
	if (!ok) error(404, 'Not Found');
	redirect(303, `/staff/orgs/${organizationId}/programs/${programId}?done=${published ? 'published' : 'unpublished'}`);
}

export const actions: Actions = {
	preview: (event) => submitProgram(event, programIdOf(event), 'preview'),
	save: (event) => submitProgram(event, programIdOf(event), 'save'),
	publish: (event) => publish(event, true),
	unpublish: (event) => publish(event, false)
};
