/**
 * Schedules known only in words — 「毎週月曜」「平日 10–16時」「毎月第2火曜 13時半から」 — read into the
 * stored rule (RFC 5545 subset, see schedule.ts) when the words say it exactly, and only then.
 *
 * The reader never guesses: every character of the note must belong to something it understands
 * (days, one time or time range, "closed on holidays", a few plain words like 開催). Anything else —
 * 不定期, 月1回程度, 要問い合わせ, 頃, a second schedule, a program name — leaves the note as words,
 * and the finder then shows the program under 「日程は団体にご確認ください」. The note itself is kept,
 * so the program page still shows the organisation's own words.
 */
import { isValidTime, parseRecurrence, WEEKDAY_CODES, type WeekdayCode } from './schedule';

/** What the words say, as the fields of a stored schedule. */
export interface RuleFromWords {
	rrule: string;
	opensAt: string | null;
	closesAt: string | null;
	closedOnHolidays: boolean;
}

export type WordsResult = { ok: true; rule: RuleFromWords } | { ok: false; reason: string };

const KANJI_DAYS: Record<string, WeekdayCode> = { 月: 'MO', 火: 'TU', 水: 'WE', 木: 'TH', 金: 'FR', 土: 'SA', 日: 'SU' };
const WEEKDAYS_MON_FRI: WeekdayCode[] = ['MO', 'TU', 'WE', 'TH', 'FR'];

type Days = { freq: 'WEEKLY'; days: WeekdayCode[] } | { freq: 'MONTHLY'; byday: string[] } | { freq: 'MONTHLY'; monthDays: number[] };

/** Full-width to half-width, every dash and wave to `~`, no spaces or brackets' widths to worry about. */
function normalise(note: string): string {
	return note
		.normalize('NFKC')
		.replace(/[〜~～–—―−‐-]/g, '~')
		.replace(/\s+/g, '');
}

function dayList(text: string): WeekdayCode[] {
	const days = [...text.replace(/曜日?/g, '').replace(/[・、,と及]/g, '')].map((c) => KANJI_DAYS[c]);
	return [...new Set(days)].sort((a, b) => WEEKDAY_CODES.indexOf(a) - WEEKDAY_CODES.indexOf(b));
}

// Day patterns, tried at the current position (sticky). Each returns the days it names.
const DAY = '[月火水木金土日](?:曜日?)?';
const SEP = '[・、,と]';
const dayPatterns: Array<{ re: RegExp; read: (m: RegExpExecArray) => { days: Days; holidaysOff?: boolean } | null }> = [
	{ re: /毎日/y, read: () => ({ days: { freq: 'WEEKLY', days: [...WEEKDAY_CODES] } }) },
	// 平日 is a day that is neither a weekend day nor a national holiday.
	{ re: /平日/y, read: () => ({ days: { freq: 'WEEKLY', days: WEEKDAYS_MON_FRI }, holidaysOff: true }) },
	{ re: new RegExp(`毎週(${DAY}(?:${SEP}?${DAY})*)`, 'y'), read: (m) => ({ days: { freq: 'WEEKLY', days: dayList(m[1]) } }) },
	{
		// 毎月第1・第3土曜日, 第2火曜, 毎月第1・3土曜, 毎月最終金曜日
		re: new RegExp(`(?:毎月)?((?:第[1-5]|最終)(?:${SEP}(?:第?[1-5]|最終))*)(${DAY}(?:${SEP}?${DAY})*)`, 'y'),
		read: (m) => {
			const ordinals = [...new Set(m[1].split(/[・、,と]/).map((o) => (o === '最終' ? -1 : Number(o.replace('第', '')))))];
			const days = dayList(m[2]);
			return { days: { freq: 'MONTHLY', byday: ordinals.flatMap((n) => days.map((d) => `${n}${d}`)) } };
		}
	},
	{
		// 毎月15日, 毎月1・15日
		re: /毎月([1-9]|[12]\d|3[01])((?:[・、,と](?:[1-9]|[12]\d|3[01]))*)日/y,
		read: (m) => ({ days: { freq: 'MONTHLY', monthDays: [m[1], ...m[2].split(/[・、,と]/).filter(Boolean)].map(Number) } })
	}
];

// One time: 10:00, 10時, 10時30分, 10時半, 午後1時. The bare form "10" is only the start of a range whose end has 時.
const TIME = '(午前|午後)?(\\d{1,2})(?::(\\d{2})|(時)(?:(\\d{1,2})分|(半))?)?';
const timeRange = new RegExp(`${TIME}(?:(?:~|から|より)${TIME}(?:まで)?|(から|より|~))?`, 'y');

function clock(meridiem: string | undefined, hour: string, minute: string | undefined, ji: string | undefined, minutes: string | undefined, half: string | undefined): string | null {
	let h = Number(hour);
	if (meridiem === '午後' && h < 12) h += 12;
	else if (meridiem && h > 12) return null;
	const m = minute ?? minutes ?? (half ? '30' : '00');
	const time = `${String(h).padStart(2, '0')}:${m.padStart(2, '0')}`;
	return isValidTime(time) && (minute !== undefined || ji !== undefined || half !== undefined) ? time : null;
}

