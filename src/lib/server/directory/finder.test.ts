import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { testDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../db';
import { searchPrograms, suggestAlternatives, whenDays } from './finder/index';
import { textMatch } from './finder/text';
import { finderQuery, parseFinderParams } from './finder-query';
import { refreshUpcomingDates } from './upcoming';
import { asSystem } from '../db/tenant';
import { systemScope } from '../scope';
import { loadDemoRegion } from './demo/load';
import { getProgram } from './read';
import { organizations, programs } from './schema';

let database: Database;
const slugById = new Map<string, string>();
// Friday 4 December 2026, 10:00 in Tokyo.
const friday = { now: new Date('2026-12-04T01:00:00Z'), today: '2026-12-04' };

beforeAll(async () => {
	database = await testDatabase();
	await refreshUpcomingDates(systemScope(database.db, 'test'), friday.today);
	for (const row of await database.db.select({ id: programs.id, slug: programs.slug }).from(programs)) slugById.set(row.id, row.slug);
});
afterAll(() => database.close());

const search = async (params: Record<string, string>, clock = friday) => searchPrograms(database.db, finderQuery.parse({ per_page: '100', ...params }), clock);
const slugs = (r: Awaited<ReturnType<typeof search>>) => r.items.map((i) => slugById.get(i.id)!);

describe('when', () => {
	it('computes today, this weekend and the next 7 days in Tokyo days', () => {
		expect(whenDays('today', '2026-12-04')).toEqual(['2026-12-04', '2026-12-04']);
		expect(whenDays('weekend', '2026-12-04')).toEqual(['2026-12-05', '2026-12-06']);
		expect(whenDays('weekend', '2026-12-06')).toEqual(['2026-12-06', '2026-12-06']);
		expect(whenDays('next7', '2026-12-04')).toEqual(['2026-12-04', '2026-12-10']);
	});
	it('today: programs meeting on this Friday, by their next occurrence', async () => {
		const found = slugs(await search({ when: 'today' }));
		expect(found).toContain('s001-sankakusha-yorimichi-gohan');
		expect(found).toContain('s002-shuro-house');
		expect(found).not.toContain('s001-youthport-cafe');
	});
	it('today, late at night: a session that has ended no longer counts', async () => {
		const found = slugs(await search({ when: 'today' }, { now: new Date('2026-12-04T12:30:00Z'), today: '2026-12-04' }));
		expect(found).not.toContain('s002-shuro-house');
	});
	it('programs whose schedule is known only in words follow the dated ones, marked, never dropped', async () => {
		for (const when of ['now', 'today', 'weekend', 'next7']) {
			const result = await search({ when });
			const known = result.items.map((i) => i.scheduleKnown);
			expect(known.indexOf(false)).toBeGreaterThanOrEqual(0);
			expect(known.slice(known.indexOf(false))).not.toContain(true);
			const undated = result.items.filter((i) => !i.scheduleKnown).map((i) => slugById.get(i.id));
			// 毎週開催（曜日の記載なし）: meets weekly, but nobody said on which day.
			expect(undated).toContain('s004-hachioji-food-cafe');
			// A program with a rule that does not meet then is not listed at all.
			expect(undated).not.toContain('s001-youthport-cafe');
		}
		const today = await search({ when: 'today' });
		expect(today.items.find((i) => slugById.get(i.id) === 's002-shuro-house')?.scheduleKnown).toBe(true);
	});
	it('now: a program meeting at this moment, by its hours', async () => {
		// Friday 17:00 in Tokyo: 平日週3回(月・水・金)16:00-21:00 is open.
		const evening = { now: new Date('2026-12-04T08:00:00Z'), today: '2026-12-04' };
		const open = await search({ when: 'now' }, evening);
		expect(open.items.find((i) => slugById.get(i.id) === 's002-shuro-house')?.scheduleKnown).toBe(true);
		// At 10:00 it is not yet open.
		expect(slugs(await search({ when: 'now' }))).not.toContain('s002-shuro-house');
		// Every Friday with no hours stated: it meets today, but whether it is open now is for the organisation to say.
		expect(open.items.find((i) => slugById.get(i.id) === 's001-sankakusha-yorimichi-gohan')?.scheduleKnown).toBe(false);
		// Without a `when`, the flag says whether the program has dates at all.
		const all = await search({});
		expect(all.items.find((i) => slugById.get(i.id) === 's002-shuro-house')?.scheduleKnown).toBe(true);
		expect(all.items.find((i) => slugById.get(i.id) === 's004-hachioji-food-cafe')?.scheduleKnown).toBe(false);
	});
	it('this weekend: 第1土曜 and 第1日曜 programs', async () => {
		const found = slugs(await search({ when: 'weekend' }));
		expect(found).toContain('s001-youthport-cafe');
		expect(found).toContain('s004-wakayama-castle-cleanup');
		expect(found).not.toContain('s002-shuro-house');
	});
	it('each result shows its next occurrence, and sort=next orders by it', async () => {
		const result = await search({ when: 'next7', sort: 'next' });
		const dated = result.items.filter((i) => i.scheduleKnown);
		expect(dated.length).toBeGreaterThan(2);
		const starts = dated.map((i) => i.next!.startsAt);
		expect([...starts].sort()).toEqual(starts);
		expect(new Date(starts[0]).getTime()).toBeGreaterThan(friday.now.getTime() - 12 * 3600_000);
	});
});

describe('filters', () => {
	it('weekday uses the schedule rules', async () => {
		const found = slugs(await search({ weekday: 'MO' }));
		expect(found).toContain('s002-shuro-house');
		expect(found).not.toContain('s001-youthport-cafe');
	});
	it('life stage includes programs for any age', async () => {
		const result = await search({ life_stage: 'senior' });
		expect(result.total).toBeGreaterThan(0);
		for (const item of result.items) expect(item.lifeStages.some((s) => s === 'senior' || s === 'all_ages')).toBe(true);
	});
	it('prefecture and city', async () => {
		const hokkaido = await search({ prefecture: '北海道' });
		expect(hokkaido.total).toBeGreaterThan(5);
		for (const item of hokkaido.items) expect(item.place?.prefecture).toBe('北海道');
		expect(slugs(await search({ prefecture: '千葉県', city: '船橋市' }))).toContain('s002-pantry-pickup');
		expect(slugs(await search({ city: '船橋市' }))).toContain('s002-pantry-pickup');
		expect((await search({ prefecture: '東京都', city: '船橋市' })).total).toBe(0);
	});
	it('form, target, cost, registration, delivery', async () => {
		for (const item of (await search({ form: 'food_pantry' })).items) expect(item.forms).toContain('food_pantry');
		for (const item of (await search({ target: 'school_refusal' })).items) expect(item.targets).toContain('school_refusal');
		const free = await search({ free: '1' });
		expect(free.total).toBeGreaterThan(0);
		for (const item of free.items) expect(item.costKind).toBe('free');
		for (const item of (await search({ no_registration: 'true' })).items) expect(item.joinMethod).toBe('no_registration');
		const online = await search({ online: '1' });
		expect(online.total).toBeGreaterThan(0);
		for (const item of online.items) expect(['online', 'both']).toContain(item.deliveryMode);
	});
	it('distance from a named place, nearest first', async () => {
		const result = await search({ near: '札幌市', sort: 'distance' });
		expect(result.origin?.label).toContain('札幌市');
		expect(result.items[0].place?.city).toContain('札幌市');
		const distances = result.items.map((i) => i.distanceKm).filter((d): d is number => d !== null);
		expect([...distances].sort((a, b) => a - b)).toEqual(distances);
		const byPoint = await search({ lat: '35.6946', lng: '139.9826', sort: 'distance' }); // Funabashi station
		expect(byPoint.items[0].place?.city).toBe('船橋市');
	});
	it('says so when a named place is unknown, and searches without it', async () => {
		const result = await search({ near: 'アトランティス', sort: 'distance' });
		expect(result.unknownPlace).toBe('アトランティス');
		expect(result.origin).toBeNull();
		expect(result.total).toBe((await search({})).total);
		expect((await search({ near: '札幌' })).unknownPlace).toBeNull();
	});
	it('paginates with a stable total', async () => {
		const first = await search({ per_page: '5', page: '1' });
		const second = await search({ per_page: '5', page: '2' });
		expect(second.total).toBe(first.total);
		expect(first.items).toHaveLength(5);
		expect(second.items.map((i) => i.id)).not.toEqual(expect.arrayContaining(first.items.map((i) => i.id)));
		const beyond = await search({ per_page: '5', page: '400' });
		expect(beyond.items).toEqual([]);
		expect(beyond.total).toBe(first.total);
	});
});

describe('no dead ends', () => {
	const suggest = async (params: Record<string, string>) => {
		const query = finderQuery.parse(params);
		expect((await searchPrograms(database.db, query, friday)).total).toBe(0);
		const suggestions = await suggestAlternatives(database.db, query, friday);
		for (const s of suggestions) expect(s.count).toBeGreaterThan(0);
		return suggestions;
	};
	it('suggests other 市区町村 of the prefecture and related forms', async () => {
		const suggestions = await suggest({ form: 'food_pantry', prefecture: '東京都', city: '渋谷区' });
		const areas = suggestions.filter((s) => s.kind === 'area');
		expect(areas.length).toBeGreaterThan(0);
		for (const a of areas) expect(a.params.prefecture).toBe('東京都');
		const forms = suggestions.filter((s) => s.kind === 'form');
		expect(forms.length).toBeGreaterThan(0);
		for (const f of forms) expect((await search({ form: f.params.form!, prefecture: '東京都', city: '渋谷区' })).total).toBe(f.count);
	});
	it('words for a life event that find nothing: the kinds of program that may help, each counted as its link finds', async () => {
		const suggestions = await suggest({ q: '夫を亡くした' });
		const forms = suggestions.filter((s) => s.kind === 'form');
		expect(forms.map((f) => f.params.form)).toContain('peer_support');
		// The link replaces the words by the form.
		for (const f of forms) {
			expect(f.params.q).toBe('');
			expect((await search({ form: f.params.form! })).total).toBe(f.count);
		}
		// Near a place, counted within its range.
		const near = (await suggest({ q: '夫を亡くした', near: '札幌市' })).filter((s) => s.kind === 'form');
		for (const f of near) expect((await search({ form: f.params.form!, near: '札幌市' })).total).toBe(f.count);
	});
	it('suggests dropping the one filter that empties the result', async () => {
		// (`when` no longer empties a result: programs without known dates stay, under their own heading.)
		const suggestions = await suggest({ q: 'ミャンマー', weekday: 'MO' });
		const withoutWeekday = (await search({ q: 'ミャンマー' })).total;
		expect(withoutWeekday).toBeGreaterThan(0);
		expect(suggestions).toContainEqual(expect.objectContaining({ kind: 'drop', params: { weekday: '' }, count: withoutWeekday }));
	});
});

describe('index', () => {
	it('text search is served by the gram index, not a full scan', async () => {
		// The finder's own condition for the word (its spellings' grams as integers, then the text).
		const where = textMatch('ふとうこう')!.where;
		const { plan, ids } = await database.db.transaction(async (tx) => {
			await tx.execute(sql`set local enable_seqscan = off`);
			const explained = await tx.execute<{ 'QUERY PLAN': string }>(sql`explain select p.id from programs p where ${where}`);
			const matched = await tx.execute<{ id: string }>(sql`select p.id from programs p where ${where}`);
			return { plan: explained.rows.map((r) => r['QUERY PLAN']).join('\n'), ids: matched.rows.map((r) => r.id) };
		});
		expect(plan).toContain('programs_search_gram_ids_idx');
		expect(plan).not.toContain('Seq Scan on programs');
		// What it finds is what the finder shows for the word: the programs indexed with 不登校.
		const shown = (await search({ q: 'ふとうこう' })).items.map((i) => i.id);
		expect(shown.length).toBeGreaterThan(0);
		expect(ids).toEqual(expect.arrayContaining(shown));
	});
});

describe('bad input', () => {
	const errorsOf = (qs: string) => {
		const r = parseFinderParams(new URLSearchParams(qs));
		return r.ok ? [] : r.errors.map((e) => e.param);
	};
	it('rejects each malformed parameter by name', () => {
		expect(errorsOf('page=-1')).toEqual(['page']);
		expect(errorsOf('page=abc')).toEqual(['page']);
		expect(errorsOf('per_page=1000')).toEqual(['per_page']);
		expect(errorsOf('life_stage=toddler')).toEqual(['life_stage']);
		expect(errorsOf('when=tomorrow')).toEqual(['when']);
		expect(errorsOf('q=' + 'あ'.repeat(10_000))).toEqual(['q']);
		expect(errorsOf('lat=35.6')).toEqual(['lng']);
		expect(errorsOf('lat=north&lng=139')).toEqual(['lat']);
		expect(errorsOf('form=ibasho&form=gathering')).toEqual(['form']);
		expect(errorsOf('free=maybe')).toEqual(['free']);
	});
	it('accepts empty form fields and unknown extra parameters', () => {
		expect(errorsOf('q=&life_stage=&when=&utm_source=flyer')).toEqual([]);
	});
});

describe('demo region', () => {
	it('loading again changes nothing (idempotent by slug)', async () => {
		const before = await database.db.select({ id: programs.id, slug: programs.slug }).from(programs).orderBy(programs.slug);
		const [{ n: orgs }] = await database.db.select({ n: sql<number>`count(*)::int` }).from(organizations);
		// Not a change either: an organisation's 「最終更新」 (its citation) stays as it was (walk of issue 15).
		const datesBefore = await database.db.select({ slug: organizations.slug, updatedAt: organizations.updatedAt }).from(organizations).orderBy(organizations.slug);
		const loaded = await loadDemoRegion(systemScope(database.db, 'test'), friday.today);
		const after = await database.db.select({ id: programs.id, slug: programs.slug }).from(programs).orderBy(programs.slug);
		const [{ n: orgsAfter }] = await database.db.select({ n: sql<number>`count(*)::int` }).from(organizations);
		expect(after).toEqual(before);
		expect(await database.db.select({ slug: organizations.slug, updatedAt: organizations.updatedAt }).from(organizations).orderBy(organizations.slug)).toEqual(datesBefore);
		expect(orgsAfter).toBe(orgs);
		expect(loaded.organizations).toBe(orgs);
		expect(orgs).toBeGreaterThanOrEqual(55);
	});
	it('an unpublished program disappears from the finder and its page', async () => {
		const [pantry] = await database.db.select().from(programs).where(eq(programs.slug, 's002-pantry-pickup'));
		await asSystem(database.db, (tx) => tx.update(programs).set({ published: false }).where(eq(programs.id, pantry.id)));
		try {
			expect(slugs(await search({ q: 'パントリー' }))).not.toContain('s002-pantry-pickup');
			expect(await getProgram(database.db, pantry.id)).toBeNull();
		} finally {
			await asSystem(database.db, (tx) => tx.update(programs).set({ published: true }).where(eq(programs.id, pantry.id)));
		}
	});
});
