/** Places a resident names, and the distance from them. */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db';
import { PREFECTURES } from '../areas';

/**
 * Centre of a place a resident names: a 市区町村 ("世田谷区", "札幌", "東京都/世田谷区") as the
 * average of the known places there, or else a whole prefecture.
 */
export async function placeCentre(db: Db, place: string): Promise<{ lat: number; lng: number; label: string } | null> {
	let [pref, name] = place.includes('/') ? place.split('/', 2).map((s) => s.trim()) : [null, place.trim()];
	if (!name) return null;
	// "北海道札幌市" names the prefecture and the city together.
	const leading = pref ? undefined : PREFECTURES.find((p) => name.startsWith(p) && name.length > p.length);
	if (leading) [pref, name] = [leading, name.slice(leading.length)];
	const city = await db.execute<{ lat: number; lng: number; prefecture: string; city: string }>(sql`
		select avg(lat)::float8 as lat, avg(lng)::float8 as lng, prefecture, city from locations
		where lat is not null and city like ${name.replace(/[\\%_]/g, '\\$&') + '%'}
			${pref ? sql`and prefecture = ${pref}` : sql``}
		group by prefecture, city order by bool_or(city = ${name}) desc, count(*) desc limit 1`);
	const row = city.rows[0];
	if (row) return { lat: row.lat, lng: row.lng, label: `${row.prefecture}${row.city}` };
	const prefecture = await db.execute<{ lat: number; lng: number; prefecture: string }>(sql`
		select avg(lat)::float8 as lat, avg(lng)::float8 as lng, prefecture from locations
		where lat is not null and (prefecture = ${name} or prefecture like ${name + '%'})
		group by prefecture order by count(*) desc limit 1`);
	const p = prefecture.rows[0];
	return p ? { lat: p.lat, lng: p.lng, label: p.prefecture } : null;
}
