/** Chromium (the Debian package) through playwright-core, and an axe-core WCAG check. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { TOTP } from 'otpauth';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const baseUrl = process.env.BASE_URL ?? 'http://127.0.0.1:3000';

/** Every staff member the browser tests make has this password. */
export const PASSWORD = '朝の公園で猫と三回会った日';

export function launch(): Promise<Browser> {
	return chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
	});
}

/** Public pages must work without JavaScript: the context has it turned off. */
export function residentContext(browser: Browser, options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
	return browser.newContext({
		baseURL: baseUrl,
		locale: 'ja-JP',
		extraHTTPHeaders: { 'accept-language': 'ja' },
		viewport: { width: 390, height: 844 },
		javaScriptEnabled: options.javaScriptEnabled ?? false,
		// Our CSP blocks injected scripts, axe included; the page's own behaviour is unchanged.
		bypassCSP: true
	});
}

export interface Violation {
	id: string;
	impact: string;
	help: string;
	targets: string[];
}

/** Serious and critical WCAG 2.2 A/AA violations on the page. */
export async function seriousViolations(page: Page): Promise<Violation[]> {
	// axe needs script even where the page itself runs none: evaluate in a JS-enabled twin page.
	const context = await page.context().browser()!.newContext({ baseURL: baseUrl, bypassCSP: true, javaScriptEnabled: true });
	try {
		await context.addCookies(await page.context().cookies());
		const twin = await context.newPage();
		await twin.goto(page.url());
		await twin.addScriptTag({ content: axeSource });
		const results = await twin.evaluate(async () => {
			// @ts-expect-error axe is injected above
			const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
			return r.violations.map((v: { id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }) => ({
				id: v.id,
				impact: v.impact,
				help: v.help,
				targets: v.nodes.map((n) => n.target.join(' '))
			}));
		});
		return (results as Violation[]).filter((v) => v.impact === 'serious' || v.impact === 'critical');
	} finally {
		await context.close();
	}
}

/**
 * What one browser test file leaves for the next (a second factor's key, a private link): the files
 * run one after another against one app, and the people they made live on in it. Kept beside the
 * app's outbox in DATA_DIR, the way the tests read mail.
 */
const handoverFile = () => path.join(process.env.DATA_DIR ?? 'data', 'e2e-handover.json');
const handovers = (): Record<string, string> => (existsSync(handoverFile()) ? (JSON.parse(readFileSync(handoverFile(), 'utf8')) as Record<string, string>) : {});
export function handOver(key: string, value: string): void {
	writeFileSync(handoverFile(), JSON.stringify({ ...handovers(), [key]: value }));
}
export function takeOver(key: string): string {
	const value = handovers()[key];
	if (value === undefined) throw new Error(`no ${key} handed over by an earlier browser test (they run in the order of scripts/run-e2e.ts)`);
	return value;
}

const TOTP_STEP_MS = 30_000;

/**
 * A code for `who` that no earlier sign-in or enrolment of these files has spent. The server takes
 * a code of this 30-second step or a neighbour's, and only of a step later than the last it took;
 * a spent code is a failed attempt, and five of those in 15 minutes lock the account (the
 * secretariat signs in from file after file). So the step after the last one handed over is used,
 * waiting when it is still two steps ahead, and handed over as spent.
 */
export async function unspentCode(totp: TOTP, who: string): Promise<string> {
	const key = `totp.step.${who}`;
	const spent = handovers()[key];
	const step = Math.max(Math.floor(Date.now() / TOTP_STEP_MS), spent === undefined ? 0 : Number(spent) + 1);
	const wait = (step - 1) * TOTP_STEP_MS + 300 - Date.now();
	if (wait > 0) await new Promise((r) => setTimeout(r, wait));
	handOver(key, String(step));
	return totp.generate({ timestamp: step * TOTP_STEP_MS });
}

/**
 * The address and password, until the page is at `after`; when it does not get there, what the
 * page showed and what the server answered (a CI run once timed out here with no trace: hydration
 * had erased the typed address, so the form was never sent — see hydration.test.ts).
 */
async function passwordStep(page: Page, email: string, after: RegExp): Promise<void> {
	await page.goto('/login');
	await page.getByLabel('メールアドレス').fill(email);
	await page.getByLabel('パスワード').fill(PASSWORD);
	const answer = page.waitForResponse((res) => res.request().method() === 'POST' && new URL(res.url()).pathname === '/login', { timeout: 30_000 }).catch(() => null);
	await page.getByRole('button', { name: 'ログインする' }).click();
	try {
		await page.waitForURL(after, { timeout: 30_000 });
	} catch (error) {
		const res = await answer;
		const shown = await page
			.locator('body')
			.innerText({ timeout: 2000 })
			.catch(() => '(no body)');
		throw new Error(`${email}: the password step did not reach ${after} — at ${page.url()}, POST /login answered ${res ? res.status() : 'nothing'}; the page showed: ${shown.replace(/\s+/g, ' ').slice(0, 300)}`, { cause: error });
	}
}

/**
 * Sign in with the password and, for an account with two-step verification, a code no earlier
 * sign-in spent (unspentCode), ending on /staff.
 */
export async function signIn(page: Page, email: string, totp?: TOTP): Promise<void> {
	const after = totp ? /\/login\/2fa(\?|$)/ : /\/staff$/;
	await passwordStep(page, email, after);
	if (!totp) return;
	for (let attempt = 0; attempt < 2; attempt++) {
		await page.getByLabel('確認コード').fill(await unspentCode(totp, email));
		await page.getByRole('button', { name: '確認する' }).click();
		try {
			await page.waitForURL(/\/staff$/, { timeout: 5000 });
			return;
		} catch {
			// Spent by a sign-in these files did not hand over: the next step's.
		}
	}
	throw new Error(`${email} could not sign in with a code`);
}
