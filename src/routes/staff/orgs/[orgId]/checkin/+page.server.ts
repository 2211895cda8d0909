import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { runIn } from '$lib/server/scope';
import { calendarEntries, programFilterOf } from '$lib/server/events';
import { checkIn } from '$lib/server/participation';
import { organizationForStaff, UUID, addDays } from '$lib/server/directory';
import { todayInTokyo } from '$lib/server/clock';
import { formatTime } from '$lib/server/present';
import { error } from '@sveltejs/kit';

export const load: PageServerLoad = async (event) => {
	const scope = requireOrganization(event, 'attendance.record');
	const { organizationId } = scope;
	const today = todayInTokyo();
	return runIn(scope, async (tx) => {
		const org = await organizationForStaff(tx, organizationId);
		if (!org) error(404, 'Not Found');
		// Today's sessions (and a session just after midnight from yesterday's list).
		const list = (await calendarEntries(tx, programFilterOf({ organization: organizationId }, false), addDays(today, -1), addDays(today, 1))).filter((e) => e.status === 'scheduled' && e.day === today);
		const wanted = event.url.searchParams.get('occurrence');
		const chosen = list.find((e) => e.id === wanted) ?? (list.length === 1 ? list[0] : null);
		return {
			organization: { id: org.id, name: org.name },
			occurrences: list.map((e) => ({ id: e.id, label: `${e.allDay ? '' : formatTime(e.startsAt)} ${e.title}`.trim() })),
			chosen: chosen ? { id: chosen.id, label: `${chosen.allDay ? '' : formatTime(chosen.startsAt)} ${chosen.title}`.trim() } : null
		};
	});
};

export const actions: Actions = {
	checkin: async (event) => {
		const scope = requireOrganization(event, 'attendance.record');
		const form = await event.request.formData();
		const occurrenceId = String(form.get('occurrenceId') ?? '');
		const code = String(form.get('code') ?? '').slice(0, 100);
		if (!UUID.test(occurrenceId)) return fail(400, { result: { ok: false as const, reason: 'no_occurrence' as const }, code });
		const result = await checkIn(scope, { occurrenceId, code });
		if (!result.ok) return fail(result.reason === 'bad_code' ? 400 : 409, { result: { ok: false as const, reason: result.reason }, code });
		return { result: { ok: true as const, ...result.value } };
	}
};
