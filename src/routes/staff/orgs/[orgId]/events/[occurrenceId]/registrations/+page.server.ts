import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { actorDb, auditOrigin, requireOrganization } from '$lib/server/auth/guard';
import { recordAudit } from '$lib/server/audit';
import { UUID } from '$lib/server/directory';
import { calendarEntry, cancelByStaff, occurrenceOf, registrationsOf, showReference } from '$lib/server/events';
import { sendPromotion } from '$lib/server/events/registration-mail';
import { db } from '$lib/server/runtime';
import { formatOccurrence } from '$lib/server/present';
import { translator } from '$lib/i18n';

async function target(event: RequestEvent) {
	const { organizationId } = requireOrganization(event, 'registrations.view');
	const occurrenceId = event.params.occurrenceId ?? '';
	if (!UUID.test(occurrenceId)) error(404, 'Not Found');
	const occurrence = await actorDb(event, (tx) => occurrenceOf(tx, organizationId, occurrenceId));
	if (!occurrence) error(404, 'Not Found');
	return { organizationId, occurrence };
}

export const load: PageServerLoad = async (event) => {
	const { organizationId, occurrence } = await target(event);
	const t = translator(event.locals.locale);
	return actorDb(event, async (tx) => {
		const entry = await calendarEntry(tx, occurrence.id);
		const list = await registrationsOf(tx, organizationId, occurrence.id);
		// Reading a list of names is an access to personal data: recorded.
		await recordAudit(tx, auditOrigin(event), { action: 'registration.list', organizationId, entityType: 'occurrence', entityId: occurrence.id });
		const registered = list.filter((r) => r.status === 'registered');
		return {
			organizationId,
			occurrence: { id: occurrence.id, title: entry?.title ?? '', when: formatOccurrence(t, occurrence.startsAt, occurrence.endsAt, occurrence.allDay) },
			summary: { people: registered.reduce((n, r) => n + r.groupSize, 0), groups: registered.length, waitlisted: list.filter((r) => r.status === 'waitlisted').length },
			registrations: list.map((r) => ({ ...r, reference: showReference(r.reference), createdAt: r.createdAt.toISOString() })),
			done: event.url.searchParams.get('done')
		};
	});
};

export const actions: Actions = {
	cancel: async (event) => {
		const { organizationId, occurrence } = await target(event);
		const id = String((await event.request.formData()).get('id') ?? '');
		if (!UUID.test(id)) error(404, 'Not Found');
		const result = await actorDb(event, (tx) => cancelByStaff(tx, organizationId, id, auditOrigin(event)));
		if (!result.ok) error(404, 'Not Found');
		const entry = await calendarEntry(db(), occurrence.id);
		for (const p of result.promoted) if (p.contactKind === 'email' && entry) sendPromotion(p.contact, entry);
		redirect(303, `/staff/orgs/${organizationId}/events/${occurrence.id}/registrations?done=cancelled`);
	}
};
