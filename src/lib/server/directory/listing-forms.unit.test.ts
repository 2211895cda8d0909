/** The staff place form as staff fill it: a prefecture that is none is refused beside its field. */
import { describe, expect, it } from 'vitest';
import { readLocation } from './listing-forms';

const form = (fields: Record<string, string>) => {
	const data = new FormData();
	for (const [k, v] of Object.entries({ name: 'ひまわり会館', prefecture: '東京都', city: '荒川区', ...fields })) data.set(k, v);
	return data;
};

describe('readLocation', () => {
	it('refuses a prefecture that does not exist (「ニャー県」 was saved, and the place then had no point to be found by)', () => {
		const parsed = readLocation(form({ prefecture: 'ニャー県' }));
		expect(parsed.ok).toBe(false);
		expect(parsed.ok ? null : parsed.errors.prefecture).toBe('staff.error.prefecture');
		expect(parsed.values.prefecture).toBe('ニャー県');
	});
	it('takes a prefecture as residents write it, and stores its full name', () => {
		const parsed = readLocation(form({ prefecture: '東京' }));
		expect(parsed.ok && parsed.value.prefecture).toBe('東京都');
		expect(readLocation(form({ prefecture: '北海道', city: '札幌市西区' })).ok).toBe(true);
	});
});
