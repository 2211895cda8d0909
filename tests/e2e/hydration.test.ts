/**
 * Found by a browser test on a busy machine: words typed into a form before the page's scripts
 * have started were erased when the page hydrated, and a `required` field left empty then stopped
 * the form from being sent, with no message. On a slow phone that is an organisation's
 * application or a sign-in (the resident's finder and consultation pages run no script). Here the scripts are held back while the person types, then let
 * through: what was typed must still be there, and the form must send it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launch, residentContext } from './browser.ts';

let browser: Browser;
before(async () => {
	browser = await launch();
});
after(async () => {
	await browser?.close();
});

/** A page whose scripts wait until `letScriptsRun` is called: the HTML is there to type into. */
async function slowScripts(path: string): Promise<{ page: Page; letScriptsRun: () => Promise<void> }> {
	const page = await (await residentContext(browser, { javaScriptEnabled: true })).newPage();
	let release!: () => void;
	const held = new Promise<void>((resolve) => (release = resolve));
	await page.route(/\/_app\/immutable\/.*\.js$/, async (route) => {
		await held;
		await route.continue();
	});
	await page.goto(path, { waitUntil: 'commit' });
	await page.locator('main form').first().waitFor();
	return {
		page,
		letScriptsRun: async () => {
			release();
			// SvelteKit has started (it marks the page's history entry first, then loads the page's
			// modules and hydrates); once nothing more is loading, hydration is over.
			await page.waitForFunction(() => (history.state as Record<string, unknown> | null)?.['sveltekit:history'] !== undefined, undefined, { timeout: 20_000 });
			await page.waitForLoadState('networkidle');
			await page.waitForTimeout(300);
		}
	};
}

describe('what is typed before the scripts start is kept', () => {
	it('an organisation’s application to join: its name and its description', async () => {
		const { page, letScriptsRun } = await slowScripts('/join');
		const description = '毎週土曜に公民館で、ひとり暮らしの高齢者と昼ごはんを食べています。';
		await page.locator('#f-organizationName').fill('みどり町ふれあいの会');
		await page.locator('#f-description').fill(description);
		await letScriptsRun();
		assert.equal(await page.locator('#f-organizationName').inputValue(), 'みどり町ふれあいの会');
		assert.equal(await page.locator('#f-description').inputValue(), description);
		await page.context().close();
	});

	it('sign-in: the address and password are sent, and the answer shows', async () => {
		const { page, letScriptsRun } = await slowScripts('/login');
		await page.getByLabel('メールアドレス').fill('nobody-here@example.org');
		await page.getByLabel('パスワード').fill('not the password');
		await letScriptsRun();
		assert.equal(await page.getByLabel('メールアドレス').inputValue(), 'nobody-here@example.org');
		assert.equal(await page.getByLabel('パスワード').inputValue(), 'not the password');
		await page.getByRole('button', { name: 'ログインする' }).click();
		// The form was sent: the server's answer (wrong address or password) is on the page, the address kept.
		await page.getByRole('alert').waitFor({ timeout: 15_000 });
		assert.equal(await page.getByLabel('メールアドレス').inputValue(), 'nobody-here@example.org');
		await page.context().close();
	});
});
