import { z } from 'zod';
import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { idParam } from '$lib/server/directory';
import { availability, publicCalendarEntry, readRegistration, register, smsSender, stageOf, whenOf } from '$lib/server/events';
import { questionsOfProgram, readAnswers, registrationRetentionDays, rowsFor, rowsSent, windowState, type AnswerError, type Question } from '$lib/server/events';
import { formatDay, formatTime, joinInWords } from '$lib/server/present';
import { localDay } from '$lib/server/directory';
import type { Translate } from '$lib/i18n';
import { db } from '$lib/server/db';
import { newSubmissionKey, SUBMISSION_KEY_SLOT } from '$lib/server/http';
import { throttle } from '$lib/server/auth';
import { residentScope } from '$lib/server/auth/guard';
import { cardAllowedAt } from '$lib/server/participation';
import { translator } from '$lib/i18n';
import { cachedPublic } from '$lib/server/cache';
import { formOf, named } from '$lib/server/boundary';

/** A public date: only of a published program. */
async function publicEntry(id: string) {
	if (!idParam.safeParse(id).success) error(404, 'Not Found');
	// Public data, cached per process until published data changes (src/lib/server/cache).
	const entry = await cachedPublic(`event:${id}`, () => publicCalendarEntry(db(), id));
	if (!entry) error(404, 'Not Found');
	return entry;
}

/** The program's registration questions (public, cached like the date until published data changes). */
const questionsOf = (programId: string) => cachedPublic(`program-questions:${programId}`, () => questionsOfProgram(db(), programId));

const at = (t: Translate, instant: Date) => t('defaults.at', { day: formatDay(t, localDay(instant)), time: formatTime(instant) });

/** Answer errors in words, beside each field of the form. */
const sayErrors = (t: Translate, errors: Record<string, AnswerError>) => Object.fromEntries(Object.entries(errors).map(([name, e]) => [name, t(e.key, e.params)]));

/** The group size typed, for how many per-person rows to show and check (1 when it is not a number yet). */
const groupSizeField = z.object({
	groupSize: z
		.string()
		.transform((value) => Number(value.normalize('NFKC')))
		.pipe(z.number().int().min(1).max(20))
		.catch(1)
});
const typedGroupSize = (form: FormData) => groupSizeField.parse(formOf(groupSizeField, form)).groupSize;
/** The answers' fields (`a.<question>`, `a.<question>.<row>.<field>`) as sent, shown back (readAnswers checks them). */
const answerFields = z.object({ answers: named('a.') });
/** The fields shown back as typed (readRegistration checks them), and which button was pressed. */
const shownFields = z.object({ name: z.string(), contact: z.string(), groupSize: z.string(), needs: z.string(), card: z.string(), consent: z.string(), intent: z.string() });

export const load: PageServerLoad = async (event) => {
	const { params, locals } = event;
	const entry = await publicEntry(params.id);
	// Places left change with every registration, which also empties the cache.
	const places = await cachedPublic(`event-places:${entry.id}`, () => availability(residentScope(event), { occurrenceId: entry.id }));
	const now = new Date();
	const stage = stageOf(entry, now);
	const t = translator(locals.locale);
	const questions = await questionsOf(entry.programId);
	return {
		event: {
			id: entry.id,
			programId: entry.programId,
			title: entry.title,
			programTitle: entry.programTitle,
			organizationName: entry.organizationName,
			organizationId: entry.organizationId,
			when: whenOf(entry, locals.locale),
			placeName: entry.placeName,
			note: entry.note,
			cancelled: entry.status === 'cancelled',
			moved: entry.moved,
			visit: entry.kind === 'visit',
			registrationOpen: entry.registrationOpen,
			// Without registrations here, 「そのままお越しください」 only when the program says so; else its 参加のしかた.
			join: entry.joinMethod === 'no_registration' ? null : joinInWords(t, entry.joinMethod),
			capacityUnit: entry.capacityUnit,
			stage,
			// The registration window (issue 16): before it opens and after it closes, no form.
			window: windowState(entry, now),
			opensAt: entry.registrationOpensAt ? at(t, entry.registrationOpensAt) : null,
			closesAt: entry.registrationClosesAt ? at(t, entry.registrationClosesAt) : null
		},
		questions,
		// Whether a mobile number is told by SMS (a provider configured): the contact field's hint says so.
		smsNotices: smsSender() !== null,
		rows: rowsFor(1),
		retentionDays: registrationRetentionDays(),
		places,
		// One key per rendering of the form: the same submission sent twice registers once. The HTML
		// may be kept by the public cache, so it carries the slot that every response fills with a
		// new key (hooks.server.ts); a client-side load gets its key here.
		submissionKey: event.isDataRequest ? newSubmissionKey() : SUBMISSION_KEY_SLOT
	};
};

