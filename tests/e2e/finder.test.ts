/**
 * The public finder in a real Chromium, JavaScript off (public pages must work without it):
 * accessibility (axe, WCAG 2.2 AA), and the journeys of new users, each in three interactions or
 * fewer from the home page.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch, residentContext, seriousViolations } from './browser.ts';

let browser: Browser;
let context: BrowserContext;
let page: Page;

before(async () => {
	browser = await launch();
	context = await residentContext(browser);
	page = await context.newPage();
});
after(async () => {
	await browser?.close();
});

/** Page object: the home page and its search form. */
const home = {
	open: () => page.goto('/'),
	clickNeed: (name: string) => page.getByRole('link', { name, exact: true }).click(),
	search: async (words: string, place = '') => {
		await page.getByLabel('さがしたいこと').fill(words);
		if (place) await page.getByRole('textbox', { name: '市区町村' }).fill(place);
		await page.getByRole('button', { name: 'さがす', exact: true }).click();
	}
};

/** Page object: the results page. */
const results = {
	titles: () => page.locator('ol.results > li h2').allTextContents(),
	top5: async () => (await results.titles()).slice(0, 5),
	nextLines: () => page.locator('ol.results:not(.undated-results) > li .next').allTextContents()
};

function assertAmong(top: string[], expected: string[]) {
	assert.ok(
		top.some((title) => expected.some((e) => title.includes(e))),
		`expected one of ${expected.join(' / ')} in the top 5, got: ${top.join(' / ')}`
	);
}

