/**
 * Issue 4, as new users meet it in Chromium: a staff member sets up a monthly program on
 * 第1・第3土曜日 and sees which dates a national holiday skips, prints its flyer, and opens
 * registration for one session with a single place; a resident registers, a second one goes on
 * the waiting list and is promoted when the first cancels; the second resident gets a
 * participation card, is checked in at today's session by scanning its QR code, and the program's
 * figures show the visit.
 *
 * Runs after tests/e2e/staff.test.ts against the same app: it signs in as the colleague that test
 * invited (staff of みどり町こども食堂の会). Mail is read from DATA_DIR/outbox.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import holidays from '@holiday-jp/holiday_jp';
import { baseUrl, handOver, launch, seriousViolations, signIn } from './browser.ts';
import { readOutbox } from '../../src/lib/server/mail.ts';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import QRCode from 'qrcode';
import { chromium } from 'playwright-core';

const outbox = path.join(process.env.DATA_DIR ?? 'data', 'outbox');
const PROGRAM = 'みどり町ひだまり食堂';
let browser: Browser;

async function assertAccessible(page: Page) {
	const violations = await seriousViolations(page);
	assert.deepEqual(violations, [], `${page.url()}: ${JSON.stringify(violations, null, 1)}`);
}

/** The newest mail to `to` whose text matches `pattern`; waits for background sending. */
async function mailTo(to: string, pattern: RegExp): Promise<string> {
	for (let i = 0; i < 50; i++) {
		const message = readOutbox(200, outbox).find((m) => m.to.includes(to) && pattern.test(m.text));
		if (message) return message.text;
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`no mail to ${to} matching ${pattern} in ${outbox}`);
}

const tokyoToday = () => new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);

/** The first national holiday on a first or third Saturday after `from` (what the preview must name). */
function nextSaturdayHoliday(from: string): { day: string; name: string } {
	const found = holidays.between(new Date(`${from}T00:00:00Z`), new Date(`${Number(from.slice(0, 4)) + 10}-12-31T00:00:00Z`)).find((h) => {
		const d = new Date(h.date);
		const day = d.toISOString().slice(0, 10);
		const date = Number(day.slice(8));
		return new Date(`${day}T00:00:00Z`).getUTCDay() === 6 && (date <= 7 || (date >= 15 && date <= 21));
	})!;
	return { day: new Date(found.date).toISOString().slice(0, 10), name: found.name };
}

async function staffPage(): Promise<Page> {
	const context = await browser.newContext({ baseURL: baseUrl, locale: 'ja-JP', extraHTTPHeaders: { 'accept-language': 'ja' }, bypassCSP: true });
	const page = await context.newPage();
	await signIn(page, 'colleague@example.org');
	return page;
}

/** A resident's phone: no account, JavaScript off (public pages must work without it). */
async function residentPage(): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ baseURL: baseUrl, locale: 'ja-JP', extraHTTPHeaders: { 'accept-language': 'ja' }, javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
	return { context, page: await context.newPage() };
}

before(async () => {
	browser = await launch();
});
after(async () => {
	await browser?.close();
});

