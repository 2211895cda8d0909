/** The schedule preview's later holiday skips: what staff learn about the coming year. */
import { describe, expect, it } from 'vitest';
import { laterHolidaySkips, previewDates } from './schedule-form';
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
