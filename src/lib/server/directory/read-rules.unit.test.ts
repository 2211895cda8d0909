/** Small rules the pages used to hold: what kind of place was typed, and when a program last changed. */
import { describe, expect, it } from 'vitest';
import { placeTextKind } from './finder/place';
import { lastChangedOf } from './read';

describe('placeTextKind', () => {
	it('tells a postcode, a station and any other name apart', () => {
		for (const postcode of ['〒000-0000', '1000001', '１００－０００１', '〒 100-0001', '100ー0001']) expect(placeTextKind(postcode), postcode).toBe('postcode');
		for (const station of ['新宿駅', ' 府中駅 ', '府中駅 東京都', '東京都/府中駅']) expect(placeTextKind(station), station).toBe('station');
		for (const name of ['どこか', '100-00011', '駅前']) expect(placeTextKind(name), name).toBe('name');
	});
});

describe('lastChangedOf', () => {
	const at = (iso: string) => new Date(iso);
	it('gives no day for a program loaded from a source file and never edited, the day of the change otherwise', () => {
		const loaded = { program: { createdAt: at('2026-11-01T00:00:00Z'), updatedAt: at('2026-11-01T00:00:00Z') }, organization: { sourceFile: 'seeds/001.md' } };
		expect(lastChangedOf(loaded)).toBeNull();
		const edited = { ...loaded, program: { ...loaded.program, updatedAt: at('2026-11-20T00:00:00Z') } };
		expect(lastChangedOf(edited)).toEqual(at('2026-11-20T00:00:00Z'));
		// Made by staff (no source file): its first save is a change someone made.
		expect(lastChangedOf({ ...loaded, organization: { sourceFile: null } })).toEqual(at('2026-11-01T00:00:00Z'));
	});
});
