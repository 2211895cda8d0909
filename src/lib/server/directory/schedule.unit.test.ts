import { describe, expect, it } from 'vitest';
import { expandSchedule, isWholeDay, nextOccurrences, parseRecurrence, holidayName, localDay, zonedInstant, ruleWeekdays, weekdayIndex } from './schedule';

const days = (rule: Parameters<typeof expandSchedule>[0], from: string, to: string) => expandSchedule(rule, from, to).map((o) => o.day);

describe('parseRecurrence', () => {
	it('accepts the monthly ordinals residents use', () => {
		const r = parseRecurrence('FREQ=MONTHLY;BYDAY=1SA,3SA');
		expect(r.ok && r.summary.weekdays).toEqual([
			{ day: 'SA', ordinal: 1 },
			{ day: 'SA', ordinal: 3 }
		]);
		expect(parseRecurrence('FREQ=MONTHLY;BYDAY=-1FR').ok).toBe(true);
	});
	it('rejects what RFC 5545 or HSDS do not allow, with a reason', () => {
		expect(parseRecurrence('FREQ=WEEKLY;BYDAY=1SA')).toEqual({ ok: false, reason: 'bad_ordinal' });
		expect(parseRecurrence('FREQ=DAILY')).toEqual({ ok: false, reason: 'unsupported_freq' });
		expect(parseRecurrence('FREQ=WEEKLY;BYDAY=XX')).toEqual({ ok: false, reason: 'bad_byday' });
		expect(parseRecurrence('FREQ=WEEKLY;BYDAY=MO;COUNT=3;UNTIL=20270101')).toEqual({ ok: false, reason: 'until_and_count' });
		expect(parseRecurrence('FREQ=WEEKLY;BYHOUR=9;BYDAY=MO')).toEqual({ ok: false, reason: 'unsupported_part' });
		expect(parseRecurrence('FREQ=MONTHLY')).toEqual({ ok: false, reason: 'monthly_needs_day' });
		expect(parseRecurrence('')).toEqual({ ok: false, reason: 'empty' });
	});
});

