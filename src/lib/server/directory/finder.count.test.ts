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

describe('reading the next date from the index (nextOrderedMatches)', () => {
	/** Every published residents' program's key (its next date not yet over, per nextOccurrenceKey), by id. */
	const keysById = async (now: Date) => {
		const at = now.toISOString();
		const rows = await database.db.execute<{ id: string; key: string | null }>(
			sql`select p.id, (case when p.next_ends_at > ${at}::timestamptz then p.next_starts_at when p.following_starts_at > ${at}::timestamptz then p.following_starts_at end) as key
				from programs p where p.published and p.status <> 'ended' and p.audience = 'residents' and p.organization_id not in (select o.id from organizations o where not o.published)`
		);
		return new Map(rows.rows.map((r) => [r.id, r.key === null ? null : new Date(r.key).toISOString()]));
	};
	const soonestFirst = (keys: Array<string | null>) => [...keys].sort((a, b) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1));

	it('orders by the following date a program whose next occurrence ended after the last refresh', async () => {
		// Dates were refreshed on Friday morning; by 23:00 that evening the day's occurrences are over.
		const evening = { now: new Date('2026-12-04T14:00:00Z'), today: '2026-12-04' };
		const ended = await database.db.execute<{ n: number }>(sql`select count(*)::int as n from programs p where p.published and p.next_ends_at <= ${evening.now.toISOString()}::timestamptz and p.following_starts_at is not null`);
		expect(ended.rows[0].n).toBeGreaterThan(0);
		const keys = await keysById(evening.now);
		const expected = soonestFirst([...keys.values()]);
		for (const page of [1, 3]) {
			const result = await searchPrograms(database.db, finderQuery.parse({ sort: 'next', per_page: '50', page: String(page) }), evening);
			expect(result.items.map((i) => keys.get(i.id))).toEqual(expected.slice((page - 1) * 50, page * 50));
		}
	});

	it('lists programs with no date ahead after the dated ones, and counts them all', async () => {
		const keys = await keysById(friday.now);
		expect([...keys.values()].filter((k) => k === null).length).toBeGreaterThan(0);
		// A filter that leaves fewer than COUNT_LIMIT: the three parts together are the exact count.
		const few = await search({ sort: 'next', q: 'こども食堂', per_page: '100' });
		const byRelevance = await search({ q: 'こども食堂' });
		expect(few.totalIsLowerBound).toBe(false);
		expect(few.total).toBe(byRelevance.total);
		const starts = few.items.map((i) => i.next?.startsAt ?? '9999');
		expect([...starts].sort()).toEqual(starts);
	});
});
