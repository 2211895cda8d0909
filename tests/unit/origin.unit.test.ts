/** `npm start` and ORIGIN: a production start reachable by others refuses to guess its public address. */
import { describe, expect, it } from 'vitest';
import { decideOrigin } from '../../scripts/origin';

describe('the public address at start', () => {
	it('refuses a production start on all interfaces without ORIGIN, saying what to set', () => {
		const d = decideOrigin({ NODE_ENV: 'production', PORT: '3000' });
		expect(d.ok).toBe(false);
		if (!d.ok) expect(d.message).toMatch(/ORIGIN=https:\/\/.*HOST=127\.0\.0\.1/s);
		expect(decideOrigin({ NODE_ENV: 'production', HOST: '0.0.0.0' }).ok).toBe(false);
	});

	it('serves on loopback without ORIGIN, at localhost', () => {
		for (const HOST of ['127.0.0.1', '::1', 'localhost']) expect(decideOrigin({ NODE_ENV: 'production', HOST, PORT: '8080' })).toEqual({ ok: true, origin: 'http://localhost:8080', warning: null });
	});

	it('lets a demo start (not production) go on, with a warning in the log', () => {
		const d = decideOrigin({ PORT: '3000' });
		expect(d.ok && d.origin).toBe('http://localhost:3000');
		expect(d.ok && d.warning).toMatch(/ORIGIN is not set/);
	});

	it('takes an explicit ORIGIN, and refuses one that is not an address', () => {
		expect(decideOrigin({ NODE_ENV: 'production', ORIGIN: 'https://tsunagu.example.jp' })).toEqual({ ok: true, origin: 'https://tsunagu.example.jp', warning: null });
		expect(decideOrigin({ NODE_ENV: 'production', ORIGIN: 'https://tsunagu.example.jp/' }).ok).toBe(true);
		for (const ORIGIN of ['tsunagu.example.jp', 'ftp://x.example', 'https://x.example/app']) expect(decideOrigin({ ORIGIN }).ok).toBe(false);
	});
});
