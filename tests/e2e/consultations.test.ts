/**
 * Issue 13, as new users meet it in Chromium: an anonymous resident on a phone (390×844, no
 * JavaScript) follows the consultation link from an organisation's public page and writes
 * 「もう消えたい」; the next page shows the hotlines at once and is their private link. A counsellor of
 * that organisation (invited by its admin, made to turn on two-step verification, then signing in
 * with password and code) sees the thread first in the inbox, marked urgent, opens it and answers;
 * the person reads the answer through the private link; the organisation's admin sees the
 * counsellor's opening (`consultation.view`) in the audit log. axe-core on each page of the way.
 *
 * Runs after tests/e2e/staff.test.ts against the same app: みどり町こども食堂の会 and its admin
 * (hanako@example.org) come from there. Mail is read from DATA_DIR/outbox.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Secret, TOTP } from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PASSWORD, baseUrl, handOver, launch, residentContext, seriousViolations, unspentCode } from './browser.ts';
import { readOutbox } from '../../src/lib/server/mail.ts';

const outbox = path.join(process.env.DATA_DIR ?? 'data', 'outbox');
const ORGANIZATION = 'みどり町こども食堂の会';
const COUNSELLOR = { email: 'counsellor@example.org', name: '相談員 さくら' };
const CRISIS = 'もう消えたい';
const ANSWER = 'メッセージをありがとう。書いてくれてよかったです。いまどんな気持ちか、もう少し教えてもらえますか。';
let browser: Browser;

async function assertAccessible(page: Page) {
	const violations = await seriousViolations(page);
	assert.deepEqual(violations, [], `${page.url()}: ${JSON.stringify(violations, null, 1)}`);
}

/** The newest mail to `to` whose subject matches `pattern`; waits for background sending. */
async function mailTo(to: string, pattern: RegExp) {
	for (let i = 0; i < 50; i++) {
		const message = readOutbox(200, outbox).find((m) => m.to.includes(to) && pattern.test(m.subject));
		if (message) return message;
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`no mail to ${to} matching ${pattern} in ${outbox}`);
}

/** The newest invitation link mailed to `to`; waits for background sending. */
async function inviteFor(to: string): Promise<string> {
	for (let i = 0; i < 50; i++) {
		const message = readOutbox(200, outbox).find((m) => m.to.includes(to) && m.text.includes('/invite/'));
		if (message) return new URL(message.text.match(/https?:\/\/\S+\/invite\/[A-Za-z0-9_-]+/)![0]).pathname;
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`no invitation to ${to} in ${outbox}`);
}

async function staffContext(): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ baseURL: baseUrl, locale: 'ja-JP', extraHTTPHeaders: { 'accept-language': 'ja' }, bypassCSP: true });
	return { context, page: await context.newPage() };
}

async function signIn(page: Page, email: string) {
	await page.goto('/login');
	await page.getByLabel('メールアドレス').fill(email);
	await page.getByLabel('パスワード').fill(PASSWORD);
	await page.getByRole('button', { name: 'ログインする' }).click();
}

before(async () => {
	browser = await launch();
});
after(async () => {
	await browser?.close();
});

