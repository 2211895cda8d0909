/**
 * Schedules as staff write them — 「毎週 火・木」「毎月 第1・第3土曜日」「毎月15日」 — turned into the
 * RFC 5545 subset the directory stores, and back; and the preview staff see before saving: the
 * rule in words (present.ts) and the next dates, with the national holidays it skips.
 */
import { WEEKDAY_CODES, addDays, expandSchedule, holidayName, isValidDay, isValidTime, parseRecurrence, type ScheduleRule, type WeekdayCode } from './schedule';
import type { ScheduleInput } from './model';
import { isDayInRange } from '../boundary';

export const SCHEDULE_KINDS = ['weekly', 'monthly_nth', 'monthly_day', 'note_only'] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];
export const ORDINALS = [1, 2, 3, 4, -1] as const;

/** The form's fields for one schedule, as strings and ticks. */
export interface ScheduleFields {
	kind: ScheduleKind;
	weekdays: WeekdayCode[];
	ordinals: number[];
	monthDay: string;
	interval: string;
	opensAt: string;
	closesAt: string;
	dtstart: string;
	until: string;
	exdates: string;
	closedOnHolidays: boolean;
	note: string;
	remove: boolean;
}

export function blankSchedule(today: string): ScheduleFields {
	return { kind: 'weekly', weekdays: [], ordinals: [], monthDay: '', interval: '1', opensAt: '', closesAt: '', dtstart: today, until: '', exdates: '', closedOnHolidays: false, note: '', remove: false };
}

export function fieldsOf(s: ScheduleInput): ScheduleFields {
	const base = { opensAt: s.opensAt ?? '', closesAt: s.closesAt ?? '', dtstart: s.dtstart, until: s.until ?? '', exdates: (s.exdates ?? []).join('\n'), closedOnHolidays: s.closedOnHolidays, note: s.note ?? '', remove: false };
	const parsed = s.rrule ? parseRecurrence(s.rrule) : null;
	if (!parsed?.ok) return { ...base, kind: 'note_only', weekdays: [], ordinals: [], monthDay: '', interval: '1' };
	const r = parsed.summary;
	const interval = String(r.interval);
	if (r.freq === 'WEEKLY') return { ...base, kind: 'weekly', weekdays: r.weekdays.map((w) => w.day), ordinals: [], monthDay: '', interval };
	if (r.monthDays.length) return { ...base, kind: 'monthly_day', weekdays: [], ordinals: [], monthDay: String(r.monthDays[0]), interval };
	return {
		...base,
		kind: 'monthly_nth',
		weekdays: [...new Set(r.weekdays.map((w) => w.day))],
		ordinals: [...new Set(r.weekdays.map((w) => w.ordinal ?? 1))],
		monthDay: '',
		interval
	};
}

/** Fields `schedules.<i>.<name>` of a submitted form. */
export function readScheduleFields(form: FormData, index: number): ScheduleFields {
	const get = (name: string) =>
		String(form.get(`schedules.${index}.${name}`) ?? '')
			.trim()
			.slice(0, 2000);
	const kind = get('kind') as ScheduleKind;
	return {
		kind: SCHEDULE_KINDS.includes(kind) ? kind : 'weekly',
		weekdays: form
			.getAll(`schedules.${index}.weekdays`)
			.map(String)
			.filter((d): d is WeekdayCode => (WEEKDAY_CODES as readonly string[]).includes(d)),
		ordinals: form
			.getAll(`schedules.${index}.ordinals`)
			.map(Number)
			.filter((n) => (ORDINALS as readonly number[]).includes(n)),
		monthDay: get('monthDay'),
		interval: get('interval') || '1',
		opensAt: get('opensAt'),
		closesAt: get('closesAt'),
		dtstart: get('dtstart'),
		until: get('until'),
		exdates: get('exdates'),
		closedOnHolidays: form.get(`schedules.${index}.closedOnHolidays`) === 'on',
		note: get('note'),
		remove: form.get(`schedules.${index}.remove`) === 'on'
	};
}

/** A row nobody filled in (the empty row offered for a new schedule). */
export function isBlank(f: ScheduleFields): boolean {
	return !f.weekdays.length && !f.monthDay && !f.opensAt && !f.closesAt && !f.note && !f.until && !f.exdates;
}

/** Error message keys by field name. */
export type ScheduleErrors = Partial<Record<keyof ScheduleFields, string>>;

export type ScheduleParse = { ok: true; value: ScheduleInput } | { ok: false; errors: ScheduleErrors };

