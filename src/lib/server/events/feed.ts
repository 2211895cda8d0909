/**
 * iCalendar feeds of programs: each recurring schedule as one series (its RRULE, with national
 * holidays, hand-made exceptions and cancelled dates as EXDATE, and moved dates as RECURRENCE-ID
 * overrides), each one-off event as its own VEVENT. Expanded by a calendar app, a feed gives the
 * same dates as the calendar page, which lists the `occurrences` rows.
 */
import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import type { Reader } from '../db';
import { addDays, expandSchedule, holidayName, HOLIDAYS_KNOWN_UNTIL, parseRecurrence, seriesDays, type ScheduleRule, placeSummaries, programSummaries, scheduleSeries } from '../directory';
import { buildCalendar, type IcalEvent, type IcalTime } from './ical';
import { occurrences } from './schema';

const TOKYO_OFFSET_MS = 9 * 3600_000;
export function tokyoTime(at: Date): IcalTime & { time: string } {
	const local = new Date(at.getTime() + TOKYO_OFFSET_MS).toISOString();
	return { day: local.slice(0, 10), time: local.slice(11, 16) };
}

/** The rule without its own end, and the end re-added: UNTIL in UTC, since DTSTART carries a TZID. */
function ruleFor(rrule: string, until: string | null | undefined, count: number | null | undefined, allDay: boolean): string | null {
	const parsed = parseRecurrence(rrule);
	if (!parsed.ok) return null;
	const parts = rrule.split(';').filter((p) => p && !/^(UNTIL|COUNT)=/.test(p));
	const n = count ?? parsed.summary.count;
	const end = [until ?? null, parsed.summary.until].filter((d): d is string => !!d).sort()[0];
	// The last day counts whole: 23:59:59 in Tokyo is 14:59:59 UTC of the same day.
	if (n) parts.push(`COUNT=${n}`);
	else if (end) parts.push(allDay ? `UNTIL=${end.replace(/-/g, '')}` : `UNTIL=${end.replace(/-/g, '')}T145959Z`);
	return parts.join(';');
}

/**
 * The holidays a series falls on, from its start to its end: decades of dates, so kept per rule
 * (rules change seldom and feeds are fetched often); the map is emptied when it grows large.
 */
const holidayExdates = new Map<string, string[]>();
function holidaysOfSeries(rule: ScheduleRule & { until: string }): string[] {
	const key = [rule.rrule, rule.dtstart, rule.until, rule.count ?? ''].join('|');
	let days = holidayExdates.get(key);
	if (!days) {
		days = seriesDays(rule, rule.dtstart, rule.until).filter((day) => holidayName(day));
		if (holidayExdates.size >= 5000) holidayExdates.clear();
		holidayExdates.set(key, days);
	}
	return days;
}

export interface FeedOptions {
	/** Absolute origin for links (https://…). */
	origin: string;
	name: string;
}

