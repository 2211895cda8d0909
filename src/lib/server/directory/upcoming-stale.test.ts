/** Start-up's question to the directory: do the programs' upcoming dates need rebuilding for this day? */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../db';
import { upcomingDatesStale } from './index';

let database: Database;
beforeAll(async () => {
	database = await testDatabase();
});
afterAll(() => database?.close());

describe('upcomingDatesStale', () => {
	it('is false while no date is before the day (the demo region has dates)', async () => {
		expect(await upcomingDatesStale(database.db, '2000-01-01')).toBe(false);
	});

	it('is true once dates before the day are still there', async () => {
		expect(await upcomingDatesStale(database.db, '2999-01-01')).toBe(true);
	});
});
