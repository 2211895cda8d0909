/**
 * The iCalendar feeds, parsed and expanded by an independent standard library (Mozilla's ical.js),
 * give the same instants as the calendar page's occurrences — with a national holiday skipped, a
 * date cancelled and a date moved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import ICAL from 'ical.js';
import { testDatabase } from '../../../../tests/helpers/db';
import { makeOrganization } from '../../../../tests/helpers/factories';
import type { Database } from '../db';
import type { Tx } from '../scope';
import { withAccess } from '../db/tenant';
import { saveLocation, saveProgram } from '../directory/listings';
import { programEdit } from '../../../../tests/helpers/program';
import { addDays, holidayName, zonedInstant } from '../directory';
import { cancelOccurrence, createOneOff, moveOccurrence, occurrencesOfProgram, syncOccurrences } from './occurrences';
import { occurrenceFeed, programsFeed } from './feed';
import { buildCalendar, escapeText, foldLine } from './ical';

let database: Database;
let org: string;
let programId: string;
// 2028-01-01 (元日) is a first Saturday, inside the window.
const today = '2027-11-21';
const windowEnd = addDays(today, 180);

const edit = programEdit({ title: 'みどり食堂; 第1・第3土曜日, だれでも', description: '' }, { exdates: ['2028-02-19'] });

/** The organisation's context, as its scope's transaction carries it. */
const inOrg = <T>(fn: (tx: Tx<'organization'>) => Promise<T>) => withAccess(database.db, { organizationIds: [org] }, (tx) => fn(tx as Tx<'organization'>));

