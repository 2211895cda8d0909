/**
 * The staff side as new users meet it, in Chromium: the first secretariat admin sets up an account
 * from the set-up link and is made to turn on two-step verification; an organisation applies to
 * join; the secretariat approves; the new admin accepts the e-mailed invitation and invites a
 * colleague, who joins and publishes a program that then appears in the public finder.
 * E-mail is read from the app's outbox folder (DATA_DIR/outbox), as a developer would.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Secret, TOTP } from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PASSWORD, baseUrl, handOver, launch, seriousViolations, unspentCode } from './browser.ts';
import { readOutbox } from '../../src/lib/server/mail.ts';

const outbox = path.join(process.env.DATA_DIR ?? 'data', 'outbox');
let browser: Browser;

/** The newest message to `to` whose body holds a link of `kind`; waits for background sending. */
async function linkFor(to: string, kind: 'invite' | 'reset'): Promise<string> {
	for (let i = 0; i < 50; i++) {
		const message = readOutbox(200, outbox).find((m) => m.to.includes(to) && m.text.includes(`/${kind}/`));
		if (message) return new URL(message.text.match(new RegExp(`https?://\\S+/${kind}/[A-Za-z0-9_-]+`))![0]).pathname;
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`no ${kind} mail to ${to} in ${outbox}`);
}

async function person(): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ baseURL: baseUrl, locale: 'ja-JP', extraHTTPHeaders: { 'accept-language': 'ja' }, bypassCSP: true });
	return { context, page: await context.newPage() };
}

async function assertAccessible(page: Page) {
	const violations = await seriousViolations(page);
	assert.deepEqual(violations, [], `${page.url()}: ${JSON.stringify(violations, null, 1)}`);
}

before(async () => {
	browser = await launch();
});
after(async () => {
	await browser?.close();
});