export function scheduleFrom(f: ScheduleFields): ScheduleParse {
	const errors: ScheduleErrors = {};
	const interval = Number(f.interval);
	if (!Number.isInteger(interval) || interval < 1 || interval > 12) errors.interval = 'staff.schedule.error.interval';
	let rrule: string | null = null;
	if (f.kind === 'weekly') {
		if (!f.weekdays.length) errors.weekdays = 'staff.schedule.error.weekdays';
		rrule = `FREQ=WEEKLY;INTERVAL=${interval};BYDAY=${f.weekdays.join(',')}`;
	} else if (f.kind === 'monthly_nth') {
		if (!f.weekdays.length) errors.weekdays = 'staff.schedule.error.weekdays';
		if (!f.ordinals.length) errors.ordinals = 'staff.schedule.error.ordinals';
		rrule = `FREQ=MONTHLY;INTERVAL=${interval};BYDAY=${f.ordinals.flatMap((n) => f.weekdays.map((d) => `${n}${d}`)).join(',')}`;
	} else if (f.kind === 'monthly_day') {
		const day = Number(f.monthDay);
		if (!Number.isInteger(day) || day < 1 || day > 31) errors.monthDay = 'staff.schedule.error.monthDay';
		rrule = `FREQ=MONTHLY;INTERVAL=${interval};BYMONTHDAY=${day}`;
	} else if (!f.note) {
		errors.note = 'staff.schedule.error.noteOnly';
	}
	// Staff type these: the platform's stated range (boundary/dates.ts), not any real date.
	if (!isDayInRange(f.dtstart)) errors.dtstart = 'staff.schedule.error.day';
	if (f.until && !isDayInRange(f.until)) errors.until = 'staff.schedule.error.day';
	else if (f.until && isValidDay(f.dtstart) && f.until < f.dtstart) errors.until = 'staff.schedule.error.untilBefore';
	if (f.opensAt && !isValidTime(f.opensAt)) errors.opensAt = 'staff.schedule.error.time';
	if (f.closesAt && !isValidTime(f.closesAt)) errors.closesAt = 'staff.schedule.error.time';
	else if (f.closesAt && !f.opensAt) errors.opensAt = 'staff.schedule.error.opensFirst';
	else if (f.opensAt && f.closesAt && f.closesAt <= f.opensAt) errors.closesAt = 'staff.schedule.error.closesAfter';
	const exdates = f.exdates.split(/[\s,、]+/).filter(Boolean);
	if (exdates.some((d) => !isDayInRange(d)) || exdates.length > 100) errors.exdates = 'staff.schedule.error.exdates';
	if (f.note.length > 200) errors.note = 'staff.error.tooLong';
	if (Object.keys(errors).length) return { ok: false, errors };
	return {
		ok: true,
		value: {
			rrule: f.kind === 'note_only' ? null : rrule,
			dtstart: f.dtstart,
			until: f.until || null,
			count: null,
			exdates: [...new Set(exdates)].sort(),
			opensAt: f.opensAt || null,
			closesAt: f.closesAt || null,
			closedOnHolidays: f.closedOnHolidays,
			note: f.note || null
		}
	};
}

export interface PreviewDate {
	day: string;
	opensAt: string | null;
	closesAt: string | null;
	/** The national holiday this date falls on, when the place closes on holidays: it is skipped. */
	skippedFor: string | null;
	/** Left out by hand (EXDATE). */
	excluded: boolean;
}

/**
 * The next `count` dates from `today`, with the ones the rule skips for national holidays or by
 * EXDATE shown in place (marked), so staff see exactly what residents will see.
 */
export function previewDates(s: ScheduleInput, today: string, count = 8): PreviewDate[] {
	const from = s.dtstart > today ? s.dtstart : today;
	const all = expandSchedule({ ...s, closedOnHolidays: false, exdates: [] }, from, addDays(from, 400));
	const excluded = new Set(s.exdates ?? []);
	const out: PreviewDate[] = [];
	for (const o of all) {
		const holiday = holidayName(o.day);
		const skipped = s.closedOnHolidays && holiday ? holiday : null;
		out.push({ day: o.day, opensAt: s.opensAt, closesAt: s.closesAt, skippedFor: skipped, excluded: excluded.has(o.day) });
		if (out.filter((d) => !d.skippedFor && !d.excluded).length >= count) break;
	}
	return out;
}

/** About fourteen months: a rule set up in November sees the New Year after next. */
const LATER_SKIPS_DAYS = 430;

/**
 * Holidays a rule that closes on holidays skips between `from` and `until` (inclusive): the dates
 * it would make if the place opened on holidays that fall on one. Empty for a rule that opens on
 * holidays or has no recurrence. The staff's preview and the public program page ("why no session
 * on the 23rd") both ask this.
 */
export function holidaySkips(s: ScheduleRule, from: string, until: string): Array<{ day: string; name: string }> {
	if (!s.closedOnHolidays || !s.rrule) return [];
	return expandSchedule({ ...s, closedOnHolidays: false }, from, until).flatMap((o) => {
		const name = holidayName(o.day);
		return name ? [{ day: o.day, name }] : [];
	});
}

/**
 * Holidays the rule skips later in the coming year, after the dates `previewDates` lists: so that
 * staff see, say, 元日 on a first Saturday twelve months ahead when they set the rule up.
 */
export function laterHolidaySkips(s: ScheduleInput, today: string, shown: readonly PreviewDate[]): Array<{ day: string; name: string }> {
	const from = s.dtstart > today ? s.dtstart : today;
	const after = shown.length ? addDays(shown[shown.length - 1].day, 1) : from;
	return holidaySkips({ ...s, exdates: [] }, after, addDays(from, LATER_SKIPS_DAYS));
}
