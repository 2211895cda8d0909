/**
 * Relevance over more than COUNT_LIMIT matches (issue 15, national scale): the page is the true
 * best of every match — score, then next date, then title — not the best of whichever matches the
 * gram index happened to yield first. Fictional programs made here: many weak matches (the words
 * only in their text) written first, so they fill the heap's first pages, and a few strong ones
 * (the word in the title, or in the organisation's name) written after them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { testDatabase } from '../../../../tests/helpers/db';
import { makeOrganization, makeProgram } from '../../../../tests/helpers/factories';
import type { Database } from '../db';
import { asSystem } from '../db/tenant';
import { searchPrograms } from './finder/index';
import { COUNT_LIMIT } from './finder/search';
import { textMatch } from './finder/text';
import { finderQuery } from './finder-query';
import { buildSearchDocument } from './search/document';

/** Two made-up words no demo program holds, each a word of its own with no synonyms. */
const A = 'ポロメリカ';
const B = 'キルタン';
const clock = { now: new Date('2026-12-04T01:00:00Z'), today: '2026-12-04' };
const HOUR = 3600_000;

interface Made {
	id: string;
	title: string;
	/** Null: no date ahead (listed after the dated of the same score, by title). */
	startsAt: number | null;
	/** The score of each word (finder/text.ts): 10 in the title, 6 in the tags, else 2. */
	scoreA: number;
	scoreB: number;
}
let database: Database;
const made: Made[] = [];
let weakCount = 0;

beforeAll(async () => {
	database = await testDatabase();
	const plain = await makeOrganization(database.db, { name: '試験の森の会' });
	const namedB = await makeOrganization(database.db, { name: `${B}の会` });
	const template = await makeProgram(database.db, plain, { schedule: null, today: clock.today });
	const columns = await database.db.execute<{ name: string }>(
		sql`select column_name as name from information_schema.columns where table_schema = 'public' and table_name = 'programs' and is_generated = 'NEVER' and is_identity = 'NO'
			and column_name not in ('id', 'slug', 'organization_id', 'title', 'summary', 'search_title', 'search_tags', 'search_body', 'search_gram_ids', 'next_starts_at', 'next_ends_at', 'following_starts_at')`
	);
	const copied = sql.raw(columns.rows.map((c) => `"${c.name}"`).join(', '));

	/** Programs like the template, with their own title, summary, organisation and one date each; returns their ids in order. */
	const insert = async (kind: string, organizationId: string, organizationName: string, rows: Array<{ title: string; summary: string; startsAt: number | null; scoreA: number; scoreB: number }>) => {
		const docs = rows.map((r) => buildSearchDocument({ title: r.title, summary: r.summary, description: '', forms: [], targets: [], lifeStages: [], organizationName, areas: [] }));
		const arr = (values: Array<string | null>) => sql`${`{${values.map((v) => (v === null ? 'NULL' : `"${v.replace(/["\\]/g, '\\$&')}"`)).join(',')}}`}::text[]`;
		const inserted = await asSystem(database.db, async (tx) => {
			const result = await tx.execute<{ id: string; n: number }>(sql`
				insert into programs (id, slug, organization_id, title, summary, search_title, search_tags, search_body, search_gram_ids, next_starts_at, next_ends_at, following_starts_at, ${copied})
				select gen_random_uuid(), ${`scale-${kind}-`} || r.n, ${organizationId}::uuid, r.title, r.summary, r.st, r.tags, r.body, r.grams::int[], r.starts, r.starts + interval '1 hour', null, ${copied}
				from programs t cross join unnest(${arr(rows.map((r) => r.title))}, ${arr(rows.map((r) => r.summary))}, ${arr(docs.map((d) => d.searchTitle))}, ${arr(docs.map((d) => d.searchTags))},
					${arr(docs.map((d) => d.searchBody))}, ${arr(docs.map((d) => `{${d.searchGramIds.join(',')}}`))}, ${arr(rows.map((r) => (r.startsAt === null ? null : new Date(r.startsAt).toISOString())))}::timestamptz[])
					with ordinality as r(title, summary, st, tags, body, grams, starts, n)
				where t.id = ${template}::uuid
				order by r.n
				returning id, (substring(slug from '[0-9]+$'))::int as n`);
			await tx.execute(sql`insert into program_upcoming_dates (program_id, day, starts_at, ends_at, all_day)
				select p.id, (p.next_starts_at at time zone 'Asia/Tokyo')::date, p.next_starts_at, p.next_ends_at, false from programs p where p.slug like ${`scale-${kind}-%`} and p.next_starts_at is not null`);
			return result.rows;
		});
		for (const row of inserted) made.push({ id: row.id, ...rows[row.n - 1] });
	};
	const day = clock.now.getTime() + 24 * HOUR;
	// First, programs with neither word: they take whatever room the demo region's pages still have,
	// so that the programs below are written in order at the end of the table.
	await insert(
		'filler',
		plain,
		'試験の森の会',
		Array.from({ length: 400 }, (_, i) => ({ title: `ほかの集い${i}`, summary: 'ちがう集まりです。', startsAt: day + i * 60_000, scoreA: 0, scoreB: 0 }))
	);
	made.length = 0;
	// Weak: both words in the text only, and the soonest dates of all.
	weakCount = COUNT_LIMIT + 100;
	await insert(
		'weak',
		plain,
		'試験の森の会',
		Array.from({ length: weakCount }, (_, i) => ({ title: `地域の集い${String(i).padStart(4, '0')}`, summary: `${A}と${B}の集まりです。`, startsAt: day + i * 60_000, scoreA: 2, scoreB: 2 }))
	);
	// Strong, written last: A in the title (25), B in the title (5), B in the organisation's name (3).
	await insert(
		'title-a',
		plain,
		'試験の森の会',
		Array.from({ length: 25 }, (_, i) => ({ title: `${A}教室${String(i).padStart(2, '0')}`, summary: `${B}もあります。`, startsAt: day + 10 * 24 * HOUR + i * HOUR, scoreA: 10, scoreB: 2 }))
	);
	await insert(
		'title-b',
		plain,
		'試験の森の会',
		Array.from({ length: 5 }, (_, i) => ({ title: `${B}広場${i}`, summary: `${A}もあります。`, startsAt: day + 5 * 24 * HOUR + i * HOUR, scoreA: 2, scoreB: 10 }))
	);
	// B in the title but no date ahead: after the dated title matches, before the weaker ones.
	await insert(
		'undated-b',
		plain,
		'試験の森の会',
		['ゆ', 'あ'].map((head) => ({ title: `${head}${B}の部屋`, summary: `${A}もあります。`, startsAt: null, scoreA: 2, scoreB: 10 }))
	);
	await insert(
		'tags-b',
		namedB,
		`${B}の会`,
		Array.from({ length: 3 }, (_, i) => ({ title: `月例の集い${i}`, summary: `${A}の話をします。`, startsAt: day + 30 * 24 * HOUR + i * HOUR, scoreA: 2, scoreB: 6 }))
	);
}, 120_000);
afterAll(() => database.close());

