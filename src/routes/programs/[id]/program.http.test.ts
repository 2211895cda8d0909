/**
 * The public program page and the finder's JSON over HTTP, against the built app: it speaks for
 * the organisation only with the organisation's own words, dates the program by its own last
 * change, marks Japanese data as Japanese on English pages, and says that it varies by language.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { testDatabase } from '../../../../tests/helpers/db';
import { startApp, type RunningApp } from '../../../../tests/helpers/app';
import { makeOccurrence, makeOrganizationWithProgram, uniqueTag } from '../../../../tests/helpers/factories';
import { japaneseIn, textOutsideLang } from '../../../../tests/helpers/html';
import type { Database } from '$lib/server/db';

let database: Database;
let app: RunningApp;
let admin: pg.Client;
let own: { programId: string; title: string };
let counted: { organizationId: string; programId: string };
let withNote: { programId: string; note: string };
let demoProgram: string;
let demoOrganization: string;

beforeAll(async () => {
	database = await testDatabase();
	admin = new pg.Client({ connectionString: database.adminUrl });
	await admin.connect();
	const title = `言葉の試験の会${uniqueTag()}`;
	own = { programId: (await makeOrganizationWithProgram(database.db, { edit: { title, firstTimeNote: null } })).programId, title };
	const note = `初めての方は受付で声をかけてください${uniqueTag()}`;
	withNote = { programId: (await makeOrganizationWithProgram(database.db, { edit: { firstTimeNote: note } })).programId, note };
	// A program of the demo region (loaded from a casebook), never edited by its organisation.
	const demo = await admin.query<{ id: string; organization_id: string }>(`select p.id, p.organization_id from programs p join organizations o on o.id = p.organization_id where p.slug = 's004-hachioji-food-cafe'`);
	demoProgram = demo.rows[0].id;
	demoOrganization = demo.rows[0].organization_id;
	// A program held last week: its page has attendance to show, unless the organisation says no.
	counted = await makeOrganizationWithProgram(database.db);
	await makeOccurrence(database.db, counted.organizationId, counted.programId, { inDays: -7 });
	app = await startApp(database.adminUrl);
}, 180_000);
afterAll(async () => {
	await app?.stop();
	await admin?.end();
	await database?.close();
});

const get = (path: string, lang = 'ja') => fetch(`${app.baseUrl}${path}`, { headers: { 'accept-language': lang } });

describe('the program page', () => {
	it('never says 見学だけでも大丈夫 for an organisation that did not say it', async () => {
		const html = await (await get(`/programs/${own.programId}`)).text();
		expect(html).toContain(own.title);
		expect(html).not.toContain('見学だけでも大丈夫');
		expect(html).not.toContain('はじめての方へ');
	});
	it('shows the organisation’s own words for newcomers', async () => {
		const html = await (await get(`/programs/${withNote.programId}`)).text();
		expect(html).toContain('はじめての方へ');
		expect(html).toContain(withNote.note);
	});
	it('dates an edited program by its last change, and a loaded casebook program by none (its source instead)', async () => {
		await admin.query(`update programs set updated_at = '2026-03-05T03:00:00Z' where id = $1`, [own.programId]);
		// Written behind the app's back: its cached page goes when the change notification arrives (within seconds).
		let edited = '';
		for (let i = 0; i < 50 && !edited.includes('最終更新 2026年3月5日'); i++) {
			if (i) await new Promise((r) => setTimeout(r, 100));
			edited = await (await get(`/programs/${own.programId}`)).text();
		}
		expect(edited).toContain('最終更新 2026年3月5日');
		const demo = await (await get(`/programs/${demoProgram}`)).text();
		expect(demo).not.toContain('最終更新');
		expect(demo).toContain('出典');
	});
	it('in English, marks the data (in Japanese) as Japanese and dates by month name', async () => {
		const html = await (await get(`/programs/${own.programId}`, 'en')).text();
		expect(html).toMatch(/<html[^>]* lang="en"/);
		expect(html).toMatch(new RegExp(`<h1[^>]* lang="ja"[^>]*>${own.title}</h1>`));
		expect(html).toContain('Last updated 5 Mar 2026');
	});
});

describe('in English, every Japanese text of the finder is marked lang="ja"', () => {
	const q = (params: Record<string, string>) => `/search?${new URLSearchParams(params)}`;
	it.each([
		['results with schedules in words and places', () => q({ q: 'こども食堂' })],
		['results near a place, with the place note and distances', () => q({ q: '居場所', near: '札幌市' })],
		['a typo corrected (「もしかして」)', () => q({ q: 'こども食道' })],
		['partial matches under their line', () => q({ q: '高齢者 サロン 無料' })],
		['an empty page with the hotlines', () => q({ q: '夫を亡くした' })],
		['open today, with the programs whose dates are not known', () => q({ when: 'today' })],
		['a demo program page', () => `/programs/${demoProgram}`],
		['a demo organisation page', () => `/organizations/${demoOrganization}`]
	])('%s', async (_, path) => {
		const response = await get(path(), 'en');
		expect(response.status).toBe(200);
		const html = await response.text();
		expect(html).toMatch(/<html[^>]* lang="en"/);
		expect(japaneseIn(textOutsideLang(html, 'ja'))).toEqual([]);
	});
});

describe('the place note in English', () => {
	it('keeps a space between the range and the link that widens it', async () => {
		const html = await (await get(`/search?${new URLSearchParams({ q: '居場所', near: '札幌市' })}`, 'en')).text();
		const text = html.replace(/<!--.*?-->/g, '').replace(/<[^>]+>/g, '');
		// 30 km finds more than 10 around 札幌市 (2 → 5): the link names the range it leads to.
		expect(text).toContain('up to 10 km from it. Search within 30 km');
	});
});

/** The page's text without tags and Svelte's markers. */
const textOf = async (path: string, lang = 'ja') => (await (await get(path, lang)).text()).replace(/<!--.*?-->/g, '').replace(/<[^>]+>/g, '');
const search = (params: Record<string, string>) => `/search?${new URLSearchParams(params)}`;

