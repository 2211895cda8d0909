/**
 * RFC 5545 output: a VCALENDAR of recurring series (RRULE, EXDATE, RECURRENCE-ID overrides) and
 * single events, in Asia/Tokyo wall-clock time with its VTIMEZONE.
 *
 * Written here rather than with a generator library: those take zoned times from a date library
 * (Luxon, Moment…) we do not otherwise need, while the whole format we emit is a dozen property
 * types. Escaping (§3.3.11), folding at 75 octets (§3.1) and CRLF are done below and the output is
 * checked by parsing and expanding it with Mozilla's ical.js in the tests.
 */

export const TIME_ZONE = 'Asia/Tokyo';
const PRODID = '-//tsunagu//events//JA';

/** Japan has no daylight saving time since 1951: one STANDARD component covers every date. */
const VTIMEZONE = ['BEGIN:VTIMEZONE', `TZID:${TIME_ZONE}`, 'BEGIN:STANDARD', 'DTSTART:19700101T000000', 'TZOFFSETFROM:+0900', 'TZOFFSETTO:+0900', 'TZNAME:JST', 'END:STANDARD', 'END:VTIMEZONE'];

export interface IcalTime {
	/** YYYY-MM-DD in Tokyo. */
	day: string;
	/** HH:MM in Tokyo; null = an all-day date. */
	time: string | null;
}

export interface IcalEvent {
	uid: string;
	summary: string;
	start: IcalTime;
	end: IcalTime | null;
	description?: string | null;
	location?: string | null;
	url?: string | null;
	/** RRULE value without the "RRULE:" prefix. */
	rrule?: string | null;
	/** Days of the series left out (holidays, cancelled dates, EXDATE). */
	exdates?: string[];
	/** For an override of one date of a series: that date's original start. */
	recurrenceId?: IcalTime | null;
	status?: 'CONFIRMED' | 'CANCELLED' | null;
	/** When the event last changed (DTSTAMP, and the SEQUENCE derived from it). */
	stamp: Date;
}

const SEQUENCE_EPOCH = Date.UTC(2020, 0, 1);
/**
 * SEQUENCE (§3.8.7.4) as the seconds from 2020 to the last change: it grows at every change of a
 * date or program, as clients need to replace what they hold, without a counter that every write
 * path would have to remember to bump. Fits a 32-bit integer until 2088.
 */
export function sequenceOf(stamp: Date): number {
	return Math.max(0, Math.floor((stamp.getTime() - SEQUENCE_EPOCH) / 1000));
}

/** TEXT escaping (RFC 5545 §3.3.11). */
export function escapeText(value: string): string {
	return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Fold a content line at 75 octets without splitting a UTF-8 character (§3.1). */
export function foldLine(line: string): string {
	const parts: string[] = [];
	let current = '';
	let octets = 0;
	for (const char of line) {
		const size = Buffer.byteLength(char);
		const limit = parts.length === 0 ? 75 : 74; // continuation lines start with a space
		if (octets + size > limit) {
			parts.push(current);
			current = '';
			octets = 0;
		}
		current += char;
		octets += size;
	}
	parts.push(current);
	return parts.join('\r\n ');
}

const compactDay = (day: string) => day.replace(/-/g, '');
const compactTime = (time: string) => `${time.replace(':', '')}00`;

function timeProperty(name: string, t: IcalTime): string {
	return t.time === null ? `${name};VALUE=DATE:${compactDay(t.day)}` : `${name};TZID=${TIME_ZONE}:${compactDay(t.day)}T${compactTime(t.time)}`;
}

function utcStamp(at: Date): string {
	return at
		.toISOString()
		.replace(/[-:]/g, '')
		.replace(/\.\d{3}/, '');
}

function eventLines(e: IcalEvent): string[] {
	const lines = ['BEGIN:VEVENT', `UID:${e.uid}`, `DTSTAMP:${utcStamp(e.stamp)}`, `SEQUENCE:${sequenceOf(e.stamp)}`];
	if (e.recurrenceId) lines.push(timeProperty('RECURRENCE-ID', e.recurrenceId));
	lines.push(timeProperty('DTSTART', e.start));
	if (e.end) lines.push(timeProperty('DTEND', e.end));
	if (e.rrule) lines.push(`RRULE:${e.rrule}`);
	if (e.rrule && e.exdates?.length) {
		const values = [...new Set(e.exdates)].sort();
		lines.push(e.start.time === null ? `EXDATE;VALUE=DATE:${values.map(compactDay).join(',')}` : `EXDATE;TZID=${TIME_ZONE}:${values.map((d) => `${compactDay(d)}T${compactTime(e.start.time!)}`).join(',')}`);
	}
	lines.push(`SUMMARY:${escapeText(e.summary)}`);
	if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
	if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`);
	if (e.url) lines.push(`URL:${e.url}`);
	if (e.status) lines.push(`STATUS:${e.status}`);
	lines.push('END:VEVENT');
	return lines;
}

/**
 * A whole calendar as text with CRLF line ends. No METHOD: RFC 5546 ties METHOD:PUBLISH to an
 * ORGANIZER address, which organisations here need not have; a feed or file without METHOD is a
 * plain calendar that clients subscribe to or import.
 */
export function buildCalendar(name: string, events: IcalEvent[]): string {
	const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:${PRODID}`, 'CALSCALE:GREGORIAN', `X-WR-CALNAME:${escapeText(name)}`, `X-WR-TIMEZONE:${TIME_ZONE}`, ...VTIMEZONE];
	for (const e of events) lines.push(...eventLines(e));
	lines.push('END:VCALENDAR');
	return lines.map(foldLine).join('\r\n') + '\r\n';
}