describe('a program from its schedule to the visit in its figures', () => {
	let staff: Page;
	let programPath = '';
	let organizationPath = '';

	it('the staff member sets up a monthly program on 第1・第3土曜日 and sees the holiday it will skip', async () => {
		staff = await staffPage();
		await staff.getByRole('link', { name: /^取組\s*: みどり町こども食堂の会$/ }).click();
		await staff.waitForURL(/\/programs$/);
		organizationPath = new URL(staff.url()).pathname.replace(/\/programs$/, '');
		await staff.getByRole('link', { name: '取組を追加する' }).click();
		await staff.getByLabel('取組の名前').fill(PROGRAM);
		await staff.getByLabel('ひとことで').fill('月2回、親子でごはんを食べる会です');
		await staff.getByRole('checkbox', { name: 'こども食堂' }).check();
		await staff.getByRole('checkbox', { name: '小学生' }).check();
		await staff.getByLabel('くり返し').selectOption('monthly_nth');
		await staff.getByRole('checkbox', { name: '第1' }).check();
		await staff.getByRole('checkbox', { name: '第3' }).check();
		await staff.getByRole('checkbox', { name: '土曜日' }).check();
		await staff.getByLabel('開始時刻').fill('11:00');
		await staff.getByLabel('終了時刻').fill('14:00');
		await staff.getByLabel('いつから').fill(tokyoToday());
		await staff.getByRole('checkbox', { name: '祝日は休み' }).check();
		await staff.getByRole('button', { name: '日程を確認する' }).click();
		const preview = await staff.locator('.preview').first().innerText();
		assert.match(preview, /毎月第1・第3土曜日 11:00–14:00\(祝日は休み\)/);
		const holiday = nextSaturdayHoliday(tokyoToday());
		const [y, m, d] = holiday.day.split('-').map(Number);
		assert.match(preview, new RegExp(`${y}年${m}月${d}日\\(土\\)[^\\n]*${holiday.name}のため休み`));
		await assertAccessible(staff);
		await staff.getByRole('button', { name: '保存する' }).click();
		assert.match(await staff.getByRole('status').first().innerText(), /保存しました/);
		await staff.getByRole('button', { name: '公開する' }).click();
		assert.match(await staff.getByRole('status').first().innerText(), /公開しました/);
		programPath = `/programs/${new URL(staff.url()).pathname.split('/').pop()}`;
		assert.equal(await staff.getByRole('link', { name: '公開ページを見る' }).getAttribute('href'), programPath);
		// Its dates exist as sessions, listed on its staff page.
		assert.ok((await staff.locator('section[aria-labelledby="dates"] li').count()) >= 6);
	});

	it('residents find its dates on the shared calendar, by month and as a list, without JavaScript', async () => {
		const { context, page } = await residentPage();
		await page.goto('/calendar');
		await assertAccessible(page);
		await page.getByRole('link', { name: '小・中・高校生' }).click();
		await page.getByRole('link', { name: '一覧' }).click();
		assert.match(page.url(), /purpose=school_age/);
		assert.match(await page.locator('main').innerText(), new RegExp(PROGRAM));
		await assertAccessible(page);
		await page.goto('/calendar?view=week');
		await assertAccessible(page);
		await context.close();
	});

	it("the staff member's dates page lists the sessions and opens one", async () => {
		await staff.goto(`${organizationPath}/events`);
		await assertAccessible(staff);
		await staff
			.getByRole('link', { name: new RegExp(PROGRAM) })
			.first()
			.click();
		await staff.waitForURL(/\/events\/[0-9a-f-]{36}$/);
		await assertAccessible(staff);
	});

	let firstSession = '';
	let residentB: Page;
	let cardCode = '';

	it('anyone prints its flyer from the program page', async () => {
		const { context, page } = await residentPage();
		await page.goto(programPath);
		const href = await page.getByRole('link', { name: 'チラシを印刷する(PDF)' }).getAttribute('href');
		const response = await page.request.get(href!);
		assert.equal(response.status(), 200);
		assert.equal(response.headers()['content-type'], 'application/pdf');
		const text = (await response.body()).toString('latin1');
		assert.ok(text.startsWith('%PDF-'));
		assert.match(text, /NotoSansJP/);
		await assertAccessible(page);
		await context.close();
	});

	it('the staff member opens registration for the first session, with a single place', async () => {
		await staff.goto(`${organizationPath}/events`);
		await staff
			.getByRole('link', { name: new RegExp(PROGRAM) })
			.first()
			.click();
		await staff.waitForURL(/\/events\/[0-9a-f-]{36}$/);
		firstSession = new URL(staff.url()).pathname.split('/').pop()!;
		await staff.getByLabel('この回は申込を受け付ける').check();
		await staff.getByLabel('定員', { exact: true }).fill('1');
		await staff.getByRole('button', { name: '申込と定員を保存する' }).click();
		assert.match(await staff.getByRole('status').first().innerText(), /保存しました/);
	});

	it('a resident registers without an account; a second one is waitlisted and promoted when the first cancels', async () => {
		const a = await residentPage();
		await a.page.goto(programPath);
		await a.page.locator(`a[href="/events/${firstSession}"]`).click();
		await assertAccessible(a.page);
		await a.page.getByLabel('お名前(ニックネーム可)').fill('あおい');
		await a.page.getByLabel('連絡先(メールアドレスか電話番号)').fill('aoi@example.org');
		await a.page.getByRole('checkbox', { name: /同意します/ }).check();
		await a.page.getByRole('button', { name: '申し込む' }).click();
		await a.page.waitForURL(/\/registrations\//);
		assert.match(await a.page.locator('#status').innerText(), /参加予定/);
		await assertAccessible(a.page);

		const b = await residentPage();
		residentB = b.page;
		await residentB.goto(`/events/${firstSession}`);
		assert.match(await residentB.locator('main').innerText(), /満席です/);
		await residentB.getByLabel('お名前(ニックネーム可)').fill('ひかる');
		await residentB.getByLabel('連絡先(メールアドレスか電話番号)').fill('hikaru@example.org');
		await residentB.getByLabel('連絡先(メールアドレスか電話番号)').fill('hikaru at example');
		await residentB.getByRole('checkbox', { name: /同意します/ }).check();
		await residentB.getByRole('button', { name: 'キャンセル待ちで申し込む' }).click();
		// A mistake is shown beside its field, and nothing is registered.
		assert.match(await residentB.locator('#contact-error').innerText(), /メールアドレスか電話番号/);
		await residentB.getByLabel('連絡先(メールアドレスか電話番号)').fill('hikaru@example.org');
		// A card number that is not usable here: said beside the field, nothing registered.
		await residentB.getByLabel('参加カードの番号(お持ちの方・任意)').fill('ZZZZZ-ZZZZZ');
		await residentB.getByRole('checkbox', { name: /同意します/ }).check();
		await residentB.getByRole('button', { name: 'キャンセル待ちで申し込む' }).click();
		assert.match(await residentB.locator('#card-error').innerText(), /このカード番号はここでは使えません/);
		await assertAccessible(residentB);
		await residentB.getByLabel('参加カードの番号(お持ちの方・任意)').fill('');
		await residentB.getByRole('checkbox', { name: /同意します/ }).check();
		await residentB.getByRole('button', { name: 'キャンセル待ちで申し込む' }).click();
		await residentB.waitForURL(/\/registrations\//);
		assert.match(await residentB.locator('#status').innerText(), /キャンセル待ち\(1番目\)/);

		await a.page.getByRole('button', { name: 'この申込をキャンセルする' }).click();
		assert.match(await a.page.locator('#status').innerText(), /キャンセル済み/);
		await residentB.reload();
		assert.match(await residentB.locator('#status').innerText(), /参加予定/);
		assert.match(await mailTo('hikaru@example.org', /参加できるようになりました/), /ひだまり食堂/);
		await a.context.close();
	});

	it('the staff member sees both registrations and exports them as CSV', async () => {
		await staff.goto(`${organizationPath}/events/${firstSession}`);
		await staff.getByRole('link', { name: '申込の一覧' }).click();
		await staff.waitForURL(/\/registrations$/);
		await assertAccessible(staff);
		handOver('registrations.path', new URL(staff.url()).pathname); // tables.test.ts checks its layout
		assert.match(await staff.getByRole('row', { name: /ひかる/ }).innerText(), /hikaru@example\.org/);
		assert.match(await staff.getByRole('row', { name: /あおい/ }).innerText(), /キャンセル済み/);
		const csv = await staff.request.get(`${new URL(staff.url()).pathname}.csv`);
		assert.equal(csv.status(), 200);
		assert.match(csv.headers()['content-type'], /text\/csv/);
		const lines = (await csv.text())
			.replace(/^\uFEFF/, '')
			.trim()
			.split('\r\n');
		assert.match(lines[0], /^受付番号,お名前,連絡先,人数/);
		assert.equal(lines.length, 3);
		assert.ok(lines.some((l) => /ひかる,hikaru@example\.org,1,/.test(l)));
	});

	it('the promoted resident gets a participation card for the organisation', async () => {
		await residentB.goto('/card');
		await assertAccessible(residentB);
		await residentB.getByRole('checkbox', { name: 'みどり町こども食堂の会' }).check();
		await residentB.getByLabel('年代(任意)').selectOption('30s');
		await residentB.getByRole('checkbox', { name: /同意します/ }).check();
		await residentB.getByRole('button', { name: 'カードをつくる' }).click();
		await residentB.waitForURL(/\/card\/[A-Za-z0-9_-]+/);
		cardCode = (await residentB.locator('#card-code').innerText()).replace('-', '');
		assert.match(cardCode, /^[0-9A-Z]{10}$/);
		await assertAccessible(residentB);
	});

	it('staff add a session today and check the card in by scanning its QR code with the camera', async () => {
		await staff.goto(`${organizationPath}/events/new`);
		await staff.getByLabel('どの取組の催しですか').selectOption({ label: PROGRAM });
		await staff.getByLabel('催しの名前(空欄なら取組の名前)').fill('ひだまり食堂 臨時の回');
		await staff.getByLabel('日付').fill(tokyoToday());
		await staff.getByLabel('開始', { exact: true }).fill('00:00');
		await staff.getByRole('button', { name: '追加する' }).click();
		await staff.waitForURL(/done=created/);
		const session = new URL(staff.url()).pathname.split('/').pop()!;

		// A phone camera, faked: Chromium plays a video of the card's QR code (Y4M, one frame).
		const video = path.join(mkdtempSync(path.join(tmpdir(), 'tsunagu-qr-')), 'card.y4m');
		writeFileSync(video, qrVideo(`TSUNAGU-C:${cardCode}`));
		const camera = await chromium.launch({
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			headless: true,
			args: ['--no-sandbox', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`]
		});
		try {
			const context = await camera.newContext({ baseURL: baseUrl, locale: 'ja-JP', permissions: ['camera'] });
			await context.addCookies(await staff.context().cookies());
			const phone = await context.newPage();
			await phone.goto(`${organizationPath}/checkin?occurrence=${session}`);
			const logs: string[] = [];
			phone.on('console', (m) => logs.push(m.text()));
			phone.on('pageerror', (e) => logs.push(e.message));
			await phone.getByRole('button', { name: 'カメラで読み取る' }).click();
			await phone
				.locator('.checkin-result')
				.waitFor({ timeout: 20_000 })
				.catch(async (e) => {
					throw new Error(`${(e as Error).message}\n${await phone.locator('main').innerText()}\n${logs.join('\n')}`);
				});
			assert.match(await phone.locator('.checkin-result').innerText(), /受付しました.*はじめての方です/s);
			// The same card again: already checked in, not counted twice.
			await phone.getByLabel('カード番号または受付番号').fill(cardCode.toLowerCase());
			await phone.getByRole('button', { name: '受付する' }).click();
			await phone.getByText('本日すでに受付済みです').waitFor();
			// The next person is at the door: the code field is ready for their code.
			assert.equal(await phone.evaluate(() => document.activeElement?.id), 'code');
			await context.close();
		} finally {
			await camera.close();
		}
	});

	it("the program's figures show the visit", async () => {
		await staff.goto(`${organizationPath}/figures`);
		await assertAccessible(staff);
		const row = staff.getByRole('row', { name: new RegExp(PROGRAM) });
		const cells = await row.locator('td').allInnerTexts();
		assert.deepEqual(cells.slice(1, 3), ['1', '1']); // 延べ人数 1, 実人数 1
	});

	it('a volunteer counts heads while the connection is down; taps sent again after a lost answer count once', async () => {
		await staff.goto(`${organizationPath}/count`);
		await staff.getByLabel('取組').selectOption({ label: PROGRAM });
		await staff.getByRole('button', { name: 'この取組を数える' }).click();
		await staff.locator('#tap-pending').getByText('すべて送信済み').waitFor();
		await assertAccessible(staff);
		const before = Number((await staff.locator('#tap-total').innerText()).match(/(\d+)人/)![1]);
		// The total says what it holds: the card checked in at the door earlier today is in it.
		assert.match(await staff.locator('#tap-total').innerText(), /受付した1人をふくむ/);

		await staff.context().setOffline(true);
		await staff.getByRole('button', { name: '30代' }).click();
		await staff.getByRole('button', { name: '40代' }).click();
		await staff.locator('#tap-pending').getByText('未送信 2件').waitFor();

		// Back online, the first answer is lost on the way back: the server has counted the taps,
		// the phone does not know, keeps them and sends them again.
		let lost = 0;
		await staff.route('**/taps', async (route) => {
			if (lost++ === 0) {
				await route.fetch();
				await route.abort('connectionreset');
			} else await route.continue();
		});
		await staff.context().setOffline(false);
		await staff.locator('#tap-pending').getByText('すべて送信済み').waitFor({ timeout: 20_000 });
		assert.ok(lost >= 2, 'the taps were sent again after the lost answer');
		await staff.unroute('**/taps');

		await staff.reload();
		assert.match(await staff.locator('#tap-total').innerText(), new RegExp(`${before + 2}人`));
	});

	// ── issue 16: the door as good as the paper sheet, head count on a phone, telling registrants ──

	/** The staff member's phone: 390×844, JavaScript on (or off), signed in as on the desktop. */
	async function staffPhone(javaScriptEnabled = true): Promise<{ context: BrowserContext; page: Page }> {
		const context = await browser.newContext({ baseURL: baseUrl, locale: 'ja-JP', extraHTTPHeaders: { 'accept-language': 'ja' }, viewport: { width: 390, height: 844 }, javaScriptEnabled, bypassCSP: true });
		await context.addCookies(await staff.context().cookies());
		return { context, page: await context.newPage() };
	}
	/** Nothing wider than the phone: no crushed or cut-off columns. */
	async function fitsThePhone(page: Page) {
		assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390, `${page.url()} is wider than the phone`);
	}
	/** At 390×844 with the page at its top: the whole head-count workflow ends above 844px. */
	async function firstScreenHoldsTheCounter(page: Page) {
		await page.evaluate(() => window.scrollTo(0, 0));
		// (No named functions inside evaluate: tsx would wrap them in a helper the page lacks.)
		const bottomOf = (selector: string) => page.locator(selector).evaluateAll((els) => Math.round(Math.max(-1, ...els.map((el) => el.getBoundingClientRect().bottom))));
		const bottoms = {
			性別: await bottomOf('fieldset:has(legend:text-is("性別"))'),
			来所: await bottomOf('fieldset:has(legend:text-is("来所"))'),
			ages: await bottomOf('button[name="ageBand"]'),
			undo: await bottomOf('#tap-undo'),
			total: await bottomOf('#tap-total')
		};
		// The staff menus are one row each on a phone (wrapped, they took about 230 px).
		for (const box of await page.locator('nav.staff-nav').evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().height)))) assert.ok(box <= 60, `a staff menu is ${box}px tall on the phone`);
		for (const [what, y] of Object.entries(bottoms)) assert.ok(y > 0 && y <= 844, `${what} ends at ${y}px, below the first screen (844px): ${JSON.stringify(bottoms)}`);
	}
	/** A one-off session of the program on `day`, taking registrations; its id. */
	async function sessionOn(day: string, title: string): Promise<string> {
		await staff.goto(`${organizationPath}/events/new`);
		await staff.getByLabel('どの取組の催しですか').selectOption({ label: PROGRAM });
		await staff.getByLabel('催しの名前(空欄なら取組の名前)').fill(title);
		await staff.getByLabel('日付').fill(day);
		await staff.getByLabel('開始', { exact: true }).fill('10:00');
		// Its own settings: the program takes no registrations.
		await staff.getByLabel(/^この回だけの設定にする/).check();
		await staff.getByLabel('この回は申込を受け付ける').check();
		await staff.getByRole('button', { name: '追加する' }).click();
		await staff.waitForURL(/done=created/);
		return new URL(staff.url()).pathname.split('/').pop()!;
	}
	/** A resident registers on their phone (no JavaScript); the 受付番号 shown. */
	async function registerOn(page: Page, session: string, who: { name: string; contact: string; groupSize?: number; card?: string }): Promise<string> {
		await page.goto(`/events/${session}`);
		await page.getByLabel('お名前(ニックネーム可)').fill(who.name);
		await page.getByLabel('連絡先(メールアドレスか電話番号)').fill(who.contact);
		if (who.groupSize) await page.getByLabel('人数', { exact: true }).fill(String(who.groupSize));
		if (who.card) await page.getByLabel('参加カードの番号(お持ちの方・任意)').fill(who.card);
		await page.getByRole('checkbox', { name: /同意します/ }).check();
		await page.getByRole('button', { name: '申し込む' }).click();
		await page.waitForURL(/\/registrations\//);
		return (await page.locator('strong.code').first().innerText()).trim();
	}
	const tokyoDayAfter = (days: number) => new Date(Date.now() + 9 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
	let groupSession = '';

	it('a group of 3 registered with a card is checked in by card, then by 受付番号, on a phone: counted 3 and shown arrived', async () => {
		// Tomorrow's session: taking registrations whatever the hour, and open at the door (the day either side).
		// A name as long as real ones: the door's date list must still fit the phone (its select widened the page).
		groupSession = await sessionOn(tokyoDayAfter(1), 'ひだまり食堂 グループの回(親子でごはんを食べる会)');
		const reference = await registerOn(residentB, groupSession, { name: 'ひかる', contact: 'hikaru@example.org', groupSize: 3, card: cardCode });
		const other = await residentPage();
		await registerOn(other.page, groupSession, { name: 'みどり', contact: '03-1234-5678' });
		await other.context.close();

		const { context, page } = await staffPhone();
		await page.goto(`${organizationPath}/checkin?occurrence=${groupSession}`);
		assert.match(await page.locator('#door-summary').innerText(), /0\/2組 来ました\(0\/4人\)/);
		await page.getByLabel('カード番号または受付番号').fill(cardCode);
		await page.getByRole('button', { name: '受付する' }).click();
		await page.locator('.checkin-result').getByText('受付しました').waitFor();
		assert.match(await page.locator('.checkin-result').innerText(), /3人/);
		assert.equal(await page.evaluate(() => document.activeElement?.id), 'code');
		await page.getByLabel('カード番号または受付番号').fill(reference);
		await page.getByRole('button', { name: '受付する' }).click();
		await page.locator('.checkin-result').getByText('本日すでに受付済みです').waitFor();
		assert.match(await page.locator('.checkin-result').innerText(), /3人/);
		assert.equal(await page.evaluate(() => document.activeElement?.id), 'code');
		assert.match(await page.locator('#door-summary').innerText(), /1\/2組 来ました\(3\/4人\)/);
		assert.match(await page.locator('.door-row', { hasText: 'ひかる' }).innerText(), /来ました/);
		await fitsThePhone(page);
		await assertAccessible(page);
		await context.close();
	});

	it('one tap on the list marks an expected person arrived, without JavaScript', async () => {
		const { context, page } = await staffPhone(false);
		await page.goto(`${organizationPath}/checkin?occurrence=${groupSession}`);
		await page.getByRole('button', { name: 'みどりさん(1人)の来所を記録する' }).click();
		await page.locator('.checkin-result').getByText('受付しました').waitFor();
		assert.match(await page.locator('#door-summary').innerText(), /2\/2組 来ました\(4\/4人\)/);
		assert.match(await page.locator('.door-row', { hasText: 'みどり' }).innerText(), /来ました/);
		await fitsThePhone(page);
		await context.close();
	});

	it('keyboard only, a tap on the list leaves focus in the code field, ready for the next person (it fell to the page)', async () => {
		const other = await residentPage();
		await registerOn(other.page, groupSession, { name: 'そら', contact: 'sora@example.org' });
		await other.context.close();
		const { context, page } = await staffPhone();
		await page.goto(`${organizationPath}/checkin?occurrence=${groupSession}`);
		const tap = page.getByRole('button', { name: 'そらさん(1人)の来所を記録する' });
		await tap.focus();
		await page.keyboard.press('Enter');
		await page.locator('.checkin-result').getByText('受付しました').waitFor();
		assert.match(await page.locator('.door-row', { hasText: 'そら' }).innerText(), /来ました/);
		assert.equal(await page.evaluate(() => document.activeElement?.id), 'code');
		await context.close();
	});

	it('on a phone the count buttons are on the first screen, and a mistaken tap is undone', async () => {
		const { context, page } = await staffPhone();
		await page.goto(`${organizationPath}/count`);
		await page.getByLabel('取組').selectOption({ label: PROGRAM });
		await page.getByRole('button', { name: 'この取組を数える' }).click();
		await page.locator('#tap-pending').getByText('すべて送信済み').waitFor();
		// The whole tapping workflow on the first screen, without scrolling: the 性別 and 来所 choices
		// (the help says to choose them before tapping), every age button, the undo and the total.
		await firstScreenHoldsTheCounter(page);
		await fitsThePhone(page);
		await assertAccessible(page);
		const total = async () => Number((await page.locator('#tap-total').innerText()).match(/(\d+)人/)![1]);
		const before = await total();
		await page.getByRole('button', { name: '20代' }).click();
		await page.locator('#tap-pending').getByText('すべて送信済み').waitFor();
		assert.equal(await total(), before + 1);
		await page.getByRole('button', { name: '最後の1人を取り消す' }).click();
		await page.getByText('最後に数えた1人を取り消しました').waitFor();
		for (let i = 0; i < 50 && (await total()) !== before; i++) await new Promise((r) => setTimeout(r, 100));
		assert.equal(await total(), before);
		await page.reload();
		await page.locator('#tap-pending').getByText('すべて送信済み').waitFor();
		assert.equal(await total(), before, 'the undone tap is gone on the server too');
		await page.getByRole('button', { name: '最後の1人を取り消す' }).click();
		await page.getByText('取り消せる記録がありません').waitFor();
		await context.close();
	});

	it('without JavaScript the head count fits the first screen too: a choice, a tap and its undo are plain form posts', async () => {
		const { context, page } = await staffPhone(false);
		await page.goto(`${organizationPath}/count`);
		await page.getByLabel('取組').selectOption({ label: PROGRAM });
		await page.getByRole('button', { name: 'この取組を数える' }).click();
		await page.getByRole('button', { name: '20代' }).waitFor();
		await firstScreenHoldsTheCounter(page);
		const total = async () => Number((await page.locator('#tap-total').innerText()).match(/(\d+)人/)![1]);
		const before = await total();
		await page.getByRole('radio', { name: '女性' }).check();
		await page.getByRole('radio', { name: '2回目以上' }).check();
		await page.getByRole('button', { name: '20代' }).click();
		await page.getByText('1人記録しました').waitFor();
		assert.equal(await total(), before + 1);
		await page.getByRole('button', { name: '最後の1人を取り消す' }).click();
		await page.getByText('最後に数えた1人を取り消しました').waitFor();
		assert.equal(await total(), before);
		await context.close();
	});

	it('cancelling a date mails the registrant with the reason and lists who must be called', async () => {
		const session = await sessionOn(tokyoDayAfter(8), 'ひだまり食堂 中止になる回');
		const sakura = await residentPage();
		await registerOn(sakura.page, session, { name: 'さくら', contact: 'sakura@example.org' });
		await registerOn(sakura.page, session, { name: 'もも', contact: '03-2222-3333' });
		await sakura.context.close();

		await staff.goto(`${organizationPath}/events/${session}`);
		const before = staff.locator('section[aria-labelledby="cancel"] .to-call');
		assert.match(await before.innerText(), /電話で連絡が必要な人[\s\S]*もも[\s\S]*03-2222-3333/);
		assert.doesNotMatch(await before.innerText(), /さくら/);
		await staff.getByLabel('中止の理由・お知らせ(公開されます)').fill('講師の都合のため');
		await staff.getByRole('button', { name: 'この回を中止する' }).click();
		await staff.waitForURL(/done=cancelled/);
		const mail = await mailTo('sakura@example.org', /中止/);
		assert.match(mail, /ひだまり食堂 中止になる回/);
		assert.match(mail, /講師の都合のため/);
		assert.match(await staff.locator('section[aria-labelledby="restore"] .to-call').innerText(), /もも[\s\S]*03-2222-3333/);
		await assertAccessible(staff);
		await staff.getByRole('link', { name: '申込の一覧' }).click();
		await staff.waitForURL(/\/registrations$/);
		assert.match(await staff.getByRole('row', { name: /さくら/ }).innerText(), /中止: メール 送信済み/);
		await assertAccessible(staff);
	});

	// Issue 16: registration set once on the program (定員 10組, a question per child), on a phone.
	it('on a phone, the staff member sets 定員 10組 and a per-child question once on the program; a resident registers a group at another date', async () => {
		const context = await browser.newContext({ baseURL: baseUrl, locale: 'ja-JP', extraHTTPHeaders: { 'accept-language': 'ja' }, viewport: { width: 390, height: 844 }, bypassCSP: true });
		await context.addCookies(await staff.context().cookies());
		const phone = await context.newPage();
		const programId = programPath.split('/').pop()!;
		await phone.goto(`${organizationPath}/programs/${programId}`);
		await phone.getByRole('link', { name: /申込・定員・質問の設定/ }).click();
		await phone.waitForURL(/\/registration$/);
		await assertAccessible(phone);
		// The question's fieldset held a select as wide as its longest answer kind: the page scrolled sideways.
		await fitsThePhone(phone);
		await phone.getByRole('checkbox', { name: '申込を受け付ける' }).check();
		await phone.getByLabel('定員', { exact: true }).fill('10');
		await phone.getByRole('radio', { name: '組(家族など)で数える' }).check();
		const question = phone.getByRole('group', { name: '新しい質問' });
		await question.getByLabel('質問の文').fill('お子さんの学年');
		await question.getByLabel('答え方', { exact: true }).first().selectOption('per_person');
		await question.getByRole('checkbox', { name: '必ず答えてもらう' }).first().check();
		await question.getByText('一人ずつ聞く項目', { exact: true }).click();
		const field = question.getByRole('group', { name: '項目1' });
		await field.getByLabel('項目名').fill('学年');
		await field.getByLabel('答え方').selectOption('choice');
		await field.getByLabel(/選択肢/).fill('未就学\n小1\n小2\n小3\n小4\n小5\n小6');
		await field.getByRole('checkbox', { name: '必ず答えてもらう' }).check();
		await phone.getByRole('button', { name: '変わる回を確認する' }).click();
		// The preview: the dates that follow the program, and the one set by hand that keeps its single place.
		const preview = await phone.locator('section.preview').innerText();
		assert.match(preview, /まだ保存していません/);
		assert.match(preview, /申込受付 · 定員10組/);
		assert.ok(await phone.locator(`section.preview a[href$="/events/${firstSession}"]`).count(), 'the date set by hand is listed as keeping its own settings');
		await assertAccessible(phone);
		await phone.getByRole('button', { name: 'この内容ですべての回に保存する' }).click();
		assert.match(await phone.getByRole('status').first().innerText(), /保存しました。これからの\d+回に使いました/);

		// A resident, JavaScript off, at a later date that follows the program.
		const { context: residentContext, page } = await residentPage();
		await page.goto(programPath);
		const hrefs = await page.locator('a[href^="/events/"]').evaluateAll((links) => links.map((a) => a.getAttribute('href')!));
		const dates = hrefs.filter((h) => /^\/events\/[0-9a-f-]{36}$/.test(h) && !h.endsWith(firstSession));
		assert.ok(dates.length >= 2);
		// Every date that follows the program takes registrations now; none says none are needed.
		for (const href of dates) {
			await page.goto(href);
			const text = await page.locator('main').innerText();
			assert.doesNotMatch(text, /この回は申込がいりません/, href);
		}
		const date = dates[dates.length - 1];
		await page.goto(date);
		assert.match(await page.locator('main').innerText(), /残り10組/);
		await page.getByLabel('お名前(ニックネーム可)').fill('みどり');
		await page.getByLabel('連絡先(メールアドレスか電話番号)').fill('midori@example.org');
		await page.getByLabel('人数(1組で何人か)').fill('3');
		await page.getByRole('checkbox', { name: /同意します/ }).check();
		await page.getByRole('button', { name: '申し込む' }).click();
		// No child's grade: said beside the question, nothing registered.
		assert.match(await page.locator('.per-person .field-error').first().innerText(), /少なくとも1人分/);
		await assertAccessible(page);
		await page.getByRole('group', { name: '1人目' }).getByLabel('学年').selectOption('小3');
		await page.getByRole('group', { name: '2人目' }).getByLabel('学年').selectOption('小1');
		await page.getByRole('checkbox', { name: /同意します/ }).check();
		await page.getByRole('button', { name: '申し込む' }).click();
		await page.waitForURL(/\/registrations\//);
		assert.match(await page.locator('#status').innerText(), /参加予定/);
		await residentContext.close();

		// The staff see the answers on the date's list.
		await phone.goto(`${organizationPath}/events/${date.split('/').pop()}/registrations`);
		const row = await phone.getByRole('row', { name: /みどり/ }).innerText();
		assert.match(row, /お子さんの学年/);
		assert.match(row, /1人目 学年: 小3/);
		assert.match(row, /2人目 学年: 小1/);
		await assertAccessible(phone);
		await context.close();
	});

	it('on a phone, the staff member copies the program: a draft with its schedule, places and registration settings', async () => {
		const context = await browser.newContext({ baseURL: baseUrl, locale: 'ja-JP', extraHTTPHeaders: { 'accept-language': 'ja' }, viewport: { width: 390, height: 844 }, bypassCSP: true });
		await context.addCookies(await staff.context().cookies());
		const phone = await context.newPage();
		await phone.goto(programPath.replace(/^\/programs\//, `${organizationPath}/programs/`));
		await phone.getByRole('link', { name: 'この取組をコピーして新しく作る' }).click();
		await phone.getByText(`「${PROGRAM}」の内容と日程をうつしました`, { exact: false }).waitFor();
		assert.equal(await phone.getByLabel('取組の名前').inputValue(), `${PROGRAM}(コピー)`);
		await phone.getByLabel('取組の名前').fill(`${PROGRAM} 夏休み版`);
		await assertAccessible(phone);
		await phone.getByRole('button', { name: '保存する' }).last().click();
		await phone.waitForURL(/\/programs\/[0-9a-f-]{36}\?done=saved$/);
		assert.match(await phone.locator('h1').innerText(), /夏休み版/);
		assert.match(await phone.locator('main').innerText(), /非公開/);
		// Its dates came from the copied schedule and take registrations with the copied settings.
		await phone.getByRole('link', { name: /申込・定員・質問の設定/ }).click();
		assert.equal(await phone.getByLabel('定員', { exact: true }).inputValue(), '10');
		assert.ok(await phone.getByRole('checkbox', { name: '申込を受け付ける' }).isChecked());
		const labels = await phone.locator('input[name$=".label"]').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
		assert.ok(labels.includes('お子さんの学年'), `the per-child question came with the copy: ${labels.join(' / ')}`);
		await context.close();
	});
});

/** A one-frame Y4M video (what Chromium's fake camera plays) showing a QR code of `text`. */
function qrVideo(text: string): Buffer {
	const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
	const width = 640;
	const height = 480;
	const scale = Math.floor(360 / (qr.modules.size + 8));
	const offsetX = Math.floor((width - qr.modules.size * scale) / 2);
	const offsetY = Math.floor((height - qr.modules.size * scale) / 2);
	const y = Buffer.alloc(width * height, 235);
	for (let r = 0; r < qr.modules.size; r++) for (let c = 0; c < qr.modules.size; c++) if (qr.modules.get(c, r)) for (let dy = 0; dy < scale; dy++) y.fill(16, (offsetY + r * scale + dy) * width + offsetX + c * scale, (offsetY + r * scale + dy) * width + offsetX + (c + 1) * scale);
	const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
	const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma]);
	return Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`), frame, frame, frame]);
}
