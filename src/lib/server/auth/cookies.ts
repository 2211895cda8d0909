/**
 * The session cookie: httpOnly, SameSite=Lax, path /, and behind HTTPS `Secure` with the
 * `__Host-` prefix (no Domain, so no sibling host can set or read it). Plain http stays possible
 * for a local or LAN install.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { ABSOLUTE_LIFETIME_MS } from './sessions';

export function sessionCookieName(url: URL): string {
	return url.protocol === 'https:' ? '__Host-tsunagu_session' : 'tsunagu_session';
}

export function setSessionCookie(event: Pick<RequestEvent, 'cookies' | 'url'>, token: string) {
	event.cookies.set(sessionCookieName(event.url), token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: event.url.protocol === 'https:',
		maxAge: ABSOLUTE_LIFETIME_MS / 1000
	});
}

export function clearSessionCookie(event: Pick<RequestEvent, 'cookies' | 'url'>) {
	event.cookies.delete(sessionCookieName(event.url), { path: '/', secure: event.url.protocol === 'https:' });
}

export function sessionToken(event: Pick<RequestEvent, 'cookies' | 'url'>): string | undefined {
	return event.cookies.get(sessionCookieName(event.url));
}

/** The client's address as adapter-node sees it (ADDRESS_HEADER / XFF_DEPTH behind a proxy). */
export function clientAddress(event: Pick<RequestEvent, 'getClientAddress'>): string {
	try {
		return event.getClientAddress();
	} catch {
		return 'unknown';
	}
}
