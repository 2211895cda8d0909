/**
 * Invitations: an organisation's admin (or the secretariat) invites a person by e-mail into a
 * role; the link (a bearer link, so the resident's scope) creates the account, or adds the role
 * to an existing one.
 */
import { recordAudit, type AuditOrigin } from '../audit';
import { z } from 'zod';
import { consumeEmailToken, createEmailToken, createUser, newPasswordPair, INVITATION_LIFETIME_MS, normalizeEmail, openInvitation, revokeInvitation as withdrawInvitation } from '../auth';
import { fieldErrors } from '../boundary';
import { organizationNames } from '../directory';
import { ok, refused, runIn, type Ok, type OrganizationScope, type Refused, type ResidentScope, type Result, type Tx } from '../scope';
import { ASSIGNABLE_ROLES } from './permissions';
import { ROLES, type Role } from './schema';
import { setMembership } from './members';

/**
 * Create the invitation inside the inviter's transaction (RLS: only for their organisations) and
 * record `member.invite`, as that transaction's last write. The secretariat's decision on an
 * application (join.ts) uses it too; an organisation's page goes through `inviteMember`.
 */
export async function createInvitation(tx: Tx<'organization' | 'secretariat' | 'system'>, origin: AuditOrigin, invitation: { organizationId: string; email: string; role: Role }): Promise<string> {
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

/** The invitation a link's token opens, if it is pending and names one of our roles, in the caller's transaction. */
async function invitationIn(tx: Tx<'system'>, token: string): Promise<InvitationView | null> {
	const open = await openInvitation(tx, token);
	const organizationId = open?.row.organizationId;
	if (!open || !organizationId || !ROLES.includes(open.row.role as Role)) return null;
	return { id: open.row.id, email: open.row.email, organizationId, role: open.row.role as Role, existingUserId: open.existingUserId };
}

/** What the invitation page shows: the invitation and the inviting organisation's name. */
export type InvitationPage = InvitationView & { organizationName: string };

/** The pending invitation behind a link (a bearer link: the resident's scope), or null. */
export async function invitationByToken(scope: ResidentScope, input: { token: string }): Promise<InvitationPage | null> {
	return runIn(scope, async (tx) => {
		const invitation = await invitationIn(tx, input.token);
		if (!invitation) return null;
		const names = await organizationNames(tx, [invitation.organizationId]);
		return { ...invitation, organizationName: names.get(invitation.organizationId) ?? '' };
	});
}

/** A new account's name and password, typed twice (messages are i18n keys); an existing account only signs in. */
export const newAccountInput = z.object({ displayName: z.string().trim().min(1, 'auth.error.required').max(80, 'auth.error.tooLong') }).and(newPasswordPair);

/** The new account's fields the invitation refused, each with its message key. */
export type AccountFieldErrors = Partial<Record<'displayName' | 'password' | 'confirm', string>>;

/**
 * `invalid` — no such pending invitation (used, expired, withdrawn); `account_fields` — the new
 * account's name or password is refused (`errors` says which and why); `login_required` — the
 * address has an account: sign in as it first; `wrong_account` — signed in as someone else.
 */
export type AcceptRefusal = 'invalid' | 'login_required' | 'wrong_account' | 'account_fields';

/**
 * Accept an invitation (a bearer link: the resident's scope, with the signed-in person if any).
 * A new person gives a name and a password typed twice, checked here (newAccountInput) only when
 * the invitation makes the account; an existing account must be signed in as the invited address
 * and the fields are not read. The token is used up in the same transaction, which records
 * `member.join` as the person who joined.
 */
export async function acceptInvitation(
	scope: ResidentScope,
	input: { token: string; signedInUserId: string | null; displayName?: string; password?: string; confirm?: string }
): Promise<Ok<{ userId: string; organizationId: string }> | Refused<Exclude<AcceptRefusal, 'account_fields'>> | Refused<'account_fields', { errors: AccountFieldErrors }>> {
	return runIn(scope, async (tx) => {
		const invitation = await invitationIn(tx, input.token);
		if (!invitation) return refused('invalid');
		let account: { displayName: string; password: string } | null = null;
		if (invitation.existingUserId) {
			if (!input.signedInUserId) return refused('login_required');
			if (input.signedInUserId !== invitation.existingUserId) return refused('wrong_account');
		} else {
			const parsed = newAccountInput.safeParse({ displayName: input.displayName ?? '', password: input.password ?? '', confirm: input.confirm ?? '' });
			if (!parsed.success) return refused('account_fields', { errors: fieldErrors<AccountFieldErrors>(parsed.error) });
			// Signed in as someone else: the invitation is for a new person.
			if (input.signedInUserId) return refused('wrong_account');
			account = parsed.data;
		}
		if (!(await consumeEmailToken(tx, invitation.id))) return refused('invalid');
		const userId = invitation.existingUserId ?? (await createUser(tx, normalizeEmail(invitation.email), account!.displayName, account!.password));
		await setMembership(tx, invitation.organizationId, userId, invitation.role, null);
		await recordAudit(tx, { ...scope.origin, actorUserId: userId }, { action: 'member.join', organizationId: invitation.organizationId, entityType: 'membership', entityId: userId, changedFields: ['role'] });
		return ok({ userId, organizationId: invitation.organizationId });
	});
}
