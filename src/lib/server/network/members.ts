/**
 * Who belongs to which organisation. Every function runs inside the caller's transaction, whose
 * row-level security context limits it to organisations the caller acts for.
 */
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { memberships, type Role } from './schema';

export interface MembershipRow {
	organizationId: string;
	role: Role;
}

export async function membershipsOf(tx: Db, userId: string): Promise<MembershipRow[]> {
	return tx.select({ organizationId: memberships.organizationId, role: memberships.role }).from(memberships).where(eq(memberships.userId, userId));
}

export async function membersOf(tx: Db, organizationId: string) {
	return tx.select({ userId: memberships.userId, role: memberships.role, createdAt: memberships.createdAt }).from(memberships).where(eq(memberships.organizationId, organizationId)).orderBy(memberships.createdAt);
}

export async function roleOf(tx: Db, organizationId: string, userId: string): Promise<Role | null> {
	const [row] = await tx
		.select({ role: memberships.role })
		.from(memberships)
		.where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)));
	return row?.role ?? null;
}

/** Add someone to an organisation, or change their role there. */
export async function setMembership(tx: Db, organizationId: string, userId: string, role: Role, invitedBy: string | null): Promise<void> {
	await tx
		.insert(memberships)
		.values({ organizationId, userId, role, invitedBy })
		.onConflictDoUpdate({ target: [memberships.userId, memberships.organizationId], set: { role } });
}

/** Admins left in an organisation apart from `userId`: an organisation must keep one. */
export async function otherAdmins(tx: Db, organizationId: string, userId: string): Promise<number> {
	const [row] = await tx
		.select({ n: sql<number>`count(*)::int` })
		.from(memberships)
		.where(and(eq(memberships.organizationId, organizationId), ne(memberships.userId, userId), sql`${memberships.role} in ('org_admin','secretariat_admin')`));
	return row.n;
}

export async function removeMembership(tx: Db, organizationId: string, userId: string): Promise<boolean> {
	const removed = await tx
		.delete(memberships)
		.where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)))
		.returning({ id: memberships.id });
	return removed.length === 1;
}

export async function secretariatExists(tx: Db): Promise<boolean> {
	const [row] = await tx
		.select({ n: sql<number>`count(*)::int` })
		.from(memberships)
		.where(eq(memberships.role, 'secretariat_admin'));
	return row.n > 0;
}

export async function secretariatUserIds(tx: Db): Promise<string[]> {
	const rows = await tx.select({ userId: memberships.userId }).from(memberships).where(eq(memberships.role, 'secretariat_admin'));
	return rows.map((r) => r.userId);
}

/** Change the role of an existing member; false when the person is not a member here. */
export async function changeRole(tx: Db, organizationId: string, userId: string, role: Role): Promise<boolean> {
	const changed = await tx
		.update(memberships)
		.set({ role })
		.where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)))
		.returning({ id: memberships.id });
	return changed.length === 1;
}
