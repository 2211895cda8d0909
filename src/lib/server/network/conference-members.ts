/**
 * Who may be named in a case conference: the members of an organisation whose role lets them take
 * part (`conferences.take_part`), with their display names. The conferences module names people of
 * other organisations, whose memberships its own organisation's context does not see, so the read
 * runs across into that organisation (crossing `conference_members`: read-only, nothing about
 * residents); the conference operation that uses the answer records its own audit event.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { peopleByIds } from '../auth';
import { between, runAcross, runIn, type OrganizationScope } from '../scope';
import type { Tx } from '../db';
import { ROLE_PERMISSIONS } from './permissions';
import { memberships, ROLES, type Role } from './schema';

export interface ConferenceMember {
	userId: string;
	displayName: string;
	role: Role;
}

/** Roles that open the case conferences their holder is named in. */
export const CONFERENCE_ROLES: readonly Role[] = ROLES.filter((role) => ROLE_PERMISSIONS[role].includes('conferences.take_part'));

async function read(tx: Tx<'organization' | 'crossing'>, organizationId: string, userIds?: readonly string[]): Promise<ConferenceMember[]> {
	const where = [eq(memberships.organizationId, organizationId), inArray(memberships.role, [...CONFERENCE_ROLES])];
	if (userIds) {
		if (userIds.length === 0) return [];
		where.push(inArray(memberships.userId, [...userIds]));
	}
	const rows = await tx
		.select({ userId: memberships.userId, role: memberships.role })
		.from(memberships)
		.where(and(...where));
	const people = await peopleByIds(
		tx,
		rows.map((r) => r.userId)
	);
	return rows.map((r) => ({ userId: r.userId, role: r.role, displayName: people.get(r.userId)?.displayName ?? '' })).sort((a, b) => a.displayName.localeCompare(b.displayName, 'ja') || a.userId.localeCompare(b.userId));
}

/**
 * The members of `organizationId` who may take part in a case conference (all of them, or only
 * those among `userIds`), read in the scope's own transaction when it is the scope's organisation
 * and across into it otherwise. An organisation that does not exist has none.
 */
export async function conferenceMembers(scope: OrganizationScope, organizationId: string, userIds?: readonly string[]): Promise<ConferenceMember[]> {
	if (organizationId === scope.organizationId) return runIn(scope, (tx) => read(tx, organizationId, userIds));
	return runAcross(between(scope, organizationId, 'conference_members'), (tx) => read(tx, organizationId, userIds));
}
