import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { addDays, fieldsOf, label, programForStaff, programValuesOf, publishProgram } from '$lib/server/directory';
import { nextOccurrencesOfProgram, overlapsFor } from '$lib/server/events';
import { todayInTokyo } from '$lib/server/clock';
import { formatOccurrence, translatorFor } from '$lib/server/present';
import { requireOrganization } from '$lib/server/auth/guard';
import { uuid } from '$lib/server/boundary';
import { runIn } from '$lib/server/scope';
import { formContext, previewsOf, submitProgram, withBlankRow } from '$lib/server/staff/program-page';
import { noticeOf } from '$lib/server/staff/notice';

const guard = (event: RequestEvent) => requireOrganization(event, 'directory.edit');

/** The program in the path: a record id, or 404. */
function programIdOf(event: Pick<RequestEvent, 'params'>): string {
	const id = uuid.safeParse(event.params.programId);
	if (!id.success) error(404, 'Not Found');
	return id.data;
}

export const load: PageServerLoad = async (event) => {
	const scope = guard(event);
	const programId = programIdOf(event);
	// One transaction for the directory's program and the events module's dates and overlaps.
	return runIn(scope, async (tx) => {
		const program = await programForStaff(tx, scope.organizationId, programId);
		if (!program) error(404, 'Not Found');
		const context = await formContext(tx, scope, event.locals.locale);
		const rows = program.input.schedules.map(fieldsOf);
		// The dates this program's schedule has made, and clashes with programs for the same people.
		const t = translatorFor(event.locals.locale);
		const today = todayInTokyo();
		const [dates, overlaps] = await Promise.all([nextOccurrencesOfProgram(tx, programId, new Date(), 6), overlapsFor(tx, programId, today, addDays(today, 90))]);
		return {
			...context,
			program: { id: program.id, title: program.input.title, published: program.published },
			values: withBlankRow(programValuesOf(program.input, program.locationIds, rows)),
			previews: previewsOf(rows, event.locals.locale),
			done: noticeOf(event.url),
			dates: dates.map((o) => ({ id: o.id, text: formatOccurrence(t, o.startsAt, o.endsAt, o.allDay), cancelled: o.status === 'cancelled' })),
			overlaps: overlaps.map((o) => ({
				key: `${o.occurrenceId}-${o.other.id}`,
				text: `${formatOccurrence(t, o.other.startsAt, o.other.endsAt, o.other.allDay)} ${o.other.title}(${o.other.organizationName})— ${o.lifeStages.map((s) => label('lifeStages', s, event.locals.locale)).join('・')}`
			}))
		};
	});
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
