import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { randomUUID } from 'node:crypto';
import { building, version } from '$app/environment';
import { pickLocale } from '$lib/i18n';
import { startPlatform, stopPlatform } from '$lib/server/runtime';
import { log } from '$lib/server/log';
import { db } from '$lib/server/db';
import { provideStanding, resolveSession } from '$lib/server/auth';
import { standingFromNetwork } from '$lib/server/standing';
import { clearSessionCookie, clientAddress, sessionCookieName } from '$lib/server/auth/cookies';
import { refusalOf, SIGNED_BODY_ENDPOINTS, type InputRefusal } from '$lib/server/boundary';
import { apiError } from '$lib/server/api/respond';
import { publicReadRoutes } from '$lib/server/api/contracts';
import { errorResponse } from '$lib/server/http/json-error';
import { translate, type Locale } from '$lib/i18n';
import { dropPublicCache, getPublic, publicCacheToken, putPublic } from '$lib/server/cache';
import { fillSubmissionKeys, SUBMISSION_KEY_SLOT } from '$lib/server/http';

// The roles a session's person holds come from network and directory, which auth does not import.
provideStanding(standingFromNetwork);

export const init: ServerInit = async () => {
	if (building) return;
	try {
		await startPlatform(process.env, { build: version });
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

/** Route ids answered by a +server.ts (they read their own bodies); every other route is a page. */
const ENDPOINTS = new Set(Object.keys(import.meta.glob('/src/routes/**/+server.ts')).map((file) => file.slice('/src/routes'.length, -'/+server.ts'.length) || '/'));

/** A request id a client or proxy sent: kept beside ours only when short and plain. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The 400 (413 for a body over the size limit) for input refused at the boundary: JSON for endpoints, a short page in the visitor's language for pages. */
function refusalResponse(refusal: InputRefusal, locale: Locale, endpoint: boolean): Response {
	const key = refusal.code === 'control_character' ? 'error.controlCharacter' : refusal.code === 'undecodable' ? 'error.undecodable' : refusal.code === 'too_large' ? 'error.tooLarge' : 'error.unreadableForm';
	const status = refusal.code === 'too_large' ? 413 : 400;
	if (endpoint) {
		// The API speaks English like its other errors; the code and the parameter are what clients read.
		const message = translate('en', key);
		return apiError(status, refusal.code, message, refusal.param ? [{ param: refusal.param, code: refusal.code, message }] : []);
	}
	const message = translate(locale, key);
	const t = (key: Parameters<typeof translate>[1]) => escapeHtml(translate(locale, key));
	const html = `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${t('error.title')} — ${t('app.name')}</title></head>
<body><main><h1>${t('error.title')}</h1><p role="alert">${escapeHtml(message)}</p><p><a href="/">${t('error.back')}</a></p></main></body></html>`;
	return new Response(html, { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; frame-ancestors 'none'" } });
}

/**
 * Public pages whose HTML is the same for every anonymous visitor with the same address, language
 * and text size: kept in the public cache (src/lib/server/cache), dropped when published data
 * changes and after its short TTL. The event page's form carries a one-time submission key: its
 * HTML is kept with a slot that every response fills with a new key (http/submission-key.ts).
 */
const CACHED_PAGES = new Set(['/', '/search', '/programs/[id]', '/organizations/[id]', '/calendar', '/events/[id]']);

/** What a kept answer may be: a rendered page or a JSON document (never a stream such as the NDJSON export, read afresh each time). */
const KEPT_TYPES = /^(text\/html|application\/json)\b/;

interface CachedPage {
	status: number;
	headers: Array<[string, string]>;
	body: string;
	/** Whether the body holds submission-key slots to fill (so other pages are not scanned on a hit). */
	slots: boolean;
}

/**
 * The cache key of a GET answered the same for everyone who asks it the same way, or null when the
 * request is not one: a cached page, or a public API read (`publicReadRoutes`: its answer varies
 * with the address, the language and the origin its links carry). A request with a session cookie
 * is never answered from the cache: its answer may clear the cookie (a session that ended).
 */
function publicCacheKey(event: Parameters<Handle>[0]['event'], token: string | undefined): string | null {
	if (token || event.request.method !== 'GET' || event.isDataRequest) return null;
	const route = event.route.id ?? '';
	const { locale, largeText } = event.locals;
	if (CACHED_PAGES.has(route)) return `page:${locale}:${largeText ? 'L' : '-'}:${event.url.pathname}${event.url.search}`;
	if (publicReadRoutes.has(route)) return `api:${locale}:${event.url.origin}${event.url.pathname}${event.url.search}`;
	return null;
}

const toResponse = (page: CachedPage) => new Response(page.slots ? fillSubmissionKeys(page.body) : page.body, { status: page.status, headers: page.headers });

export const handle: Handle = async ({ event, resolve }) => {
	const started = performance.now();
	if (isCrossSiteFormPost(event.request)) {
		log.warn('csrf_rejected', { route: event.route.id, origin: event.request.headers.get('origin') });
		return new Response('Cross-site form submissions are forbidden', { status: 403 });
	}
	// Our own id always: what a client sends is not trusted into the audit log or the logs' key.
	event.locals.requestId = randomUUID();
	const sent = event.request.headers.get('x-request-id');
	event.locals.clientRequestId = sent && CLIENT_REQUEST_ID.test(sent) ? sent : undefined;
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
	const endpoint = event.route.id !== null && ENDPOINTS.has(event.route.id);
	const refusal = await refusalOf(event.request, event.url, event.params as Record<string, string>, endpoint, { signedBody: SIGNED_BODY_ENDPOINTS.has(event.route.id ?? '') });
	if (refusal) log.warn('input_refused', { requestId: event.locals.requestId, route: event.route.id ?? event.url.pathname, code: refusal.code, param: refusal.param });
	const cacheKey = refusal ? null : publicCacheKey(event, token);
	const cached = cacheKey ? getPublic<CachedPage>(cacheKey) : undefined;
	const cacheToken = cacheKey && !cached ? publicCacheToken() : null;
	// A page that may be kept keeps its submission-key slots until it is served; any other is filled as it renders.
	const keeping = cacheKey !== null && cacheToken !== null;
	let resolved = refusal
		? refusalResponse(refusal, event.locals.locale, endpoint)
		: cached
			? toResponse(cached)
			: await resolve(event, {
					transformPageChunk: ({ html }) => {
						const page = html.replace('%lang%', event.locals.locale).replace('%textsize%', event.locals.largeText ? 'large-text' : '');
						return keeping ? page : fillSubmissionKeys(page);
					}
				});
	if (keeping && resolved.status === 200 && !resolved.headers.has('set-cookie') && KEPT_TYPES.test(resolved.headers.get('content-type') ?? '')) {
		const body = await resolved.text();
		const slots = body.includes(SUBMISSION_KEY_SLOT);
		// A filled slot changes the body's length: the server counts it again for each response.
		const headers = [...resolved.headers].filter(([name]) => !slots || name !== 'content-length');
		const page: CachedPage = { status: resolved.status, headers, body, slots };
		putPublic(cacheKey, page, cacheToken, body.length * 2);
		resolved = toResponse(page);
	} else if (keeping && resolved.body && resolved.headers.get('content-type')?.startsWith('text/html')) {
		// Rendered to be kept, but not kept after all: its slots are filled here.
		const headers = new Headers(resolved.headers);
		headers.delete('content-length');
		resolved = new Response(fillSubmissionKeys(await resolved.text()), { status: resolved.status, headers });
	}
	// A write served here has committed by now: this process drops its public answers at once rather
	// than when the notification comes back, so whoever wrote sees the change on the next page.
	if (event.request.method !== 'GET' && event.request.method !== 'HEAD') dropPublicCache('write');
	// The guard refused a staff API request (auth/guard.ts): the platform's JSON error, not a page.
	const guarded = event.locals.refusal;
	// A path under /api/ that no route serves: the API's JSON error too, not the HTML error page.
	const noApiRoute = event.route.id === null && event.url.pathname.startsWith('/api/') && resolved.status === 404;
	const response = guarded ? errorResponse(guarded.status, guarded.code, guarded.message) : noApiRoute ? errorResponse(404, 'not_found', 'No API operation has this path.') : resolved;
	response.headers.set('x-request-id', event.locals.requestId);
	// Pages for a signed-in person must not be kept by shared or back-button caches.
	if (event.locals.actor && !response.headers.has('cache-control')) response.headers.set('cache-control', 'private, no-store');
	// Pages and the API pick their language from Accept-Language, or from the `lang` cookie when one
	// chose it (and pages their text size from `text`): a cache must not hand one reader's language
	// to another, so both headers are named, always (a cache keys on the stored answer's Vary).
	for (const header of ['Accept-Language', 'Cookie']) {
		const vary = response.headers.get('vary');
		if (!new RegExp(`(^|,)\\s*(${header}|\\*)\\s*(,|$)`, 'i').test(vary ?? '')) response.headers.set('vary', vary ? `${vary}, ${header}` : header);
	}
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
		clientRequestId: event.locals.clientRequestId,
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
	// A body over the server's size limit (adapter-node's 413 while a route reads it): said in words.
	if (status === 413) return { message: translate(event.locals.locale ?? 'ja', 'error.tooLarge'), requestId };
	return { message: status === 404 ? 'Not Found' : 'Internal Error', requestId };
};
