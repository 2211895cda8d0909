/**
 * One word for one thing: the staff pages call a program 取組 (the menu, the program's own page,
 * 「取組を追加する」), so the registration settings that belong to it must not call it プログラム —
 * a new staff member on a date's page read 「プログラムの申込の設定」 and looked for a second thing.
 */
import { describe, expect, it } from 'vitest';
import { regDefaultsJa } from './ja-reg-defaults';
import { eventsJa } from './ja-events';
import { translator } from './index';
import { eventsEn as enEvents } from './en-events';

describe('the Japanese words of dates and their registration settings', () => {
	it('call the program 取組, as the rest of the staff pages do', () => {
		const texts = Object.entries({ ...eventsJa, ...regDefaultsJa }).filter(([, text]) => text.includes('プログラム'));
		expect(texts).toEqual([]);
	});
});

describe('the dates page’s clash note', () => {
	// The clash check looks at every date already made (staff/event-pages.ts, CLASH_DAYS_AHEAD = 400
	// days), not 60: 「今後60日に…重なりはありません」 said less than was checked and read as if
	// nothing past two months was looked at.
	it('does not name a 60-day window the check no longer has', () => {
		expect(eventsJa['events.staff.noOverlaps']).not.toMatch(/60/);
		expect(enEvents['events.staff.noOverlaps']).not.toMatch(/60/);
	});
});

describe('the English door list', () => {
	// There is no plural form in the catalogue: 「Record that 田中 (1 people) arrived」 was read out for a person alone.
	it('reads right for a person alone', () => {
		const t = translator('en');
		expect(t('checkin.expected.arriveLabel', { name: 'Tanaka', count: 1 })).not.toMatch(/1 people/);
		expect(t('checkin.expected.people', { count: 1 })).not.toMatch(/^1$/);
	});
});
