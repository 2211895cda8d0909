/**
 * Turning directory data into words for pages and the API: dates, schedules, costs.
 * All text comes from the i18n catalogue; times are shown in Asia/Tokyo.
 */
import { translator, type Locale, type MessageKey, type Translate } from '$lib/i18n';
import { parseRecurrence, localDay, weekdayIndex, WEEKDAY_CODES, type WeekdayCode } from './directory';

const TOKYO_OFFSET_MS = 9 * 3600_000;

function tokyoParts(at: Date) {
	const d = new Date(at.getTime() + TOKYO_OFFSET_MS);
	return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), h: d.getUTCHours(), m: d.getUTCMinutes() };
}

function monthName(t: Translate, month: number): string {
	return t(`month.${month}` as MessageKey);
}

export function formatDay(t: Translate, day: string): string {
	const [year, month, date] = day.split('-').map(Number);
	return t('date.day', { year, month, monthName: monthName(t, month), day: date, weekday: t(`weekdayShort.${WEEKDAY_CODES[weekdayIndex(day)]}`) });
}

/** The week's days, Monday first (RFC 5545's order, the calendar's columns): short and full names. */
export function weekdayHeadings(t: Translate): Array<{ code: WeekdayCode; short: string; long: string }> {
	return WEEKDAY_CODES.map((code) => ({ code, short: t(`weekdayShort.${code}`), long: t(`weekday.${code}`) }));
}

export function formatTime(at: Date): string {
	const { h, m } = tokyoParts(at);
	return `${h}:${String(m).padStart(2, '0')}`;
}

/** 「12月6日(土) 13:00–15:00」 */
export function formatOccurrence(t: Translate, startsAt: Date, endsAt: Date | null, allDay: boolean): string {
	const day = formatDay(t, localDay(startsAt));
	if (allDay) return day;
	const time = endsAt ? t('schedule.time', { start: formatTime(startsAt), end: formatTime(endsAt) }) : t('schedule.timeFrom', { start: formatTime(startsAt) });
	return `${day} ${time}`;
}

export function formatDayLong(t: Translate, day: string): string {
	const [year, month, date] = day.split('-').map(Number);
	return t('date.dayYear', { year, month, monthName: monthName(t, month), day: date });
}

/** 「2028年1月1日(土)」: a date far enough ahead that its year matters. */
export function formatDayFull(t: Translate, day: string): string {
	return `${formatDayLong(t, day)}(${t(`weekdayShort.${WEEKDAY_CODES[weekdayIndex(day)]}`)})`;
}

export function formatYearMonth(t: Translate, ym: string): string {
	const [year, month] = ym.split('-').map(Number);
	return t('date.yearMonth', { year, month, monthName: monthName(t, month) });
}

interface ScheduleWordsInput {
	rrule: string | null;
	opensAt: string | null;
	closesAt: string | null;
	closedOnHolidays: boolean;
	until: string | null;
	count: number | null;
	note: string | null;
}

/** 「毎月第1・第3土曜日 13:00〜15:00(祝日は休み)」; a rule-less schedule shows its note. */
export function scheduleInWords(t: Translate, s: ScheduleWordsInput): string {
	if (!s.rrule) return s.note ?? '';
	const parsed = parseRecurrence(s.rrule);
	if (!parsed.ok) return s.note ?? '';
	const r = parsed.summary;
	const dayWord = (day: WeekdayCode, ordinal: number | null) => {
		const name = t(`weekday.${day}`);
		if (ordinal === null) return name;
		if (ordinal === -1) return t('schedule.last') + name;
		if (ordinal < 0) return t('schedule.lastN', { n: -ordinal }) + name;
		return t('schedule.ordinal', { n: ordinal }) + name;
	};
	let days: string;
	const sameWeekday = r.weekdays.length > 1 && r.weekdays.every((w) => w.day === r.weekdays[0].day && w.ordinal !== null && w.ordinal > 0);
	if (sameWeekday && t('schedule.joiner') === '・') {
		// 第1・第3土曜日 reads better than 第1土曜日・第3土曜日.
		days = r.weekdays.map((w) => t('schedule.ordinal', { n: w.ordinal! })).join(t('schedule.joiner')) + t(`weekday.${r.weekdays[0].day}`);
	} else if (r.weekdays.length) {
		days = r.weekdays.map((w) => dayWord(w.day, w.ordinal)).join(t('schedule.joiner'));
	} else {
		days = r.monthDays.map((n) => t('schedule.monthDay', { n })).join(t('schedule.joiner'));
	}
	let words = r.freq === 'WEEKLY' ? (r.interval > 1 ? t('schedule.everyNWeeks', { n: r.interval, days }) : t('schedule.weekly', { days })) : r.interval > 1 ? t('schedule.everyNMonths', { n: r.interval, days }) : t('schedule.monthly', { days });
	if (s.opensAt) words += ' ' + (s.closesAt ? t('schedule.time', { start: trimZero(s.opensAt), end: trimZero(s.closesAt) }) : t('schedule.timeFrom', { start: trimZero(s.opensAt) }));
	const until = s.until ?? r.until;
	if (until) words += t('schedule.until', { date: formatDayLong(t, until) });
	const count = s.count ?? r.count;
	if (count) words += t('schedule.count', { n: count });
	if (s.closedOnHolidays) words += t('schedule.holidays');
	return words;
}

function trimZero(time: string): string {
	return time.replace(/^0(\d):/, '$1:');
}

export function costInWords(t: Translate, kind: string, amountYen: number | null): string {
	if (kind === 'free') return t('cost.free');
	if (kind === 'pay_what_you_can') return t('cost.pay_what_you_can');
	if (kind === 'fixed') return amountYen !== null ? t('cost.fixed', { amount: amountYen.toLocaleString('ja-JP') }) : t('cost.fixedUnknown');
	return t('cost.unknown');
}

export function joinInWords(t: Translate, method: string): string {
	return t(`join.${method as 'no_registration'}`);
}

export function translatorFor(locale: Locale): Translate {
	return translator(locale);
}
