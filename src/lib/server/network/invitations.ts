/**
 * Invitations: an organisation's admin (or the secretariat) invites a person by e-mail into a
 * role; the link creates the account, or adds the role to an existing one.
 */
import type { Db } from '../db';
import { asSystem } from '../db/tenant';
import { recordAudit, type AuditOrigin } from '../audit';
import { consumeEmailToken, createEmailToken, createUser, findEmailToken, userIdByEmail, INVITATION_LIFETIME_MS } from '../auth/accounts';
import { normalizeEmail } from '../auth/tokens';
import { revokeInvitation as withdrawInvitation } from '../auth';
import { organizationNames } from '../directory';
import { ok, refused, runIn, type OrganizationScope, type Result } from '../scope';
import { ASSIGNABLE_ROLES } from './permissions';
import { ROLES, type Role } from './schema';
import { setMembership } from './members';

/**
 * Create the invitation inside the inviter's transaction (RLS: only for their organisations) and
 * record `member.invite`, as that transaction's last write. The secretariat's decision on an
 * application (join.ts) uses it too; an organisation's page goes through `inviteMember`.
 */
export async function createInvitation(tx: Db, origin: AuditOrigin, invitation: { organizationId: string; email: string; role: Role }): Promise<string> {
	const token = await createEmailToken(tx, 'invitation', { email: invitation.email, organizationId: invitation.organizationId, role: invitation.role, createdBy: origin.actorUserId ?? null }, INVITATION_LIFETIME_MS);
	await recordAudit(tx, origin, { action: 'member.invite', organizationId: invitation.organizationId, entityType: 'invitation', changedFields: ['email', 'role'] });
	return token;
}

export interface Invited {
	/** The link's token, for the mail the caller sends. */
	token: string;
	/** The inviting organisation's name, for that mail. */
	organizationName: string;
}

/** Invite a person by e-mail into an assignable role of the scope's organisation (audit `member.invite`). */
export async function inviteMember(scope: OrganizationScope, input: { email: string; role: Role }): Promise<Result<Invited, 'not_assignable'>> {
	if (!ASSIGNABLE_ROLES.includes(input.role)) return refused('not_assignable');
	const { organizationId } = scope;
	return runIn(scope, async (tx) => {
		const organizationName = (await organizationNames(tx, [organizationId])).get(organizationId) ?? '';
		const token = await createInvitation(tx, scope.origin, { organizationId, email: input.email, role: input.role });
		return ok({ token, organizationName });
	});
}

/** Withdraw a pending invitation of the scope's organisation (audit `member.invitation_revoke`). */
export async function revokeInvitation(scope: OrganizationScope, input: { invitationId: string }): Promise<Result<void, 'no_invitation'>> {
	const { organizationId } = scope;
	return runIn(scope, async (tx) => {
		if (!(await withdrawInvitation(tx, organizationId, input.invitationId))) return refused('no_invitation');
		await recordAudit(tx, scope.origin, { action: 'member.invitation_revoke', organizationId, entityType: 'invitation', changedFields: ['used_at'] });
		return ok();
	});
}

export interface InvitationView {
	id: string;
	email: string;
	organizationId: string;
	role: Role;
	/** An account with this address exists already. */
	existingUserId: string | null;
}

export async function findInvitation(db: Db, token: string): Promise<InvitationView | null> {
	const row = await findEmailToken(db, 'invitation', token);
	if (!row?.organizationId || !ROLES.includes(row.role as Role)) return null;
	return { id: row.id, email: row.email, organizationId: row.organizationId, role: row.role as Role, existingUserId: await userIdByEmail(db, row.email) };
}

export type AcceptResult = { outcome: 'joined'; userId: string; organizationId: string } | { outcome: 'invalid' } | { outcome: 'login_required' } | { outcome: 'wrong_account' };

/**
 * Accept an invitation. A new person gives a name and password; an existing account must be
 * signed in as the invited address. The token is used up in the same transaction.
 */
export async function acceptInvitation(db: Db, token: string, answer: { signedInUserId: string | null; displayName?: string; password?: string }, client: { ip: string; userAgent: string }): Promise<AcceptResult> {
	const invitation = await findInvitation(db, token);
	if (!invitation) return { outcome: 'invalid' };
	if (invitation.existingUserId) {
		if (!answer.signedInUserId) return { outcome: 'login_required' };
		if (answer.signedInUserId !== invitation.existingUserId) return { outcome: 'wrong_account' };
	} else if (answer.signedInUserId || !answer.displayName || !answer.password) {
		// Signed in as someone else, or the form is incomplete (the route validates it first).
		return answer.signedInUserId ? { outcome: 'wrong_account' } : { outcome: 'invalid' };
	}
	return asSystem(db, async (tx) => {
		if (!(await consumeEmailToken(tx, invitation.id))) return { outcome: 'invalid' } as const;
		const userId = invitation.existingUserId ?? (await createUser(tx, normalizeEmail(invitation.email), answer.displayName!, answer.password!));
		await setMembership(tx, invitation.organizationId, userId, invitation.role, null);
		await recordAudit(tx, { actorUserId: userId, ip: client.ip, userAgent: client.userAgent }, { action: 'member.join', organizationId: invitation.organizationId, entityType: 'membership', entityId: userId, changedFields: ['role'] });
		return { outcome: 'joined', userId, organizationId: invitation.organizationId } as const;
	});
}
