import type { PageServerLoad } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { runIn } from '$lib/server/scope';
import { organizationForStaff, addDays, label } from '$lib/server/directory';
import { overlapsFor, staffOccurrences } from '$lib/server/events';
import { todayInTokyo } from '$lib/server/clock';
import { formatDay, formatTime, translatorFor } from '$lib/server/present';
import { error } from '@sveltejs/kit';

/** How far ahead the staff list and the clash check look. */
const DAYS_AHEAD = 60;

export const load: PageServerLoad = async (event) => {
	const scope = requireOrganization(event, 'events.manage');
	const t = translatorFor(event.locals.locale);
	const today = todayInTokyo();
	const to = addDays(today, DAYS_AHEAD);
	return runIn(scope, async (tx) => {
		const org = await organizationForStaff(tx, scope.organizationId);
		if (!org) error(404, 'Not Found');
		const list = await staffOccurrences(tx, scope, { from: today, to });
		const programIds = [...new Set(list.map((o) => o.programId))];
		const overlaps = (await Promise.all(programIds.map((id) => overlapsFor(tx, id, today, to)))).flat();
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
				const mine = list.find((x) => x.id === o.occurrenceId);
				return {
					key: `${o.occurrenceId}-${o.other.id}`,
					day: formatDay(t, o.day),
					time: mine ? timeOf(mine) : '',
					mine: mine?.title ?? '',
					other: o.other.title,
					organization: o.other.organizationName,
					stages: o.lifeStages.map((s) => label('lifeStages', s, loc)).join('・'),
					areas: o.areas.map((a) => a.replace('/', ' ')).join('・')
				};
			})
		};
	});
};