export const actions: Actions = {
	default: async (event) => {
		const entry = await publicEntry(event.params.id);
		const t = translator(event.locals.locale);
		const form = await event.request.formData();
		const questions: Question[] = await questionsOf(entry.programId);
		const groupSize = typedGroupSize(form);
		const answers = readAnswers(questions, form, groupSize);
		const answerValues = answers.ok ? Object.fromEntries(formOf(answerFields, form).answers.map(([name, value]) => [`a.${name}`, value])) : answers.values;
		const rows = rowsFor(groupSize, rowsSent(Object.keys(answerValues)));
		const { intent, ...raw } = formOf(shownFields, form);
		// 「人数分の行を出す」: the same form again with a row for everyone; nothing is checked or sent.
		if (intent === 'rows') return { values: raw, errors: {}, answers: answerValues, answerErrors: {}, rows };
		const parsed = readRegistration(form);
		// Bad answers and bad fields are shown together, each beside its field; nothing is written.
		if (!parsed.ok || !answers.ok) return fail(400, { values: parsed.ok ? raw : parsed.values, errors: parsed.ok ? {} : parsed.errors, answers: answerValues, answerErrors: answers.ok ? {} : sayErrors(t, answers.errors), rows });
		// Every submission counts, taken before the card check and the registration (never given back).
		const attempt = await throttle().attempt('register', parsed.value.contact, event.locals.ip);
		if (!attempt.allowed) return fail(429, { values: parsed.value as unknown as Record<string, string>, errors: {}, message: t('registration.throttled', { minutes: Math.ceil(attempt.retryAfter / 60) }), answers: answerValues, answerErrors: {}, rows });
		const resident = residentScope(event);
		const card = parsed.value.card ? await cardAllowedAt(resident, { typed: parsed.value.card, organizationId: entry.organizationId }) : null;
		if (card && !card.ok) return fail(400, { values: { ...parsed.value, groupSize: String(parsed.value.groupSize) }, errors: { card: 'registration.error.card' as const }, answers: answerValues, answerErrors: {}, rows });
		const result = await register(resident, { occurrenceId: entry.id, registration: parsed.value, cardId: card?.ok ? card.value : null, answers: answers.value });
		if (!result.ok) {
			// Outside the window the message says when it opens or that it closed.
			const message = result.reason === 'not_open_yet' && entry.registrationOpensAt ? t('event.window.opensAt', { at: at(t, entry.registrationOpensAt) }) : t(`registration.refused.${result.reason}`);
			return fail(result.reason === 'not_found' ? 404 : 409, { values: { ...parsed.value, groupSize: String(parsed.value.groupSize) }, errors: {}, message, answers: answerValues, answerErrors: {}, rows });
		}
		// The confirmation (with the private link) is sent by register once the registration is committed.
		const outcome = result.value;
		// A repeated submission has no new link to show: the first answer (and the e-mail) had it.
		if (!outcome.token) return { repeated: true, reference: outcome.reference, status: outcome.status };
		redirect(303, `/registrations/${outcome.token}?done=created`);
	}
};