/** The true order over every match: score, then next date, then title (the finder's relevance order). */
function expected(score: (m: Made) => number): string[] {
	const at = (m: Made) => m.startsAt ?? Infinity;
	return [...made].sort((x, y) => score(y) - score(x) || at(x) - at(y) || (x.title < y.title ? -1 : x.title > y.title ? 1 : 0)).map((m) => m.id);
}

async function page(q: string, n = 1) {
	return searchPrograms(database.db, finderQuery.parse({ q, page: String(n), per_page: '20' }), clock);
}

describe('relevance over more than COUNT_LIMIT matches', () => {
	it('the strong matches lie beyond the first COUNT_LIMIT + 1 matches in the heap (what this file tests)', async () => {
		const strong = made.filter((m) => m.scoreA > 2 || m.scoreB > 2).map((m) => m.id);
		for (const word of [A, B]) {
			const first = await database.db.execute<{ n: number }>(sql`select count(*)::int as n from (select p.id from programs p where ${textMatch(word)!.where} order by p.ctid limit ${COUNT_LIMIT + 1}) m where m.id = any(${`{${strong.join(',')}}`}::uuid[])`);
			// Where the demo region's pages had room, a few are written among the first: never a page's worth.
			expect(first.rows[0].n, word).toBeLessThan(20);
		}
	});

	it('a word in many programs: its title matches first, soonest first, over every match', async () => {
		const want = expected((m) => m.scoreA);
		const one = await page(A);
		expect(one.total).toBe(COUNT_LIMIT);
		expect(one.totalIsLowerBound).toBe(true);
		expect(one.items.map((i) => i.id)).toEqual(want.slice(0, 20));
		expect(one.items.every((i) => i.score === 10)).toBe(true);
		// Page 2 holds the last five title matches, then the soonest of the weak ones.
		const two = await page(A, 2);
		expect(two.items.map((i) => i.id)).toEqual(want.slice(20, 40));
	});

	it('fewer strong matches than a page: title, then tags, then the rest, each soonest first (no date last)', async () => {
		const want = expected((m) => m.scoreB);
		const one = await page(B);
		expect(one.totalIsLowerBound).toBe(true);
		expect(one.items.map((i) => i.score)).toEqual([...Array(7).fill(10), ...Array(3).fill(6), ...Array(10).fill(2)]);
		expect(one.items.slice(5, 7).map((i) => [i.title, i.next])).toEqual([
			[`あ${B}の部屋`, null],
			[`ゆ${B}の部屋`, null]
		]);
		expect(one.items.map((i) => i.id)).toEqual(want.slice(0, 20));
	});

	it('a page further on than the strong matches reach still counts them', async () => {
		// Page 3 of B: the 10 strong matches, then the weak ones; its weak ones are the 31st to 50th.
		const want = expected((m) => m.scoreB);
		const three = await page(B, 3);
		expect(three.items.map((i) => i.id)).toEqual(want.slice(40, 60));
	});

	it('two words: the scores add up', async () => {
		const want = expected((m) => m.scoreA + m.scoreB);
		const one = await page(`${A} ${B}`);
		expect(one.totalIsLowerBound).toBe(true);
		expect(one.items.map((i) => i.id)).toEqual(want.slice(0, 20));
		const three = await page(`${A} ${B}`, 3);
		expect(three.items.map((i) => i.id)).toEqual(want.slice(40, 60));
	});

	it('sort=next keeps its own order: soonest first, whatever the score', async () => {
		const next = await searchPrograms(database.db, finderQuery.parse({ q: A, sort: 'next', per_page: '20' }), clock);
		// The soonest are the weak matches, in date order.
		expect(next.items.map((i) => i.id)).toEqual(
			made
				.filter((m) => m.scoreA === 2 && m.startsAt !== null)
				.sort((x, y) => x.startsAt! - y.startsAt!)
				.slice(0, 20)
				.map((m) => m.id)
		);
	});
});