/** Every instant a calendar app would show in [from, to], expanding each series with its exceptions. */
function expand(text: string, from: string, to: string): string[] {
	const root = new ICAL.Component(ICAL.parse(text));
	for (const tz of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(new ICAL.Timezone(tz));
	const vevents = root.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
	const starts: string[] = [];
	const lower = new Date(`${from}T00:00:00+09:00`).getTime();
	const upper = new Date(`${addDays(to, 1)}T00:00:00+09:00`).getTime();
	for (const master of vevents.filter((e) => !e.isRecurrenceException())) {
		if (master.component.getFirstPropertyValue('status') === 'CANCELLED') continue;
		if (!master.isRecurring()) {
			const at = master.startDate.toJSDate().getTime();
			if (at >= lower && at < upper) starts.push(new Date(at).toISOString());
			continue;
		}
		for (const exception of vevents.filter((e) => e.isRecurrenceException() && e.uid === master.uid)) master.relateException(exception);
		const iterator = master.iterator();
		for (let next = iterator.next(); next; next = iterator.next()) {
			const details = master.getOccurrenceDetails(next);
			const at = details.startDate.toJSDate().getTime();
			if (next.toJSDate().getTime() >= upper + 90 * 86_400_000) break;
			if (at >= lower && at < upper) starts.push(new Date(at).toISOString());
		}
	}
	return starts.sort();
}

beforeAll(async () => {
	database = await testDatabase();
	org = await makeOrganization(database.db);
	programId = await inOrg(async (tx) => {
		const place = await saveLocation(tx, org, null, { name: 'みどり町公民館', prefecture: '東京都', city: '荒川区', line: '1-2-3', postalCode: null, lat: null, lng: null, accessibility: null, transport: null }, today);
		const saved = await saveProgram(tx, org, null, edit, [place!.id], today);
		if (!saved.ok) throw new Error('program');
		await tx.execute(sql`update programs set published = true where id = ${saved.value.programId}`);
		await syncOccurrences(tx, today, [saved.value.programId]);
		return saved.value.programId;
	});
	const [first, second] = await occurrencesOfProgram(database.db, programId, today, windowEnd);
	await inOrg(async (tx) => {
		await cancelOccurrence(tx, org, first.id, '点検のため');
		await moveOccurrence(tx, org, second.id, { startsAt: zonedInstant('2027-12-19', '13:30'), endsAt: zonedInstant('2027-12-19', '15:00'), note: null });
		await createOneOff(tx, org, { programId, startsAt: zonedInstant('2027-12-24', '17:00'), endsAt: null, locationId: null, title: 'クリスマス会', note: null, kind: 'session', registrationOpen: false, capacity: null, capacityUnit: 'people' });
	});
});
afterAll(() => database.close());

describe('a program feed', () => {
	it('expands, in ical.js, to exactly the scheduled occurrences of the calendar page', async () => {
		const text = await programsFeed(database.db, [programId], { origin: 'https://tsunagu.example', name: 'みどり食堂' });
		const shown = (await occurrencesOfProgram(database.db, programId, today, windowEnd)).filter((o) => o.status === 'scheduled').map((o) => o.startsAt.toISOString());
		expect(shown).toContain('2027-12-19T04:30:00.000Z'); // moved to Sunday 13:30
		expect(shown).toContain('2027-12-24T08:00:00.000Z'); // the one-off
		expect(shown).not.toContain('2027-12-04T02:00:00.000Z'); // cancelled
		expect(shown.some((s) => s.startsWith('2028-01-01'))).toBe(false); // 元日
		expect(shown.some((s) => s.startsWith('2028-02-19'))).toBe(false); // left out by hand
		expect(expand(text, today, windowEnd)).toEqual(shown.sort());
	});

	it('is RFC 5545: CRLF, folded lines, Asia/Tokyo with its VTIMEZONE, RRULE and EXDATE, escaped text', async () => {
		const text = await programsFeed(database.db, [programId], { origin: 'https://tsunagu.example', name: 'みどり食堂' });
		expect(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
		expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
		for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
		const unfolded = text.replace(/\r\n /g, '');
		expect(unfolded).toContain('BEGIN:VTIMEZONE\r\nTZID:Asia/Tokyo');
		expect(unfolded).toContain('DTSTART;TZID=Asia/Tokyo:20270102T110000');
		expect(unfolded).toContain('RRULE:FREQ=MONTHLY;BYDAY=1SA,3SA');
		expect(unfolded).toMatch(/EXDATE;TZID=Asia\/Tokyo:[^\r]*20271204T110000[^\r]*20280101T110000[^\r]*20280219T110000/);
		expect(unfolded).toContain('RECURRENCE-ID;TZID=Asia/Tokyo:20271218T110000');
		expect(unfolded).toContain('SUMMARY:みどり食堂\\; 第1・第3土曜日\\, だれでも');
		expect(unfolded).toContain('LOCATION:みどり町公民館 東京都荒川区1-2-3');
		expect(unfolded).toContain(`URL:https://tsunagu.example/programs/${programId}`);
	});
});

describe('years ahead, and beside a subscription', () => {
	const feed = () => programsFeed(database.db, [programId], { origin: 'https://tsunagu.example', name: 'みどり食堂' });
	const tokyoDay = (iso: string) => new Date(new Date(iso).getTime() + 9 * 3600_000).toISOString().slice(0, 10);

	it('never shows a national holiday when a client expands the series for ten years', async () => {
		const to = addDays(today, 3653);
		const days = expand(await feed(), today, to).map(tokyoDay);
		expect(days.filter((d) => holidayName(d))).toEqual([]);
		// Holidays that fall on a 1st or 3rd Saturday more than three years ahead (the old EXDATE window) are among those left out.
		const firstOrThird = (d: string) => new Date(`${d}T00:00:00Z`).getUTCDay() === 6 && [1, 3].includes(Math.ceil(Number(d.slice(8)) / 7));
		const late = Array.from({ length: 3653 }, (_, i) => addDays(today, i)).filter((d) => d > addDays(today, 3 * 366) && holidayName(d) && firstOrThird(d));
		expect(late.length).toBeGreaterThan(0);
		// The series goes on through the years around them.
		expect(days.filter((d) => d > addDays(today, 3 * 366)).length).toBeGreaterThan(100);
	});

	it("a date's own file is that date of the subscribed series: one event, not two", async () => {
		const text = await feed();
		const third = (await occurrencesOfProgram(database.db, programId, today, windowEnd)).find((o) => o.scheduleId && !o.moved && o.status === 'scheduled')!;
		const single = (await occurrenceFeed(database.db, third, { origin: 'https://tsunagu.example', name: 'みどり食堂' }))!;
		const unfolded = single.replace(/\r\n /g, '');
		expect(unfolded).toContain(`UID:${third.scheduleId}@tsunagu`);
		expect(unfolded).toContain(`RECURRENCE-ID;TZID=Asia/Tokyo:${third.seriesDay!.replace(/-/g, '')}T110000`);
		const vevent = single.slice(single.indexOf('BEGIN:VEVENT'), single.indexOf('END:VEVENT') + 'END:VEVENT\r\n'.length);
		const both = text.replace('END:VCALENDAR\r\n', `${vevent}END:VCALENDAR\r\n`);
		expect(expand(both, today, windowEnd)).toEqual(expand(text, today, windowEnd));
		expect(expand(both, today, windowEnd).filter((at) => at === third.startsAt.toISOString())).toHaveLength(1);
	});

	it('has no METHOD (RFC 5546 would want an ORGANIZER), and a SEQUENCE that grows when a date moves', async () => {
		expect(await feed()).not.toContain('METHOD:');
		const moved = (await occurrencesOfProgram(database.db, programId, today, windowEnd)).find((o) => o.moved)!;
		const sequence = async () => {
			const root = new ICAL.Component(ICAL.parse(await feed()));
			const override = root.getAllSubcomponents('vevent').find((v) => String(v.getFirstPropertyValue('recurrence-id') ?? '').startsWith(moved.seriesDay!));
			return Number(override?.getFirstPropertyValue('sequence'));
		};
		const before = await sequence();
		expect(before).toBeGreaterThan(0);
		// SEQUENCE counts seconds: a change in the next second must show.
		await new Promise((r) => setTimeout(r, 1100));
		await inOrg((tx) => moveOccurrence(tx, org, moved.id, { startsAt: zonedInstant('2027-12-19', '14:00'), endsAt: zonedInstant('2027-12-19', '15:30'), note: null }));
		expect(await sequence()).toBeGreaterThan(before);
	});
});

describe('the writer', () => {
	it('escapes text and folds long lines on character boundaries', () => {
		expect(escapeText('a;b,c\\d\ne')).toBe('a\\;b\\,c\\\\d\\ne');
		const folded = foldLine(`SUMMARY:${'あ'.repeat(40)}`);
		const lines = folded.split('\r\n');
		expect(lines.length).toBeGreaterThan(1);
		for (const line of lines) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
		expect(folded.replace(/\r\n /g, '')).toBe(`SUMMARY:${'あ'.repeat(40)}`);
		const all = buildCalendar('x', [{ uid: 'u@t', summary: 's', start: { day: '2027-01-01', time: null }, end: null, stamp: new Date(0) }]);
		expect(all).toContain('DTSTART;VALUE=DATE:20270101');
		expect(all).toContain('DTSTAMP:19700101T000000Z');
	});
});
