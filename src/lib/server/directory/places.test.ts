/**
 * Places as residents mean them (issue 15): area filters by 地方公共団体コード (a 政令指定都市
 * includes its wards, a prefecture its municipalities), a place search within a radius the
 * resident can widen and ordered by distance bands, postcodes, and approximate distances for
 * programs whose place has no coordinates of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../db';
import { searchPrograms, suggestAlternatives, widerRange } from './finder/index';
import { finderQuery } from './finder-query';
import { programs } from './schema';
import { readDemoDataset } from './demo/load';
import { saveOrganization } from './save';
import { asSystem } from '../db/tenant';
import { makeOrganization, makePlace, makeProgram } from '../../../../tests/helpers/factories';
import { distanceKm, municipalityOf } from './places';

let database: Database;
const slugById = new Map<string, string>();
const friday = { now: new Date('2026-12-04T01:00:00Z'), today: '2026-12-04' };

beforeAll(async () => {
	database = await testDatabase();
	// A program whose place has no coordinates (only its 市区町村): measured from the ward's point.
	const demo = readDemoDataset()[0];
	const program = demo.programs[0];
	await asSystem(database.db, (tx) =>
		saveOrganization(
			tx,
			{
				...demo,
				slug: 'places-test-org',
				name: '場所テストの会',
				programs: [{ ...program, slug: 'places-test-no-coordinates', title: 'ちいさな縁側カフェ', locations: [{ ...program.locations[0], name: '縁側', prefecture: '北海道', city: '札幌市西区', line: null, postalCode: null, lat: null, lng: null }] }]
			},
			friday.today
		)
	);
	for (const row of await database.db.select({ id: programs.id, slug: programs.slug }).from(programs)) slugById.set(row.id, row.slug);
});
afterAll(() => database.close());

const search = async (params: Record<string, string>) => searchPrograms(database.db, finderQuery.parse({ per_page: '100', ...params }), friday);
const slugs = (r: Awaited<ReturnType<typeof search>>) => r.items.map((i) => slugById.get(i.id)!);

describe('area filters by 地方公共団体コード', () => {
	it('city=札幌市 includes its wards: the men’s shed in 西区 is found', async () => {
		const found = slugs(await search({ city: '札幌市' }));
		expect(found).toContain('s002-mens-shed');
		expect(found).toContain('s004-fumanet-class'); // 札幌市 itself
	});
	it('city=横浜市 includes 港北区', async () => {
		const found = slugs(await search({ city: '横浜市' }));
		expect(found).toContain('s001-miel-community-cafe');
		expect(found).toContain('s001-ltm-teiju-soudan');
	});
	it('city=川崎市 finds the programs in its wards (幸区, 中原区)', async () => {
		const found = slugs(await search({ city: '川崎市' }));
		expect(found).toContain('s000-q-base');
		expect(found).toContain('s001-pluscare-tonari-bunko');
	});
	it('a ward alone still finds only that ward', async () => {
		const found = slugs(await search({ prefecture: '北海道', city: '札幌市西区' }));
		expect(found).toContain('s002-mens-shed');
		expect(found).not.toContain('s004-fumanet-class');
	});
	it('a prefecture includes its municipalities; prefecture and city together narrow', async () => {
		expect(slugs(await search({ prefecture: '北海道' }))).toContain('s002-mens-shed');
		const both = slugs(await search({ prefecture: '北海道', city: '札幌市' }));
		expect(both).toContain('s002-mens-shed');
		expect((await search({ prefecture: '東京都', city: '札幌市' })).total).toBe(0);
	});
	it('the start of a unique name works as before ("札幌")', async () => {
		expect(slugs(await search({ city: '札幌' }))).toContain('s002-mens-shed');
	});
});

describe('a search with a place', () => {
	it('q=不登校&near=東京都 lists 中野 (near the 都庁) before 小平, and no Kanagawa program', async () => {
		const result = await search({ q: '不登校', near: '東京都' });
		const found = slugs(result);
		expect(result.order).toBe('banded');
		expect(found.indexOf('s001-clack-techrie-saginomiya')).toBeGreaterThanOrEqual(0);
		expect(found.indexOf('s001-tanotsuku-weekday-morning')).toBeGreaterThan(found.indexOf('s001-clack-techrie-saginomiya'));
		expect(result.items.every((i) => i.place?.prefecture === '東京都')).toBe(true);
	});
	it('strong matches (at least half the best score) first, then the rest; in each, the nearer band first and by relevance within a band', async () => {
		const result = await search({ q: '居場所', near: '札幌市' });
		const best = Math.max(...result.items.map((i) => i.score));
		const band = (d: number) => [2, 5, 10, 30].findIndex((b) => d <= b + 0.05);
		// Sort keys as the order states them: tier, band, score (higher first).
		const keys = result.items.map((i) => [i.score >= best / 2 ? 0 : 1, band(i.distanceKm!) === -1 ? 4 : band(i.distanceKm!), -i.score]);
		const sorted = [...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
		expect(keys).toEqual(sorted);
		expect(new Set(keys.map((k) => k[0])).size).toBe(2); // both tiers are there: the case is not empty
	});
	it('a place search keeps to its radius (default 10 km, plus the named 市区町村) and the resident can widen it', async () => {
		const near = await search({ q: '男の居場所', near: '札幌市' });
		expect(near.radius).toBe('10');
		expect(near.items.every((i) => i.distanceKm! <= 10 || i.place?.city?.startsWith('札幌市'))).toBe(true);
		const narrow = await search({ near: '札幌市西区', radius: '5' });
		const wide = await search({ near: '札幌市西区', radius: 'pref' });
		expect(narrow.total).toBeLessThan(wide.total);
		expect(wide.items.every((i) => i.place === null || i.place.prefecture === '北海道')).toBe(true);
	});
	it('sort=distance orders by distance', async () => {
		const result = await search({ near: '川崎市', sort: 'distance', radius: '30' });
		expect(result.order).toBe('distance');
		const km = result.items.map((i) => i.distanceKm ?? Infinity);
		expect([...km].sort((a, b) => a - b)).toEqual(km);
	});
	it('a postcode is a place: 〒063-0811 is in 札幌市西区', async () => {
		for (const near of ['〒063-0811', '0630811']) {
			const result = await search({ near });
			expect(result.origin?.label).toBe('〒063-0811 北海道札幌市西区');
			expect(slugs(result).slice(0, 5)).toContain('s002-mens-shed');
		}
	});
	it('an unknown place or postcode is said so, and the search runs without it', async () => {
		expect((await search({ near: 'ほげほげ村' })).unknownPlace).toBe('ほげほげ村');
		const unknownPostcode = await search({ near: '〒000-0000' });
		expect(unknownPostcode.unknownPlace).toBe('〒000-0000');
		expect(unknownPostcode.radius).toBeNull();
	});
	it('a program without coordinates is measured from its 市区町村 and marked approximate', async () => {
		const result = await search({ near: '札幌市西区', sort: 'distance' });
		const item = result.items.find((i) => slugById.get(i.id) === 'places-test-no-coordinates')!;
		expect(item.distanceApproximate).toBe(true);
		expect(item.distanceKm).toBeLessThan(1);
		// The demo's own points are its 市区町村's too (demo/FORMAT.md): approximate as well. A place
		// with its own coordinates is measured exactly (see 'near its first place' below).
		const shed = result.items.find((i) => slugById.get(i.id) === 's002-mens-shed')!;
		expect(shed.distanceApproximate).toBe(true);
	});
});

describe('near a place, a strong match comes before a weak one a little farther (issue 15 walk: こども食堂 near 荒川区)', () => {
	// Made-up programs around 荒川区 for a made-up word: ひだまり灯台 in the title scores 10, in the
	// description only 2. The walk saw ボランティア説明会 (2, 0 km) before 防災子ども食堂 (10, 2.6 km).
	const ids = new Map<string, string>();
	const arakawa = municipalityOf('東京都', '荒川区')!;
	// Degrees of latitude north of the ward's point for a distance in km.
	const north = (km: number) => ({ lat: arakawa.lat! + km / 111.2, lng: arakawa.lng! });
	beforeAll(async () => {
		const organizationId = await makeOrganization(database.db, { name: 'あかり通りの会（試験）' });
		const made: Array<[string, string, string, number]> = [
			['weak-here', 'ボランティア説明会（試験）', 'ひだまり灯台の活動を手伝う方への説明会です。', 0],
			['weak-7km', '餅つき大会（試験）', 'ひだまり灯台のみなさんと餅をつきます。', 7],
			['strong-2.6km', 'ひだまり灯台 防災こども食堂（試験）', '防災を学びながら食べる会です。', 2.6],
			['strong-here', 'ひだまり灯台 こども食堂（試験）', '毎月のこども食堂です。', 0.3]
		];
		for (const [key, title, description, km] of made) {
			const placeId = await makePlace(database.db, organizationId, { name: `${key}の会場（試験）`, prefecture: '東京都', city: '荒川区', ...north(km) }, friday.today);
			ids.set(await makeProgram(database.db, organizationId, { edit: { title, summary: title, description }, placeIds: [placeId], schedule: null, today: friday.today }), key);
		}
	});
	const order = (r: Awaited<ReturnType<typeof search>>) => r.items.map((i) => ids.get(i.id)).filter((k) => k !== undefined);

	it('orders the strong matches first, each part by distance band, then relevance', async () => {
		const result = await search({ q: 'ひだまり灯台', near: '荒川区' });
		expect(result.order).toBe('banded');
		expect(order(result)).toEqual(['strong-here', 'strong-2.6km', 'weak-here', 'weak-7km']);
		expect(result.items.map((i) => i.score)).toEqual([10, 10, 2, 2]);
	});
	it('sort=distance and sort=next keep their own order', async () => {
		expect(order(await search({ q: 'ひだまり灯台', near: '荒川区', sort: 'distance' }))).toEqual(['weak-here', 'strong-here', 'strong-2.6km', 'weak-7km']);
		expect((await search({ q: 'ひだまり灯台', near: '荒川区', sort: 'next' })).order).toBe('next');
	});
});

describe('a program held in several places', () => {
	it('is as near as its nearest place, and shows that place', async () => {
		// ふまねっと運動の健康教室 meets in 札幌市, 北広島市, 北見市, 帯広市, 稚内市 and 利尻町.
		for (const sort of ['distance', 'relevance']) {
			const result = await search({ q: 'ふまねっと', near: '稚内市', sort });
			const item = result.items.find((i) => slugById.get(i.id) === 's004-fumanet-class')!;
			expect(item.distanceKm).toBeLessThan(5);
			expect(item.place?.city).toBe('稚内市');
		}
		const sapporo = (await search({ q: 'ふまねっと', near: '札幌市' })).items.find((i) => slugById.get(i.id) === 's004-fumanet-class')!;
		expect(sapporo.place?.city).toBe('札幌市');
		// Nearest first counts every place: it comes before a program whose only place is 300 km away.
		const ordered = await search({ near: '稚内市', sort: 'distance', radius: 'pref' });
		const km = ordered.items.map((i) => i.distanceKm ?? Infinity);
		expect([...km].sort((a, b) => a - b)).toEqual(km);
		expect(slugs(ordered).indexOf('s004-fumanet-class')).toBeLessThan(3);
	});
});

describe('a program in range only by its 市区町村', () => {
	// A made-up hiking group in 札幌市南区: its first place (定山渓, about 19 km from the city's
	// point) and its second (真駒内, about 8 km) are both beyond 5 km, so near=札幌市&radius=5 finds it
	// only because it is in the city. It is as near as its nearer place, the second — the search
	// statement looks such a program's places up in full (NearPlaces in finder/search.ts), unlike
	// one with a place in range.
	let programId: string;
	const makomanai = { lat: 42.99, lng: 141.35 };
	beforeAll(async () => {
		const organizationId = await makeOrganization(database.db, { name: 'みなみ山歩きの会（試験）' });
		const first = await makePlace(database.db, organizationId, { name: '定山渓の集会所（試験）', prefecture: '北海道', city: '札幌市南区', lat: 42.965, lng: 141.165 }, friday.today);
		const second = await makePlace(database.db, organizationId, { name: '真駒内の集会所（試験）', prefecture: '北海道', city: '札幌市南区', ...makomanai }, friday.today);
		programId = await makeProgram(database.db, organizationId, { edit: { title: 'のびのび山歩き', summary: '南区の山を歩く', description: '定山渓と真駒内から歩きます。' }, placeIds: [first, second], schedule: null, today: friday.today });
	});

	it('is measured to its nearer place, though neither is within the radius', async () => {
		for (const params of [
			{ near: '札幌市', radius: '5', sort: 'distance' },
			{ q: 'のびのび山歩き', near: '札幌市', radius: '5' }
		] as Array<Record<string, string>>) {
			const result = await search(params);
			const item = result.items.find((i) => i.id === programId);
			expect(item, JSON.stringify(params)).toBeDefined();
			expect(item!.place?.name).toBe('真駒内の集会所（試験）');
			const km = distanceKm(result.origin!, makomanai);
			expect(km).toBeGreaterThan(5);
			expect(Math.abs(item!.distanceKm! - km)).toBeLessThanOrEqual(0.1);
		}
	});
});

describe('a program whose second place is in another municipality', () => {
	// A made-up walking group: its first place, with exact coordinates, is in 函館市; its second is
	// given only by its address in 荒川区 (so it gets the ward's point, approximate).
	let programId: string;
	const arakawa = municipalityOf('東京都', '荒川区')!;
	beforeAll(async () => {
		const organizationId = await makeOrganization(database.db, { name: 'ふたまち歩こう会（試験）' });
		const hakodate = await makePlace(database.db, organizationId, { name: '函館の集会所（試験）', prefecture: '北海道', city: '函館市', lat: 41.7687, lng: 140.7288 }, friday.today);
		const second = await makePlace(database.db, organizationId, { name: '荒川の集会所（試験）', prefecture: '東京都', city: '荒川区' }, friday.today);
		programId = await makeProgram(database.db, organizationId, { edit: { title: 'ゆらゆら散歩体操', summary: '二つの町で歩く体操', description: '函館と荒川で集まります。' }, placeIds: [hakodate, second], schedule: null, today: friday.today });
	});
	const found = (r: Awaited<ReturnType<typeof search>>) => r.items.find((i) => i.id === programId);

	it('is found within a radius that holds only the second place, measured to it', async () => {
		// 台東区 borders 荒川区; the program is in neither 台東区 nor within 10 km of 函館市.
		for (const params of [
			{ q: 'ゆらゆら散歩', near: '台東区' },
			{ near: '台東区', sort: 'distance' },
			{ q: 'ゆらゆら散歩', lat: '35.7100', lng: '139.8000' }
		] as Array<Record<string, string>>) {
			const result = await search(params);
			const item = found(result);
			expect(item, JSON.stringify(params)).toBeDefined();
			expect(item!.place?.city).toBe('荒川区');
			const km = distanceKm(result.origin!, { lat: arakawa.lat!, lng: arakawa.lng! });
			expect(Math.abs(item!.distanceKm! - km)).toBeLessThanOrEqual(0.1);
			// The nearest place's point is the ward's, not the venue's: the distance says so.
			expect(item!.distanceApproximate).toBe(true);
		}
	});
	it('is not found where neither place is within the radius, and is found again when it is widened', async () => {
		// 川崎市's office is about 24 km from 荒川区.
		expect(found(await search({ q: 'ゆらゆら散歩', near: '川崎市' }))).toBeUndefined();
		expect(found(await search({ q: 'ゆらゆら散歩', near: '川崎市', radius: '30' }))).toBeDefined();
	});
	it('near its first place it is measured to that one, exactly', async () => {
		const item = found(await search({ q: 'ゆらゆら散歩', lat: '41.7800', lng: '140.7300' }))!;
		expect(item.place?.city).toBe('函館市');
		expect(item.distanceApproximate).toBe(false);
		expect(item.distanceKm).toBeLessThan(2);
	});
	it('a wider range offered on an empty page counts it as its link finds it', async () => {
		const far = finderQuery.parse({ q: 'ゆらゆら散歩', near: '川崎市' });
		const wider = (await suggestAlternatives(database.db, far, friday)).find((s) => s.kind === 'radius' && s.params.radius === '30');
		expect(wider?.count).toBe(1);
	});
});

describe('what a place search offers beside its results keeps to the place', () => {
	it('the supporters’ count is of those within the same range: its link finds as many', async () => {
		for (const params of [{ near: '札幌市' }, { q: '不登校', near: '稚内市' }, { q: '研修', near: '八王子市', radius: '30' }] as Array<Record<string, string>>) {
			const residents = await search(params);
			const supporters = await search({ ...params, audience: 'supporters' });
			expect(residents.supportersTotal ?? 0).toBe(supporters.total);
		}
	});
	it('nothing within 10 km: wider ranges and dropping a condition are offered, each with the count its link finds', async () => {
		const query = finderQuery.parse({ q: '男の居場所', near: '小樽市' });
		expect((await searchPrograms(database.db, query, friday)).total).toBe(0);
		const suggestions = await suggestAlternatives(database.db, query, friday);
		const wider = suggestions.filter((s) => s.kind === 'radius');
		expect(wider.map((s) => s.params.radius)).toContain('30');
		for (const s of suggestions) {
			// As the page's link does: an empty value removes the parameter.
			const params = Object.fromEntries(Object.entries({ q: '男の居場所', near: '小樽市', ...s.params }).filter(([, v]) => v));
			const found = await search(params);
			expect(found.total, JSON.stringify(s.params)).toBe(s.count);
			expect(s.count).toBeGreaterThan(0);
		}
		// Without the words, only what is near 小樽市 — not the whole country.
		const dropWords = suggestions.find((s) => s.kind === 'drop' && 'q' in s.params);
		expect(dropWords?.count ?? 0).toBe((await search({ near: '小樽市' })).total);
	});
});

describe('the link that widens the range (walked on a phone: 30 km → 同じ都道府県 found fewer)', () => {
	const widen = async (params: Record<string, string>) => {
		const query = finderQuery.parse({ per_page: '100', ...params });
		return widerRange(database.db, query, friday, (await searchPrograms(database.db, query, friday)).total);
	};
	it('offers the prefecture only where it holds every result and more: around 台東区 30 km reaches Kanagawa, Saitama and Chiba', async () => {
		expect((await search({ near: '台東区', radius: 'pref' })).total).toBeLessThan((await search({ near: '台東区', radius: '30' })).total);
		expect(await widen({ near: '台東区', radius: '30' })).toBeNull();
		expect(await widen({ near: '川崎市', radius: '30' })).toBeNull();
		// 30 km around 札幌市 stays in 北海道, which holds more.
		expect(await widen({ near: '札幌市', radius: '30' })).toBe('pref');
	});
	it('skips a range that finds no more: 札幌市 within 5 km and within 10 km find the same programs', async () => {
		expect((await search({ near: '札幌市', radius: '10' })).total).toBe((await search({ near: '札幌市', radius: '5' })).total);
		expect(await widen({ near: '札幌市', radius: '5' })).toBe('30');
		expect(await widen({ near: '台東区', radius: '5' })).toBe('10');
	});
	it('offers nothing where no wider range finds more, and nothing for the prefecture itself', async () => {
		expect(await widen({ q: 'こども食堂', near: '稚内市', radius: '5', form: 'food_pantry' })).toBeNull();
		expect(await widen({ near: '札幌市', radius: 'pref' })).toBeNull();
		expect(await widen({ q: '居場所' })).toBeNull();
	});
});

describe('wider ranges offered beside what the page already shows', () => {
	it('offer only a range that finds more than the page shows (「今日」 near 石巻市 offered 30 km with the same 1 program)', async () => {
		// 札幌市 within 5 km shows 6 programs; 10 km finds the same 6, 30 km more.
		const query = finderQuery.parse({ near: '札幌市', radius: '5' });
		const shown = (await searchPrograms(database.db, query, friday)).total;
		const wider = (await suggestAlternatives(database.db, query, friday, shown)).filter((s) => s.kind === 'radius');
		expect(wider.map((s) => s.params.radius)).toEqual(['30', 'pref']);
		expect(wider.every((s) => s.count > shown)).toBe(true);
	});
});
