import { z } from 'zod';
import { error, fail, redirect } from '@sveltejs/kit';
import { randomUUID } from 'node:crypto';
import type { Actions, PageServerLoad } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { countPage } from '$lib/server/staff/event-pages';
import { recordTaps, undoTap, tapForm, undoForm, AGE_BANDS, GENDERS } from '$lib/server/participation';
import { todayInTokyo } from '$lib/server/clock';
import { queryOf, notice, uuid, formOf } from '$lib/server/boundary';

/** `?program=` chosen, and after a tap without JavaScript `?done=tap&last=` its key; a bad value is ignored. */
const pageQuery = z.object({ program: uuid.nullable().catch(null), done: notice(['tap']), last: uuid.nullable().catch(null) });

export const load: PageServerLoad = async (event) => {
	const scope = requireOrganization(event, 'attendance.record');
	const { program, done, last } = queryOf(pageQuery, event.url.searchParams);
	const page = await countPage(scope, { programId: program, today: todayInTokyo() });
	return {
		organization: page.organization,
		programs: page.programs,
		program: page.program,
		occurrenceId: page.occurrenceId,
		todayTotal: page.totals.taps + page.totals.checkedIn,
		checkedInToday: page.totals.checkedIn,
		ageBands: AGE_BANDS,
		genders: GENDERS,
		serverKey: randomUUID(),
		done,
		// Without JavaScript: the tap just made, which the undo button names (the server checks it is the caller's own, today).
		lastKey: done === 'tap' ? last : null
	};
};

export const actions: Actions = {
	/** Without JavaScript: one tap per post, its key made by the server when the page was drawn. */
	tap: async (event) => {
		const scope = requireOrganization(event, 'attendance.record');
		const { organizationId } = scope;
		const parsed = tapForm.safeParse(formOf(tapForm, await event.request.formData(), { sent: true }));
		if (!parsed.success) return fail(400, { error: 'api.error.invalid' });
		const tap = parsed.data;
		const { programId, clientKey } = tap;
		const result = await recordTaps(scope, { taps: [tap] });
		if (!result.ok) error(404, 'Not Found');
		redirect(303, `/staff/orgs/${organizationId}/count?program=${programId}&done=tap&last=${clientKey}`);
	},
	/** Undo the caller's last tap on this device (the device names it); answered in place, with or without JavaScript. */
	undo: async (event) => {
		const scope = requireOrganization(event, 'attendance.record');
		const undone = await undoTap(scope, formOf(undoForm, await event.request.formData()));
		if (!undone.ok) return fail(409, { undo: 'nothing' as const });
		return { undo: 'undone' as const };
	}
};
