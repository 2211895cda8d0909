/**
 * Schedules: RFC 5545 recurrence (the WEEKLY/MONTHLY subset HSDS 3.0 allows) in Asia/Tokyo
 * wall-clock time, with EXDATEs and "closed on national holidays".
 *
 * rrule.js has open time-zone bugs, so we expand in "floating" time: a Date whose UTC fields are
 * the local wall-clock fields. Only at the end do we turn wall-clock times into real instants.
 */
import * as rruleModule from 'rrule';
import holidayJp from '@holiday-jp/holiday_jp';
import { isRealDay } from '../boundary';

// rrule ships ESM (what Vite loads) and CommonJS (what Node loads, as a default export).
const { RRule, Weekday } = (rruleModule as unknown as { default?: typeof rruleModule }).default ?? rruleModule;

export const WEEKDAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type WeekdayCode = (typeof WEEKDAY_CODES)[number];

export interface ScheduleRule {
	rrule: string | null;
	dtstart: string; // YYYY-MM-DD
	until?: string | null;
	count?: number | null;
	exdates?: string[];
	opensAt?: string | null; // HH:MM
	closesAt?: string | null;
	closedOnHolidays?: boolean;
	timezone?: string;
}

export interface Occurrence {
	day: string; // local calendar day, YYYY-MM-DD
	start: Date;
	end: Date | null;
	allDay: boolean;
}

/** What a recurrence says, for showing it in words (see $lib/i18n/schedule). */
export interface RecurrenceSummary {
	freq: 'WEEKLY' | 'MONTHLY';
	interval: number;
	weekdays: Array<{ day: WeekdayCode; ordinal: number | null }>;
	monthDays: number[];
	until: string | null;
	count: number | null;
}

export type RecurrenceResult = { ok: true; summary: RecurrenceSummary } | { ok: false; reason: string };

const ALLOWED_PARTS = new Set(['FREQ', 'INTERVAL', 'BYDAY', 'BYMONTHDAY', 'UNTIL', 'COUNT', 'WKST']);

/** Check an RRULE against the subset we support, and describe it. Bad rules are values, not throws. */
export function parseRecurrence(rrule: string): RecurrenceResult {
	const text = rrule.trim().replace(/^RRULE:/i, '');
	if (!text) return { ok: false, reason: 'empty' };
	const parts = new Map<string, string>();
	for (const piece of text.split(';')) {
		const [key, value, extra] = piece.split('=');
		if (!key || value === undefined || extra !== undefined) return { ok: false, reason: 'syntax' };
		const name = key.toUpperCase();
		if (!ALLOWED_PARTS.has(name)) return { ok: false, reason: 'unsupported_part' };
		if (parts.has(name)) return { ok: false, reason: 'duplicate_part' };
		parts.set(name, value.toUpperCase());
	}
	const freq = parts.get('FREQ');
	if (freq !== 'WEEKLY' && freq !== 'MONTHLY') return { ok: false, reason: 'unsupported_freq' };
	const interval = parts.has('INTERVAL') ? Number(parts.get('INTERVAL')) : 1;
	if (!Number.isInteger(interval) || interval < 1 || interval > 12) return { ok: false, reason: 'bad_interval' };
	const weekdays: RecurrenceSummary['weekdays'] = [];
	for (const item of parts.get('BYDAY')?.split(',') ?? []) {
		const m = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(item);
		if (!m) return { ok: false, reason: 'bad_byday' };
		const ordinal = m[1] ? Number(m[1]) : null;
		// RFC 5545: a number before a weekday is only valid with MONTHLY (or YEARLY).
		if (ordinal !== null && (freq !== 'MONTHLY' || ordinal === 0 || Math.abs(ordinal) > 5)) return { ok: false, reason: 'bad_ordinal' };
		weekdays.push({ day: m[2] as WeekdayCode, ordinal });
	}
	const monthDays: number[] = [];
	for (const item of parts.get('BYMONTHDAY')?.split(',') ?? []) {
		const n = Number(item);
		if (freq !== 'MONTHLY' || !Number.isInteger(n) || n === 0 || Math.abs(n) > 31) return { ok: false, reason: 'bad_bymonthday' };
		monthDays.push(n);
	}
	let until: string | null = null;
	if (parts.has('UNTIL')) {
		const m = /^(\d{4})(\d{2})(\d{2})(T\d{6}Z?)?$/.exec(parts.get('UNTIL')!);
		if (!m || !isValidDay(`${m[1]}-${m[2]}-${m[3]}`)) return { ok: false, reason: 'bad_until' };
		until = `${m[1]}-${m[2]}-${m[3]}`;
	}
	let count: number | null = null;
	if (parts.has('COUNT')) {
		count = Number(parts.get('COUNT'));
		if (!Number.isInteger(count) || count < 1 || count > 1000) return { ok: false, reason: 'bad_count' };
	}
	if (until && count) return { ok: false, reason: 'until_and_count' };
	if (freq === 'MONTHLY' && weekdays.length === 0 && monthDays.length === 0) return { ok: false, reason: 'monthly_needs_day' };
	if (freq === 'WEEKLY' && weekdays.length === 0) return { ok: false, reason: 'weekly_needs_day' };
	return { ok: true, summary: { freq, interval, weekdays, monthDays, until, count } };
}

