import { describe, expect, it } from 'vitest';
import { parseScheduleCell, scheduleKey, scheduleText, schedulesText } from './schedule-text';

const one = (text: string) => {
	const cell = parseScheduleCell(text);
	expect(cell.schedules, text).toHaveLength(1);
	return { ...cell.schedules[0], warned: cell.warnings.length > 0 };
};

describe('parseScheduleCell: schedules written in words, as サロン一覧 write them', () => {
	it.each([
		['毎月第2火曜 10時〜12時', 'FREQ=MONTHLY;BYDAY=2TU', '10:00', '12:00'],
		['第1・第3土曜日 10:00-13:00', 'FREQ=MONTHLY;BYDAY=1SA,3SA', '10:00', '13:00'],
		['毎週水曜 14時から16時', 'FREQ=WEEKLY;BYDAY=WE', '14:00', '16:00'],
		['毎月15日', 'FREQ=MONTHLY;BYMONTHDAY=15', null, null],
		['毎月１５日　１３：３０～１５：００', 'FREQ=MONTHLY;BYMONTHDAY=15', '13:30', '15:00'],
		['毎週水曜日 午後1時〜3時', 'FREQ=WEEKLY;BYDAY=WE', '13:00', '15:00'],
		['毎週月・木曜日 10:00～11:30', 'FREQ=WEEKLY;BYDAY=MO,TH', '10:00', '11:30'],
		['第２・第４木曜日　１３時半〜１５時半', 'FREQ=MONTHLY;BYDAY=2TH,4TH', '13:30', '15:30'],
		['毎月第3日曜日 10時〜正午', 'FREQ=MONTHLY;BYDAY=3SU', '10:00', '12:00'],
		['毎月最終金曜日 18時〜20時', 'FREQ=MONTHLY;BYDAY=-1FR', '18:00', '20:00'],
		['毎月1・15日 10時〜', 'FREQ=MONTHLY;BYMONTHDAY=1,15', '10:00', null],
		['毎週火曜 10:00〜12:00（祝日を除く）', 'FREQ=WEEKLY;BYDAY=TU', '10:00', '12:00'],
		['平日 9時〜17時', 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', '09:00', '17:00'],
		['毎月第1土曜日 午前10時から12時まで', 'FREQ=MONTHLY;BYDAY=1SA', '10:00', '12:00'],
		['毎週土日 10時～16時', 'FREQ=WEEKLY;BYDAY=SA,SU', '10:00', '16:00']
	])('%s', (text, rrule, opensAt, closesAt) => {
		expect(one(text)).toMatchObject({ rrule, opensAt, closesAt, note: null, warned: false });
	});

	it('reads 隔週 and 隔月 only with the day they start from', () => {
		expect(one('隔週水曜 14時〜16時（2026年4月8日から）')).toMatchObject({ rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=WE', dtstart: '2026-04-08', opensAt: '14:00', closesAt: '16:00', warned: false });
		expect(one('隔週金曜 10:00-12:00 (2026-05-01から)')).toMatchObject({ rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=FR', dtstart: '2026-05-01' });
		expect(one('隔月第2土曜 2026/4/11から')).toMatchObject({ rrule: 'FREQ=MONTHLY;INTERVAL=2;BYDAY=2SA', dtstart: '2026-04-11' });
		// Which weeks? Unknown: kept as words with a warning, never a guessed rule.
		const loose = parseScheduleCell('隔週水曜 14時〜16時');
		expect(loose.schedules).toEqual([{ rrule: null, dtstart: null, opensAt: null, closesAt: null, closedOnHolidays: false, note: '隔週水曜 14時〜16時' }]);
		expect(loose.warnings).toEqual([{ line: '隔週水曜 14時〜16時', reason: 'alternate_without_start' }]);
		expect(parseScheduleCell('隔週水曜（2026年2月30日から）').warnings[0].reason).toBe('words');
	});

	it('reads several schedules: one a line, or whole rules joined by 、', () => {
		expect(parseScheduleCell('毎週水曜 14時〜16時\n第1土曜 10時〜12時').schedules.map((s) => s.rrule)).toEqual(['FREQ=WEEKLY;BYDAY=WE', 'FREQ=MONTHLY;BYDAY=1SA']);
		expect(parseScheduleCell('毎週水曜 14時〜16時、第1土曜 10時〜12時').schedules.map((s) => s.rrule)).toEqual(['FREQ=WEEKLY;BYDAY=WE', 'FREQ=MONTHLY;BYDAY=1SA']);
		// The second part says no days: the whole line stays words.
		const half = parseScheduleCell('毎週月曜 10時〜12時、14時〜16時');
		expect(half.schedules).toHaveLength(1);
		expect(half.schedules[0].rrule).toBeNull();
		expect(half.warnings).toHaveLength(1);
	});

	it('keeps a note after ※ beside the rule', () => {
		expect(one('毎週水曜 14:00〜16:00 ※雨天中止')).toMatchObject({ rrule: 'FREQ=WEEKLY;BYDAY=WE', note: '雨天中止', warned: false });
		expect(one('※日程は団体にお問い合わせください')).toMatchObject({ rrule: null, note: '日程は団体にお問い合わせください', warned: false });
		expect(one('13:30〜16:00 ※2026年1月12日(月・祝)')).toMatchObject({ rrule: null, opensAt: '13:30', closesAt: '16:00', note: '2026年1月12日(月・祝)', warned: false });
	});

	it.each(['月1回程度', '不定期', '毎月1回（曜日の記載なし）', '週1回', '年2回開催', '2026年1月12日(月・祝)13:30〜16:00', '毎週月曜 10時頃から', '第2火曜 10時〜12時、14時〜16時', '平日午前', '毎週土日祝 10時〜16時', '要問い合わせ'])('keeps %j as words with a warning', (text) => {
		const cell = parseScheduleCell(text);
		expect(cell.schedules).toEqual([{ rrule: null, dtstart: null, opensAt: null, closesAt: null, closedOnHolidays: false, note: text }]);
		expect(cell.warnings).toHaveLength(1);
		expect(cell.problems).toEqual([]);
	});

	it('has no schedule for an empty cell, and a problem for an over-long note', () => {
		expect(parseScheduleCell('  \n ')).toEqual({ schedules: [], warnings: [], problems: [] });
		expect(parseScheduleCell('あ'.repeat(201)).problems[0].reason).toBe('note_too_long');
	});
});

describe('scheduleText: the export reads back to the same schedule', () => {
	const stored = [
		{ rrule: 'FREQ=MONTHLY;INTERVAL=1;BYDAY=2TU', dtstart: '2026-01-01', opensAt: '10:00', closesAt: '12:00', closedOnHolidays: false, note: null },
		{ rrule: 'FREQ=MONTHLY;INTERVAL=1;BYDAY=1SA,3SA', dtstart: '2026-01-01', opensAt: '10:00', closesAt: '13:00', closedOnHolidays: true, note: '講座' },
		{ rrule: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE,FR', dtstart: '2026-01-01', opensAt: '16:00', closesAt: '21:00', closedOnHolidays: false, note: '平日週3回(月・水・金)16:00-21:00' },
		{ rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=WE', dtstart: '2026-04-08', opensAt: '14:00', closesAt: null, closedOnHolidays: false, note: null },
		{ rrule: 'FREQ=MONTHLY;BYMONTHDAY=1,15', dtstart: '2026-01-01', opensAt: null, closesAt: null, closedOnHolidays: false, note: null },
		{ rrule: 'FREQ=MONTHLY;BYDAY=-1FR', dtstart: '2026-01-01', opensAt: '18:00', closesAt: '20:00', closedOnHolidays: false, note: null },
		{ rrule: 'FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU,4TH', dtstart: '2026-02-10', opensAt: '10:00', closesAt: '11:00', closedOnHolidays: false, note: null },
		{ rrule: null, dtstart: '2026-01-01', opensAt: null, closesAt: null, closedOnHolidays: false, note: '月1回程度' },
		{ rrule: null, dtstart: '2026-01-01', opensAt: null, closesAt: null, closedOnHolidays: false, note: '毎週月曜' },
		{ rrule: null, dtstart: '2026-01-01', opensAt: '13:30', closesAt: '16:00', closedOnHolidays: false, note: '2026年1月12日(月・祝)' }
	];
	it.each(stored)('$rrule $note', (s) => {
		const text = scheduleText(s);
		const back = parseScheduleCell(text);
		expect(
			back.warnings.filter((w) => s.rrule !== null || w.reason !== 'words'),
			text
		).toEqual([]);
		expect(back.schedules, text).toHaveLength(1);
		expect(scheduleKey({ ...back.schedules[0], dtstart: back.schedules[0].dtstart ?? s.dtstart }), text).toBe(scheduleKey(s));
	});

	it('writes the words staff would write', () => {
		expect(scheduleText(stored[0])).toBe('毎月第2火曜 10:00〜12:00');
		expect(scheduleText(stored[1])).toBe('毎月第1・第3土曜 10:00〜13:00 (祝日は休み) ※講座');
		expect(scheduleText(stored[3])).toBe('隔週水曜 (2026-04-08から) 14:00〜');
		expect(scheduleText(stored[6])).toBe('RRULE:FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU,4TH (2026-02-10から) 10:00〜11:00');
		expect(scheduleText(stored[8])).toBe('※毎週月曜');
		expect(schedulesText(stored.slice(0, 2)).split('\n')).toHaveLength(2);
	});

	it('takes INTERVAL=1 and its absence for the same rule', () => {
		expect(scheduleKey({ ...stored[0], rrule: 'FREQ=MONTHLY;BYDAY=2TU' })).toBe(scheduleKey(stored[0]));
		expect(scheduleKey({ ...stored[0], opensAt: '10:30' })).not.toBe(scheduleKey(stored[0]));
	});
});
