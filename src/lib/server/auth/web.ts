/** What the login-related routes share: where to go next, and swapping the session cookie. */
import type { RequestEvent } from '@sveltejs/kit';
import { db } from '../db';
import { clearSessionCookie, sessionToken, setSessionCookie } from './cookies';
import { deleteSession, type ClientInfo } from './sessions';
import { tokenDigest } from './tokens';
import { sameSiteTarget } from '../boundary';

/** Only paths on this site (open redirects): the shared rule in boundary/redirect.ts. */
export function safeNext(value: string | null | undefined, fallback = '/staff'): string {
	return sameSiteTarget(value, fallback);
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
