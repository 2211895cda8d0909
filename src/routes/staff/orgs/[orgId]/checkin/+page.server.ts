import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { arriveFromList, checkIn, doorPage, type DoorDate } from '$lib/server/participation';
import { ownOrganization } from '$lib/server/directory';
import { uuid, queryOf, formOf } from '$lib/server/boundary';
import { todayInTokyo } from '$lib/server/clock';
import { formatDay, formatTime, translatorFor } from '$lib/server/present';
import { answerText, showReference } from '$lib/server/events';
import type { Translate } from '$lib/i18n';

const label = (t: Translate, d: DoorDate) => `${formatDay(t, d.day)} ${d.allDay ? '' : formatTime(d.startsAt)} ${d.title}`.replace(/\s+/g, ' ').trim();

/** `?occurrence=` opens one date; anything else opens the default. */
const doorQuery = z.object({ occurrence: uuid.nullable().catch(null) });

export const load: PageServerLoad = async (event) => {
	const scope = requireOrganization(event, 'attendance.record');
	const t = translatorFor(event.locals.locale);
	const org = await ownOrganization(scope);
	if (!org) error(404, 'Not Found');
	const { occurrence } = queryOf(doorQuery, event.url.searchParams);
	const page = await doorPage(scope, { today: todayInTokyo(), occurrenceId: occurrence });
	const words = { yes: t('questions.yes'), person: (n: number) => t('questions.person', { n }) };
	const shown = (d: DoorDate) => ({ id: d.id, label: label(t, d), when: d.when, cancelled: d.cancelled, codes: d.codes, arrivals: d.arrivals });
	return {
		organization: { id: org.id, name: org.name },
		dates: page.dates.map(shown),
		chosen: page.chosen ? shown(page.chosen) : null,
		withNames: page.withNames,
		summary: page.summary,
		expected: (page.expected ?? []).map((p) => ({
			registrationId: p.registrationId,
			reference: showReference(p.reference),
			name: p.name,
			needs: p.needs,
			answers: p.answers.map((a) => ({ id: a.id, label: a.label, sensitive: a.sensitive, text: answerText(a, words) })).filter((a) => a.text !== ''),
			groupSize: p.groupSize,
			arrivedAt: p.arrivedAt ? formatTime(p.arrivedAt) : null
		}))
	};
};

/** A code typed or scanned at the door, for one date (the code itself is checked by checkIn). */
const checkinForm = z.object({ occurrenceId: uuid, code: z.string() });
const arriveForm = z.object({ occurrenceId: uuid, registrationId: uuid });

export const actions: Actions = {
	checkin: async (event) => {
		const scope = requireOrganization(event, 'attendance.record');
		const form = await event.request.formData();
		const fields = formOf(checkinForm, form);
		const code = fields.code.slice(0, 100);
		const parsed = checkinForm.safeParse(fields);
		if (!parsed.success) return fail(400, { result: { ok: false as const, reason: 'no_occurrence' as const }, code });
		const result = await checkIn(scope, { occurrenceId: parsed.data.occurrenceId, code });
		if (!result.ok) return fail(result.reason === 'bad_code' ? 400 : 409, { result: { ok: false as const, reason: result.reason }, code });
		return { result: { ok: true as const, ...result.value } };
	},
	/** One tap on the list: arrived, without a code (a plain form post; works without JavaScript). */
	arrive: async (event) => {
		const scope = requireOrganization(event, 'attendance.record');
		const form = await event.request.formData();
		const parsed = arriveForm.safeParse(formOf(arriveForm, form));
		if (!parsed.success) return fail(400, { result: { ok: false as const, reason: 'unknown_registration' as const } });
		const result = await arriveFromList(scope, parsed.data);
		if (!result.ok) return fail(409, { result: { ok: false as const, reason: result.reason } });
		return { result: { ok: true as const, ...result.value } };
	}
};