/** Any real calendar day (the directory's own data may lie outside the staff forms' range). */
export const isValidDay = isRealDay;

export function isValidTime(time: string): boolean {
	return /^([01]\d|2[0-3]):[0-5]\d$/.test(time);
}

/**
 * The last day the holiday data knows (the package lists holidays decades ahead; later years
 * depend on laws not yet made). Calendar feeds end holiday-closed series here.
 */
export const HOLIDAYS_KNOWN_UNTIL: string = `${Object.keys(holidayJp.holidays as Record<string, unknown>)
	.sort()
	.at(-1)!
	.slice(0, 4)}-12-31`;

/** National holiday name for a local day, or null (data from @holiday-jp/holiday_jp). */
export function holidayName(day: string): string | null {
	return (holidayJp.holidays as Record<string, { name: string } | undefined>)[day]?.name ?? null;
}

function floating(day: string, time = '00:00'): Date {
	const [y, mo, d] = day.split('-').map(Number);
	const [h, mi] = time.split(':').map(Number);
	return new Date(Date.UTC(y, mo - 1, d, h, mi));
}

function dayOf(floatingDate: Date): string {
	return floatingDate.toISOString().slice(0, 10);
}

/** Offset of a time zone from UTC in minutes at an instant (Asia/Tokyo: always +540). */
/** One formatter per zone: making an Intl.DateTimeFormat is costly (it led the event page's CPU profile, issue 15). */
const offsetFormats = new Map<string, Intl.DateTimeFormat>();

