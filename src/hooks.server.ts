import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { randomUUID } from 'node:crypto';
import { building } from '$app/environment';
import { pickLocale } from '$lib/i18n';
import { startPlatform, stopPlatform } from '$lib/server/runtime';
import { log } from '$lib/server/log';
import { db } from '$lib/server/runtime';
import { resolveSession } from '$lib/server/auth';
import { clearSessionCookie, clientAddress, sessionCookieName } from '$lib/server/auth/cookies';

export const init: ServerInit = async () => {
	if (building) return;
	try {
		await startPlatform();
	} catch (error) {
		log.error('startup_failed', { message: (error as Error).message });
		process.exit(1);
	}
	// adapter-node emits this after it stopped accepting connections and finished open requests
	// (SIGTERM/SIGINT): only then close the pool and stop the embedded server cleanly.
	process.once('sveltekit:shutdown' as never, async () => {
		log.info('shutdown_started');
		await stopPlatform().catch((error) => log.error('shutdown_failed', { message: (error as Error).message }));
		log.info('shutdown_complete');
	});
};

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/** A state-changing form post whose Origin is another site (CSRF), judged against the Host header. */
export function isCrossSiteFormPost(request: Request): boolean {
	if (['GET', 'HEAD', 'OPTIONS'].includes(request.method)) return false;
	const type = request.headers.get('content-type')?.split(';')[0].trim().toLowerCase() ?? '';
	if (!FORM_TYPES.includes(type)) return false;
	const origin = request.headers.get('origin');
	if (origin) {
		try {
			return new URL(origin).host !== request.headers.get('host');
		} catch {
			return true;
		}
	}
	return request.headers.get('sec-fetch-site') === 'cross-site';
}

export const handle: Handle = async ({ event, resolve }) => {
	const started = performance.now();
	if (isCrossSiteFormPost(event.request)) {
		log.warn('csrf_rejected', { route: event.route.id, origin: event.request.headers.get('origin') });
		return new Response('Cross-site form submissions are forbidden', { status: 403 });
	}
	event.locals.requestId = event.request.headers.get('x-request-id')?.slice(0, 64) || randomUUID();
	event.locals.locale = pickLocale(event.cookies.get('lang'), event.request.headers.get('accept-language'));
	event.locals.largeText = event.cookies.get('text') === 'large';
	event.locals.ip = clientAddress(event);
	event.locals.userAgent = event.request.headers.get('user-agent')?.slice(0, 300) ?? '';
	event.locals.actor = null;
	const token = event.cookies.get(sessionCookieName(event.url));
	if (token && !building) {
		const state = await resolveSession(db(), token);
		if (state.kind === 'active') event.locals.actor = state.actor;
		// A pending second factor is not a signed-in person; /login/2fa reads the cookie itself.
		else if (state.kind === 'none') clearSessionCookie(event);
	}
	const response = await resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale).replace('%textsize%', event.locals.largeText ? 'large-text' : '')
	});
	response.headers.set('x-request-id', event.locals.requestId);
	// Pages for a signed-in person must not be kept by shared or back-button caches.
	if (event.locals.actor && !response.headers.has('cache-control')) response.headers.set('cache-control', 'private, no-store');
	response.headers.set('x-content-type-options', 'nosniff');
	response.headers.set('referrer-policy', 'strict-origin-when-cross-origin');
	// The camera only on the staff side (check-in scans QR codes; staff pages navigate without a
	// new document, so the policy of the first one loaded holds); never on public pages.
	const camera = event.route.id?.startsWith('/staff') ? 'camera=(self)' : 'camera=()';
	response.headers.set('permissions-policy', `${camera}, microphone=(), geolocation=(self)`);
	if (!response.headers.has('x-frame-options')) response.headers.set('x-frame-options', 'DENY');
	if (event.url.protocol === 'https:') response.headers.set('strict-transport-security', 'max-age=31536000; includeSubDomains');
	log.info('request', {
		requestId: event.locals.requestId,
		method: event.request.method,
		// Query strings can hold what a resident typed; log the route, not the search.
		route: event.route.id ?? event.url.pathname,
		status: response.status,
		ms: Math.round(performance.now() - started)
	});
	return response;
};

export const handleError: HandleServerError = ({ error, event, status }) => {
	const requestId = event.locals.requestId;
	if (status >= 500) {
		// A failed query's message repeats its SQL and parameters (what a resident typed): log the
		// database's own error instead.
		const cause = (error as { cause?: { message?: string; code?: string } })?.cause;
		log.error('unhandled_error', {
			requestId,
			route: event.route.id,
			message: cause?.message ?? (error as Error)?.message?.split('\n')[0],
			code: cause?.code,
			stack: cause ? undefined : (error as Error)?.stack?.split('\n').slice(0, 6).join('\n')
		});
	}
	return { message: status === 404 ? 'Not Found' : 'Internal Error', requestId };
};
