/**
 * National scale (issue 15): the finder counts exactly up to COUNT_LIMIT and says "at least" beyond,
 * and takes its page from a bounded candidate set. The demo region copied ten times over holds
 * more than 1,000 programs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { testDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../db';
import { asSystem } from '../db/tenant';
import { systemScope } from '../scope';
import { searchPrograms } from './finder/index';
import { COUNT_LIMIT } from './finder/search';
import { finderQuery } from './finder-query';
import { refreshUpcomingDates } from './upcoming';

let database: Database;
const friday = { now: new Date('2026-12-04T01:00:00Z'), today: '2026-12-04' };
let published = 0;

beforeAll(async () => {
	database = await testDatabase();
	const columns = await database.db.execute<{ name: string }>(sql`select column_name as name from information_schema.columns where table_schema = 'public' and table_name = 'programs' and column_name not in ('id', 'slug') and is_generated = 'NEVER' and is_identity = 'NO'`);
	const list = sql.raw(columns.rows.map((c) => `"${c.name}"`).join(', '));
	await asSystem(database.db, (tx) => tx.execute(sql`insert into programs (id, slug, ${list}) select gen_random_uuid(), p.slug || '-copy-' || g, ${list} from programs p cross join generate_series(1, 9) g`));
	await refreshUpcomingDates(systemScope(database.db, 'test'), friday.today);
	const n = await database.db.execute<{ n: number }>(sql`select count(*)::int as n from programs p where p.published and p.status <> 'ended' and p.organization_id not in (select o.id from organizations o where not o.published)`);
	published = n.rows[0].n;
}, 120_000);
afterAll(() => database.close());

const search = (params: Record<string, string>) => searchPrograms(database.db, finderQuery.parse(params), friday);

describe('counting up to a threshold', () => {
	it('says "at least 1,000" when more match, and the page is still full and in order', async () => {
		expect(published).toBeGreaterThan(COUNT_LIMIT);
		const result = await search({ sort: 'next' });
		expect(result.total).toBe(COUNT_LIMIT);
		expect(result.totalIsLowerBound).toBe(true);
		expect(result.items).toHaveLength(result.perPage);
		const starts = result.items.map((i) => i.next?.startsAt ?? '9999');
		expect([...starts].sort()).toEqual(starts);
		// The soonest program of all is on the first page (the candidates are taken by the next date).
		const soonest = await database.db.execute<{ at: string | null }>(
			sql`select min(case when p.next_ends_at > ${friday.now.toISOString()}::timestamptz then p.next_starts_at when p.following_starts_at > ${friday.now.toISOString()}::timestamptz then p.following_starts_at end) as at from programs p where p.published`
		);
		expect(result.items[0].next?.startsAt).toBe(soonest.rows[0].at === null ? undefined : new Date(soonest.rows[0].at).toISOString());
	});

	it('counts exactly below the threshold', async () => {
		const result = await search({ q: 'こども食堂' });
		expect(result.total).toBeLessThan(COUNT_LIMIT);
		expect(result.totalIsLowerBound).toBe(false);
	});

	it('pages past the threshold', async () => {
		const result = await search({ sort: 'next', per_page: '20', page: '52' });
		expect(result.items.length).toBeGreaterThan(0);
		expect(result.totalIsLowerBound).toBe(true);
		expect(result.total).toBeGreaterThanOrEqual(1020);
	});
});
