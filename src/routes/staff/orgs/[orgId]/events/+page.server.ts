import type { PageServerLoad } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { runIn } from '$lib/server/scope';
import { organizationForStaff, addDays, label, programsOf } from '$lib/server/directory';
import { overlapsAmong, staffOccurrences } from '$lib/server/events';
import { todayInTokyo } from '$lib/server/clock';
import { formatDay, formatTime, translatorFor } from '$lib/server/present';
import { error } from '@sveltejs/kit';

/** How far ahead the staff list looks. */
const DAYS_AHEAD = 60;
/** How far ahead the clash check looks: every date already made (the dates horizon is shorter). */
const CLASH_DAYS_AHEAD = 400;

export const load: PageServerLoad = async (event) => {
	const scope = requireOrganization(event, 'events.manage');
	const t = translatorFor(event.locals.locale);
	const today = todayInTokyo();
	const to = addDays(today, DAYS_AHEAD);
	return runIn(scope, async (tx) => {
		const org = await organizationForStaff(tx, scope.organizationId);
		if (!org) error(404, 'Not Found');
		const list = await staffOccurrences(tx, scope, { from: today, to });
		const programIds = (await programsOf(tx, scope.organizationId)).map((p) => p.id);
		const overlaps = await overlapsAmong(tx, programIds, today, addDays(today, CLASH_DAYS_AHEAD));
		const loc = event.locals.locale;
		const timeOf = (o: { startsAt: Date; endsAt: Date | null; allDay: boolean }) => (o.allDay ? '' : o.endsAt ? `${formatTime(o.startsAt)}–${formatTime(o.endsAt)}` : formatTime(o.startsAt));
		return {
			organization: { id: org.id, name: org.name },
			period: { from: formatDay(t, today), to: formatDay(t, to) },
			occurrences: list.map((o) => ({
				id: o.id,
				title: o.title,
				day: formatDay(t, o.day),
				time: timeOf(o),
				cancelled: o.status === 'cancelled',
				moved: o.moved,
				visit: o.kind === 'visit',
				registrationOpen: o.registrationOpen,
				capacity: o.capacity,
				capacityUnit: o.capacityUnit,
				registered: o.registered,
				placeName: o.placeName
			})),
			overlaps: overlaps.map((o) => {
				return {
					key: `${o.occurrenceId}-${o.other.id}`,
					day: formatDay(t, o.day),
					time: timeOf(o.own),
					mine: o.own.title,
					other: o.other.title,
					organization: o.other.organizationName,
					stages: o.lifeStages.map((s) => label('lifeStages', s, loc)).join('・'),
					areas: o.areas.map((a) => a.replace('/', ' ')).join('・')
				};
			})
		};
	});
};
