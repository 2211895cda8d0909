import { describe, expect, it } from 'vitest';
import { readDemoDataset } from './load';
import { distanceKm, geocodeOffline, prefectureByName } from '../places';

describe('the demo dataset', () => {
	const dataset = readDemoDataset();
	it('lists each organisation once (by name as well as by slug)', () => {
		const names = dataset.map((o) => o.name);
		expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
		const slugs = dataset.map((o) => o.slug);
		expect(new Set(slugs).size).toBe(slugs.length);
	});
	it('keeps every program of an organisation that two casebooks describe', () => {
		const fb8 = dataset.find((o) => o.name === 'フードバンク八王子');
		expect(fb8?.programs.map((p) => p.slug).sort()).toEqual(['s001-fb8-food-support', 's001-fb8-getsureikai', 's004-hachioji-food-cafe', 's004-hachioji-platform']);
	});
	it('has unique program slugs', () => {
		const slugs = dataset.flatMap((o) => o.programs.map((p) => p.slug));
		expect(new Set(slugs).size).toBe(slugs.length);
	});
	it('gives its places their 市区町村’s point, so they load as approximate (none is a venue’s own point)', () => {
		const places = dataset.flatMap((o) => o.programs.flatMap((p) => p.locations)).filter((l) => l.lat !== null && l.lng !== null);
		expect(places.length).toBeGreaterThan(100);
		for (const place of places) {
			const where = `${place.prefecture}${place.city ?? ''} ${place.name}`;
			// Written as the 市区町村's centre (FORMAT.md), or the prefecture's for a prefecture-wide area:
			// within 2 km of the registry's point for it.
			const area = geocodeOffline(place) ?? prefectureByName(place.prefecture);
			expect(area?.lat, where).toEqual(expect.any(Number));
			expect(distanceKm({ lat: area!.lat!, lng: area!.lng! }, { lat: place.lat!, lng: place.lng! }), where).toBeLessThan(2);
			expect(place.approximate, where).toBe(true);
		}
	});
});
