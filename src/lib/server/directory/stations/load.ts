/** Replacing the station list with a new load (`npm run stations:load`). */
import { sql } from 'drizzle-orm';
import { runIn, type SystemScope } from '../../scope';
import { nearestMunicipality } from '../places';
import { stations } from '../schema';
import type { StationEntry } from './n02';

export interface StationSource {
	/** The file loaded (its name), so a reader of the table knows which release it is. */
	source: string;
	licence: string;
	attribution: string;
}

export interface LoadReport {
	stations: number;
	/** Stations replaced by this load (the previous load's count). */
	replaced: number;
}

/** Rows per insert statement (well under PostgreSQL's 65,535 parameters). */
const BATCH = 500;

/**
 * The station list becomes exactly `entries`, in one transaction: a failure anywhere leaves the
 * previous list as it was, and readers see either the old list or the new one, never a mix.
 */
export async function replaceStations(scope: SystemScope, entries: StationEntry[], from: StationSource): Promise<LoadReport> {
	if (!entries.length) throw new Error('no stations to load');
	const rows = entries.map((e) => {
		// Which municipality: the nearest office's, a guess near a border (marked approximate).
		const place = nearestMunicipality(e);
		return { ...e, prefectureCode: place?.prefectureCode ?? null, municipalityCode: place?.code ?? null, municipalityApproximate: true, ...from };
	});
	return runIn(scope, async (tx) => {
		const before = await tx.execute<{ n: number }>(sql`select count(*)::int as n from stations`);
		await tx.delete(stations);
		for (let i = 0; i < rows.length; i += BATCH) await tx.insert(stations).values(rows.slice(i, i + BATCH));
		return {
			stations: rows.length,
			replaced: before.rows[0].n
		};
	});
}
