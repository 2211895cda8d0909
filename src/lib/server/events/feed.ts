/**
 * iCalendar feeds of programs: each recurring schedule as one series (its RRULE, with national
 * holidays, hand-made exceptions and cancelled dates as EXDATE, and moved dates as RECURRENCE-ID
 * overrides), each one-off event as its own VEVENT. Expanded by a calendar app, a feed gives the
 * same dates as the calendar page, which lists the `occurrences` rows.
 */
import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import type { Db } from '../db';
import { addDays, expandSchedule, holidayName, parseRecurrence, placeSummaries, programSummaries, scheduleSeries } from '../directory';
import { buildCalendar, type IcalEvent, type IcalTime } from './ical';
import { occurrences } from './schema';

type Reader = Pick<Db, 'select'>;

/** How far ahead holiday closures are written as EXDATEs (RFC 5545 knows no holidays). */
const HOLIDAY_YEARS = 3;

const TOKYO_OFFSET_MS = 9 * 3600_000;
export function tokyoTime(at: Date): IcalTime {
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

export interface FeedOptions {
	/** Absolute origin for links (https://…). */
	origin: string;
	name: string;
	today: string;
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
		const rrule = ruleFor(s.rule.rrule, s.rule.until, s.rule.count, allDay);
		if (!rrule) continue;
		// DTSTART must be the series' first date (RFC 5545 counts DTSTART as an instance).
		const bare = { ...s.rule, closedOnHolidays: false, exdates: [] };
		const first = expandSchedule(bare, s.rule.dtstart, addDays(s.rule.dtstart, 800))[0];
		if (!first) continue;
		const from = s.rule.dtstart > addDays(options.today, -366) ? s.rule.dtstart : addDays(options.today, -366);
		const holidays = s.rule.closedOnHolidays
			? expandSchedule(bare, from, addDays(options.today, HOLIDAY_YEARS * 366))
					.filter((o) => holidayName(o.day))
					.map((o) => o.day)
			: [];
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

/** "Add to calendar" for one date: a calendar holding that one event. */
export async function occurrenceFeed(db: Reader, occurrence: typeof occurrences.$inferSelect, options: Omit<FeedOptions, 'today'>): Promise<string | null> {
	const program = (await programSummaries(db, [occurrence.programId])).get(occurrence.programId);
	if (!program?.published) return null;
	const places = await placeSummaries(db, occurrence.locationId ? [occurrence.locationId] : []);
	const p = occurrence.locationId ? places.get(occurrence.locationId) : undefined;
	const location = p ? `${p.name} ${p.prefecture}${p.city ?? ''}${p.addressLine ?? ''}` : null;
	return buildCalendar(options.name, [occurrenceEvent(occurrence, program.title, program.summary, location, options.origin)]);
}
