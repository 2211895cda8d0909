/**
 * The signed-in person as the rest of the platform sees them (event.locals.actor), and the two
 * questions every route asks: may they do this here (`can`), and with which database context.
 */
import { MFA_ROLES, NETWORK_PERMISSIONS, ROLE_PERMISSIONS, type Permission, type Role } from './permissions';
import type { AccessContext } from '../db';

export interface MembershipView {
	organizationId: string;
	organizationName: string;
	role: Role;
}

export interface Actor {
	userId: string;
	email: string;
	displayName: string;
	sessionId: string;
	memberships: MembershipView[];
	/** Holds secretariat_admin somewhere: network-wide standing. */
	secretariat: boolean;
	/** Some role requires a second factor. */
	mfaRequired: boolean;
	mfaEnrolled: boolean;
}

export function isSecretariat(memberships: readonly { role: Role }[]): boolean {
	return memberships.some((m) => m.role === 'secretariat_admin');
}

export function requiresMfa(memberships: readonly { role: Role }[]): boolean {
	return memberships.some((m) => MFA_ROLES.includes(m.role));
}

export function roleIn(actor: Actor, organizationId: string): Role | null {
	return actor.memberships.find((m) => m.organizationId === organizationId)?.role ?? null;
}

/** May `actor` do `permission` (in `organizationId`, for organisation-scoped permissions)? */
export function can(actor: Actor | null, permission: Permission, organizationId?: string): boolean {
	if (!actor) return false;
	if (actor.secretariat && NETWORK_PERMISSIONS.includes(permission)) return true;
	if (!organizationId) return false;
	const role = roleIn(actor, organizationId);
	return role !== null && ROLE_PERMISSIONS[role].includes(permission);
}

/** The row-level security context for this person's requests. */
export function accessContext(actor: Actor | null): AccessContext {
	if (!actor) return {};
	return { userId: actor.userId, organizationIds: actor.memberships.map((m) => m.organizationId), secretariat: actor.secretariat };
}
