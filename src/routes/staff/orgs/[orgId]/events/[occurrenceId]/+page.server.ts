import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { actorDb, auditOrigin, requireOrganization } from '$lib/server/auth/guard';
import { can } from '$lib/server/auth';
import { recordAudit } from '$lib/server/audit';
import { UUID } from '$lib/server/directory';
import { calendarEntry, cancelOccurrence, deleteOneOff, moveOccurrence, occurrenceOf, readMove, readSettings, registrationCounts, restoreOccurrence, setOccurrenceSettings, type OccurrenceRow } from '$lib/server/events';
import { formatDay, formatOccurrence, formatTime, translatorFor } from '$lib/server/present';
import { localDay } from '$lib/server/directory';

/** The organisation of the path and its occurrence; another organisation's id is a 404. */
async function target(event: RequestEvent<{ orgId: string; occurrenceId: string }>) {
	const { actor, organizationId } = requireOrganization(event, 'events.manage');
	const occurrenceId = event.params.occurrenceId;
	if (!UUID.test(occurrenceId)) error(404, 'Not Found');
	const occurrence = await actorDb(event, (tx) => occurrenceOf(tx, organizationId, occurrenceId));
	if (!occurrence) error(404, 'Not Found');
	return { actor, organizationId, occurrence };
}

const hhmm = (at: Date | null) => (at ? formatTime(at).padStart(5, '0') : '');

export const load: PageServerLoad = async (event) => {
	const { actor, organizationId, occurrence } = await target(event);
	const t = translatorFor(event.locals.locale);
	return actorDb(event, async (tx) => {
		const entry = await calendarEntry(tx, occurrence.id);
		if (!entry) error(404, 'Not Found');
		const counts = can(actor, 'registrations.view', organizationId) ? ((await registrationCounts(tx, [occurrence.id])).get(occurrence.id) ?? { people: 0, groups: 0, waitlisted: 0 }) : null;
		return {
			organizationId,
			occurrence: {
				id: occurrence.id,
				title: entry.title,
				programTitle: entry.programTitle,
				when: formatOccurrence(t, occurrence.startsAt, occurrence.endsAt, occurrence.allDay),
				cancelled: occurrence.status === 'cancelled',
				moved: occurrence.moved,
				movedFrom: occurrence.moved && occurrence.seriesDay ? formatDay(t, occurrence.seriesDay) : null,
				oneOff: occurrence.seriesDay === null,
				note: occurrence.note ?? '',
				placeName: entry.placeName
			},
			settings: { kind: occurrence.kind, registrationOpen: occurrence.registrationOpen, capacity: occurrence.capacity === null ? '' : String(occurrence.capacity), capacityUnit: occurrence.capacityUnit },
			move: { day: localDay(occurrence.startsAt), start: occurrence.allDay ? '' : hhmm(occurrence.startsAt), end: occurrence.allDay ? '' : hhmm(occurrence.endsAt), note: occurrence.note ?? '' },
			counts,
			canRegistrations: can(actor, 'registrations.view', organizationId),
			canCheckIn: can(actor, 'attendance.record', organizationId)
		};
	});
};

function audit(event: RequestEvent, organizationId: string, occurrence: OccurrenceRow, action: string, changedFields?: string[]) {
	return (tx: Parameters<Parameters<typeof actorDb>[1]>[0]) => recordAudit(tx, auditOrigin(event), { action, organizationId, entityType: 'occurrence', entityId: occurrence.id, changedFields });
}

export const actions: Actions = {
	settings: async (event) => {
		const { organizationId, occurrence } = await target(event);
		const parsed = readSettings(await event.request.formData());
		if (!parsed.ok) return fail(400, { form: 'settings', settingsValues: parsed.values, errors: parsed.errors });
		await actorDb(event, async (tx) => {
			await setOccurrenceSettings(tx, organizationId, occurrence.id, parsed.value);
			const changed = (Object.keys(parsed.value) as Array<keyof typeof parsed.value>).filter((k) => parsed.value[k] !== occurrence[k]);
			await audit(event, organizationId, occurrence, 'occurrence.settings', changed)(tx);
		});
		redirect(303, `/staff/orgs/${organizationId}/events/${occurrence.id}?done=saved`);
	},
	cancel: async (event) => {
		const { organizationId, occurrence } = await target(event);
		const note = String((await event.request.formData()).get('note') ?? '').trim();
		if (note.length > 500) return fail(400, { form: 'cancel', note, errors: { note: 'events.error.note' as const } });
		await actorDb(event, async (tx) => {
			await cancelOccurrence(tx, organizationId, occurrence.id, note || null);
			await audit(event, organizationId, occurrence, 'occurrence.cancel', ['status', ...(note ? ['note'] : [])])(tx);
		});
		redirect(303, `/staff/orgs/${organizationId}/events/${occurrence.id}?done=cancelled`);
	},
	restore: async (event) => {
		const { organizationId, occurrence } = await target(event);
		await actorDb(event, async (tx) => {
			await restoreOccurrence(tx, organizationId, occurrence.id);
			await audit(event, organizationId, occurrence, 'occurrence.restore', ['status'])(tx);
		});
		redirect(303, `/staff/orgs/${organizationId}/events/${occurrence.id}?done=restored`);
	},
	move: async (event) => {
		const { organizationId, occurrence } = await target(event);
		const parsed = readMove(await event.request.formData());
		if (!parsed.ok) return fail(400, { form: 'move', moveValues: parsed.values, errors: parsed.errors });
		await actorDb(event, async (tx) => {
			await moveOccurrence(tx, organizationId, occurrence.id, parsed.value);
			await audit(event, organizationId, occurrence, 'occurrence.move', ['starts_at', 'ends_at', 'note'])(tx);
		});
		redirect(303, `/staff/orgs/${organizationId}/events/${occurrence.id}?done=moved`);
	},
	delete: async (event) => {
		const { organizationId, occurrence } = await target(event);
		const deleted = await actorDb(event, async (tx) => {
			const ok = await deleteOneOff(tx, organizationId, occurrence.id);
			if (ok) await audit(event, organizationId, occurrence, 'occurrence.delete')(tx);
			return ok;
		});
		if (!deleted) return fail(409, { form: 'delete', errors: { delete: 'events.delete.refused' as const } });
		redirect(303, `/staff/orgs/${organizationId}/events?done=deleted`);
	}
};
