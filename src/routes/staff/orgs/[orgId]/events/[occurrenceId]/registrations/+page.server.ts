import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { uuid, queryOf, formOf } from '$lib/server/boundary';
import { answerText, cancelRegistration, listRegistrations, noticesOfRegistrations, showReference, type NoticeSeen } from '$lib/server/events';
import type { Translate } from '$lib/i18n';
import { formatOccurrence } from '$lib/server/present';
import { translator } from '$lib/i18n';

/** The organisation of the path, if the person may see registrations, and the date's id (404 when malformed). */
function target(event: RequestEvent) {
	const scope = requireOrganization(event, 'registrations.view');
	const id = uuid.safeParse(event.params.occurrenceId ?? '');
	if (!id.success) error(404, 'Not Found');
	return { scope, occurrenceId: id.data };
}

const cancelForm = z.object({ id: uuid });
/** `?done=cancelled` after a cancellation; anything else shows no notice. */
const pageQuery = z.object({ done: z.enum(['cancelled']).nullable().catch(null) });

/** Each kind of notice once (its latest), e.g. 「中止: メール 送信済み / LINE 送れませんでした」. */
function noticeLines(t: Translate, seen: NoticeSeen[]): Array<{ text: string; failed: boolean }> {
	const latest = new Map<string, NoticeSeen[]>();
	for (const n of seen) {
		const same = latest.get(n.kind) ?? [];
		if (same.length === 0 || same[0].at.getTime() === n.at.getTime()) latest.set(n.kind, [...same, n]);
	}
	return [...latest].map(([kind, ns]) => ({
		text: `${t(`notice.kind.${kind as NoticeSeen['kind']}`)}: ${ns.map((n) => `${t(`notice.channel.${n.channel}`)} ${t(`notice.outcome.${n.outcome}`)}`).join(' / ')}`,
		failed: ns.some((n) => n.outcome === 'failed')
	}));
}

export const load: PageServerLoad = async (event) => {
	const { scope, occurrenceId } = target(event);
	const t = translator(event.locals.locale);
	// Reading a list of names is an access to personal data: the module records it.
	const read = await listRegistrations(scope, { occurrenceId });
	if (!read.ok) error(404, 'Not Found');
	const { occurrence, entry, registrations: list } = read.value;
	const notices = await noticesOfRegistrations(scope, { occurrenceId });
	const registered = list.filter((r) => r.status === 'registered');
	return {
		organizationId: scope.organizationId,
		occurrence: { id: occurrence.id, title: entry?.title ?? '', when: formatOccurrence(t, occurrence.startsAt, occurrence.endsAt, occurrence.allDay) },
		summary: { people: registered.reduce((n, r) => n + r.groupSize, 0), groups: registered.length, waitlisted: list.filter((r) => r.status === 'waitlisted').length },
		registrations: list.map(({ answers, ...r }) => ({
			...r,
			reference: showReference(r.reference),
			createdAt: r.createdAt.toISOString(),
			// Answers to the program's questions (issue 16), in words, sensitive ones marked.
			answers: answers.map((a) => ({ id: a.id, label: a.label, sensitive: a.sensitive, text: answerText(a, { yes: t('questions.yes'), person: (n) => t('questions.person', { n }) }) })).filter((a) => a.text !== ''),
			notices: noticeLines(t, notices.get(r.id) ?? [])
		})),
		done: queryOf(pageQuery, event.url.searchParams).done
	};
};

export const actions: Actions = {
	cancel: async (event) => {
		const { scope, occurrenceId } = target(event);
		const form = cancelForm.safeParse(formOf(cancelForm, await event.request.formData()));
		if (!form.success) error(404, 'Not Found');
		const result = await cancelRegistration(scope, { occurrenceId, registrationId: form.data.id });
		// A group checked in came: its registration is not cancelled (the list offers no button for it).
		if (!result.ok && result.reason === 'attended') return fail(409, { cancelError: 'registrations.attendedNoCancel' as const });
		if (!result.ok) error(404, 'Not Found');
		// Those moved up from the waiting list are told by cancelRegistration.
		redirect(303, `/staff/orgs/${scope.organizationId}/events/${occurrenceId}/registrations?done=cancelled`);
	}
};