describe('accessibility (axe-core, no serious or critical violation)', () => {
	it('home, results, program and organisation pages', async () => {
		await home.open();
		assert.deepEqual(await seriousViolations(page), [], 'home');
		await page.goto('/search?q=こども食堂');
		assert.deepEqual(await seriousViolations(page), [], 'results');
		await page.locator('ol.results > li h2 a').first().click();
		assert.match(page.url(), /\/programs\/[0-9a-f-]{36}$/);
		assert.deepEqual(await seriousViolations(page), [], 'program');
		await page.locator('article > p a[href^="/organizations/"]').first().click();
		assert.match(page.url(), /\/organizations\/[0-9a-f-]{36}$/);
		// Where the organisation's facts come from (issue 17).
		// A casebook organisation never edited says when it was listed, not a 「最終更新」 that is the load day.
		assert.match((await page.getByTestId('citation').textContent()) ?? '', /^出典: .+。つなぐへの掲載 \d{4}年\d{1,2}月\d{1,2}日。$/);
		assert.deepEqual(await seriousViolations(page), [], 'organisation');
	});
	it('the open data page, reached from the footer: its licence and downloads', async () => {
		await home.open();
		await page.getByRole('link', { name: 'オープンデータ(CC BY 4.0)' }).click();
		assert.match(page.url(), /\/opendata$/);
		assert.ok(await page.getByRole('link', { name: /イベント一覧/ }).isVisible());
		assert.ok(await page.getByRole('link', { name: /公共施設一覧/ }).isVisible());
		assert.equal(await page.locator('a[rel=license]').getAttribute('href'), 'https://creativecommons.org/licenses/by/4.0/deed.ja');
		assert.deepEqual(await seriousViolations(page), []);
	});
	it('a result page with no match, with its suggestions', async () => {
		await page.goto('/search?form=food_pantry&prefecture=東京都&city=渋谷区');
		assert.ok(await page.getByText('こちらはいかがですか').isVisible());
		assert.deepEqual(await seriousViolations(page), []);
	});
	it('a search that finds nothing, on a phone: the consultation window and the hotlines', async () => {
		await page.goto('/search?q=ズブロフカ');
		assert.ok(await page.getByText('条件に合うものはみつかりませんでした。').isVisible());
		const consult = page.getByRole('link', { name: '相談窓口にメッセージを送る' });
		assert.ok(await consult.isVisible());
		assert.equal(await consult.getAttribute('href'), '/consult');
		// The lines anyone can call, each a tap-to-call link from the hotline data.
		const call = page.getByRole('link', { name: '0120-279-338 に電話する' });
		assert.ok(await call.isVisible(), 'よりそいホットライン');
		assert.equal(await call.getAttribute('href'), 'tel:0120279338');
		assert.ok(await page.getByText('いのちの電話（ナビダイヤル）').isVisible());
		// Dropping the words is still offered.
		assert.ok(await page.getByRole('link', { name: /条件「さがしたいこと」をはずす/ }).isVisible());
		assert.deepEqual(await seriousViolations(page), []);
		// The link leads to the window's form.
		await consult.click();
		assert.match(page.url(), /\/consult$/);
		assert.ok(await page.getByLabel('相談したいこと').isVisible());
	});
	it('words that match only in part, on a phone: the partial matches under 「『無料』を含まない結果」', async () => {
		await home.open();
		await home.search('高齢者 サロン 無料'); // 1: type, 2: search
		// Fewer than three programs hold all three words (the language layer reads サロン as 居場所 too).
		assert.match((await page.locator('p[role=status]').first().textContent()) ?? '', /^([12]件みつかりました|条件に合うものはみつかりませんでした)/);
		const heading = page.getByRole('heading', { name: '『無料』を含まない結果' });
		assert.ok(await heading.isVisible());
		const titles = await page.locator('section.partial ol.results').first().locator('li h3').allTextContents();
		assert.ok(titles.length > 0);
		assertAmong(titles.slice(0, 5), ['ふれあい喫茶はち福', 'フリースペースのサークル活動', '近隣大家族', '大倉山ミエル']);
		// Not an empty page: no hotlines list, but the consultation window is still offered.
		assert.ok(await page.getByRole('link', { name: '相談窓口にメッセージを送る' }).isVisible());
		assert.deepEqual(await seriousViolations(page), []);
	});
	it('a feeling finds residents’ programs; the supporters’ meetings only behind their own link', async () => {
		await page.goto('/search?q=さみしい');
		const titles = await results.titles();
		assert.ok(titles.length > 0);
		assert.ok(!titles.some((t) => t.includes('月例会') || t.includes('研修')), titles.join(' / '));
		const link = page.getByRole('link', { name: /支援者・専門職向けのプログラム\(\d+件\)/ });
		assert.ok(await link.isVisible());
		await link.click();
		assert.match(page.url(), /audience=supporters/);
		assertAmong(await results.titles(), ['月例会']);
		assert.ok(await page.getByRole('link', { name: '住民向けのプログラムを見る' }).isVisible());
		assert.deepEqual(await seriousViolations(page), []);
	});
	it('a search near a place, on a phone: the order and range said, the wider range a whole link on its own line, approximate distances explained', async () => {
		await home.open();
		await home.search('', '札幌市'); // 1: place, 2: search
		const note = page.locator('.place-note');
		assert.match(await note.innerText(), /北海道札幌市から近い順に並べています。\s*範囲: 北海道札幌市のなかと、そこから10km以内。/);
		// 10 km finds no more than 5 here, 30 km does (北広島市): the link says where it leads.
		const widen = page.getByRole('link', { name: '範囲を30km以内に広げる' });
		assert.equal(await widen.evaluate((a) => a.getClientRects().length), 1, 'the link is not broken across lines');
		assert.ok(await page.getByText('「おおよその距離」は、くわしい位置がわからない場所について').isVisible());
		const distances = await page.locator('ol.results ul.meta li:first-child').allInnerTexts();
		assert.ok(
			distances.some((d) => d.includes('おおよその距離 1km未満')),
			distances.join(' / ')
		);
		assert.ok(!distances.some((d) => d.includes('約0km')), distances.join(' / '));
		assert.deepEqual(await seriousViolations(page), []);
		await widen.click(); // 3
		assert.match(page.url(), /radius=30/);
		assert.match(await note.innerText(), /そこから30km以内。/);
		assert.ok(await page.getByRole('link', { name: '範囲を同じ都道府県に広げる' }).isVisible());
		await page.getByRole('button', { name: 'English' }).click();
		assert.ok(await page.getByRole('link', { name: 'Search within the same prefecture' }).isVisible());
		assert.deepEqual(await seriousViolations(page), [], 'English');
		await page.getByRole('button', { name: '日本語' }).click();
	});
	it('large text stays accessible', async () => {
		await home.open();
		await page.getByRole('button', { name: '文字を大きく' }).click();
		assert.equal(await page.locator('html').getAttribute('class'), 'large-text');
		assert.deepEqual(await seriousViolations(page), []);
		await page.getByRole('button', { name: '文字を標準に' }).click();
		assert.equal(await page.locator('html').getAttribute('class'), '');
	});
});

