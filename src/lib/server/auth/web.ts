/** What the login-related routes share: where to go next, and swapping the session cookie. */
import type { RequestEvent } from '@sveltejs/kit';
import { db } from '../runtime';
import { clearSessionCookie, sessionToken, setSessionCookie } from './cookies';
import { deleteSession, type ClientInfo } from './sessions';
import { tokenDigest } from './tokens';

/** Only paths on this site: no scheme, no //host, no backslashes (open redirects). */
export function safeNext(value: string | null | undefined, fallback = '/staff'): string {
	if (!value || !value.startsWith('/') || value.startsWith('//') || value.includes('\\') || value.length > 500) return fallback;
	return value;
}

export function clientOf(event: Pick<RequestEvent, 'locals'>): ClientInfo {
	return { ip: event.locals.ip, userAgent: event.locals.userAgent };
}

/** Replace whatever session the browser had with `token` (a new id at every login step). */
export async function switchSession(event: Pick<RequestEvent, 'cookies' | 'url'>, token: string | null) {
	const previous = sessionToken(event);
	if (previous) await deleteSession(db(), tokenDigest(previous));
	if (token) setSessionCookie(event, token);
	else clearSessionCookie(event);
}
