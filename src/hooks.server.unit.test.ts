import { describe, expect, it } from 'vitest';
import { isCrossSiteFormPost } from './hooks.server';

const post = (headers: Record<string, string>, method = 'POST') => new Request('http://127.0.0.1:3000/settings?/text', { method, headers: { host: '127.0.0.1:3000', 'content-type': 'application/x-www-form-urlencoded', ...headers } });

describe('isCrossSiteFormPost', () => {
	it('lets same-origin form posts through on plain http', () => {
		expect(isCrossSiteFormPost(post({ origin: 'http://127.0.0.1:3000' }))).toBe(false);
		expect(isCrossSiteFormPost(post({ 'sec-fetch-site': 'same-origin' }))).toBe(false);
	});
	it('refuses form posts from another site', () => {
		expect(isCrossSiteFormPost(post({ origin: 'https://evil.example' }))).toBe(true);
		expect(isCrossSiteFormPost(post({ origin: 'http://127.0.0.1:3001' }))).toBe(true);
		expect(isCrossSiteFormPost(post({ origin: 'null' }))).toBe(true);
		expect(isCrossSiteFormPost(post({ 'sec-fetch-site': 'cross-site' }))).toBe(true);
	});
	it('does not concern reads or JSON requests', () => {
		expect(isCrossSiteFormPost(new Request('http://x/', { method: 'GET', headers: { origin: 'https://evil.example' } }))).toBe(false);
		expect(isCrossSiteFormPost(post({ origin: 'https://evil.example', 'content-type': 'application/json' }))).toBe(false);
	});
});
