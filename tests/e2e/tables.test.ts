/**
 * Issue 16, found on a phone: the registrations table and the audit table crushed their columns
 * to one character per line (the audit table also at 1280 px on a desktop). The registrations,
 * programs, network audit, organisations and network figures tables the earlier browser tests
 * filled are opened at 390×844 and at 1280×800: no cell with two
 * characters or more may be narrower than two and a half characters, and the page itself must
 * not scroll sideways (a wide table may scroll inside its own focusable region).
 *
 * Runs after events.test.ts and staff.test.ts against the same app (the colleague who signs in
 * with a password alone; the secretariat's second-factor key, handed over in DATA_DIR).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { baseUrl, launch, seriousViolations, signIn, takeOver } from './browser.ts';

const SIZES = [
	{ width: 390, height: 844 },
	{ width: 1280, height: 800 }
];
let browser: Browser;

async function signedIn(email: string, totp?: TOTP): Promise<Page> {
	const context = await browser.newContext({ baseURL: baseUrl, locale: 'ja-JP', extraHTTPHeaders: { 'accept-language': 'ja' }, bypassCSP: true });
	const page = await context.newPage();
	await signIn(page, email, totp);
	return page;
}

interface Crushed {
	text: string;
	width: number;
}

/** Cells narrower than 2.5 characters that hold two or more, and how far the page scrolls sideways. */
function measure(page: Page): Promise<{ crushed: Crushed[]; overflow: number; cells: number }> {
	return page.evaluate(() => {
		const crushed: { text: string; width: number }[] = [];
		let cells = 0;
		for (const cell of document.querySelectorAll<HTMLElement>('main table th, main table td')) {
			const box = cell.getBoundingClientRect();
			if (box.width === 0 && box.height === 0) continue; // hidden (a visually hidden header row, a closed section)
			if (cell.closest('.visually-hidden')) continue;
			// A header row kept for screen readers only (a stacked table's, clipped to one pixel).
			const head = cell.closest('thead');
			if (head && head.getBoundingClientRect().width <= 1) continue;
			const text = (cell.innerText ?? '').trim();
			if ([...text].length < 2) continue;
			cells++;
			const style = getComputedStyle(cell);
			const content = box.width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
			if (content < 2.5 * parseFloat(style.fontSize)) crushed.push({ text: text.slice(0, 30), width: Math.round(content) });
		}
		return { crushed, overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth, cells };
	});
}

async function checkTables(page: Page, path: string) {
	for (const size of SIZES) {
		await page.setViewportSize(size);
		await page.goto(path);
		const { crushed, overflow, cells } = await measure(page);
		assert.ok(cells > 0, `${path} at ${size.width} px: no table to check`);
		assert.deepEqual(crushed, [], `${path} at ${size.width} px: crushed cells`);
		assert.ok(overflow <= 1, `${path} at ${size.width} px: the page scrolls sideways by ${overflow} px`);
		const violations = await seriousViolations(page);
		assert.deepEqual(violations, [], `${path} at ${size.width} px: ${JSON.stringify(violations, null, 1)}`);
	}
}

before(async () => {
	browser = await launch();
});
after(async () => {
	await browser?.close();
});

describe('staff tables on a phone and on a desktop', () => {
	let colleague: Page;
	let organizationPath = '';

	it('an organisation’s registrations, programs and figures', async () => {
		colleague = await signedIn('colleague@example.org');
		await colleague.getByRole('link', { name: /^取組\s*: みどり町こども食堂の会$/ }).click();
		await colleague.waitForURL(/\/programs$/);
		organizationPath = new URL(colleague.url()).pathname.replace(/\/programs$/, '');
		await checkTables(colleague, takeOver('registrations.path'));
		await checkTables(colleague, `${organizationPath}/programs`);
		await checkTables(colleague, `${organizationPath}/figures`);
	});

	it('the network’s audit log, organisations and figures', async () => {
		const secretariat = await signedIn('admin@example.org', new TOTP({ secret: Secret.fromBase32(takeOver('secretariat.totp')) }));
		await checkTables(secretariat, '/staff/network/audit');
		await checkTables(secretariat, '/staff/network/organizations');
		// Attendance, consultations and referrals per organisation: stacked on a phone (StackTable).
		await checkTables(secretariat, '/staff/network/figures');
	});
});