describe('the place note, read on a phone (walk of issue 15)', () => {
	it('offers to widen only to a range that finds more, and names it', async () => {
		// 30 km around 台東区 reaches Kanagawa, Saitama and Chiba: 東京都 alone finds fewer (54 → 37 in the demo).
		const taito = await (await get(search({ near: '台東区', radius: '30' }))).text();
		expect(taito).not.toContain('radius=pref');
		expect(taito).not.toContain('範囲を広げる');
		// 札幌市 within 10 km finds the same six as within 5 km: the link goes on to 30 km.
		const sapporo = await (await get(search({ near: '札幌市', radius: '5' }))).text();
		expect(sapporo).toMatch(/<a href="\/search\?near=[^"]*&amp;radius=30">範囲を30km以内に広げる<\/a>/);
	});
	it('keeps the count and the range shown apart (「6件みつかりました— 1〜6件目」 ran together)', async () => {
		expect(await textOf(search({ near: '札幌市' }))).toMatch(/\d+件みつかりました — 1〜\d+件目を表示/);
		expect(await textOf(search({ near: '札幌市' }), 'en')).toMatch(/\d+ found — Showing 1–\d+/);
		// A page past the last (an edited link) shows no range like 「61〜54件目」.
		const past = await textOf(search({ near: '台東区', radius: '30', page: '9' }));
		expect(past).toMatch(/\d+件みつかりました/);
		expect(past).not.toContain('件目を表示');
	});
	it('around a point (いまいる場所) says how far, not “inside” a point', async () => {
		const text = await textOf(search({ lat: '43.06', lng: '141.35' }));
		expect(text).toContain('範囲: いまいる場所から10km以内。');
		expect(text).not.toContain('いまいる場所のなかと');
		expect(await textOf(search({ lat: '43.06', lng: '141.35' }), 'en')).toContain('Showing: up to 10 km from where you are.');
	});
	it('gives an approximate distance in whole kilometres, never 「約0km」, and says what it is measured to', async () => {
		const text = await textOf(search({ near: '札幌市' }));
		expect(text).not.toContain('約0km');
		expect(text).toContain('おおよその距離 1km未満');
		// 札幌市西区 (the men's shed) is 4.5 km from 札幌市's office: no tenths for a point that is only the ward's.
		expect(text).toMatch(/おおよその距離 約[0-9]+km/);
		expect(text).not.toMatch(/おおよその距離 約[0-9]+\.[0-9]km/);
		expect(text).toContain('「おおよその距離」は、くわしい位置がわからない場所について、その市区町村の役所などの位置までをはかったものです。');
		// The sentence goes with the distances it explains: 「今日」 near 石巻市 listed only a program whose dates are not known, shown without a distance.
		const today = await textOf(search({ when: 'today', near: '石巻市' }));
		expect(today.includes('「おおよその距離」は')).toBe(today.includes('おおよその距離 '));
		// A search whose places all have their own coordinates has no such sentence: see the first-place test in places.test.ts; here none is shown without a place.
		expect(await textOf(search({ q: '居場所' }))).not.toContain('「おおよその距離」は');
	});
});

