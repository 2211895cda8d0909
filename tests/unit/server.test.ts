/**
 * The production server (scripts/serve.ts) over HTTP: under a burst beyond its limits it answers
 * the excess with a quick 503 and Retry-After while health checks still pass, and static files
 * carry the same security headers as pages.
 */
import { describe, expect, it } from 'vitest';
import { useApp } from '../helpers/app';

// Deliberately tiny limits so that a burst of a few dozen requests goes beyond them. The requests
// below are plain fetches: each burst sends its own headers (page or API form), as a client would.
const app = useApp({ env: { MAX_CONCURRENT_REQUESTS: '1', MAX_QUEUED_REQUESTS: '2', QUEUE_TIMEOUT_MS: '2000' } });

describe('load shedding', () => {
	it('sheds a burst beyond the queue with 503 + Retry-After, in the page or API form, and keeps health checks answering', async () => {
		const pages = Array.from({ length: 30 }, () => fetch(`${app.baseUrl}/search?q=${encodeURIComponent('こども食堂')}`, { headers: { 'accept-language': 'ja' } }));
		const apis = Array.from({ length: 10 }, () => fetch(`${app.baseUrl}/api/v1/programs?q=${encodeURIComponent('居場所')}`));
		const health = fetch(`${app.baseUrl}/healthz`);
		const [pageResponses, apiResponses, healthResponse] = await Promise.all([Promise.all(pages), Promise.all(apis), health]);

		expect(healthResponse.status).toBe(200);
		const all = [...pageResponses, ...apiResponses];
		expect(all.every((r) => r.status === 200 || r.status === 503)).toBe(true);
		expect(all.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);

		const shedPages = pageResponses.filter((r) => r.status === 503);
		expect(shedPages.length).toBeGreaterThan(0);
		expect(shedPages[0].headers.get('retry-after')).toMatch(/^\d+$/);
		const shedPage = await shedPages[0].text();
		expect(shedPage).toContain('混み合っています');
		// The hotlines stay in reach when the site is too busy.
		expect(shedPage).toContain('0120-279-338');

		const shedApi = apiResponses.filter((r) => r.status === 503);
		expect(shedApi.length).toBeGreaterThan(0);
		expect(shedApi[0].headers.get('retry-after')).toMatch(/^\d+$/);
		expect(await shedApi[0].json()).toMatchObject({ error: { code: 'overloaded' } });
		await Promise.all(all.map((r) => (r.bodyUsed ? null : r.arrayBuffer())));
	});

	it('does not lose a slot to a client that gave up while waiting in the queue', async () => {
		// With one request inside and two waiting, clients that hang up while queued must give their
		// place back: otherwise the single slot is lost and every later request is shed.
		for (let round = 0; round < 3; round++) {
			const controllers = Array.from({ length: 6 }, () => new AbortController());
			const sent = controllers.map((c) =>
				fetch(`${app.baseUrl}/search?q=${encodeURIComponent('こども食堂')}&r=${round}`, { signal: c.signal }).then(
					(r) => r.arrayBuffer(),
					() => null
				)
			);
			await new Promise((r) => setTimeout(r, 5));
			controllers.forEach((c) => c.abort());
			await Promise.all(sent);
		}
		await new Promise((r) => setTimeout(r, 500));
		for (let i = 0; i < 3; i++) expect((await fetch(`${app.baseUrl}/search?q=${encodeURIComponent('居場所')}`)).status).toBe(200);
	});

	it('serves normally again once the burst is over', async () => {
		const response = await fetch(`${app.baseUrl}/search?q=${encodeURIComponent('こども食堂')}`);
		expect(response.status).toBe(200);
	});
});

describe('security headers', () => {
	it('are on static files under /_app/ too', async () => {
		const html = await (await fetch(`${app.baseUrl}/`)).text();
		const asset = html.match(/\/_app\/immutable\/[^"']+\.(?:js|css)/)?.[0];
		expect(asset).toBeTruthy();
		const response = await fetch(`${app.baseUrl}${asset}`);
		expect(response.status).toBe(200);
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('x-frame-options')).toBe('DENY');
		expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
	});

	it('leave the pages their own full content security policy', async () => {
		const response = await fetch(`${app.baseUrl}/`);
		const csp = response.headers.get('content-security-policy') ?? '';
		expect(csp).toContain("default-src 'self'");
		expect(csp).toContain("frame-ancestors 'none'");
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
	});
});
