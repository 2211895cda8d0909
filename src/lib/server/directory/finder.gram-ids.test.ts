/**
 * The finder matches words on programs' grams as integers (`search_gram_ids`, migration 0023,
 * search/normalize.ts gramId): what staff save or edit is found through them at once, a row
 * written before them is found again once start-up has rebuilt it (PROGRAM_INDEX_VERSION 2), and
 * the characters beyond the BMP, which share ids, never make a match the text does not hold.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { testDatabase } from '../../../../tests/helpers/db';
import { makeOrganization, makePlace, makeProgram } from '../../../../tests/helpers/factories';
import { setUpAsStaff } from '../../../../tests/helpers/contexts';
import { programEdit } from '../../../../tests/helpers/program';
import type { Database } from '../db';
import { searchPrograms } from './finder/index';
import { finderQuery } from './finder-query';
import { reindexStalePrograms, saveProgram } from './listings';
import { runIn, systemScope } from '../scope';

let database: Database;
let organizationId: string;
let placeId: string;
const clock = { now: new Date('2026-12-02T03:00:00Z'), today: '2026-12-02' };
const found = async (q: string) => (await searchPrograms(database.db, finderQuery.parse({ q, per_page: '100' }), clock)).items.map((i) => i.id);

beforeAll(async () => {
	database = await testDatabase();
	organizationId = await makeOrganization(database.db);
	placeId = await makePlace(database.db, organizationId);
});
afterAll(() => database.close());

describe('search_gram_ids', () => {
	it('finds a program staff saved by its words, and after an edit by its new words only', async () => {
		const id = await makeProgram(database.db, organizationId, { edit: { title: '蝸牛観察会', summary: '庭で蝸牛を見ます' }, placeIds: [placeId], today: clock.today });
		// A word longer than two characters (confirmed on the text) and one of two (grams alone).
		expect(await found('蝸牛観察会')).toContain(id);
		expect(await found('蝸牛')).toContain(id);

		const edited = await setUpAsStaff(database.db, (tx) => saveProgram(tx, organizationId, id, programEdit({ title: '鍾乳洞探検', summary: '洞窟を歩きます' }), [placeId], clock.today));
		expect(edited.ok).toBe(true);
		expect(await found('鍾乳洞探検')).toContain(id);
		expect(await found('鍾乳')).toContain(id);
		expect(await found('蝸牛観察会')).not.toContain(id);
		expect(await found('蝸牛')).not.toContain(id);
	});

	it('a character beyond the BMP matches only where the text holds it, though its ids are shared', async () => {
		// U+20BB7 𠮷 and U+203B7 share their low 11 bits, so their gram ids are the same.
		const id = await makeProgram(database.db, organizationId, { edit: { title: '𠮷の会' }, placeIds: [placeId], today: clock.today });
		expect(await found('𠮷')).toContain(id);
		expect(await found('\u{203B7}')).not.toContain(id);
		expect(await found('𠮷の')).toContain(id);
		expect(await found('\u{203B7}の')).not.toContain(id);
	});

	it('a row of the build before the ids is found again once start-up has rebuilt it', async () => {
		const id = await makeProgram(database.db, organizationId, { edit: { title: '蛍狩りの夕べ' }, placeIds: [placeId], today: clock.today });
		expect(await found('蛍狩り')).toContain(id);
		// As migration 0023 leaves a row written before it: no ids yet, the previous build's version.
		await runIn(systemScope(database.db, 'test'), (tx) => tx.execute(sql`update programs set search_gram_ids = '{}', index_version = 1 where id = ${id}`));
		expect(await found('蛍狩り')).not.toContain(id);
		expect(await reindexStalePrograms(systemScope(database.db, 'test'), clock.today)).toBe(1);
		expect(await found('蛍狩り')).toContain(id);
		expect(await found('蛍')).toContain(id);
	});
});