describe('joining the network, as new users', () => {
	let secretariat: Page;
	let applicant: Page;
	let colleague: Page;
	let organizationPath = '';

	it('the first secretariat admin creates an account from the set-up link and must turn on two-step verification', async () => {
		({ page: secretariat } = await person());
		await secretariat.goto(await linkFor('admin@example.org', 'invite'));
		await assertAccessible(secretariat);
		await secretariat.getByLabel('お名前(表示名)').fill('事務局 太郎');
		await secretariat.getByLabel('新しいパスワード', { exact: true }).fill(PASSWORD);
		await secretariat.getByLabel('新しいパスワード(確認のためもう一度)').fill(PASSWORD);
		await secretariat.getByRole('button', { name: 'アカウントを作って参加する' }).click();
		// Any page of the staff side leads to the set-up of the second factor first.
		await secretariat.waitForURL(/\/account\/2fa$/);
		await secretariat.goto('/staff');
		await secretariat.waitForURL(/\/account\/2fa$/);
		await secretariat.goto('/staff/network/join-requests');
		await secretariat.waitForURL(/\/account\/2fa$/);
		await assertAccessible(secretariat);
		const key = (await secretariat.locator('code').textContent())!.replace(/\s/g, '');
		const totp = new TOTP({ secret: Secret.fromBase32(key) });
		await secretariat.getByLabel('確認コード').fill('123456' === totp.generate() ? '654321' : '123456');
		await secretariat.getByRole('button', { name: '2段階認証を有効にする' }).click();
		assert.equal(await secretariat.getByRole('alert').filter({ hasText: '確認コードが正しくない' }).count(), 1);
		await secretariat.getByLabel('確認コード').fill(await unspentCode(totp, 'admin@example.org'));
		await secretariat.getByRole('button', { name: '2段階認証を有効にする' }).click();
		assert.equal(await secretariat.locator('.codes li').count(), 10);
		handOver('secretariat.totp', key);
	});

	it('an organisation applies to join; a mistake is shown beside its field', async () => {
		({ page: applicant } = await person());
		await applicant.goto('/');
		await applicant.getByRole('link', { name: '団体スタッフのログイン' }).click();
		await applicant.getByRole('link', { name: /参加を申し込む/ }).click();
		await assertAccessible(applicant);
		await applicant.getByLabel('団体名').fill('みどり町こども食堂の会');
		await applicant.getByLabel('都道府県').fill('東京都');
		await applicant.getByLabel('市区町村').fill('荒川区');
		await applicant.getByLabel('活動の内容').fill('月2回、地域の子どもと大人がいっしょに食べるこども食堂です。');
		await applicant.getByLabel('お名前', { exact: true }).fill('緑 花子');
		await applicant.getByLabel('メールアドレス').fill('hanako@example.org');
		await applicant.getByLabel('ウェブサイト').fill('midori.example');
		await applicant.getByRole('button', { name: '申し込む' }).click();
		assert.match(await applicant.locator('#f-website-error').innerText(), /http:\/\/ または https:\/\//);
		assert.equal(await applicant.getByLabel('団体名').inputValue(), 'みどり町こども食堂の会');
		await applicant.getByLabel('ウェブサイト').fill('https://midori.example');
		await applicant.getByRole('button', { name: '申し込む' }).click();
		assert.match(await applicant.getByRole('status').innerText(), /受け付けました/);
	});

	it('the secretariat approves the application', async () => {
		await secretariat.goto('/staff/network/join-requests');
		await assertAccessible(secretariat);
		await secretariat.getByRole('button', { name: /^承認する\s*: みどり町こども食堂の会$/ }).click();
		assert.match(await secretariat.getByRole('status').innerText(), /承認しました/);
	});

	it('the applicant accepts the invitation as the organisation admin and invites a colleague', async () => {
		await applicant.goto(await linkFor('hanako@example.org', 'invite'));
		assert.match(await applicant.locator('main').innerText(), /みどり町こども食堂の会.*団体管理者/s);
		await applicant.getByLabel('お名前(表示名)').fill('緑 花子');
		await applicant.getByLabel('新しいパスワード', { exact: true }).fill('short');
		await applicant.getByLabel('新しいパスワード(確認のためもう一度)').fill('short');
		await applicant.getByRole('button', { name: 'アカウントを作って参加する' }).click();
		assert.match(await applicant.locator('#f-password-error').innerText(), /12文字以上/);
		await applicant.getByLabel('新しいパスワード', { exact: true }).fill(PASSWORD);
		await applicant.getByLabel('新しいパスワード(確認のためもう一度)').fill(PASSWORD);
		await applicant.getByRole('button', { name: 'アカウントを作って参加する' }).click();
		await applicant.waitForURL(/\/staff$/);
		await assertAccessible(applicant);
		await applicant.getByRole('link', { name: /^メンバー\s*: みどり町こども食堂の会$/ }).click();
		await applicant.waitForURL(/\/staff\/orgs\/[0-9a-f-]{36}\/members$/);
		organizationPath = new URL(applicant.url()).pathname.replace(/\/members$/, '');
		await assertAccessible(applicant);
		await applicant.getByLabel('メールアドレス').fill('colleague@example.org');
		await applicant.getByLabel('役割', { exact: true }).selectOption('staff');
		await applicant.getByRole('button', { name: '招待メールを送る' }).click();
		assert.match(await applicant.getByRole('status').innerText(), /変更しました/);
		assert.match(await applicant.locator('main').innerText(), /colleague@example\.org/);
	});

	it('the colleague joins as staff', async () => {
		({ page: colleague } = await person());
		await colleague.goto(await linkFor('colleague@example.org', 'invite'));
		await colleague.getByLabel('お名前(表示名)').fill('同僚 一郎');
		await colleague.getByLabel('新しいパスワード', { exact: true }).fill(PASSWORD);
		await colleague.getByLabel('新しいパスワード(確認のためもう一度)').fill(PASSWORD);
		await colleague.getByRole('button', { name: 'アカウントを作って参加する' }).click();
		await colleague.waitForURL(/\/staff$/);
		assert.match(await colleague.locator('main').innerText(), /みどり町こども食堂の会[\s\S]*スタッフ/);
		// Staff do not manage members.
		const response = await colleague.goto(`${organizationPath}/members`);
		assert.equal(response?.status(), 403);
	});

	it('the colleague adds a monthly program on 第1・第3土曜日, sees the dates skip a national holiday, publishes it, and residents find it', async () => {
		await colleague.goto('/staff');
		await colleague.getByRole('link', { name: /^取組\s*: みどり町こども食堂の会$/ }).click();
		await colleague.getByRole('link', { name: '取組を追加する' }).click();
		await assertAccessible(colleague);
		await colleague.getByLabel('取組の名前').fill('みどり町ほしぞら食堂');
		await colleague.getByLabel('ひとことで').fill('月2回、だれでも来られる食堂です');
		await colleague.getByRole('checkbox', { name: 'こども食堂' }).check();
		await colleague.getByLabel('くり返し').selectOption('monthly_nth');
		await colleague.getByRole('checkbox', { name: '第1' }).check();
		await colleague.getByRole('checkbox', { name: '第3' }).check();
		await colleague.getByRole('checkbox', { name: '土曜日' }).check();
		await colleague.getByLabel('開始時刻').fill('11:00');
		await colleague.getByLabel('終了時刻').fill('10:00');
		await colleague.getByLabel('いつから').fill('2027-12-01');
		await colleague.getByRole('checkbox', { name: '祝日は休み' }).check();
		await colleague.getByRole('button', { name: '日程を確認する' }).click();
		// The mistake is shown beside its field, and nothing is saved.
		assert.match(await colleague.locator('.schedule').first().innerText(), /終了時刻は開始時刻より後/);
		await colleague.getByLabel('終了時刻').fill('14:00');
		await colleague.getByRole('button', { name: '日程を確認する' }).click();
		const preview = await colleague.locator('.preview').first().innerText();
		assert.match(preview, /毎月第1・第3土曜日 11:00–14:00\(祝日は休み\)/);
		assert.match(preview, /1月1日\(土\).*元日のため休み/);
		assert.match(preview, /1月15日\(土\)/);
		await assertAccessible(colleague);
		await colleague.getByRole('button', { name: '保存する' }).click();
		assert.match(await colleague.getByRole('status').first().innerText(), /保存しました/);
		assert.match(await colleague.locator('main').innerText(), /下書き/);
		await colleague.getByRole('button', { name: '公開する' }).click();
		assert.match(await colleague.getByRole('status').first().innerText(), /公開しました/);

		const resident = await browser.newContext({ baseURL: baseUrl, locale: 'ja-JP', javaScriptEnabled: false });
		const page = await resident.newPage();
		await page.goto('/search?q=' + encodeURIComponent('ほしぞら食堂'));
		await page.getByRole('link', { name: 'みどり町ほしぞら食堂' }).click();
		assert.match(await page.locator('main').innerText(), /みどり町こども食堂の会/);
		await resident.close();
	});

	it('the secretariat can take the program off the public pages', async () => {
		await secretariat.goto('/staff/network/organizations');
		await assertAccessible(secretariat);
		await secretariat.getByRole('link', { name: /件\(非公開 0件\)\s*: みどり町こども食堂の会/ }).click();
		await secretariat.getByRole('link', { name: 'みどり町ほしぞら食堂' }).click();
		await secretariat.getByRole('button', { name: '非公開にする' }).click();
		assert.match(await secretariat.getByRole('status').first().innerText(), /非公開にしました/);
		const response = await secretariat.request.get('/search?q=' + encodeURIComponent('ほしぞら食堂'));
		assert.doesNotMatch(await response.text(), /みどり町ほしぞら食堂/);
	});

	it("the secretariat sees the region's attendance per organisation and downloads it", async () => {
		await secretariat.getByRole('link', { name: '地域の参加実績' }).click();
		await secretariat.waitForURL(/\/staff\/network\/figures$/);
		await assertAccessible(secretariat);
		// The attendance table first; the consultation table below it lists the same organisations, counts under 5 hidden.
		await secretariat.getByRole('rowheader', { name: 'みどり町こども食堂の会' }).first().waitFor();
		await secretariat.getByRole('rowheader', { name: '地域全体' }).first().waitFor();
		await secretariat.getByRole('heading', { name: 'ネットワークの相談' }).waitFor();
		await secretariat.getByLabel('この日から').fill('2025-04-01');
		await secretariat.getByRole('button', { name: '表示する' }).click();
		await secretariat.waitForURL(/from=2025-04-01/);
		const csv = await secretariat.request.get((await secretariat.getByRole('link', { name: 'CSVでダウンロード' }).getAttribute('href')) ?? '');
		assert.equal(csv.status(), 200);
		const body = await csv.text();
		assert.match(body, /^\uFEFF?団体,開催回数,延べ人数,実人数/);
		assert.match(body, /\r\nネットワークの相談\r\n団体,相談の件数,ウェブ,LINE,電話・来所,うち緊急/);
	});

	it('the secretariat reviews the crisis rules: adds a term, saves and measures, activates the new version', async () => {
		await secretariat.getByRole('link', { name: '危機判定の規則' }).click();
		await secretariat.waitForURL(/\/staff\/network\/triage$/);
		await assertAccessible(secretariat);
		await secretariat.getByLabel('新しい版の名前').fill('e2e-1');
		await secretariat.getByLabel('メモ', { exact: true }).fill('言い換えを追加');
		const terms = secretariat.getByLabel('規則 suicide.disappear の語（1行に1つ）');
		await terms.fill(`${await terms.inputValue()}\nいなくなってしまいたいよう`);
		await secretariat.getByRole('button', { name: '保存して測る' }).click();
		await secretariat.waitForURL(/version=e2e-1&saved=1/);
		assert.match(await secretariat.getByRole('status').first().innerText(), /版 e2e-1 を保存して測りました/);
		await secretariat.getByText('いなくなってしまいたいよう', { exact: true }).first().waitFor();
		await assertAccessible(secretariat);
		await secretariat.getByRole('button', { name: '有効にする: e2e-1' }).click();
		await secretariat.waitForURL(/version=e2e-1&activated=1/);
		assert.match(await secretariat.getByRole('heading', { level: 2 }).first().innerText(), /e2e-1/);
	});
});