describe('new users find something in three interactions or fewer', () => {
	it('a place for a school-refusing child and parent in Tokyo', async () => {
		await home.open();
		await home.search('不登校 東京'); // 1: type, 2: search
		assertAmong(await results.top5(), ['平日午前の居場所', '親子で楽しむボードゲーム', 'テクリエさぎのみや']);
	});
	it('the need link 学校に行きづらい leads to places for school refusal', async () => {
		await home.open();
		await home.clickNeed('学校に行きづらい'); // 1
		assert.ok((await results.titles()).length > 0);
		assertAmong(await results.titles(), ['平日午前の居場所', '親子で楽しむボードゲーム', 'しゅろハウス']);
	});
	it('a place for a retired man in Sapporo', async () => {
		await home.open();
		await home.search('退職 男性', '札幌'); // 1: words, 2: place, 3: search
		assertAmong(await results.top5(), ['メンズシェッド']);
	});
	it('help for a Myanmar family in Yokohama', async () => {
		await home.open();
		await home.search('ミャンマー', '横浜'); // 1, 2, 3
		assertAmong(await results.top5(), ['在日ミャンマー人の定住支援相談']);
	});
	it('a food pantry for single parents in Funabashi', async () => {
		await home.open();
		await home.search('フードパントリー ひとり親', '船橋'); // 1, 2, 3
		assertAmong(await results.top5(), ['パントリーピックアップ']);
	});
	it('something open today near a given 市区町村', async () => {
		await home.open();
		await page.getByRole('textbox', { name: '市区町村' }).fill('石巻市'); // 1
		await page.getByRole('button', { name: '今日行ける場所をさがす' }).click(); // 2
		const today = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', month: 'numeric', day: 'numeric' }).formatToParts(new Date());
		const label = `${today.find((p) => p.type === 'month')!.value}月${today.find((p) => p.type === 'day')!.value}日`;
		const next = await results.nextLines();
		if (next.length) {
			// Everything listed runs today, nearest first.
			for (const line of next) assert.ok(line.includes(label), `${line} should be today (${label})`);
		} else {
			// Nothing runs today anywhere: no dead end, the page offers other searches.
			assert.ok(await page.getByText('こちらはいかがですか').isVisible());
			assert.ok((await page.locator('.notice li a').count()) >= 1);
		}
	});
});

describe('language, errors, no JavaScript', () => {
	it('English is one click away', async () => {
		await home.open();
		await page.getByRole('button', { name: 'English' }).click();
		assert.equal(await page.locator('h1').textContent(), 'Let us find a place or a person that fits you');
		assert.equal(await page.locator('html').getAttribute('lang'), 'en');
		await page.getByRole('button', { name: '日本語' }).click();
		assert.equal(await page.locator('html').getAttribute('lang'), 'ja');
	});
	it('bad input gets a 400 page with a Japanese message', async () => {
		for (const url of ['/search?page=-1', '/search?life_stage=unknown', `/search?q=${'a'.repeat(10_000)}`, '/programs/not-a-uuid']) {
			const response = await page.goto(url);
			assert.equal(response?.status(), 400, url);
			assert.match((await page.getByRole('alert').textContent()) ?? '', /誤り/);
		}
	});
	it('pages carry no script and still work: results paginate through plain links', async () => {
		await page.goto('/search?per_page=5');
		assert.equal(await page.locator('script').count(), 0);
		const first = await results.titles();
		await page.getByRole('link', { name: '次へ' }).click();
		assert.notDeepEqual(await results.titles(), first);
		assert.match(page.url(), /page=2/);
	});
});

describe('large text', () => {
	it('scales every text in proportion: headings, result titles, tags, buttons', async () => {
		const sizes = async () => {
			await page.goto('/search?q=こども食堂');
			const px = (selector: string) =>
				page
					.locator(selector)
					.first()
					.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
			return { heading: await px('h1'), title: await px('ol.results > li h2'), tag: await px('ol.results .tag'), body: await px('ol.results > li p'), button: await px('form[role=search] button[type=submit]') };
		};
		const normal = await sizes();
		await page.getByRole('button', { name: '文字を大きく' }).click();
		const large = await sizes();
		await page.getByRole('button', { name: '文字を標準に' }).click();
		for (const key of Object.keys(normal) as Array<keyof typeof normal>) {
			assert.ok(Math.abs(large[key] / normal[key] - 1.25) < 0.02, `${key}: ${normal[key]}px → ${large[key]}px`);
		}
		// Titles stay larger than the text under them.
		assert.ok(large.title > large.body, `title ${large.title}px, body ${large.body}px`);
	});
	it('keeps every organisation page within a phone’s width (a long web address scrolled 20 of them sideways)', async () => {
		const ids = new Set<string>();
		for (const p of [1, 2]) {
			const body = (await (await page.request.get(`/api/v1/programs?per_page=100&page=${p}&audience=all`)).json()) as { contents: Array<{ organization: { id: string } }> };
			for (const c of body.contents) ids.add(c.organization.id);
		}
		assert.ok(ids.size > 40, `${ids.size} organisations`);
		await page.goto('/');
		await page.getByRole('button', { name: '文字を大きく' }).click();
		const wide: string[] = [];
		try {
			for (const id of ids) {
				await page.goto(`/organizations/${id}`);
				const width = await page.evaluate(() => document.documentElement.scrollWidth);
				if (width > 390) wide.push(`${id}: ${width}px`);
			}
		} finally {
			await page.getByRole('button', { name: '文字を標準に' }).click();
		}
		assert.deepEqual(wide, []);
	});
});
