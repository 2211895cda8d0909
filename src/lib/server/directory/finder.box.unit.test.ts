/** The latitude/longitude box that narrows a radius search before the exact distance (finder/search.ts). */
import { describe, expect, it } from 'vitest';
import { boundingBox } from './finder/search';
import { distanceKm } from './places';

/** The point `km` away from `from` on `bearing` degrees (great circle, R = 6371 km). */
function destination(from: { lat: number; lng: number }, km: number, bearing: number) {
	const r = km / 6371;
	const φ1 = (from.lat * Math.PI) / 180;
	const λ1 = (from.lng * Math.PI) / 180;
	const θ = (bearing * Math.PI) / 180;
	const φ2 = Math.asin(Math.sin(φ1) * Math.cos(r) + Math.cos(φ1) * Math.sin(r) * Math.cos(θ));
	const λ2 = λ1 + Math.atan2(Math.sin(θ) * Math.sin(r) * Math.cos(φ1), Math.cos(r) - Math.sin(φ1) * Math.sin(φ2));
	return { lat: (φ2 * 180) / Math.PI, lng: (λ2 * 180) / Math.PI };
}

describe('boundingBox', () => {
	it('holds every point within the radius, in every direction, from Okinawa to Hokkaido', () => {
		for (const centre of [
			{ lat: 43.062, lng: 141.354 }, // 札幌
			{ lat: 35.69, lng: 139.692 }, // 新宿
			{ lat: 26.212, lng: 127.681 }, // 那覇
			{ lat: 45.415, lng: 141.673 } // 稚内
		]) {
			for (const km of [5, 10, 30]) {
				const box = boundingBox(centre, km)!;
				for (let bearing = 0; bearing < 360; bearing += 5) {
					const p = destination(centre, km, bearing);
					expect(distanceKm(centre, p)).toBeCloseTo(km, 3);
					expect(p.lat).toBeGreaterThanOrEqual(box.south);
					expect(p.lat).toBeLessThanOrEqual(box.north);
					expect(p.lng).toBeGreaterThanOrEqual(box.west);
					expect(p.lng).toBeLessThanOrEqual(box.east);
				}
				// And it is a box around the radius, not the whole country.
				expect(box.north - box.south).toBeLessThan((km / 111) * 2.1);
			}
		}
	});

	it('gives no box where one would need two parts', () => {
		expect(boundingBox({ lat: 89.95, lng: 0 }, 10)).toBeNull();
		expect(boundingBox({ lat: 0, lng: 179.99 }, 10)).toBeNull();
	});
});
