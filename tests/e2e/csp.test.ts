/**
 * The CSP without 'unsafe-inline' styles, in Chromium with the policy enforced (no bypassCSP):
 * public pages and a page with client-side navigation load their styles and report no violation.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { baseUrl, launch } from './browser.ts';

let browser: Browser;

before(async () => {
	browser = await launch();
});
after(async () => {
	await browser?.close();
});

/** Every CSP violation the page reports (the browser logs them even without JavaScript). */
async function visit(page: Page, path: string): Promise<string[]> {
	const violations: string[] = [];
	page.on('console', (m) => {
		if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
	});
	await page.goto(path);
	await page.waitForTimeout(300);
	return violations;
}

/** Our stylesheet applied: the body's line height and the app wrapper's display come from app.css. */
const styled = (page: Page) => page.evaluate(() => getComputedStyle(document.body).lineHeight !== 'normal' && getComputedStyle(document.querySelector('.app-root')!).display === 'contents');

describe('styles under the CSP', () => {
	it('sends style-src without unsafe-inline', async () => {
		const csp = (await fetch(`${baseUrl}/`)).headers.get('content-security-policy') ?? '';
		const styleSrc = csp.split(';').find((d) => d.trim().startsWith('style-src ')) ?? '';
		assert.match(styleSrc, /'self'/);
		assert.doesNotMatch(csp, /'unsafe-inline'/);
	});

	for (const javaScriptEnabled of [false, true]) {
		it(`renders pages styled with no violation (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
			const context = await browser.newContext({ baseURL: baseUrl, locale: 'ja-JP', javaScriptEnabled });
			try {
				for (const path of ['/', '/search?q=こども食堂', '/calendar', '/login', '/join', '/card']) {
					const page = await context.newPage();
					assert.deepEqual(await visit(page, path), [], path);
					// (Computed styles are read with script, so only where the page may run it.)
					if (javaScriptEnabled) assert.ok(await styled(page), `${path} is not styled`);
					await page.close();
				}
			} finally {
				await context.close();
			}
		});
	}

	it('navigates client-side (SvelteKit announcer) with no violation', async () => {
		const context = await browser.newContext({ baseURL: baseUrl, locale: 'ja-JP' });
		try {
			const page = await context.newPage();
			const violations = await visit(page, '/login');
			await page.click('a[href="/reset"]');
			await page.waitForURL('**/reset');
			await page.waitForTimeout(300);
			assert.equal(await page.locator('#svelte-announcer').count(), 1, 'the page was hydrated');
			assert.deepEqual(violations, []);
		} finally {
			await context.close();
		}
	});
});
