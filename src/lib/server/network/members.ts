/**
 * Who belongs to which organisation. The functions taking a `tx` run inside the caller's
 * transaction, whose row-level security context limits them to organisations the caller acts for;
 * the operations of an organisation's members page (`membersPage`, `changeRole`, `removeMember`)
 * take its scope, open their own transaction, check the rules below and write their audit record.
 */
import { and, eq, ne, sql } from 'drizzle-orm';
import { recordAudit } from '../audit';
import { peopleByIds, pendingInvitations } from '../auth';
import { organizationNames } from '../directory';
import { ok, refused, runIn, type OrganizationScope, type Result, type Tx } from '../scope';
import { ASSIGNABLE_ROLES } from './permissions';
import { memberships, type Role } from './schema';

export interface MembershipRow {
	organizationId: string;
	role: Role;
}

export async function membershipsOf(tx: Tx<'system'>, userId: string): Promise<MembershipRow[]> {
	return tx.select({ organizationId: memberships.organizationId, role: memberships.role }).from(memberships).where(eq(memberships.userId, userId));
}

export async function membersOf(tx: Tx<'organization' | 'system'>, organizationId: string) {
	return tx.select({ userId: memberships.userId, role: memberships.role, createdAt: memberships.createdAt }).from(memberships).where(eq(memberships.organizationId, organizationId)).orderBy(memberships.createdAt);
}

export async function roleOf(tx: Tx<'organization'>, organizationId: string, userId: string): Promise<Role | null> {
	const [row] = await tx
		.select({ role: memberships.role })
		.from(memberships)
		.where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)));
	return row?.role ?? null;
}

/** Add someone to an organisation, or change their role there. */
export async function setMembership(tx: Tx<'system'>, organizationId: string, userId: string, role: Role, invitedBy: string | null): Promise<void> {
	await tx
		.insert(memberships)
		.values({ organizationId, userId, role, invitedBy })
		.onConflictDoUpdate({ target: [memberships.userId, memberships.organizationId], set: { role } });
}

/** Admins left in an organisation apart from `userId`: an organisation must keep one. */
export async function otherAdmins(tx: Tx<'organization'>, organizationId: string, userId: string): Promise<number> {
	const [row] = await tx
		.select({ n: sql<number>`count(*)::int` })
		.from(memberships)
		.where(and(eq(memberships.organizationId, organizationId), ne(memberships.userId, userId), sql`${memberships.role} in ('org_admin','secretariat_admin')`));
	return row.n;
}

export async function removeMembership(tx: Tx<'organization'>, organizationId: string, userId: string): Promise<boolean> {
	const removed = await tx
		.delete(memberships)
		.where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)))
		.returning({ id: memberships.id });
	return removed.length === 1;
}

export async function secretariatExists(tx: Tx<'system'>): Promise<boolean> {
	const [row] = await tx
		.select({ n: sql<number>`count(*)::int` })
		.from(memberships)
		.where(eq(memberships.role, 'secretariat_admin'));
	return row.n > 0;
}

export async function secretariatUserIds(tx: Tx<'system'>): Promise<string[]> {
	const rows = await tx.select({ userId: memberships.userId }).from(memberships).where(eq(memberships.role, 'secretariat_admin'));
	return rows.map((r) => r.userId);
}

/** Change the role of an existing member; false when the person is not a member here. */
async function updateRole(tx: Tx<'organization'>, organizationId: string, userId: string, role: Role): Promise<boolean> {
	const changed = await tx
		.update(memberships)
		.set({ role })
		.where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)))
		.returning({ id: memberships.id });
	return changed.length === 1;
}

// ——— The members page of one organisation: operations in its scope. ———

export interface MembersPage {
	organization: { id: string; name: string };
	members: { userId: string; role: Role; since: string; displayName: string; email: string; totpEnabled: boolean }[];
	invitations: { id: string; email: string; role: Role; expiresAt: string }[];
}

/** The scope's organisation, its members (with name, address, second factor) and pending invitations; null when there is no such organisation. */
export async function membersPage(scope: OrganizationScope): Promise<MembersPage | null> {
	const { organizationId } = scope;
	return runIn(scope, async (tx) => {
		const names = await organizationNames(tx, [organizationId]);
		const name = names.get(organizationId);
		if (name === undefined) return null;
		const members = await membersOf(tx, organizationId);
		const people = await peopleByIds(
			tx,
			members.map((m) => m.userId)
		);
		const invitations = await pendingInvitations(tx, organizationId);
		return {
			organization: { id: organizationId, name },
			members: members.map((m) => ({ userId: m.userId, role: m.role, since: m.createdAt.toISOString(), ...(people.get(m.userId) ?? { displayName: '', email: '', totpEnabled: false }) })),
			invitations: invitations.map((i) => ({ id: i.id, email: i.email, role: i.role as Role, expiresAt: i.expiresAt.toISOString() }))
		};
	});
}

/**
 * Why a member's role may not be changed or the member removed from an organisation's page:
 * `not_member` — no such member here; `secretariat_protected` — the secretariat role is the
 * network's, not changed from an organisation's page; `last_admin` — an organisation keeps at least
 * one admin (an org admin or the secretariat's).
 */
export type MemberRefusal = 'not_member' | 'secretariat_protected' | 'last_admin';
/** `not_assignable`: a role an organisation's admin may not hand out (`ASSIGNABLE_ROLES`). */
export type RoleRefusal = MemberRefusal | 'not_assignable';

/**
 * The rules, written once: may `userId` stop being what they are in the organisation and become
 * `next` (null: leave it)? The member's current role when they may.
 */
async function mayLeaveRole(tx: Tx<'organization'>, organizationId: string, userId: string, next: Role | null): Promise<Result<Role, MemberRefusal>> {
	const current = await roleOf(tx, organizationId, userId);
	if (!current) return refused('not_member');
	if (current === 'secretariat_admin') return refused('secretariat_protected');
	if (current === 'org_admin' && next !== 'org_admin' && (await otherAdmins(tx, organizationId, userId)) === 0) return refused('last_admin');
	return ok(current);
}

/** Give a member of the scope's organisation another assignable role (audit `member.role_change`). */
export async function changeRole(scope: OrganizationScope, input: { userId: string; role: Role }): Promise<Result<void, RoleRefusal>> {
	if (!ASSIGNABLE_ROLES.includes(input.role)) return refused('not_assignable');
	const { organizationId } = scope;
	return runIn(scope, async (tx) => {
		const allowed = await mayLeaveRole(tx, organizationId, input.userId, input.role);
		if (!allowed.ok) return allowed;
		await updateRole(tx, organizationId, input.userId, input.role);
		await recordAudit(tx, scope.origin, { action: 'member.role_change', organizationId, entityType: 'membership', entityId: input.userId, changedFields: ['role'] });
		return ok();
	});
}

/** Remove a member from the scope's organisation (audit `member.remove`). */
export async function removeMember(scope: OrganizationScope, input: { userId: string }): Promise<Result<void, MemberRefusal>> {
	const { organizationId } = scope;
	return runIn(scope, async (tx) => {
		const allowed = await mayLeaveRole(tx, organizationId, input.userId, null);
		if (!allowed.ok) return allowed;
		await removeMembership(tx, organizationId, input.userId);
		await recordAudit(tx, scope.origin, { action: 'member.remove', organizationId, entityType: 'membership', entityId: input.userId, changedFields: ['role'] });
		return ok();
	});
}