describe('expandSchedule', () => {
	it('毎月第1・第3土曜日 across a month end and a year end', () => {
		expect(days({ rrule: 'FREQ=MONTHLY;BYDAY=1SA,3SA', dtstart: '2026-01-01' }, '2026-11-25', '2027-01-20')).toEqual(['2026-12-05', '2026-12-19', '2027-01-02', '2027-01-16']);
	});
	it('the last Friday of the month', () => {
		expect(days({ rrule: 'FREQ=MONTHLY;BYDAY=-1FR', dtstart: '2026-01-01' }, '2026-10-01', '2027-01-31')).toEqual(['2026-10-30', '2026-11-27', '2026-12-25', '2027-01-29']);
	});
	it('平日週3回(月・水・金) 16:00–21:00 in Tokyo time, whatever the process zone', () => {
		const occ = expandSchedule({ rrule: 'FREQ=WEEKLY;BYDAY=MO,WE,FR', dtstart: '2026-01-01', opensAt: '16:00', closesAt: '21:00' }, '2026-12-07', '2026-12-11');
		expect(occ.map((o) => o.day)).toEqual(['2026-12-07', '2026-12-09', '2026-12-11']);
		expect(occ[0].start.toISOString()).toBe('2026-12-07T07:00:00.000Z');
		expect(occ[0].end?.toISOString()).toBe('2026-12-07T12:00:00.000Z');
		expect(process.env.TZ).toBe('America/New_York');
	});
	it('skips national holidays when the place closes on them', () => {
		const rule = { rrule: 'FREQ=WEEKLY;BYDAY=MO', dtstart: '2026-01-01' };
		expect(days(rule, '2026-11-16', '2026-11-30')).toEqual(['2026-11-16', '2026-11-23', '2026-11-30']);
		expect(days({ ...rule, closedOnHolidays: true }, '2026-11-16', '2026-11-30')).toEqual(['2026-11-16', '2026-11-30']);
		expect(holidayName('2026-11-23')).toBe('勤労感謝の日');
		expect(holidayName('2026-11-24')).toBeNull();
	});
	it('honours EXDATE, UNTIL, COUNT and INTERVAL', () => {
		expect(days({ rrule: 'FREQ=WEEKLY;BYDAY=SU', dtstart: '2026-11-01', exdates: ['2026-11-15'] }, '2026-11-01', '2026-11-30')).toEqual(['2026-11-01', '2026-11-08', '2026-11-22', '2026-11-29']);
		expect(days({ rrule: 'FREQ=WEEKLY;BYDAY=SU;UNTIL=20261110', dtstart: '2026-11-01' }, '2026-11-01', '2026-11-30')).toEqual(['2026-11-01', '2026-11-08']);
		expect(days({ rrule: 'FREQ=WEEKLY;BYDAY=SU', dtstart: '2026-11-01', until: '2026-11-10' }, '2026-11-01', '2026-11-30')).toEqual(['2026-11-01', '2026-11-08']);
		expect(days({ rrule: 'FREQ=WEEKLY;BYDAY=SU;COUNT=3', dtstart: '2026-11-01' }, '2026-11-01', '2026-12-31')).toEqual(['2026-11-01', '2026-11-08', '2026-11-15']);
		expect(days({ rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU', dtstart: '2026-11-03' }, '2026-11-01', '2026-11-30')).toEqual(['2026-11-03', '2026-11-17']);
	});
	it('毎月第1日曜日 9時 starts at 09:00 JST and has no end when none is given', () => {
		const [o] = expandSchedule({ rrule: 'FREQ=MONTHLY;BYDAY=1SU', dtstart: '2026-01-01', opensAt: '09:00', closesAt: null }, '2026-12-01', '2026-12-31');
		expect(o.day).toBe('2026-12-06');
		expect(o.start.toISOString()).toBe('2026-12-06T00:00:00.000Z');
		expect(o.end).toBeNull();
	});
	it('rules that began years ago keep their INTERVAL alignment', () => {
		// Every other Tuesday from 2020-01-07: 2026-11-03 is 356 weeks later (even), 2026-11-10 is not.
		expect(days({ rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU', dtstart: '2020-01-07' }, '2026-11-01', '2026-11-30')).toEqual(['2026-11-03', '2026-11-17']);
		// Every third month from March 2019 on the first Saturday: Dec 2026 is 93 months later (a multiple of 3).
		expect(days({ rrule: 'FREQ=MONTHLY;INTERVAL=3;BYDAY=1SA', dtstart: '2019-03-01' }, '2026-11-01', '2027-03-31')).toEqual(['2026-12-05', '2027-03-06']);
		// COUNT still counts from DTSTART.
		expect(days({ rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=2', dtstart: '2020-01-06' }, '2026-11-01', '2026-11-30')).toEqual([]);
		// A day before the window inside the first shifted week is not returned.
		expect(days({ rrule: 'FREQ=WEEKLY;BYDAY=MO,SU', dtstart: '2020-01-01' }, '2026-11-04', '2026-11-10')).toEqual(['2026-11-08', '2026-11-09']);
	});
	it('never starts before dtstart and returns nothing for a note-only schedule', () => {
		expect(days({ rrule: 'FREQ=WEEKLY;BYDAY=MO', dtstart: '2026-12-01' }, '2026-11-01', '2026-12-08')).toEqual(['2026-12-07']);
		expect(days({ rrule: null, dtstart: '2026-01-01' }, '2026-01-01', '2026-12-31')).toEqual([]);
	});
});

describe('time helpers', () => {
	it('a late-evening UTC instant is the next day in Tokyo', () => {
		expect(localDay(new Date('2026-11-22T16:00:00Z'))).toBe('2026-11-23');
		expect(zonedInstant('2026-11-23', '00:30').toISOString()).toBe('2026-11-22T15:30:00.000Z');
	});
	it('weekday helpers', () => {
		expect(weekdayIndex('2026-11-23')).toBe(0);
		expect(ruleWeekdays('FREQ=MONTHLY;BYDAY=1SA,3SA')).toEqual(['SA']);
	});
	it('nextOccurrences merges several schedules in time order', () => {
		const next = nextOccurrences(
			[
				{ rrule: 'FREQ=MONTHLY;BYDAY=1SA', dtstart: '2026-01-01', opensAt: '13:00', closesAt: '15:00' },
				{ rrule: 'FREQ=MONTHLY;BYDAY=1SA', dtstart: '2026-01-01', opensAt: '10:00', closesAt: '11:00' }
			],
			'2026-12-01',
			3
		);
		expect(next.map((o) => o.start.toISOString())).toEqual(['2026-12-05T01:00:00.000Z', '2026-12-05T04:00:00.000Z', '2027-01-02T01:00:00.000Z']);
	});
});

describe('isWholeDay', () => {
	it('reads a date stored as Tokyo midnight to the next midnight as a whole day, as expandSchedule stores one', () => {
		const [day] = expandSchedule({ rrule: 'FREQ=WEEKLY;BYDAY=SA', dtstart: '2026-12-05', opensAt: null, closesAt: null }, '2026-12-05', '2026-12-05');
		expect(day.allDay).toBe(true);
		expect(isWholeDay(day.start, day.end)).toBe(true);
		expect(isWholeDay(zonedInstant('2026-12-05', '00:00'), zonedInstant('2026-12-05', '12:00'))).toBe(false);
		expect(isWholeDay(zonedInstant('2026-12-05', '10:00'), zonedInstant('2026-12-06', '10:00'))).toBe(false);
		expect(isWholeDay(zonedInstant('2026-12-05', '00:00'), null)).toBe(false);
		// Midnight in UTC is 9:00 in Tokyo: not a whole day here.
		expect(isWholeDay(new Date('2026-12-05T00:00:00Z'), new Date('2026-12-06T00:00:00Z'))).toBe(false);
	});
});