describe('a consultation from 「もう消えたい」 to the answer', () => {
	let admin: Page;
	let organizationPath = '';
	let organizationId = '';
	let totp: TOTP;
	let privateLink = '';
	let counsellor: Page;

	it('the organisation’s admin invites a counsellor, who must turn on two-step verification before anything else', async () => {
		({ page: admin } = await staffContext());
		await signIn(admin, 'hanako@example.org');
		await admin.waitForURL(/\/staff$/);
		await admin.getByRole('link', { name: new RegExp(`^メンバー\\s*: ${ORGANIZATION}$`) }).click();
		await admin.waitForURL(/\/staff\/orgs\/[0-9a-f-]{36}\/members$/);
		organizationPath = new URL(admin.url()).pathname.replace(/\/members$/, '');
		organizationId = organizationPath.split('/').pop()!;
		await admin.getByLabel('メールアドレス').fill(COUNSELLOR.email);
		await admin.getByLabel('役割', { exact: true }).selectOption('counsellor');
		await admin.getByRole('button', { name: '招待メールを送る' }).click();
		assert.match(await admin.getByRole('status').innerText(), /変更しました/);

		const { context, page } = await staffContext();
		await page.goto(await inviteFor(COUNSELLOR.email));
		await page.getByLabel('お名前(表示名)').fill(COUNSELLOR.name);
		await page.getByLabel('新しいパスワード', { exact: true }).fill(PASSWORD);
		await page.getByLabel('新しいパスワード(確認のためもう一度)').fill(PASSWORD);
		await page.getByRole('button', { name: 'アカウントを作って参加する' }).click();
		await page.waitForURL(/\/account\/2fa$/);
		// The inbox is out of reach until the second factor is on.
		await page.goto(`${organizationPath}/consultations`);
		await page.waitForURL(/\/account\/2fa$/);
		const key = (await page.locator('code').textContent())!.replace(/\s/g, '');
		totp = new TOTP({ secret: Secret.fromBase32(key) });
		handOver('counsellor.totp', key);
		handOver('organization.path', organizationPath);
		await page.getByLabel('確認コード').fill(await unspentCode(totp, COUNSELLOR.email));
		await page.getByRole('button', { name: '2段階認証を有効にする' }).click();
		assert.equal(await page.locator('.codes li').count(), 10);
		await context.close();
	});

	it('an ordinary message first: its page shows no hotlines', async () => {
		const context = await residentContext(browser);
		const page = await context.newPage();
		await page.goto(`/consult?organization=${organizationId}`);
		await page.getByLabel('相談したいこと').fill('近くで、週末にやっている子ども食堂を知りたいです。');
		await page.getByRole('button', { name: '送る' }).click();
		await page.waitForURL(/\/consult\/t\/[A-Za-z0-9_-]+\?sent=1$/);
		assert.match(await page.getByRole('status').innerText(), /送りました/);
		assert.equal(await page.getByRole('heading', { name: 'いますぐ話せる窓口があります' }).count(), 0);
		assert.doesNotMatch(await page.locator('main').innerText(), /0570-064-556/);
		await context.close();
	});

	it('a resident on a phone follows the consultation link from the organisation’s page, writes 「もう消えたい」, and the next page shows the hotlines and is their private link', async () => {
		const context = await residentContext(browser);
		const page = await context.newPage();
		await page.goto(`/organizations/${organizationId}`);
		assert.match(await page.locator('h1').innerText(), new RegExp(ORGANIZATION));
		await page.locator('main').getByRole('link', { name: '相談する' }).click();
		await page.waitForURL(new RegExp(`/consult\\?organization=${organizationId}$`));
		assert.match(await page.locator('main').innerText(), new RegExp(`${ORGANIZATION} の相談員に届きます`));
		await assertAccessible(page);
		await page.getByLabel('相談したいこと').fill(CRISIS);
		await page.getByRole('button', { name: '送る' }).click();
		await page.waitForURL(/\/consult\/t\/[A-Za-z0-9_-]{20,}\?sent=1$/);
		const hotlines = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: 'いますぐ話せる窓口があります' }) });
		const shown = await hotlines.innerText();
		for (const [name, number] of [
			['こころの健康相談統一ダイヤル', '0570-064-556'],
			['よりそいホットライン', '0120-279-338'],
			['#いのちSOS', '0120-061-338']
		]) {
			assert.match(shown, new RegExp(name));
			assert.match(shown, new RegExp(number));
		}
		// Each number is one tap away on a phone.
		assert.equal(await hotlines.getByRole('link', { name: '0570-064-556 に電話する' }).getAttribute('href'), 'tel:0570064556');
		assert.match(await page.locator('main').innerText(), /このページのアドレスは、あなただけのものです/);
		assert.match(await page.locator('main').innerText(), new RegExp(CRISIS));
		privateLink = new URL(page.url()).pathname;
		handOver('consultation.link', privateLink);
		await assertAccessible(page);
		await context.close();
		// The alert: the organisation's counsellor (no rota set: every counsellor) is mailed at once,
		// with the link into the staff area and without a word of what the person wrote.
		const alert = await mailTo(COUNSELLOR.email, /緊急の相談が届いています/);
		assert.match(alert.text, new RegExp(`${organizationPath}/consultations/[0-9a-f-]{36}`));
		assert.doesNotMatch(alert.text, new RegExp(CRISIS));
	});

	it('the counsellor signs in with password and code, sees the thread first and urgent, opens it and answers', async () => {
		({ page: counsellor } = await staffContext());
		await signIn(counsellor, COUNSELLOR.email);
		await counsellor.waitForURL(/\/login\/2fa(\?|$)/);
		// A step after the one used to enrol (unspentCode).
		await counsellor.getByLabel('確認コード').fill(await unspentCode(totp, COUNSELLOR.email));
		await counsellor.getByRole('button', { name: '確認する' }).click();
		await counsellor.waitForURL(/\/staff$/);
		await counsellor.getByRole('link', { name: new RegExp(`^相談\\s*: ${ORGANIZATION}$`) }).click();
		await counsellor.waitForURL(new RegExp(`${organizationPath}/consultations$`));
		const rows = counsellor.locator('main tbody tr');
		assert.equal(await rows.count(), 2);
		assert.match(await rows.nth(0).innerText(), /緊急/);
		assert.match(await rows.nth(0).innerText(), /ウェブ/);
		assert.doesNotMatch(await rows.nth(1).innerText(), /緊急/);
		// The inbox lists no content; it shows only on opening (an audited read).
		assert.doesNotMatch(await counsellor.locator('main').innerText(), new RegExp(CRISIS));
		await assertAccessible(counsellor);

		await rows.nth(0).getByRole('link', { name: '開く' }).click();
		await counsellor.waitForURL(new RegExp(`${organizationPath}/consultations/[0-9a-f-]{36}$`));
		handOver('consultation.thread', new URL(counsellor.url()).pathname);
		assert.match(await counsellor.getByRole('alert').first().innerText(), /緊急の可能性があります/);
		assert.match(await counsellor.locator('main').innerText(), new RegExp(CRISIS));
		await assertAccessible(counsellor);
		await counsellor.getByLabel('返事を書く').fill(ANSWER);
		await counsellor.getByRole('button', { name: '返事を送る' }).click();
		assert.match(await counsellor.getByRole('status').innerText(), /返事を送りました/);
		assert.match(await counsellor.locator('main').innerText(), new RegExp(ANSWER));
		await assertAccessible(counsellor);
	});

	it('the person opens their private link and reads the answer', async () => {
		const context = await residentContext(browser);
		const page = await context.newPage();
		await page.goto(privateLink);
		const text = await page.locator('main').innerText();
		assert.match(text, new RegExp(CRISIS));
		assert.match(text, new RegExp(ANSWER));
		assert.match(text, /相談員/);
		assert.doesNotMatch(text, /まだ返事はありません/);
		await assertAccessible(page);
		await context.close();
	});

	it('the organisation’s admin sees the counsellor’s opening of the thread in the audit log', async () => {
		await admin.goto(`${organizationPath}/audit`);
		await admin.getByLabel('操作', { exact: true }).fill('consultation.view');
		await admin.getByRole('button', { name: 'この条件で表示する' }).click();
		await admin.waitForURL(/action=consultation\.view/);
		const rows = admin.locator('main tbody tr');
		assert.ok((await rows.count()) >= 1);
		const first = await rows.nth(0).innerText();
		assert.match(first, new RegExp(COUNSELLOR.name));
		assert.match(first, /相談の閲覧/);
		await assertAccessible(admin);
	});
});
