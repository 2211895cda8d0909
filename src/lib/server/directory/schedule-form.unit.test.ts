/** The schedule preview's later holiday skips: what staff learn about the coming year. */
import { describe, expect, it } from 'vitest';
import { blankSchedule, laterHolidaySkips, previewDates, scheduleFrom } from './schedule-form';
import type { ScheduleInput } from './model';

const firstAndThirdSaturday = (dtstart: string, closedOnHolidays = true): ScheduleInput => ({
	rrule: 'FREQ=MONTHLY;BYDAY=1SA,3SA',
	dtstart,
	until: null,
	count: null,
	exdates: [],
	opensAt: '11:00',
	closesAt: '14:00',
	closedOnHolidays,
	note: null
});

describe('later holiday skips', () => {
	it('name 元日 2028 (a first Saturday) for a rule set up in November 2026, beyond the eight dates shown', () => {
		const s = firstAndThirdSaturday('2026-11-23');
		const shown = previewDates(s, '2026-11-23');
		expect(shown.at(-1)!.day < '2028-01-01').toBe(true);
		expect(laterHolidaySkips(s, '2026-11-23', shown)).toEqual([{ day: '2028-01-01', name: '元日' }]);
	});

	it('are none when the place opens on holidays, and none twice (a skip already in the list is not repeated)', () => {
		expect(laterHolidaySkips(firstAndThirdSaturday('2026-11-23', false), '2026-11-23', [])).toEqual([]);
		const s = firstAndThirdSaturday('2027-12-01');
		const shown = previewDates(s, '2026-11-23');
		expect(shown.some((d) => d.skippedFor === '元日')).toBe(true);
		expect(laterHolidaySkips(s, '2026-11-23', shown).map((d) => d.day)).not.toContain('2028-01-01');
	});
});

describe('dates staff type into a schedule', () => {
	const weekly = (dtstart: string, until = '', exdates = '') => ({ ...blankSchedule('2026-12-01'), weekdays: ['SA' as const], dtstart, until, exdates });

	it('are real days within the stated range (2000-01-01 to 2100-12-31)', () => {
		expect(scheduleFrom(weekly('2026-12-05')).ok).toBe(true);
		for (const [field, fields] of [
			['dtstart', weekly('9999-12-31')],
			['dtstart', weekly('0000-01-01')],
			['dtstart', weekly('2026-02-30')],
			['until', weekly('2026-12-05', '9999-12-31')],
			['exdates', weekly('2026-12-05', '', '2026-12-12\n9999-12-25')]
		] as const) {
			const parsed = scheduleFrom(fields);
			expect(parsed.ok).toBe(false);
			if (!parsed.ok) expect(Object.keys(parsed.errors)).toContain(field);
		}
	});
});
