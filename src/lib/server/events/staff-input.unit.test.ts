import { describe, expect, it } from 'vitest';
import { readMove } from './staff-input';

const form = (day: string) => {
	const f = new FormData();
	f.set('day', day);
	f.set('start', '10:00');
	f.set('end', '12:00');
	return f;
};

describe('a date staff move an occurrence to', () => {
	it('is a real day within the stated range (2000-01-01 to 2100-12-31)', () => {
		expect(readMove(form('2026-12-05')).ok).toBe(true);
		for (const day of ['9999-12-31', '0000-01-01', '1999-12-31', '2101-01-01', '2026-02-30', '2026-1-5']) {
			const parsed = readMove(form(day));
			expect(parsed.ok, day).toBe(false);
			if (!parsed.ok) expect(parsed.errors.day).toBe('events.error.day');
		}
	});
});