describe('a distance from a 市区町村’s point', () => {
	it('is said to be approximate on the search page (the demo region’s points are its 市区町村’s)', async () => {
		const html = await (await get(`/search?${new URLSearchParams({ q: 'メンズシェッド', near: '札幌市西区' })}`)).text();
		const text = html.replace(/<!--.*?-->/g, '').replace(/<[^>]+>/g, '');
		// The men's shed is 0.1 km from 札幌市西区's office, to which its point is only approximate.
		expect(text).toContain('おおよその距離 1km未満');
	});
});

describe('attendance on the program page', () => {
	it('is shown by default and hidden once the organisation chooses not to show it', async () => {
		const heading = 'この取組の参加の実績(直近12か月)';
		expect(await (await get(`/programs/${counted.programId}`)).text()).toContain(heading);
		await admin.query(`update organizations set show_attendance = false where id = $1`, [counted.organizationId]);
		let page = '';
		for (let i = 0; i < 50 && (!page || page.includes(heading)); i++) {
			if (i) await new Promise((r) => setTimeout(r, 100));
			page = await (await get(`/programs/${counted.programId}`)).text();
		}
		expect(page).toContain('<h1'); // the page itself is still there
		expect(page).not.toContain(heading);
	});
});

describe('Vary: Accept-Language', () => {
	it.each(['/', '/search?q=%E9%A3%9F%E5%A0%82', '/api/v1/programs?q=%E9%A3%9F%E5%A0%82', '/calendar'])('is said by %s', async (path) => {
		const response = await get(path, 'en');
		expect(response.status).toBe(200);
		expect(response.headers.get('vary') ?? '').toMatch(/accept-language/i);
	});
	it('is said by the program page and its API', async () => {
		for (const path of [`/programs/${own.programId}`, `/api/v1/programs/${own.programId}`]) {
			const response = await get(path);
			expect(response.status).toBe(200);
			expect(response.headers.get('vary') ?? '').toMatch(/accept-language/i);
		}
	});
});

describe('the finder’s open-now filter over HTTP', () => {
	it('accepts when=now, and lists programs whose dates are not known under their own heading', async () => {
		const html = await (await get('/search?when=now')).text();
		expect(html).toContain('日程は団体にご確認ください');
		const api = await (await get('/api/v1/programs?when=now&per_page=100')).json();
		expect(api.contents.some((c: { schedule_known: boolean }) => c.schedule_known === false)).toBe(true);
	});
});

describe('a station’s name as the place', () => {
	it('says in Japanese that stations are not searchable yet, still lists programs, and offers the municipalities of the same name', async () => {
		const html = await (await get(`/search?q=${encodeURIComponent('こども食堂')}&near=${encodeURIComponent('府中駅')}`)).text();
		expect(html).toContain('駅名での検索にはまだ対応していないため、場所を指定せずにさがしました。');
		expect(html).toContain('「府中駅」のある市区町村名か郵便番号で入力してください。');
		expect(html).toMatch(/href="\/programs\/[0-9a-f-]{36}"/);
		// Both 府中市 (東京都, 広島県) and 府中町, each a link that searches near it.
		for (const [pref, name] of [
			['東京都', '府中市'],
			['広島県', '府中市'],
			['広島県', '府中町']
		]) {
			expect(html).toContain(`${pref}${name}の近くでさがす`);
			expect(html).toContain(`near=${encodeURIComponent(`${pref}/${name}`)}`);
		}
		const near = await (await get(`/search?q=${encodeURIComponent('こども食堂')}&near=${encodeURIComponent('東京都/府中市')}`)).text();
		expect(near).not.toContain('駅名での検索');
		expect(near).toContain('範囲: 東京都府中市のなかと');
	});

	it('is a plain unknown place when it is not a station’s name', async () => {
		const html = await (await get(`/search?near=${encodeURIComponent('どこでもない町')}`)).text();
		expect(html).toContain('「どこでもない町」という場所がみつからなかったため');
		expect(html).not.toContain('の近くでさがす');
	});
});

