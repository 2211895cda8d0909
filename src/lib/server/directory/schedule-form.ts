/**
 * Schedules as staff write them — 「毎週 火・木」「毎月 第1・第3土曜日」「毎月15日」 — turned into the
 * RFC 5545 subset the directory stores, and back; and the preview staff see before saving: the
 * rule in words (present.ts) and the next dates, with the national holidays it skips.
 */
import { WEEKDAY_CODES, addDays, expandSchedule, holidayName, isValidDay, isValidTime, parseRecurrence, type ScheduleRule, type WeekdayCode } from './schedule';
import type { ScheduleInput } from './model';
import { z } from 'zod';
import { fieldErrors, isDayInRange } from '../boundary';

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

// ── one schedule row as a zod schema: each issue's message is the field's i18n key ─────────────

/** A whole number as `Number()` reads it (`01`, `1e1`); `Number.isInteger` as a refinement, since zod's `.int()` would stop the checks across fields. */
const whole = (key: string, min: number, max: number) => z.coerce.number<string>(key).min(min, key).max(max, key).refine(Number.isInteger, key);
const time = z.string().refine((v) => v === '' || isValidTime(v), 'staff.schedule.error.time');
/** Staff type these: the platform's stated range (boundary/dates.ts), not any real date. */
const day = z.string().refine(isDayInRange, 'staff.schedule.error.day');
const exdatesKey = 'staff.schedule.error.exdates';
/** Days off, one per line (or separated by spaces, commas, 、): at most 100 days in range. */
const exdates = z
	.string()
	.transform((v) => v.split(/[\s,、]+/).filter(Boolean))
	.refine((days) => days.length <= 100 && days.every(isDayInRange), exdatesKey)
	.transform((days) => [...new Set(days)].sort());

/** The checks across fields read only fields that stay strings, so they run whatever else failed. */
const always = () => true;

/** What every kind of schedule has: interval, dates, times, exceptions, note. */
const common = z
	.object({
		interval: whole('staff.schedule.error.interval', 1, 12),
		dtstart: day,
		until: z.string().refine((v) => v === '' || isDayInRange(v), 'staff.schedule.error.day'),
		opensAt: time,
		closesAt: time,
		exdates,
		closedOnHolidays: z.boolean(),
		note: z.string().max(200, 'staff.error.tooLong')
	})
	.refine((v) => !(v.until && isDayInRange(v.until) && isValidDay(v.dtstart) && v.until < v.dtstart), { message: 'staff.schedule.error.untilBefore', path: ['until'], when: always })
	// An end time needs a start time, and comes after it (checked once the end itself is a time).
	.refine((v) => !(v.closesAt && isValidTime(v.closesAt) && !v.opensAt), { message: 'staff.schedule.error.opensFirst', path: ['opensAt'], when: always })
	.refine((v) => !(v.closesAt && isValidTime(v.closesAt) && v.opensAt && v.closesAt <= v.opensAt), { message: 'staff.schedule.error.closesAfter', path: ['closesAt'], when: always });

const weekdays = z.array(z.enum(WEEKDAY_CODES)).min(1, 'staff.schedule.error.weekdays');

/** What each kind needs: weekdays; weekdays and which weeks; a day of the month; a note. */
const pattern = z.discriminatedUnion('kind', [
	z.object({ kind: z.literal('weekly'), weekdays }),
	z.object({ kind: z.literal('monthly_nth'), weekdays, ordinals: z.array(z.number()).min(1, 'staff.schedule.error.ordinals') }),
	z.object({ kind: z.literal('monthly_day'), monthDay: whole('staff.schedule.error.monthDay', 1, 31) }),
	z.object({ kind: z.literal('note_only'), note: z.string().min(1, 'staff.schedule.error.noteOnly') })
]);

function rruleOf(v: z.output<typeof pattern> & { interval: number }): string | null {
	if (v.kind === 'weekly') return `FREQ=WEEKLY;INTERVAL=${v.interval};BYDAY=${v.weekdays.join(',')}`;
	if (v.kind === 'monthly_nth') return `FREQ=MONTHLY;INTERVAL=${v.interval};BYDAY=${v.ordinals.flatMap((n) => v.weekdays.map((d) => `${n}${d}`)).join(',')}`;
	if (v.kind === 'monthly_day') return `FREQ=MONTHLY;INTERVAL=${v.interval};BYMONTHDAY=${v.monthDay}`;
	return null;
}

/** One schedule row of the program form (ScheduleFields) into the stored rule (ScheduleInput). */
export const scheduleRow = z.intersection(common, pattern).transform((v): ScheduleInput => ({
	rrule: rruleOf(v),
	dtstart: v.dtstart,
	until: v.until || null,
	count: null,
	exdates: v.exdates,
	opensAt: v.opensAt || null,
	closesAt: v.closesAt || null,
	closedOnHolidays: v.closedOnHolidays,
	note: v.note || null
}));

export function scheduleFrom(f: ScheduleFields): ScheduleParse {
	const parsed = scheduleRow.safeParse(f);
	return parsed.success ? { ok: true, value: parsed.data } : { ok: false, errors: fieldErrors<ScheduleErrors>(parsed.error) };
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