/** The feed of some programs (ids already checked as public by the caller). */
export async function programsFeed(db: Reader, programIds: readonly string[], options: FeedOptions): Promise<string> {
	if (programIds.length === 0) return buildCalendar(options.name, []);
	const [series, programs, rows] = await Promise.all([
		scheduleSeries(db, programIds),
		programSummaries(db, programIds),
		db
			.select()
			.from(occurrences)
			.where(and(inArray(occurrences.programId, [...programIds]), or(isNull(occurrences.seriesDay), eq(occurrences.moved, true), eq(occurrences.status, 'cancelled'))))
	]);
	const places = await placeSummaries(db, [...series.flatMap((s) => (s.locationId ? [s.locationId] : [])), ...rows.flatMap((r) => (r.locationId ? [r.locationId] : []))]);
	const placeText = (id: string | null) => {
		const p = id ? places.get(id) : undefined;
		return p ? [p.name, [p.prefecture, p.city ?? '', p.addressLine ?? ''].join('')].join(' ') : null;
	};
	const events: IcalEvent[] = [];
	for (const s of series) {
		const program = programs.get(s.programId);
		if (!program || !s.rule.rrule) continue;
		const allDay = !s.rule.opensAt;
		// RFC 5545 knows no holidays: a series closed on them lists every holiday it would fall on
		// as an EXDATE, from its start to the last day the holiday data knows, and ends there, so
		// no client expanding it shows a closed day as open in any year. Newer holiday data moves
		// that end as the package is updated.
		const holidayEnd = s.rule.closedOnHolidays ? [s.rule.until ?? HOLIDAYS_KNOWN_UNTIL, HOLIDAYS_KNOWN_UNTIL].sort()[0] : null;
		const rrule = ruleFor(s.rule.rrule, holidayEnd ?? s.rule.until, s.rule.count, allDay);
		if (!rrule) continue;
		// DTSTART must be the series' first date (RFC 5545 counts DTSTART as an instance).
		const bare = { ...s.rule, closedOnHolidays: false, exdates: [] };
		const first = expandSchedule(bare, s.rule.dtstart, addDays(s.rule.dtstart, 800))[0];
		if (!first) continue;
		const holidays = holidayEnd ? holidaysOfSeries({ ...bare, until: holidayEnd }) : [];
		const mine = rows.filter((r) => r.scheduleId === s.scheduleId && r.seriesDay);
		const cancelled = mine.filter((r) => r.status === 'cancelled').map((r) => r.seriesDay!);
		const time = (day: string, at: string | null | undefined): IcalTime => ({ day, time: allDay ? null : (at ?? null) });
		const endOf = (day: string): IcalTime | null => (allDay ? { day: addDays(day, 1), time: null } : s.rule.closesAt ? { day, time: s.rule.closesAt } : null);
		const uid = `${s.scheduleId}@tsunagu`;
		events.push({
			uid,
			summary: program.title,
			start: time(first.day, s.rule.opensAt),
			end: endOf(first.day),
			rrule,
			exdates: [...(s.rule.exdates ?? []), ...holidays, ...cancelled],
			description: program.summary || null,
			location: placeText(s.locationId),
			url: `${options.origin}/programs/${program.id}`,
			stamp: program.updatedAt
		});
		for (const r of mine.filter((m) => m.moved && m.status === 'scheduled')) {
			events.push({
				uid,
				recurrenceId: time(r.seriesDay!, s.rule.opensAt),
				summary: r.title ?? program.title,
				start: allDay ? { day: r.day, time: null } : tokyoTime(r.startsAt),
				end: r.endsAt ? tokyoTime(r.endsAt) : allDay ? { day: addDays(r.day, 1), time: null } : null,
				description: [program.summary, r.note].filter(Boolean).join('\n') || null,
				location: placeText(r.locationId ?? s.locationId),
				url: `${options.origin}/events/${r.id}`,
				stamp: r.updatedAt
			});
		}
	}
	for (const r of rows.filter((x) => x.seriesDay === null)) {
		const program = programs.get(r.programId);
		if (!program) continue;
		events.push(occurrenceEvent(r, program.title, program.summary, placeText(r.locationId), options.origin));
	}
	return buildCalendar(options.name, events);
}

function occurrenceEvent(r: typeof occurrences.$inferSelect, programTitle: string, summary: string, location: string | null, origin: string): IcalEvent {
	return {
		uid: `${r.id}@tsunagu`,
		summary: r.title ?? programTitle,
		start: r.allDay ? { day: r.day, time: null } : tokyoTime(r.startsAt),
		end: r.endsAt ? tokyoTime(r.endsAt) : r.allDay ? { day: addDays(r.day, 1), time: null } : null,
		description: [summary, r.note].filter(Boolean).join('\n') || null,
		location,
		url: `${origin}/events/${r.id}`,
		status: r.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
		stamp: r.updatedAt
	};
}

/**
 * "Add to calendar" for one date: a calendar holding that one event. A date of a series carries
 * the series' UID and its RECURRENCE-ID, so a calendar subscribed to the program takes it as that
 * date of the series (shown once), not as a second event.
 */
export async function occurrenceFeed(db: Reader, occurrence: typeof occurrences.$inferSelect, options: FeedOptions): Promise<string | null> {
	const program = (await programSummaries(db, [occurrence.programId])).get(occurrence.programId);
	if (!program?.published) return null;
	const [places, series] = await Promise.all([placeSummaries(db, occurrence.locationId ? [occurrence.locationId] : []), occurrence.scheduleId ? scheduleSeries(db, [occurrence.programId]) : []]);
	const p = occurrence.locationId ? places.get(occurrence.locationId) : undefined;
	const location = p ? `${p.name} ${p.prefecture}${p.city ?? ''}${p.addressLine ?? ''}` : null;
	const event = occurrenceEvent(occurrence, program.title, program.summary, location, options.origin);
	const own = series.find((s) => s.scheduleId === occurrence.scheduleId);
	if (own && occurrence.seriesDay) {
		event.uid = `${own.scheduleId}@tsunagu`;
		event.recurrenceId = { day: occurrence.seriesDay, time: own.rule.opensAt ?? null };
	}
	return buildCalendar(options.name, [event]);
}
