/**
 * Route guards. Every staff route starts with one of these; the authorization matrix test
 * (tests/unit/authorization-matrix.test.ts) checks the outcome for every role.
 */
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { db } from '../db';
import { throttle } from './throttle';
import { translator, type MessageKey } from '$lib/i18n';
import type { AuditOrigin } from '../audit';
import type { Permission } from './permissions';
import { can, type Actor } from './actor';
import { log } from '../log';
import { mintOrganizationScope, mintResidentScope, mintSecretariatScope, mintSignedInScope, type OrganizationScope, type ResidentScope, type SecretariatScope, type SignedInScope } from '../scope/scope';
import { UUID } from '../boundary';

/**
 * What a resident's bearer link (a registration's or a card's page) opens, or a 404. The link is
 * looked up first, so a valid one always works whoever else is guessing; only a miss counts, and
 * only against the caller's own network (throttle scope `link`), which alone is then refused.
 */
export async function byBearerLink<T>(event: Pick<RequestEvent, 'locals'>, find: () => Promise<T | null>, messages: { throttled: MessageKey; notFound: MessageKey }): Promise<T> {
	const t = translator(event.locals.locale);
	const found = await find();
	if (found) return found;
	const verdict = await throttle().attemptFromNetwork('link', event.locals.ip);
	if (!verdict.allowed) error(429, { message: t(messages.throttled, { minutes: Math.ceil(verdict.retryAfter / 60) }) });
	error(404, { message: t(messages.notFound) });
}

/**
 * A refusal by the guard. Pages answer with `page` (a redirect to the login or set-up page, or the
 * error page); the staff API (/api/…) answers in the platform's JSON error shape instead — a phone's
 * script cannot follow a redirect to a login page. The guard runs inside the route, where only
 * SvelteKit's own errors can be thrown, so it leaves the answer in `locals.refusal` and
 * hooks.server.ts writes it (`errorResponse`, http/json-error.ts).
 */
function refuse(event: Pick<RequestEvent, 'locals' | 'url'>, status: 401 | 403, code: string, message: string, page: () => never): never {
	if (!event.url.pathname.startsWith('/api/')) page();
	event.locals.refusal = { status, code, message };
	error(status, message);
}

/** The signed-in person; anonymous visitors go to the login page and come back afterwards. */
export function requireActor(event: Pick<RequestEvent, 'locals' | 'url'>): Actor {
	const actor = event.locals.actor;
	if (!actor) refuse(event, 401, 'unauthenticated', 'Sign in first: this endpoint takes the session cookie of a signed-in staff member.', () => redirect(303, `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`));
	// Roles that need a second factor get nothing else until one is set up.
	if (actor.mfaRequired && !actor.mfaEnrolled) refuse(event, 403, 'second_factor_required', 'Set up the second factor first (/account/2fa).', () => redirect(303, '/account/2fa'));
	return actor;
}

/** The signed-in person, if they hold `permission` (in `organizationId`); 403 otherwise. */
export function requirePermission(event: Pick<RequestEvent, 'locals' | 'url'>, permission: Permission, organizationId?: string): Actor {
	const actor = requireActor(event);
	if (!can(actor, permission, organizationId)) {
		// ASVS 7.1.3: authorization failures are logged (who, what, where), never silently dropped.
		log.warn('authorization_denied', { userId: actor.userId, permission, organizationId: organizationId ?? null, path: event.url.pathname, requestId: event.locals.requestId });
		forbidden(event);
	}
	return actor;
}

const forbidden = (event: Pick<RequestEvent, 'locals' | 'url'>): never => refuse(event, 403, 'forbidden', 'You may not do this here.', () => error(403, 'Forbidden'));

/** Who and where, for the audit record of whatever the scope's operation does. */
function auditOrigin(event: Pick<RequestEvent, 'locals'>): AuditOrigin {
	return { actorUserId: event.locals.actor?.userId ?? null, ip: event.locals.ip, userAgent: event.locals.userAgent, requestId: event.locals.requestId };
}

/**
 * The organisation in the path (/staff/orgs/[orgId]/…), if the person holds `permission` there: its
 * scope (organisation, actor, permission, audit origin), which alone opens a transaction in that
 * organisation's context (`runIn`, src/lib/server/scope).
 */
export function requireOrganization(event: Pick<RequestEvent, 'locals' | 'url' | 'params'>, permission: Permission): OrganizationScope {
	const organizationId = (event.params as { orgId?: string }).orgId ?? '';
	if (!UUID.test(organizationId)) error(404, 'Not Found');
	const actor = requirePermission(event, permission, organizationId);
	return mintOrganizationScope(db(), actor, organizationId, permission, auditOrigin(event));
}

/** The secretariat acting network-wide, for a network permission (403 for everyone else). */
export function requireSecretariat(event: Pick<RequestEvent, 'locals' | 'url'>, permission: Permission): SecretariatScope {
	const actor = requirePermission(event, permission);
	if (!actor.secretariat) forbidden(event);
	return mintSecretariatScope(db(), actor, permission, auditOrigin(event));
}

/**
 * The signed-in person acting on their own account (/account, /logout): their scope, whose
 * transaction sees their own rows only. Anonymous visitors go to the login page. A role that needs
 * a second factor not yet set up is sent to set it up, except on the page where they do
 * (`setUpSecondFactor: true`, /account/2fa).
 */
export function requireAccount(event: Pick<RequestEvent, 'locals' | 'url'>, options: { setUpSecondFactor?: boolean } = {}): SignedInScope {
	const actor = options.setUpSecondFactor ? event.locals.actor : requireActor(event);
	// The set-up page comes back to itself, not to the action that was posted.
	if (!actor) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
	return mintSignedInScope(db(), actor, auditOrigin(event));
}

/** The signed-in person's account scope, or null for anyone else (logging out needs no redirect). */
export function accountIfSignedIn(event: Pick<RequestEvent, 'locals'>): SignedInScope | null {
	const actor = event.locals.actor;
	return actor ? mintSignedInScope(db(), actor, auditOrigin(event)) : null;
}

/**
 * A resident without an account (a public form, a bearer link's page). The scope opens nothing by
 * itself: the module operation it is passed to checks the link or the form, and says in its type
 * that it works in the system context.
 */
export function residentScope(event: Pick<RequestEvent, 'locals'>): ResidentScope {
	return mintResidentScope(db(), auditOrigin(event));
}