function zoneOffsetMinutes(timeZone: string, at: Date): number {
	let format = offsetFormats.get(timeZone);
	if (!format) {
		format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
		offsetFormats.set(timeZone, format);
	}
	const parts = format.formatToParts(at);
	const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
	return (Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute')) - at.getTime()) / 60_000;
}

/** A wall-clock time in a zone as a real instant. */
export function zonedInstant(day: string, time: string, timeZone = 'Asia/Tokyo'): Date {
	const wall = floating(day, time);
	return new Date(wall.getTime() - zoneOffsetMinutes(timeZone, wall) * 60_000);
}

/**
 * Whether a stored date is a whole day without opening hours: expandSchedule stores one as midnight
 * to the next midnight in Tokyo (a program's copy of its next date keeps no flag of its own).
 */
export function isWholeDay(startsAt: Date, endsAt: Date | null, timeZone = 'Asia/Tokyo'): boolean {
	if (!endsAt) return false;
	const day = localDay(startsAt, timeZone);
	return startsAt.getTime() === zonedInstant(day, '00:00', timeZone).getTime() && endsAt.getTime() === zonedInstant(addDays(day, 1), '00:00', timeZone).getTime();
}

/** The calendar day of an instant in a zone. */
export function localDay(at: Date, timeZone = 'Asia/Tokyo'): string {
	return new Date(at.getTime() + zoneOffsetMinutes(timeZone, at) * 60_000).toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
	const d = floating(day);
	d.setUTCDate(d.getUTCDate() + n);
	return dayOf(d);
}

/** 0 = Monday … 6 = Sunday, as in RFC 5545 order. */
export function weekdayIndex(day: string): number {
	return (floating(day).getUTCDay() + 6) % 7;
}

function daysBetween(a: string, b: string): number {
	return Math.round((floating(b).getTime() - floating(a).getTime()) / 86_400_000);
}

/**
 * rrule.js walks every period from DTSTART, so a rule that began years ago costs years of
 * iteration. Without COUNT the set only depends on which periods count (every INTERVAL-th week or
 * month from DTSTART's), so we may start at the counted period boundary just before `fromDay`.
 */
function expansionStart(summary: RecurrenceSummary, dtstart: string, fromDay: string): string {
	if (summary.count || fromDay <= dtstart) return dtstart;
	let shifted: string;
	if (summary.freq === 'WEEKLY') {
		const startMonday = addDays(dtstart, -weekdayIndex(dtstart));
		const weeks = Math.floor(daysBetween(startMonday, addDays(fromDay, -weekdayIndex(fromDay))) / 7);
		shifted = addDays(startMonday, (weeks - (weeks % summary.interval)) * 7);
	} else {
		const [sy, sm] = dtstart.split('-').map(Number);
		const [fy, fm] = fromDay.split('-').map(Number);
		const months = (fy - sy) * 12 + (fm - sm);
		const target = sy * 12 + (sm - 1) + (months - (months % summary.interval));
		shifted = `${Math.floor(target / 12)}-${String((target % 12) + 1).padStart(2, '0')}-01`;
	}
	return shifted > dtstart ? shifted : dtstart;
}

/**
 * Occurrences of a schedule whose local day lies in [fromDay, toDay], in order. Days excluded by
 * EXDATE, and national holidays when the place closes on them, are left out.
 */
export function expandSchedule(rule: ScheduleRule, fromDay: string, toDay: string): Occurrence[] {
	const timeZone = rule.timezone ?? 'Asia/Tokyo';
	const excluded = new Set(rule.exdates ?? []);
	return seriesDays(rule, fromDay, toDay)
		.filter((day) => !excluded.has(day) && !(rule.closedOnHolidays && holidayName(day)))
		.map((day) => {
			const allDay = !rule.opensAt;
			const start = zonedInstant(day, rule.opensAt ?? '00:00', timeZone);
			// A day without hours lasts until midnight, so "today" still finds it in the evening.
			const end = allDay ? zonedInstant(addDays(day, 1), '00:00', timeZone) : rule.closesAt ? zonedInstant(day, rule.closesAt, timeZone) : null;
			return { day, start, end, allDay };
		});
}

/**
 * The local days the rule's RRULE gives in [fromDay, toDay], before exceptions and holidays: only
 * days, no instants, so decades of them cost little (the calendar feeds list holiday closures
 * through the years the holiday data knows).
 */
export function seriesDays(rule: ScheduleRule, fromDay: string, toDay: string): string[] {
	if (!rule.rrule) return [];
	const parsed = parseRecurrence(rule.rrule);
	if (!parsed.ok) return [];
	const { summary } = parsed;
	const untilDay = [rule.until ?? null, summary.until].filter((d): d is string => !!d).sort()[0] ?? null;
	const recurrence = new RRule({
		freq: summary.freq === 'WEEKLY' ? RRule.WEEKLY : RRule.MONTHLY,
		interval: summary.interval,
		byweekday: summary.weekdays.length ? summary.weekdays.map(({ day, ordinal }) => new Weekday(WEEKDAY_CODES.indexOf(day), ordinal ?? undefined)) : null,
		bymonthday: summary.monthDays.length ? summary.monthDays : null,
		wkst: RRule.MO,
		dtstart: floating(expansionStart(summary, rule.dtstart, fromDay), '00:00'),
		until: untilDay ? floating(untilDay, '23:59') : null,
		count: rule.count ?? summary.count ?? null
	});
	const from = floating(fromDay < rule.dtstart ? rule.dtstart : fromDay, '00:00');
	const to = floating(toDay, '23:59');
	if (from > to) return [];
	return recurrence.between(from, to, true).map(dayOf);
}

/** The next `count` occurrences across several schedules, from a day on, within a horizon. */
export function nextOccurrences(rules: ScheduleRule[], fromDay: string, count: number, horizonDays = 400): Occurrence[] {
	const toDay = addDays(fromDay, horizonDays);
	return rules
		.flatMap((r) => expandSchedule(r, fromDay, toDay))
		.sort((a, b) => a.start.getTime() - b.start.getTime())
		.slice(0, count);
}

/** Weekdays on which a rule can fall, for the weekday filter. */
export function ruleWeekdays(rrule: string | null): WeekdayCode[] {
	if (!rrule) return [];
	const parsed = parseRecurrence(rrule);
	return parsed.ok ? [...new Set(parsed.summary.weekdays.map((w) => w.day))] : [];
}
