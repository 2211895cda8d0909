import { describe, expect, it } from 'vitest';
import { translator } from '$lib/i18n';
import { formatDay, formatDayLong, formatOccurrence, formatYearMonth } from './present';

describe('dates in words', () => {
	it('English says the month by name, so 2 December is never read as 12 February', () => {
		const en = translator('en');
		expect(formatDay(en, '2026-12-02')).toBe('Wed 2 Dec');
		expect(formatDayLong(en, '2026-12-02')).toBe('2 Dec 2026');
		expect(formatYearMonth(en, '2026-02')).toBe('Feb 2026');
		expect(formatOccurrence(en, new Date('2026-12-02T04:00:00Z'), new Date('2026-12-02T06:00:00Z'), false)).toMatch(/^Wed 2 Dec 13:00/);
	});
	it('Japanese stays as it was', () => {
		const ja = translator('ja');
		expect(formatDay(ja, '2026-12-02')).toBe('12月2日(水)');
		expect(formatDayLong(ja, '2026-12-02')).toBe('2026年12月2日');
		expect(formatYearMonth(ja, '2026-02')).toBe('2026年2月');
	});
});
