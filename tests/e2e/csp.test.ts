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

/** Every CSP violation the page reports, and the body's computed font family (styled or not). */
async function visit(page: Page, path: string): Promise<{ violations: string[]; styled: boolean }> {
	const violations: string[] = [];
	page.on('console', (m) => {
		if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
	});
	await page.goto(path);
	await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
	const styled = await page.evaluate(() => getComputedStyle(document.body).lineHeight !== 'normal' && getComputedStyle(document.querySelector('.app-root')!).display === 'contents');
	return { violations, styled };
}

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
					const { violations, styled } = await visit(page, path);
					assert.deepEqual(violations, [], path);
					assert.ok(styled, `${path} is not styled`);
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
			const { violations } = await visit(page, '/login');
			await page.click('a[href="/reset"]').catch(() => page.goto('/reset'));
			await page.waitForURL('**/reset');
			await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
			assert.deepEqual(violations, []);
		} finally {
			await context.close();
		}
	});
});
