/**
 * 「○○駅」 on the search page and in the JSON API (issue 15), against the built app: before any
 * station list is loaded the page says station names are not understood; after a load (fictional
 * test stations, tests/fixtures/stations) the station is the place, the page says distances are
 * from it and credits the list's source; a name of several stations offers each.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../tests/helpers/db';
import { startApp, type RunningApp } from '../../../tests/helpers/app';
import { textOutsideLang } from '../../../tests/helpers/html';
import { makeOrganization, makePlace, makeProgram, uniqueTag } from '../../../tests/helpers/factories';
import type { Database } from '$lib/server/db';
import { decodeN02, N02_SOURCE, readN02, replaceStations } from '$lib/server/directory/stations';
import { systemScope } from '$lib/server/scope';

let database: Database;
let app: RunningApp;
const nearTitle = `駅の近くの試験の会${uniqueTag()}`;

beforeAll(async () => {
	database = await testDatabase();
	// A program at an exact point 500 m north of the fictional station (the demo's places there are their ward's point, approximate).
	const organizationId = await makeOrganization(database.db);
	const placeId = await makePlace(database.db, organizationId, { city: '豊島区', lat: 35.7318, lng: 139.7175 });
	await makeProgram(database.db, organizationId, { edit: { title: nearTitle }, placeIds: [placeId] });
	app = await startApp(database.adminUrl);
}, 180_000);
afterAll(async () => {
	await app?.stop();
	await database?.close();
});

const page = async (query: string, lang = 'ja') => (await fetch(`${app.baseUrl}/search?${query}`, { headers: { 'accept-language': lang } })).text();
const near = (text: string, more = '') => `near=${encodeURIComponent(text)}${more}`;
const ATTRIBUTION = '「国土数値情報（鉄道データ）」（国土交通省）を加工して作成';

async function loadFixture() {
	const read = readN02(decodeN02(readFileSync(path.resolve(import.meta.dirname, '../../../tests/fixtures/stations/n02-fictional.geojson'))));
	if (!read.ok) throw new Error(read.reason);
	await replaceStations(systemScope(database.db, 'test'), read.stations, { source: 'n02-fictional.geojson', ...N02_SOURCE });
}

describe('station names on the search page', () => {
	it('with no station list loaded, says that station names are not understood here', async () => {
		const html = await page(near('つなぐテスト駅', '&radius=5'));
		expect(html).toContain('駅名での検索にはまだ対応していないため、場所を指定せずにさがしました。');
		expect(html).not.toContain(ATTRIBUTION);
		// The place field does not offer station names it cannot use.
		expect(html).toContain('<label for="near">場所(市区町村・郵便番号)</label>');
		expect(html).toContain('placeholder="例: 世田谷区、札幌市、〒160-0023"');
	});

	it('with no station list loaded, moves 「○○駅」 typed among the words to the place, when a 市区町村 bears its name', async () => {
		const response = await fetch(`${app.baseUrl}/search?q=${encodeURIComponent('こども食堂 新宿駅')}`, { redirect: 'manual' });
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe(`/search?q=${encodeURIComponent('こども食堂')}&near=${encodeURIComponent('新宿駅')}`);
		const html = await page(`q=${encodeURIComponent('こども食堂')}&${near('新宿駅')}`);
		expect(html).toContain('駅名での検索にはまだ対応していないため、場所を指定せずにさがしました。');
		expect(html).toContain('東京都新宿区の近くでさがす');
	});

	it('after a load, places 「○○駅」 at the station: the order, the range and each distance say from it, and the source is credited', async () => {
		expect(N02_SOURCE.attribution).toBe(ATTRIBUTION);
		await loadFixture();
		// The page above was cached: the load empties the cache (the table's change trigger).
		let html = '';
		for (const until = Date.now() + 15_000; Date.now() < until && !html.includes(ATTRIBUTION); await new Promise((r) => setTimeout(r, 250))) html = await page(near('つなぐテスト駅', '&radius=5'));
		expect(html).toContain(`駅の位置の出典: ${ATTRIBUTION}`);
		expect(html).toContain('<label for="near">場所(市区町村・郵便番号・駅名)</label>');
		expect(html).toContain('placeholder="例: 世田谷区、札幌市、〒160-0023、新宿駅"');
		expect(html).not.toContain('駅名での検索にはまだ対応していない');
		expect(html).toContain('つなぐテスト駅から近い順に並べています。');
		// A station has no inside: the range is the distance from it alone.
		expect(html).toContain('範囲: つなぐテスト駅から5km以内。');
		// Exact points: the distance from the station; a ward's point (the demo's 豊島区 places): said to be rough.
		const item = (title: string) =>
			html
				.replace(/<!--.*?-->/g, '')
				.split('<li class="result">')
				.find((li) => li.includes(title)) ?? '';
		expect(item(nearTitle)).toContain('(つなぐテスト駅から約0.5km)');
		expect(item('若者の居場所')).toContain('(つなぐテスト駅からのおおよその距離 1km未満)');
	});

	it('on an English page, says it in English with the station’s name marked Japanese', async () => {
		const html = await page(near('つなぐテスト駅', '&radius=5'), 'en');
		expect(html.replace(/<!--.*?-->/g, '')).toContain('(about 0.5 km from <span lang="ja">つなぐテスト駅</span>)');
		expect(html.replace(/<!--.*?-->/g, '')).toContain(`Station locations: <span lang="ja">${ATTRIBUTION}</span>`);
		expect(textOutsideLang(html, 'ja')).not.toContain('つなぐテスト駅');
	});

	it('a name several stations bear: says so and offers each, as a link that finds it', async () => {
		const html = await page(near('つなぐ二か所テスト駅'));
		expect(html).toContain('「つなぐ二か所テスト駅」という名前の駅はいくつかあるため、場所を指定せずにさがしました。どの駅の近くでさがしますか。');
		const links = [...html.replace(/<!--.*?-->/g, '').matchAll(/<a href="([^"]+)">([^<]*の近くでさがす)<\/a>/g)].map((m) => [m[1].replace(/&amp;/g, '&'), m[2]]);
		expect(links).toEqual([
			[`/search?${new URLSearchParams({ near: 'つなぐ二か所テスト駅 東京都府中市' })}`, 'つなぐ二か所テスト駅(東京都府中市付近・つなぐテスト線)の近くでさがす'],
			[`/search?${new URLSearchParams({ near: 'つなぐ二か所テスト駅 広島県府中市' })}`, 'つなぐ二か所テスト駅(広島県府中市付近・つなぐ備後テスト線)の近くでさがす']
		]);
		const chosen = await page(links[1][0].slice('/search?'.length));
		// Nothing of the demo region is near it: the range searched says where it looked.
		expect(chosen).toContain('範囲: つなぐ二か所テスト駅(広島県府中市付近)から10km以内。');
		expect(chosen).toContain(ATTRIBUTION);
	});

	it('a station typed among the words is the place: the same search with it in the place field', async () => {
		const answer = await fetch(`${app.baseUrl}/search?q=${encodeURIComponent('こども食堂 つなぐテスト駅')}&radius=5`, { redirect: 'manual' });
		expect(answer.status).toBe(303);
		expect(answer.headers.get('location')).toBe(`/search?${new URLSearchParams({ q: 'こども食堂', radius: '5', near: 'つなぐテスト駅' })}`);
	});

	it('a station not in the list: says so, without the station list’s source', async () => {
		const html = await page(near('みつからないテスト駅'));
		expect(html).toContain('「みつからないテスト駅」という駅がみつからなかったため、場所を指定せずにさがしました。');
		expect(html).not.toContain(ATTRIBUTION);
	});

	it('the JSON API credits the source of a station’s point', async () => {
		const body = (await (await fetch(`${app.baseUrl}/api/v1/programs?${near('つなぐテスト駅')}`)).json()) as { origin: { label: string; attribution: string | null } };
		expect(body.origin).toMatchObject({ label: 'つなぐテスト駅', attribution: ATTRIBUTION });
		const city = (await (await fetch(`${app.baseUrl}/api/v1/programs?${near('豊島区')}`)).json()) as { origin: { attribution: string | null } };
		expect(city.origin.attribution).toBeNull();
	});
});
