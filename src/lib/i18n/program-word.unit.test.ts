/**
 * One word for one thing: the staff pages call a program 取組 (the menu, the program's own page,
 * 「取組を追加する」), so the registration settings that belong to it must not call it プログラム —
 * a new staff member on a date's page read 「プログラムの申込の設定」 and looked for a second thing.
 */
import { describe, expect, it } from 'vitest';
import { regDefaultsJa } from './ja-reg-defaults';
import { eventsJa } from './ja-events';

describe('the Japanese words of dates and their registration settings', () => {
	it('call the program 取組, as the rest of the staff pages do', () => {
		const texts = Object.entries({ ...eventsJa, ...regDefaultsJa }).filter(([, text]) => text.includes('プログラム'));
		expect(texts).toEqual([]);
	});
});
