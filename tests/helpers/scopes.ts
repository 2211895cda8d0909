/**
 * Scopes for module tests, made the way a request makes them: a signed-in actor (`actorOf`), the
 * request event the guard reads (`requestOf`), and the guard's own functions on top — so a test's
 * scope is one only the guard could have minted, with the audit origin it would carry.
 */
import type { RequestEvent } from '@sveltejs/kit';
import type { Actor } from '../../src/lib/server/auth/actor';
import type { Permission } from '../../src/lib/server/auth';
import { requireOrganization, requireSecretariat } from '../../src/lib/server/auth/guard';
import type { Role } from '../../src/lib/server/network';

export interface RequestOrigin {
	ip?: string;
	userAgent?: string;
	requestId?: string;
	/** The page the request is for (default /staff). */
	path?: string;
}

/** The request event the guard reads: the actor (null: nobody signed in), the path's organisation, where it came from. */
export function requestOf(actor: Actor | null, orgId?: string, origin: RequestOrigin = {}): RequestEvent {
	const { ip = '192.0.2.80', userAgent = 'vitest', requestId = 'vitest', path = '/staff' } = origin;
	return { locals: { actor, ip, userAgent, requestId }, url: new URL(`http://localhost${path}`), params: { orgId } } as unknown as RequestEvent;
}

/** A signed-in actor holding these memberships, its second factor set up; the secretariat's standing follows its roles unless told. */
export function actorWith(userId: string, memberships: { organizationId: string; role: Role }[], options: { secretariat?: boolean } = {}): Actor {
	const first = memberships[0]?.role ?? 'member';
	return {
		userId,
		email: `${first}@example.org`,
		displayName: first,
		sessionId: 's',
		memberships: memberships.map((m) => ({ ...m, organizationName: '' })),
		secretariat: options.secretariat ?? memberships.some((m) => m.role === 'secretariat_admin'),
		mfaRequired: true,
		mfaEnrolled: true
	};
}

/** A signed-in actor with one role in one organisation. */
export function actorOf(userId: string, organizationId: string, role: Role, options: { secretariat?: boolean } = {}): Actor {
	return actorWith(userId, [{ organizationId, role }], options);
}

/** The scope the guard gives this member of the organisation, for the permission (it throws as the guard does when refused). */
export function organizationScopeOf(userId: string, organizationId: string, role: Role, permission: Permission, origin: RequestOrigin = {}) {
	return requireOrganization(requestOf(actorOf(userId, organizationId, role), organizationId, origin), permission);
}

/** The scope the guard gives a secretariat admin (of `secretariatOrg`) acting network-wide, for the network permission. */
export function secretariatScopeOf(userId: string, secretariatOrg: string, permission: Permission, origin: RequestOrigin = {}) {
	return requireSecretariat(requestOf(actorOf(userId, secretariatOrg, 'secretariat_admin'), undefined, origin), permission);
}