describe('a second walk of issue 15 (phone, as a resident)', () => {
	it('names a wrong search condition in words a resident knows, not by its parameter (「(radius)」)', async () => {
		const cases: Array<[string, string]> = [
			[search({ near: '荒川区', radius: '7' }), 'さがす範囲'],
			[search({ lat: '35' }), '緯度・経度'],
			[search({ q: 'あ'.repeat(201) }), 'さがしたいこと'],
			[search({ page: '99999' }), 'ページ']
		];
		for (const [path, words] of cases) {
			const response = await get(path);
			expect(response.status, path).toBe(400);
			const text = (await response.text()).replace(/<!--.*?-->/g, '').replace(/<[^>]+>/g, '');
			expect(text, path).toContain(`「${words}`);
			expect(text, path).not.toMatch(/\((radius|lat|lng|q|page)\)/);
		}
		const english = (await (await get(search({ near: '荒川区', radius: '7' }), 'en')).text()).replace(/<[^>]+>/g, '');
		expect(english).toContain('“Search within”');
	});
	it('says at the top when nothing is known to be open then, instead of 「N件みつかりました」 over programs whose dates are not known', async () => {
		// The men's shed says its dates only in words: nothing is known to meet today.
		const text = await textOf(search({ q: 'メンズシェッド', when: 'today' }));
		const top = text.indexOf('今日ひらいていると日程から分かる取組はみつかりませんでした');
		expect(top).toBeGreaterThan(-1);
		expect(top).toBeLessThan(text.indexOf('メンズシェッドのグループ活動'));
		expect(text).not.toMatch(/\d+件みつかりました/);
		expect(text).toMatch(/日程が文章でしか分からない取組が\d+件あります/);
		expect(await textOf(search({ q: 'メンズシェッド', when: 'today' }), 'en')).toContain('Nothing is known from its dates to be on today.');
	});
	it('says once that nothing is known to meet today: the suggestions below the list do not repeat the top line', async () => {
		const text = await textOf(search({ q: 'メンズシェッド', when: 'today' }));
		expect(text.match(/日程から分かる取組はみつかりませんでした|日程の分かっている取組は見つかりませんでした/g)).toEqual(['日程から分かる取組はみつかりませんでした']);
		// The suggestions still say what to do, and offer other searches.
		expect(text).toContain('日程は団体に確かめるか、ほかの条件でさがしてみてください。');
		expect(text).toMatch(/条件「いつ」をはずす\(\d+件\)/);
		const english = await textOf(search({ q: 'メンズシェッド', when: 'today' }), 'en');
		expect(english.match(/known from its dates|with known dates/g)).toEqual(['known from its dates']);
		expect(english).toContain('Ask the organisations about their dates, or try another search.');
	});
	it('names a result’s place once when the place is called by its 市区町村 (「東京都台東区 台東区」)', async () => {
		const text = await textOf(search({ q: 'こども食堂', near: '荒川区' }));
		expect(text).toMatch(/東京都台東区\s*\(おおよその距離 約3km\)/);
		expect(text).not.toMatch(/東京都台東区\s+台東区/);
		// A place with a name of its own keeps it.
		expect(await textOf(search({ near: '札幌市' }))).toMatch(/北海道札幌市西区\s+札幌市西区\(公共施設\)/);
	});
	it('keeps a space between an event’s organisation and its place in the calendar (「サンカクシャ· 会場: 豊島区」)', async () => {
		for (const [lang, at] of [
			['ja', '会場: '],
			['en', 'At ']
		]) {
			const text = await textOf('/calendar?view=list', lang);
			expect(text, lang).toContain(`· ${at}`);
			expect(text, lang).not.toMatch(new RegExp(`\\S· ${at}`));
		}
	});
	it('states no order over an empty list, only the range it searched (「関連の高いものを先に…並べています」 over 0件)', async () => {
		const text = await textOf(search({ q: '夫を亡くした', near: '荒川区' }));
		expect(text).toContain('条件に合うものはみつかりませんでした');
		expect(text).toContain('範囲: 東京都荒川区のなかと、そこから10km以内。');
		expect(text).not.toContain('並べています');
		expect(await textOf(search({ q: '夫を亡くした', near: '荒川区' }), 'en')).not.toContain('first');
	});
	it('says once that nothing was found (not 「0件みつかりました」 and then 「みつかりませんでした」), then what to try', async () => {
		for (const query of [{ q: '夫を亡くした' }, { q: 'こども食堂', near: '東京都/府中市' }] as Record<string, string>[]) {
			const text = await textOf(search(query));
			expect(text).not.toContain('0件みつかりました');
			expect(text.match(/条件に合うものはみつかりませんでした/g)).toHaveLength(1);
			expect(text.match(/こちらはいかがですか/g)).toHaveLength(1);
		}
		const english = await textOf(search({ q: '夫を亡くした' }), 'en');
		expect(english).not.toContain('0 found');
		expect(english.match(/Nothing matched these conditions/g)).toHaveLength(1);
	});
	it('offers a wider range once on an empty page: among the suggestions, with its count', async () => {
		const text = await textOf(search({ q: 'こども食堂', near: '東京都/府中市' }));
		expect(text).toContain('条件に合うものはみつかりませんでした');
		expect(text.match(/範囲を30km以内に広げる/g)).toHaveLength(1);
		expect(text).toMatch(/範囲を30km以内に広げる\(\d+件\)/);
	});
	it('offers the places a ward’s name may mean (「西区」), instead of saying there is no such place', async () => {
		const html = await (await get(search({ near: '西区' }))).text();
		const text = html.replace(/<!--.*?-->/g, '').replace(/<[^>]+>/g, '');
		expect(text).not.toContain('「西区」という場所がみつからなかった');
		expect(text).toContain('「西区」という名前の市区町村はいくつかあるため、場所を指定せずにさがしました。');
		expect(html).toContain(`href="/search?near=${encodeURIComponent('北海道/札幌市西区')}"`);
		expect(html).toContain(`href="/search?near=${encodeURIComponent('神奈川県/横浜市西区')}"`);
		// The same for the 市区町村 filter, which found nothing and said nothing.
		const city = await textOf(search({ city: '西区' }));
		expect(city).toContain('「西区」という名前の市区町村はいくつかあります。');
		expect(await textOf(search({ city: 'ニャー市' }))).toContain('「ニャー市」という市区町村はみつかりませんでした');
	});
	it('takes a place typed among the words as the place, and says so (「こども食堂 荒川区」 listed 室蘭 under 『荒川区』を含まない結果)', async () => {
		const typed = await fetch(`${app.baseUrl}${search({ q: 'こども食堂 荒川区' })}`, { headers: { 'accept-language': 'ja' }, redirect: 'manual' });
		expect(typed.status).toBe(303);
		expect(typed.headers.get('location')).toBe(search({ q: 'こども食堂', near: '荒川区' }));
		const text = await textOf(search({ q: 'こども食堂', near: '荒川区' }));
		// The order as the page states it (strong matches first, then by distance band).
		expect(text).toContain('東京都荒川区の近くで、関連の高いものを先に、近さ(2・5・10・30kmまで)ごとに並べています。');
		// The same in English, as the order is: strong matches before weak ones, each from the nearest band out.
		expect(await textOf(search({ q: 'こども食堂', near: '荒川区' }), 'en')).toContain('Near 東京都荒川区: good matches for your words first, then weaker ones; each nearest first in steps of 2, 5, 10 and 30 km, the best match first within a step.');
		// The walk's case: 防災子ども食堂 (the words in its title, about 3 km) before ボランティア説明会 (only in its text, under 1 km).
		expect(text.indexOf('防災子ども食堂')).toBeGreaterThan(0);
		expect(text.indexOf('防災子ども食堂')).toBeLessThan(text.indexOf('ボランティア説明会'));
		expect(text).not.toContain('『荒川区』を含まない結果');
		// Words that name no single place stay words.
		expect((await fetch(`${app.baseUrl}${search({ q: '府中 居場所' })}`, { redirect: 'manual' })).status).toBe(200);
		expect((await fetch(`${app.baseUrl}${search({ q: '不登校 東京', near: '札幌市' })}`, { redirect: 'manual' })).status).toBe(200);
	});
	it('refuses a link whose words are not UTF-8 (Shift_JIS 「こども」 searched for 「��」 and listed every program)', async () => {
		const page = await get('/search?q=%82%B1%82%C7%82%E0');
		expect(page.status).toBe(400);
		expect(await page.text()).toContain('文字として読み取れませんでした');
		const api = await get('/api/v1/programs?q=%82%B1%82%C7%82%E0');
		expect(api.status).toBe(400);
		expect(await api.json()).toMatchObject({ error: { code: 'undecodable', details: [{ param: 'q' }] } });
	});
	it('answers an unknown /api/v1 path with the API’s JSON error, not an HTML page', async () => {
		const response = await get('/api/v1/nothing-here');
		expect(response.status).toBe(404);
		expect(response.headers.get('content-type')).toMatch(/^application\/json/);
		expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
	});
	it('says Vary: Cookie too, since the language cookie changes the API’s answer and the pages', async () => {
		const cookie = await fetch(`${app.baseUrl}/api/v1/programs?per_page=1`, { headers: { 'accept-language': 'ja', cookie: 'lang=en' } });
		const plain = await fetch(`${app.baseUrl}/api/v1/programs?per_page=1`, { headers: { 'accept-language': 'ja' } });
		expect(await cookie.text()).not.toBe(await plain.text());
		for (const path of ['/api/v1/programs?per_page=1', '/search', '/']) {
			expect((await get(path)).headers.get('vary') ?? '', path).toMatch(/(^|,)\s*cookie\s*(,|$)/i);
		}
	});
});
