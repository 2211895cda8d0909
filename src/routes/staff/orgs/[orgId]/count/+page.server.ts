import { error, fail, redirect } from '@sveltejs/kit';
import { randomUUID } from 'node:crypto';
import type { Actions, PageServerLoad } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { runIn } from '$lib/server/scope';
import { organizationForStaff, programsOf, UUID } from '$lib/server/directory';
import { occurrencesOfProgram } from '$lib/server/events';
import { recordTaps, dayTotals, undoTap, AGE_BANDS, GENDERS, type Tap } from '$lib/server/participation';
import { todayInTokyo } from '$lib/server/clock';

export const load: PageServerLoad = async (event) => {
	const scope = requireOrganization(event, 'attendance.record');
	const { organizationId } = scope;
	const today = todayInTokyo();
	return runIn(scope, async (tx) => {
		const org = await organizationForStaff(tx, organizationId);
		if (!org) error(404, 'Not Found');
		const programs = (await programsOf(tx, organizationId)).map((p) => ({ id: p.id, title: p.title }));
		const wanted = event.url.searchParams.get('program');
		const program = programs.find((p) => p.id === wanted) ?? (programs.length === 1 ? programs[0] : null);
		const occurrence = program ? (await occurrencesOfProgram(tx, program.id, today, today)).find((o) => o.status === 'scheduled') : undefined;
		const totals = program ? await dayTotals(tx, scope, { programId: program.id, day: today }) : { taps: 0, checkedIn: 0 };
		return {
			organization: { id: org.id, name: org.name },
			programs,
			program,
			occurrenceId: occurrence?.id ?? null,
			todayTotal: totals.taps + totals.checkedIn,
			checkedInToday: totals.checkedIn,
			ageBands: AGE_BANDS,
			genders: GENDERS,
			serverKey: randomUUID(),
			done: event.url.searchParams.get('done'),
			// Without JavaScript: the tap just made, which the undo button names (the server checks it is the caller's own, today).
			lastKey: event.url.searchParams.get('done') === 'tap' && UUID.test(event.url.searchParams.get('last') ?? '') ? event.url.searchParams.get('last') : null
		};
	});
};

export const actions: Actions = {
	/** Without JavaScript: one tap per post, its key made by the server when the page was drawn. */
	tap: async (event) => {
		const scope = requireOrganization(event, 'attendance.record');
		const { organizationId } = scope;
		const form = await event.request.formData();
		const programId = String(form.get('programId') ?? '');
		const occurrenceId = String(form.get('occurrenceId') ?? '') || null;
		const ageBand = String(form.get('ageBand') ?? '');
		const gender = String(form.get('gender') ?? 'not_given');
		const clientKey = String(form.get('clientKey') ?? '');
		if (!UUID.test(programId) || !(AGE_BANDS as readonly string[]).includes(ageBand) || !(GENDERS as readonly string[]).includes(gender) || !UUID.test(clientKey)) return fail(400, { error: 'api.error.invalid' });
		const tap = { clientKey, programId, occurrenceId, countedAt: new Date(), ageBand, gender, firstVisit: form.get('visit') !== 'repeat' } as Tap;
		const result = await recordTaps(scope, { taps: [tap] });
		if (!result.ok) error(404, 'Not Found');
		redirect(303, `/staff/orgs/${organizationId}/count?program=${programId}&done=tap&last=${clientKey}`);
	},
	/** Undo the caller's last tap on this device (the device names it); answered in place, with or without JavaScript. */
	undo: async (event) => {
		const scope = requireOrganization(event, 'attendance.record');
		const form = await event.request.formData();
		const undone = await undoTap(scope, { clientKey: String(form.get('clientKey') ?? '') });
		if (!undone.ok) return fail(409, { undo: 'nothing' as const });
		return { undo: 'undone' as const };
	}
};
