/**
 * The secretariat brings in its サロン一覧 in Chromium, without JavaScript (the pages are plain
 * forms): from the organisations page to the upload, the columns, the preview naming the three bad
 * rows, the confirmation (47 imported) and the same file again (nothing changes); axe on each page.
 * An organisation's own import (/staff/orgs/…/import) is checked with axe too, up to its preview
 * (not confirmed: the demo organisation keeps its programs for the files after this one).
 * It stands alone (it sets the secretariat's account up from the set-up link when no earlier file
 * did) and, in the whole suite, signs in as the secretariat staff.test.ts set up.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { PASSWORD, baseUrl, handOver, launch, seriousViolations, signIn, takeOver, unspentCode } from './browser.ts';
import { readOutbox } from '../../src/lib/server/mail.ts';
import { councilWorkbook, salonWorkbook } from '../helpers/salons.ts';

const outbox = path.join(process.env.DATA_DIR ?? 'data', 'outbox');
let browser: Browser;

async function assertAccessible(page: Page) {
	const violations = await seriousViolations(page);
	assert.deepEqual(violations, [], `${page.url()}: ${JSON.stringify(violations, null, 1)}`);
}

function handedOver(key: string): string | null {
	try {
		return takeOver(key);
	} catch {
		return null;
	}
}

/** Signed in as the secretariat: set up now from the set-up link, or as an earlier file set it up. */
async function secretariat(page: Page): Promise<void> {
	const key = handedOver('secretariat.totp');
	if (!key) {
		const message = readOutbox(200, outbox).find((m) => m.to.includes('admin@example.org') && m.text.includes('/invite/'));
		assert.ok(message, 'the set-up link in the outbox');
		await page.goto(new URL(message.text.match(/https?:\/\/\S+\/invite\/[A-Za-z0-9_-]+/)![0]).pathname);
		await page.getByLabel('お名前(表示名)').fill('事務局 太郎');
		await page.getByLabel('新しいパスワード', { exact: true }).fill(PASSWORD);
		await page.getByLabel('新しいパスワード(確認のためもう一度)').fill(PASSWORD);
		await page.getByRole('button', { name: 'アカウントを作って参加する' }).click();
		await page.waitForURL(/\/account\/2fa$/);
		const secret = (await page.locator('code').textContent())!.replace(/\s/g, '');
		await page.getByLabel('確認コード').fill(await unspentCode(new TOTP({ secret: Secret.fromBase32(secret) }), 'admin@example.org'));
		await page.getByRole('button', { name: '2段階認証を有効にする' }).click();
		await page.locator('.codes li').first().waitFor();
		handOver('secretariat.totp', secret);
		return;
	}
	await signIn(page, 'admin@example.org', new TOTP({ secret: Secret.fromBase32(key) }));
}

before(async () => {
	browser = await launch();
});
after(async () => {
	await browser?.close();
});

