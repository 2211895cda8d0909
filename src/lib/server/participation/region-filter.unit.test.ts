import { describe, expect, it } from 'vitest';
import { readRegionFilter } from './figures-page';

const read = (query: Record<string, string>) => readRegionFilter(new URLSearchParams(query));

describe('readRegionFilter (the network figures narrowed by name and city)', () => {
	it('reads the name and the city, trimmed, up to 100 characters', () => {
		expect(read({})).toEqual({ ok: true, value: { name: '', city: '' } });
		expect(read({ name: ' こども食堂 ', city: 'ゆめみ市' })).toEqual({ ok: true, value: { name: 'こども食堂', city: 'ゆめみ市' } });
		expect(read({ name: 'あ'.repeat(100) })).toEqual({ ok: true, value: { name: 'あ'.repeat(100), city: '' } });
	});

	it('refuses a longer name or city instead of dropping it (which showed the whole region as if filtered)', () => {
		expect(read({ name: 'あ'.repeat(101) })).toEqual({ ok: false, reason: 'too_long' });
		expect(read({ name: 'こども', city: 'a'.repeat(101) })).toEqual({ ok: false, reason: 'too_long' });
	});
});
