/**
 * The reads behind the staff pages of dates, check-in and head count: each page reads the
 * directory and the events (or participation) module in one transaction in the organisation's
 * scope, so the routes only parse, get the scope, call and render.
 */
import { error } from '@sveltejs/kit';
import type { Locale } from '$lib/i18n';
import { addDays, label, locationsOf, organizationForStaff, programsOf } from '../directory';
import { calendarEntries, datePage, occurrenceOf, programFilterOf, occurrencesOfProgram, overlapsAmong, programDefaults, registrationDefaultsPage, staffOccurrences, windowFor, windowValue } from '../events';
import { zonedInstant } from '../directory';
import { dayTotals } from '../participation';
import { formatDay, formatTime, translatorFor } from '../present';
import { runIn, type OrganizationScope, type Tx } from '../scope';

/** How far ahead the staff list looks. */
const DAYS_AHEAD = 60;
/** How far ahead the clash check looks: every date already made (the dates horizon is shorter). */
const CLASH_DAYS_AHEAD = 400;

async function organizationOf(tx: Tx<'organization'>, scope: OrganizationScope) {
	const org = await organizationForStaff(tx, scope.organizationId);
	if (!org) error(404, 'Not Found');
	return { id: org.id, name: org.name };
}

const timeOf = (o: { startsAt: Date; endsAt: Date | null; allDay: boolean }) => (o.allDay ? '' : o.endsAt ? `${formatTime(o.startsAt)}–${formatTime(o.endsAt)}` : formatTime(o.startsAt));

/** The organisation's dates for the coming weeks, and clashes with programs for the same people. */
export async function eventsListPage(scope: OrganizationScope, input: { today: string; locale: Locale }) {
	const { today, locale } = input;
	const t = translatorFor(locale);
	const to = addDays(today, DAYS_AHEAD);
	return runIn(scope, async (tx) => {
		const organization = await organizationOf(tx, scope);
		const list = await staffOccurrences(tx, scope, { from: today, to });
		const programIds = (await programsOf(tx, scope.organizationId)).map((p) => p.id);
		const overlaps = await overlapsAmong(tx, programIds, today, addDays(today, CLASH_DAYS_AHEAD));
		return {
			organization,
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
			overlaps: overlaps.map((o) => ({
				key: `${o.occurrenceId}-${o.other.id}`,
				day: formatDay(t, o.day),
				time: timeOf(o.own),
				mine: o.own.title,
				other: o.other.title,
				organization: o.other.organizationName,
				stages: o.lifeStages.map((s) => label('lifeStages', s, locale)).join('・'),
				areas: o.areas.map((a) => a.replace('/', ' ')).join('・')
			}))
		};
	});
}

/**
 * The new one-off date form: the organisation's programs and places, and — for the program asked
 * for (`?program=`, one of its own) — that program's registration defaults, so the date starts from
 * them: it follows them by default, and the fields for its own settings are filled with them (the
 * window as it would fall on the form's day and start).
 */
export async function newEventPage(scope: OrganizationScope, input: { programId: string; day: string; start: string }) {
	return runIn(scope, async (tx) => {
		const organization = await organizationOf(tx, scope);
		const [programs, places] = await Promise.all([programsOf(tx, scope.organizationId), locationsOf(tx, scope.organizationId)]);
		const program = programs.find((p) => p.id === input.programId);
		const saved = program ? await programDefaults(tx, program.id) : null;
		const defaults = saved?.saved ? saved : null;
		const window = defaults ? windowFor(defaults, { day: input.day, startsAt: zonedInstant(input.day, input.start) }) : null;
		return {
			organization,
			programs: programs.map((p) => ({ id: p.id, title: p.title })),
			places: places.map((p) => ({ id: p.id, name: p.name })),
			defaults:
				defaults && window
					? {
							registrationOpen: defaults.registrationOpen,
							capacity: defaults.capacity === null ? '' : String(defaults.capacity),
							capacityUnit: defaults.capacityUnit,
							registrationOpensAt: windowValue(window.opensAt),
							registrationClosesAt: windowValue(window.closesAt),
							questions: defaults.questions.length
						}
					: null
		};
	});
}

/** The head count page: the program counted (the one asked for, or the only one), today's date of it and today's totals. */
export async function countPage(scope: OrganizationScope, input: { programId: string | null; today: string }) {
	const { today } = input;
	return runIn(scope, async (tx) => {
		const organization = await organizationOf(tx, scope);
		const programs = (await programsOf(tx, scope.organizationId)).map((p) => ({ id: p.id, title: p.title }));
		// The program asked for; else the only one; else the only one with a date today — on the day,
		// the tap buttons come up on the first screen without choosing from a list first.
		let program = programs.find((p) => p.id === input.programId) ?? (programs.length === 1 ? programs[0] : null);
		if (!program && programs.length > 1) {
			const todays = new Set((await calendarEntries(tx, programFilterOf({ organization: scope.organizationId }, false), today, today)).filter((e) => e.status === 'scheduled').map((e) => e.programId));
			if (todays.size === 1) program = programs.find((p) => todays.has(p.id)) ?? null;
		}
		const occurrence = program ? (await occurrencesOfProgram(tx, program.id, today, today)).find((o) => o.status === 'scheduled') : undefined;
		const totals = program ? await dayTotals(tx, scope, { programId: program.id, day: today }) : { taps: 0, checkedIn: 0 };
		return { organization, programs, program, occurrenceId: occurrence?.id ?? null, totals };
	});
}

/** One of the organisation's dates by id, or null (another organisation's is not found). */
export async function ownDate(scope: OrganizationScope, occurrenceId: string) {
	return runIn(scope, (tx) => occurrenceOf(tx, scope.organizationId, occurrenceId));
}

/** A date's staff page: the date, its entry and counts (null when not found). */
export async function staffDatePage(scope: OrganizationScope, occurrenceId: string) {
	return runIn(scope, (tx) => datePage(tx, scope, { occurrenceId }));
}

/** A program's registration defaults page (null when the program is not the organisation's). */
export async function programRegistrationPage(scope: OrganizationScope, input: { programId: string; today: string }) {
	return runIn(scope, (tx) => registrationDefaultsPage(tx, scope, input));
}
