import { describe, expect, it } from 'vitest';
import { stageOf } from './calendar';

const at = (iso: string) => new Date(iso);

describe('stageOf', () => {
	const evening = { startsAt: at('2026-12-02T18:00:00+09:00'), endsAt: at('2026-12-02T23:30:00+09:00'), allDay: false };
	it('is under way from its start until its end, not over at its start', () => {
		expect(stageOf(evening, at('2026-12-02T17:59:00+09:00'))).toBe('upcoming');
		expect(stageOf(evening, at('2026-12-02T18:00:00+09:00'))).toBe('under_way');
		expect(stageOf(evening, at('2026-12-02T22:36:00+09:00'))).toBe('under_way');
		expect(stageOf(evening, at('2026-12-02T23:30:00+09:00'))).toBe('over');
	});
	it('gives a date without an end two hours, and a whole day to an all-day date', () => {
		const noEnd = { startsAt: at('2026-12-02T10:00:00+09:00'), endsAt: null, allDay: false };
		expect(stageOf(noEnd, at('2026-12-02T11:59:00+09:00'))).toBe('under_way');
		expect(stageOf(noEnd, at('2026-12-02T12:00:00+09:00'))).toBe('over');
		const allDay = { startsAt: at('2026-12-02T00:00:00+09:00'), endsAt: null, allDay: true };
		expect(stageOf(allDay, at('2026-12-02T20:00:00+09:00'))).toBe('under_way');
		expect(stageOf(allDay, at('2026-12-03T00:00:00+09:00'))).toBe('over');
	});
});
