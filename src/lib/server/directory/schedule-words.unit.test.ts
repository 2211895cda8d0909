import { describe, expect, it } from 'vitest';
import { readScheduleWords, withRuleFromWords } from './schedule-words';

const rule = (note: string) => {
	const r = readScheduleWords(note);
	return r.ok ? r.rule : null;
};

describe('readScheduleWords: what the words say exactly', () => {
	it('reads weekly days', () => {
		expect(rule('毎週月曜')).toEqual({ rrule: 'FREQ=WEEKLY;BYDAY=MO', opensAt: null, closesAt: null, closedOnHolidays: false });
		expect(rule('毎週月・水・金曜日')?.rrule).toBe('FREQ=WEEKLY;BYDAY=MO,WE,FR');
		expect(rule('毎週 火曜日と木曜日')?.rrule).toBe('FREQ=WEEKLY;BYDAY=TU,TH');
		expect(rule('毎週土日')?.rrule).toBe('FREQ=WEEKLY;BYDAY=SA,SU');
		expect(rule('毎週日曜日')?.rrule).toBe('FREQ=WEEKLY;BYDAY=SU');
		expect(rule('毎日')?.rrule).toBe('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU');
	});

	it('reads 平日 as Monday to Friday without national holidays', () => {
		expect(rule('平日 10–16時')).toEqual({ rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', opensAt: '10:00', closesAt: '16:00', closedOnHolidays: true });
		expect(rule('平日10:00〜16:00')).toEqual(rule('平日 10–16時'));
		expect(rule('平日 １０：００～１６：００')).toEqual(rule('平日 10–16時'));
	});

	it('reads the nth weekdays of the month', () => {
		expect(rule('第1・第3土曜日')?.rrule).toBe('FREQ=MONTHLY;BYDAY=1SA,3SA');
		expect(rule('毎月第1・3土曜')?.rrule).toBe('FREQ=MONTHLY;BYDAY=1SA,3SA');
		expect(rule('毎月最終金曜日 18時〜20時')).toEqual({ rrule: 'FREQ=MONTHLY;BYDAY=-1FR', opensAt: '18:00', closesAt: '20:00', closedOnHolidays: false });
		expect(rule('毎月第2火曜 13時半から')).toEqual({ rrule: 'FREQ=MONTHLY;BYDAY=2TU', opensAt: '13:30', closesAt: null, closedOnHolidays: false });
		expect(rule('毎月第1・第3土曜日 13時〜15時')).toEqual({ rrule: 'FREQ=MONTHLY;BYDAY=1SA,3SA', opensAt: '13:00', closesAt: '15:00', closedOnHolidays: false });
	});

	it('reads days of the month', () => {
		expect(rule('毎月15日')?.rrule).toBe('FREQ=MONTHLY;BYMONTHDAY=15');
	});

	it('reads times in the ways notes write them', () => {
		expect(rule('毎週水曜 10時30分〜12時')).toMatchObject({ opensAt: '10:30', closesAt: '12:00' });
		expect(rule('毎週水曜 午後1時〜3時')).toMatchObject({ opensAt: '13:00', closesAt: '15:00' });
		expect(rule('毎週水曜 10時から12時まで')).toMatchObject({ opensAt: '10:00', closesAt: '12:00' });
		expect(rule('毎週水曜 10:00〜')).toMatchObject({ opensAt: '10:00', closesAt: null });
		expect(rule('毎週水曜日の13時')).toMatchObject({ opensAt: '13:00', closesAt: null });
	});

	it('reads "closed on holidays"', () => {
		expect(rule('毎週月曜 10時〜12時（祝日を除く）')?.closedOnHolidays).toBe(true);
		expect(rule('毎週月曜 祝日休み')?.closedOnHolidays).toBe(true);
	});
});

describe('readScheduleWords never invents', () => {
	it.each([
		'不定期',
		'月1回程度',
		'要問い合わせ',
		'毎月1回',
		'週1回',
		'隔週月曜',
		'週末',
		'平日午前',
		'毎週開催（曜日の記載なし）',
		'毎月1回（曜日の記載なし）',
		'毎週月曜 10時頃から',
		'毎週月曜など',
		'24時間対応',
		'毎日24時間',
		'毎週月曜・第2土曜',
		'毎週月曜 10時〜12時、14時〜16時',
		'毎週金曜日の夜間（12月から。それ以前は毎週土曜13時〜15時）',
		'毎月第1・第3土曜日 心理カウンセリング（予約制）10:00〜11:00',
		'2026年1月12日(月・祝)13:30〜16:00',
		'平日週3回(月・水・金)16:00-21:00',
		'16時〜18時',
		'毎週月曜 16時〜10時',
		'毎週月曜 25時',
		''
	])('keeps %j as words', (note) => {
		expect(readScheduleWords(note).ok).toBe(false);
	});

	it('does not read days on which holidays are open days (the rule cannot say so)', () => {
		expect(readScheduleWords('土日祝 10時〜16時')).toEqual({ ok: false, reason: 'open_on_holidays' });
		expect(readScheduleWords('毎週土日祝')).toEqual({ ok: false, reason: 'open_on_holidays' });
	});
});

describe('withRuleFromWords', () => {
	const base = { rrule: null, dtstart: '2025-04-01', opensAt: null, closesAt: null, closedOnHolidays: false, note: '毎週月曜 10時〜12時' };
	it('fills a rule-less schedule from its note and keeps the note', () => {
		expect(withRuleFromWords(base)).toEqual({ ...base, rrule: 'FREQ=WEEKLY;BYDAY=MO', opensAt: '10:00', closesAt: '12:00' });
	});
	it('leaves a schedule with a rule, or whose hours disagree with its words, as given', () => {
		const ruled = { ...base, rrule: 'FREQ=WEEKLY;BYDAY=TU' };
		expect(withRuleFromWords(ruled)).toBe(ruled);
		const other = { ...base, opensAt: '14:00' };
		expect(withRuleFromWords(other)).toBe(other);
		const loose = { ...base, note: '月1回程度' };
		expect(withRuleFromWords(loose)).toBe(loose);
	});
});