function readTimes(m: RegExpExecArray): { opensAt: string; closesAt: string | null } | null {
	const [, am1, h1, min1, ji1, mins1, half1, ownAm2, h2, min2, ji2, mins2, half2] = m;
	const am2 = ownAm2 ?? am1;
	if (h2 === undefined) {
		// A start alone must say it is a time (時 or hh:mm), and "10~" reads as "from 10".
		const opensAt = clock(am1, h1, min1, ji1, mins1, half1);
		return opensAt ? { opensAt, closesAt: null } : null;
	}
	const closesAt = clock(am2, h2, min2, ji2, mins2, half2);
	if (!closesAt) return null;
	// 10~16時: the start borrows the end's unit; 午後1~3時 likewise borrows 午後 when the end has none.
	const bare = min1 === undefined && ji1 === undefined && half1 === undefined;
	const opensAt = bare ? clock(am1, h1, undefined, ji2 ?? (min2 !== undefined ? '時' : undefined), undefined, undefined) : clock(am1, h1, min1, ji1, mins1, half1);
	if (!opensAt || closesAt <= opensAt) return null;
	return { opensAt, closesAt };
}

/** "Closed on national holidays", in the ways notes say it. */
const holidaysOff = /[(]?(?:祝日?|祝祭日)(?:は|を)?(?:除く|休み|休業|休館|休)[)]?/y;
/** Words that add nothing to the rule (on their own, they do not make a schedule). */
const filler = /開催|実施|開所|開館|活動|営業|定例|[、,・。:のに()]/y;
/** Holidays named as open days: the stored rule cannot say "also on holidays", so the note stays words. */
const holidaysOpen = /祝/;

/**
 * Read a schedule note. The whole note must be understood; one day pattern (weekly days, nth
 * weekdays of the month, or days of the month) and at most one time or range.
 */
export function readScheduleWords(note: string | null | undefined): WordsResult {
	if (!note?.trim()) return { ok: false, reason: 'empty' };
	const s = normalise(note);
	let at = 0;
	let days: Days | null = null;
	let times: { opensAt: string; closesAt: string | null } | null = null;
	let closedOnHolidays = false;
	const tryAt = (re: RegExp) => {
		re.lastIndex = at;
		return re.exec(s);
	};
	outer: while (at < s.length) {
		for (const pattern of dayPatterns) {
			const m = tryAt(pattern.re);
			if (!m) continue;
			if (days) return { ok: false, reason: 'two_day_patterns' };
			const read = pattern.read(m);
			if (!read) return { ok: false, reason: 'days' };
			days = read.days;
			if (read.holidaysOff) closedOnHolidays = true;
			at += m[0].length;
			continue outer;
		}
		let m = tryAt(holidaysOff);
		if (m) {
			closedOnHolidays = true;
			at += m[0].length;
			continue;
		}
		m = tryAt(timeRange);
		if (m && m[0].length) {
			if (times) return { ok: false, reason: 'two_times' };
			times = readTimes(m);
			if (!times) return { ok: false, reason: 'time' };
			at += m[0].length;
			continue;
		}
		m = tryAt(filler);
		if (m) {
			at += m[0].length;
			continue;
		}
		return { ok: false, reason: holidaysOpen.test(s.slice(at)) ? 'open_on_holidays' : 'not_understood' };
	}
	if (!days) return { ok: false, reason: 'no_days' };
	const rrule = days.freq === 'WEEKLY' ? `FREQ=WEEKLY;BYDAY=${days.days.join(',')}` : 'byday' in days ? `FREQ=MONTHLY;BYDAY=${days.byday.join(',')}` : `FREQ=MONTHLY;BYMONTHDAY=${[...new Set(days.monthDays)].join(',')}`;
	if (!parseRecurrence(rrule).ok) return { ok: false, reason: 'rule' };
	return { ok: true, rule: { rrule, opensAt: times?.opensAt ?? null, closesAt: times?.closesAt ?? null, closedOnHolidays } };
}

interface ScheduleWithWords {
	rrule: string | null;
	opensAt: string | null;
	closesAt: string | null;
	closedOnHolidays: boolean;
	note: string | null;
}

/**
 * A schedule about to be saved, with its rule read from its note when it has no rule and the note
 * says one exactly. Hours or a holiday rule given apart from the note must agree with it, or the
 * schedule stays as given. The note is kept unchanged.
 */
export function withRuleFromWords<S extends ScheduleWithWords>(s: S): S {
	if (s.rrule || !s.note) return s;
	const read = readScheduleWords(s.note);
	if (!read.ok) return s;
	const { rule } = read;
	if ((s.opensAt && s.opensAt !== rule.opensAt) || (s.closesAt && s.closesAt !== rule.closesAt)) return s;
	return { ...s, rrule: rule.rrule, opensAt: rule.opensAt, closesAt: rule.closesAt, closedOnHolidays: s.closedOnHolidays || rule.closedOnHolidays };
}
