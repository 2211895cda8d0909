import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { uuid, queryOf } from '$lib/server/boundary';
import { programRegistrationPage } from '$lib/server/staff/event-pages';
import { todayInTokyo } from '$lib/server/clock';
import { blankQuestionRow, readDefaults, rowOf, saveRegistrationDefaults, windowFor, type DefaultsDate, type DefaultsValues, type RegistrationDefaults } from '$lib/server/events';
import { formatDay, formatOccurrence, formatTime, translatorFor } from '$lib/server/present';
import { localDay } from '$lib/server/directory';
import type { Translate } from '$lib/i18n';

/** Setting a program's dates: the same permission as setting one date (events.manage). */
const guard = (event: RequestEvent) => requireOrganization(event, 'events.manage');

function programIdOf(event: Pick<RequestEvent, 'params'>): string {
	const id = uuid.safeParse(event.params.programId);
	if (!id.success) error(404, 'Not Found');
	return id.data;
}

/** `?done=saved&count=N` after saving. */
const doneQuery = z.object({ done: z.literal('saved').nullable().catch(null), count: z.coerce.number().int().min(0).nullable().catch(null) });
const savedNotice = (q: z.output<typeof doneQuery>) => (q.done && q.count !== null ? { done: q.done, count: q.count } : null);

const at = (t: Translate, instant: Date) => t('defaults.at', { day: formatDay(t, localDay(instant)), time: formatTime(instant) });

/** One date as a line of the preview: when, and its registration, 定員 and window (as it is, or as the new settings would make it). */
function lineOf(t: Translate, d: DefaultsDate, settings?: RegistrationDefaults) {
	const s = settings ? { ...settings, ...windowFor(settings, d) } : { ...d, opensAt: d.registrationOpensAt, closesAt: d.registrationClosesAt };
	const parts = [s.registrationOpen ? t('defaults.date.registration') : t('defaults.date.noRegistration')];
	if (s.registrationOpen) {
		parts.push(s.capacity === null ? t('defaults.date.noLimit') : t(s.capacityUnit === 'groups' ? 'defaults.date.groups' : 'defaults.date.people', { count: s.capacity }));
		if (s.opensAt || s.closesAt) parts.push(t('events.follow.window', { opens: s.opensAt ? at(t, s.opensAt) : t('events.follow.windowNow'), closes: s.closesAt ? at(t, s.closesAt) : t('events.follow.windowStart') }));
	}
	return { id: d.id, when: formatOccurrence(t, d.startsAt, d.endsAt, d.allDay), cancelled: d.status === 'cancelled', settings: parts.join(' · ') };
}

/** The form's values with a blank question row to add one more (no JavaScript needed). */
const withBlank = (values: DefaultsValues): DefaultsValues => ({ ...values, questions: [...values.questions, blankQuestionRow()] });

export const load: PageServerLoad = async (event) => {
	const scope = guard(event);
	const programId = programIdOf(event);
	const t = translatorFor(event.locals.locale);
	const page = await programRegistrationPage(scope, { programId, today: todayInTokyo() });
	if (!page) error(404, 'Not Found');
	const d = page.defaults;
	return {
		organizationId: scope.organizationId,
		program: page.program,
		values: withBlank({
			registrationOpen: d.registrationOpen,
			capacity: d.capacity === null ? '' : String(d.capacity),
			capacityUnit: d.capacityUnit,
			opensDaysBefore: d.opensDaysBefore === null ? '' : String(d.opensDaysBefore),
			closesHoursBefore: d.closesHoursBefore === null ? '' : String(d.closesHoursBefore),
			questions: d.questions.map(rowOf)
		}),
		following: page.following.map((o) => lineOf(t, o)),
		own: page.own.map((o) => lineOf(t, o)),
		done: savedNotice(queryOf(doneQuery, event.url.searchParams))
	};
};

export const actions: Actions = {
	/** The preview step: the form checked, and the dates it would touch with what they would become. Nothing is written. */
	preview: async (event) => {
		const scope = guard(event);
		const programId = programIdOf(event);
		const t = translatorFor(event.locals.locale);
		const parsed = readDefaults(await event.request.formData());
		if (!parsed.ok) return fail(400, { values: withBlank(parsed.values), errors: parsed.errors, questionErrors: parsed.questionErrors });
		const page = await programRegistrationPage(scope, { programId, today: todayInTokyo() });
		if (!page) error(404, 'Not Found');
		return { preview: true, values: withBlank(parsed.values), following: page.following.map((o) => lineOf(t, o, parsed.value)), errors: {}, questionErrors: [] };
	},
	/** Save and apply to every upcoming date that follows the program, in one transaction. */
	save: async (event) => {
		const scope = guard(event);
		const programId = programIdOf(event);
		const parsed = readDefaults(await event.request.formData());
		if (!parsed.ok) return fail(400, { values: withBlank(parsed.values), errors: parsed.errors, questionErrors: parsed.questionErrors });
		const saved = await saveRegistrationDefaults(scope, { programId, defaults: parsed.value, today: todayInTokyo() });
		if (!saved.ok) error(404, 'Not Found');
		redirect(303, `/staff/orgs/${scope.organizationId}/programs/${programId}/registration?done=saved&count=${saved.value.touched}`);
	}
};
