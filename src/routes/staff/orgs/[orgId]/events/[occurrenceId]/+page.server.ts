import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { can } from '$lib/server/auth';
import type { OrganizationScope, Result } from '$lib/server/scope';
import { ownDate, staffDatePage } from '$lib/server/staff/event-pages';
import { notice, queryOf, uuid } from '$lib/server/boundary';
import { z } from 'zod';
import { cancelDate, changeDateSettings, deleteDate, moveDate, readCancel, readMove, readSettings, restoreDate, windowValue } from '$lib/server/events';
import { followProgramDate, MAX_NOTICE_ATTEMPTS, retryFailedNotices } from '$lib/server/events';
import { formatDay, formatOccurrence, formatTime, translatorFor } from '$lib/server/present';
import { localDay } from '$lib/server/directory';

type Event = RequestEvent<{ orgId: string; occurrenceId: string }>;

/** The organisation of the path and the id of one of its dates; another organisation's id is a 404. */
async function target(event: Event): Promise<{ scope: OrganizationScope; occurrenceId: string }> {
	const scope = requireOrganization(event, 'events.manage');
	const id = uuid.safeParse(event.params.occurrenceId);
	if (!id.success) error(404, 'Not Found');
	// Checked before any form is read: an unknown date is a 404 whatever the form holds.
	const occurrence = await ownDate(scope, id.data);
	if (!occurrence) error(404, 'Not Found');
	return { scope, occurrenceId: occurrence.id };
}

/** `?done=` after an action below (the words `done` writes); anything else shows no notice. */
const pageQuery = z.object({ done: notice(['saved', 'cancelled', 'restored', 'moved', 'created', 'followed', 'retried']) });

/** Back to the date's page with what was done; a date gone meanwhile is a 404. */
function done(result: Result<unknown, string>, scope: OrganizationScope, occurrenceId: string, what: string): never {
	if (!result.ok) error(404, 'Not Found');
	redirect(303, `/staff/orgs/${scope.organizationId}/events/${occurrenceId}?done=${what}`);
}

const hhmm = (at: Date | null) => (at ? formatTime(at).padStart(5, '0') : '');

export const load: PageServerLoad = async (event) => {
	const { scope, occurrenceId } = await target(event);
	const t = translatorFor(event.locals.locale);
	const page = await staffDatePage(scope, occurrenceId);
	if (!page) error(404, 'Not Found');
	const { occurrence, entry, counts } = page;
	return {
		done: queryOf(pageQuery, event.url.searchParams).done,
		organizationId: scope.organizationId,
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
		settings: {
			kind: occurrence.kind,
			registrationOpen: occurrence.registrationOpen,
			capacity: occurrence.capacity === null ? '' : String(occurrence.capacity),
			capacityUnit: occurrence.capacityUnit,
			registrationOpensAt: windowValue(occurrence.registrationOpensAt),
			registrationClosesAt: windowValue(occurrence.registrationClosesAt)
		},
		move: { day: localDay(occurrence.startsAt), start: occurrence.allDay ? '' : hhmm(occurrence.startsAt), end: occurrence.allDay ? '' : hhmm(occurrence.endsAt), note: occurrence.note ?? '' },
		counts,
		// Issue 16: whether the date follows its program's registration defaults, and its window.
		follows: {
			programId: occurrence.programId,
			following: occurrence.followsProgram,
			window:
				occurrence.registrationOpen && (occurrence.registrationOpensAt || occurrence.registrationClosesAt)
					? t('events.follow.window', {
							opens: occurrence.registrationOpensAt ? `${formatDay(t, localDay(occurrence.registrationOpensAt))} ${formatTime(occurrence.registrationOpensAt)}` : t('events.follow.windowNow'),
							closes: occurrence.registrationClosesAt ? `${formatDay(t, localDay(occurrence.registrationClosesAt))} ${formatTime(occurrence.registrationClosesAt)}` : t('events.follow.windowStart')
						})
					: null
		},
		toCall: page.toCall,
		// Failed notices, counts only (issue 16: 「もう一度送る」).
		failed: { ...page.failed, max: MAX_NOTICE_ATTEMPTS },
		canRegistrations: page.seesRegistrations,
		canCheckIn: can(scope.actor, 'attendance.record', scope.organizationId)
	};
};

export const actions: Actions = {
	settings: async (event) => {
		const { scope, occurrenceId } = await target(event);
		const parsed = readSettings(await event.request.formData());
		if (!parsed.ok) return fail(400, { form: 'settings', settingsValues: parsed.values, errors: parsed.errors });
		done(await changeDateSettings(scope, { occurrenceId, settings: parsed.value }), scope, occurrenceId, 'saved');
	},
	cancel: async (event) => {
		const { scope, occurrenceId } = await target(event);
		const parsed = readCancel(await event.request.formData());
		if (!parsed.ok) return fail(400, { form: 'cancel', note: parsed.values.note, errors: parsed.errors });
		done(await cancelDate(scope, { occurrenceId, note: parsed.value.note }), scope, occurrenceId, 'cancelled');
	},
	/** Back on the program's registration defaults (issue 16). */
	follow: async (event) => {
		const { scope, occurrenceId } = await target(event);
		done(await followProgramDate(scope, { occurrenceId }), scope, occurrenceId, 'followed');
	},
	/** Send the date's failed notices again (issue 16); the module caps and spaces the tries. */
	retry: async (event) => {
		const { scope, occurrenceId } = await target(event);
		const result = await retryFailedNotices(scope, { occurrenceId });
		if (!result.ok && result.reason === 'nothing_to_retry') return fail(409, { form: 'retry', errors: { retry: 'notice.retry.nothing' as const } });
		done(result, scope, occurrenceId, 'retried');
	},
	restore: async (event) => {
		const { scope, occurrenceId } = await target(event);
		done(await restoreDate(scope, { occurrenceId }), scope, occurrenceId, 'restored');
	},
	move: async (event) => {
		const { scope, occurrenceId } = await target(event);
		const parsed = readMove(await event.request.formData());
		if (!parsed.ok) return fail(400, { form: 'move', moveValues: parsed.values, errors: parsed.errors });
		done(await moveDate(scope, { occurrenceId, to: parsed.value }), scope, occurrenceId, 'moved');
	},
	delete: async (event) => {
		const { scope, occurrenceId } = await target(event);
		const deleted = await deleteDate(scope, { occurrenceId });
		if (!deleted.ok && deleted.reason === 'not_deletable') return fail(409, { form: 'delete', errors: { delete: 'events.delete.refused' as const } });
		if (!deleted.ok) error(404, 'Not Found');
		redirect(303, `/staff/orgs/${scope.organizationId}/events?done=deleted`);
	}
};
