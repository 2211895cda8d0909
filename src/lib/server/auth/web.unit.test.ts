import { describe, expect, it } from 'vitest';
import { safeNext } from './web';

describe('safeNext (where to go after login)', () => {
	it('keeps paths on this site', () => {
		expect(safeNext('/staff/orgs/1?tab=a')).toBe('/staff/orgs/1?tab=a');
		// Percent-encoded, so the Location header stays ASCII.
		expect(safeNext('/あ')).toBe('/%E3%81%82');
	});
	it.each(['https://evil.example/', '//evil.example/', '/\\evil.example', 'javascript:alert(1)', '', null, '/' + 'a'.repeat(600), '/\t/evil.example/phish', '/\r\n/evil.example', '/\n'])('refuses %s', (value) => {
		expect(safeNext(value)).toBe('/staff');
	});
});

import { sessionCookieName, setSessionCookie } from './cookies';

describe('the session cookie', () => {
	const capture = (url: string) => {
		const set: Array<{ name: string; options: Record<string, unknown> }> = [];
		const event = { url: new URL(url), cookies: { set: (name: string, _value: string, options: Record<string, unknown>) => set.push({ name, options }) } };
		setSessionCookie(event as never, 'token');
		return set[0];
	};
	it('is __Host- and Secure behind HTTPS', () => {
		const cookie = capture('https://tsunagu.example.jp/login');
		expect(cookie.name).toBe('__Host-tsunagu_session');
		expect(cookie.options).toMatchObject({ secure: true, httpOnly: true, sameSite: 'lax', path: '/' });
		expect(cookie.options).not.toHaveProperty('domain');
	});
	it('stays usable on a plain-http local install', () => {
		expect(capture('http://localhost:3000/login')).toMatchObject({ name: 'tsunagu_session', options: { secure: false, httpOnly: true } });
		expect(sessionCookieName(new URL('http://192.168.1.5:3000/'))).toBe('tsunagu_session');
	});
});
