/**
 * Rows written by an older build of the program index (before readings and area codes) are
 * rebuilt at start-up: a database upgraded in place must find 札幌市's wards and ふとうこう too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { testDatabase } from '../../../../tests/helpers/db';
import { makeOrganization, makePlace, makeProgram } from '../../../../tests/helpers/factories';
import type { Database } from '../db';
import { runIn, systemScope } from '../scope';
import { reindexStalePrograms } from './listings';
import { PROGRAM_INDEX_VERSION } from './save';
import { searchPrograms } from './finder/index';
import { finderQuery } from './finder-query';

let database: Database;
/** This test's own program: held in a ward of 札幌市, with 不登校 in its title. */
let wardProgram: string;
const clock = { now: new Date('2026-12-02T03:00:00Z'), today: '2026-12-02' };
const search = (params: Record<string, string>) => searchPrograms(database.db, finderQuery.parse(params), clock);

beforeAll(async () => {
	database = await testDatabase();
	const organizationId = await makeOrganization(database.db, { prefecture: '北海道', city: '札幌市' });
	const placeId = await makePlace(database.db, organizationId, { prefecture: '北海道', city: '札幌市中央区' });
	wardProgram = await makeProgram(database.db, organizationId, { edit: { title: '不登校の子の居場所' }, placeIds: [placeId], today: clock.today });
});
afterAll(() => database.close());

describe('reindexStalePrograms', () => {
	it('rebuilds what an older build left out, in batches, and then has nothing to do', async () => {
		const before = await search({ city: '札幌市', per_page: '100' });
		expect(before.items.map((i) => i.id)).toContain(wardProgram);
		// As an older build wrote them: no readings in the tags, no grams, no area codes, version 0.
		await runIn(systemScope(database.db, 'test'), (tx) => tx.execute(sql`update programs set search_tags = '', search_gram_ids = '{}', area_codes = '{}', index_version = 0`));
		const byWord = async () => (await search({ q: 'ふとうこう', per_page: '100' })).items.map((i) => i.id);
		expect(await byWord()).not.toContain(wardProgram);
		const { rows } = await database.db.execute<{ n: number }>(sql`select count(*)::int as n from programs`);

		expect(await reindexStalePrograms(systemScope(database.db, 'test'), clock.today, 7)).toBe(rows[0].n);
		const after = await database.db.execute<{ stale: number; uncoded: number; empty: number }>(
			sql`select count(*) filter (where index_version < ${PROGRAM_INDEX_VERSION})::int as stale, count(*) filter (where area_codes = '{}')::int as uncoded, count(*) filter (where search_gram_ids = '{}')::int as empty from programs`
		);
		expect(after.rows[0].stale).toBe(0);
		expect(after.rows[0].uncoded).toBeLessThan(rows[0].n);
		expect(after.rows[0].empty).toBe(0);
		const tags = await database.db.execute<{ tags: string }>(sql`select search_tags as tags from programs where id = ${wardProgram}`);
		expect(tags.rows[0].tags).toContain('ふとうこう');
		// Found by its words again, read through the rebuilt grams and confirmed on the rebuilt tags.
		expect(await byWord()).toContain(wardProgram);
		expect((await search({ city: '札幌市', per_page: '100' })).items.map((i) => i.id).sort()).toEqual(before.items.map((i) => i.id).sort());
		expect(await reindexStalePrograms(systemScope(database.db, 'test'), clock.today, 7)).toBe(0);
	});
});