describe('a secretariat imports its サロン一覧', () => {
	it('uploads, checks the columns and the preview, confirms 47 rows, and the same file again changes nothing', async () => {
		const context = await browser.newContext({ baseURL: baseUrl, locale: 'ja-JP', extraHTTPHeaders: { 'accept-language': 'ja' }, javaScriptEnabled: false, bypassCSP: true });
		const page = await context.newPage();
		await secretariat(page);
		const file = { name: 'サロン一覧.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from(await salonWorkbook()) };

		const importOnce = async (first: boolean) => {
			await page.goto('/staff/network/organizations');
			await page.getByRole('link', { name: '一覧を取り込む・書き出す' }).click();
			await page.waitForURL(/\/staff\/network\/import$/);
			if (first) await assertAccessible(page);
			await page.getByLabel('取組の一覧(サロン一覧など)').check();
			await page.getByLabel('ファイル').setInputFiles(file);
			await page.getByRole('button', { name: '読み込む' }).click();
			await page.waitForURL(/\/staff\/network\/import\/[0-9a-f-]{36}$/);
			if (first) await assertAccessible(page);
			assert.equal(await page.getByRole('combobox', { name: '日時' }).inputValue(), 'schedule');
			await page.getByRole('button', { name: 'この対応で確認する' }).click();
			await page.waitForURL(/\/preview$/);
			if (first) await assertAccessible(page);
			return page.locator('main').innerText();
		};

		const preview = await importOnce(true);
		assert.match(preview, /取り込める行 47 \/ 誤りのある行 3/);
		assert.match(preview, /「サロン名」: 空です。/);
		assert.match(preview, /「電話」: 電話番号は数字とハイフンで書いてください/);
		assert.match(preview, /「参加費」: 参加費は1,000,000円までにしてください。/);
		assert.match(preview, /取組: 作成 47 \/ 更新 0 \/ 変更なし 0/);
		await page.getByRole('button', { name: '確定して取り込む' }).click();
		await page.waitForURL(/\/staff\/network\/import\/[0-9a-f-]{36}$/);
		await assertAccessible(page);
		assert.match(await page.getByRole('status').innerText(), /47行を取り込みました。誤りのあった3行は取り込んでいません。/);

		const again = await importOnce(false);
		assert.match(again, /取組: 作成 0 \/ 更新 0 \/ 変更なし 47/);
		await context.close();
	});

	it('reads a council’s own sheet: the header under a title row, 開催日 and 時間 in two columns, full-width digits', async () => {
		const context = await browser.newContext({ baseURL: baseUrl, locale: 'ja-JP', extraHTTPHeaders: { 'accept-language': 'ja' }, javaScriptEnabled: false, bypassCSP: true, viewport: { width: 390, height: 844 } });
		const page = await context.newPage();
		await secretariat(page);
		await page.goto('/staff/network/import');
		await page.getByLabel('取組の一覧(サロン一覧など)').check();
		await page.getByLabel('ファイル').setInputFiles({ name: 'いきいきサロン一覧.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from(await councilWorkbook()) });
		await page.getByRole('button', { name: '読み込む' }).click();
		await page.waitForURL(/\/staff\/network\/import\/[0-9a-f-]{36}$/);
		assert.match(await page.locator('main').innerText(), /見出しは4行目として読みました/);
		assert.equal(await page.getByRole('combobox', { name: '開催日' }).inputValue(), 'schedule');
		assert.equal(await page.getByRole('combobox', { name: '時間', exact: true }).inputValue(), 'time');
		await page.getByRole('button', { name: 'この対応で確認する' }).click();
		await page.waitForURL(/\/preview$/);
		await assertAccessible(page);
		const preview = await page.locator('main').innerText();
		assert.match(preview, /取り込める行 3 \/ 誤りのある行 0/);
		assert.match(preview, /日程: 毎月第2火曜 13:30〜/);
		assert.match(preview, /日程: 毎月第1・第3木曜 10:00〜12:00/);
		await page.getByRole('button', { name: '確定して取り込む' }).click();
		await page.waitForURL(/\/staff\/network\/import\/[0-9a-f-]{36}$/);
		assert.equal(await page.getByRole('status').innerText(), '3行をすべて取り込みました。');
		await context.close();
	});
});

describe('an organisation imports its own list', () => {
	it('the upload, columns and preview pages of /staff/orgs/…/import pass axe, on a phone', async () => {
		// The secretariat's own organisation (the demo's 社協), as its staff would import for it.
		const ORGANIZATION = '荒川区社会福祉協議会';
		const found = (await (await fetch(`${baseUrl}/api/v1/programs?q=${encodeURIComponent(ORGANIZATION)}`)).json()) as { contents: { organization: { id: string; name: string } }[] };
		const organizationId = found.contents.find((p) => p.organization.name === ORGANIZATION)?.organization.id;
		assert.ok(organizationId, `${ORGANIZATION} in the demo region`);
		const context = await browser.newContext({ baseURL: baseUrl, locale: 'ja-JP', extraHTTPHeaders: { 'accept-language': 'ja' }, javaScriptEnabled: false, bypassCSP: true, viewport: { width: 390, height: 844 } });
		const page = await context.newPage();
		await secretariat(page);
		await page.goto(`/staff/orgs/${organizationId}/import`);
		await assertAccessible(page);
		const rows = [[ORGANIZATION, 'ふれあいサロン(架空)', '区民ひろば(架空)', '', '', '', '毎月第2火曜 10時〜12時', '高齢者', '体操とお茶', '100円', '']];
		await page.getByLabel('ファイル').setInputFiles({ name: 'サロン一覧.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from(await salonWorkbook(rows)) });
		await page.getByRole('button', { name: '読み込む' }).click();
		await page.waitForURL(new RegExp(`/staff/orgs/${organizationId}/import/[0-9a-f-]{36}$`));
		await assertAccessible(page);
		await page.getByRole('button', { name: 'この対応で確認する' }).click();
		await page.waitForURL(/\/preview$/);
		await assertAccessible(page);
		assert.match(await page.locator('main').innerText(), /取り込める行 1 \/ 誤りのある行 0/);
		await context.close();
	});
});
