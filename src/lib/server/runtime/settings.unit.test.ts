import { describe, expect, it } from 'vitest';
import { exportQuietMs, reminderIntervalMs } from './settings';
import { untilTokyoTime } from './schedule';

describe('the runtime settings', () => {
	it('take defaults when unset or empty, and seconds otherwise', () => {
		expect(reminderIntervalMs({})).toBe(15 * 60_000);
		expect(reminderIntervalMs({ REMINDER_INTERVAL_SECONDS: '' })).toBe(15 * 60_000);
		expect(reminderIntervalMs({ REMINDER_INTERVAL_SECONDS: '30' })).toBe(30_000);
		expect(exportQuietMs({})).toBe(10_000);
		expect(exportQuietMs({ OPENDATA_EXPORT_QUIET_SECONDS: '0' })).toBe(0);
	});

	it('refuse a value that is not what the setting needs, naming the setting', () => {
		expect(() => reminderIntervalMs({ REMINDER_INTERVAL_SECONDS: '0' })).toThrow(/REMINDER_INTERVAL_SECONDS must be a positive number of seconds, not "0"/);
		expect(() => reminderIntervalMs({ REMINDER_INTERVAL_SECONDS: 'often' })).toThrow(/REMINDER_INTERVAL_SECONDS/);
		expect(() => exportQuietMs({ OPENDATA_EXPORT_QUIET_SECONDS: '-1' })).toThrow(/OPENDATA_EXPORT_QUIET_SECONDS must be a number of seconds/);
	});
});

describe('untilTokyoTime', () => {
	const at = (iso: string) => Date.parse(iso);
	it('waits until the next given minute of the day in Tokyo', () => {
		// 02:59 in Tokyo (17:59 UTC the day before): one minute to 03:00.
		expect(untilTokyoTime(3 * 60, at('2026-12-02T17:59:00Z'))).toBe(60_000);
		// 03:01 in Tokyo: 03:00 has passed, so tomorrow's.
		expect(untilTokyoTime(3 * 60, at('2026-12-02T18:01:00Z'))).toBe(24 * 3600_000 - 60_000);
		// A minute past midnight, asked at 23:30 in Tokyo (14:30 UTC).
		expect(untilTokyoTime(1, at('2026-12-02T14:30:00Z'))).toBe(31 * 60_000);
		// 03:30, asked at noon UTC (21:00 in Tokyo).
		expect(untilTokyoTime(3 * 60 + 30, at('2026-12-02T12:00:00Z'))).toBe(6.5 * 3600_000);
	});
});
