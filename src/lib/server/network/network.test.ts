/** Joining the network, the secretariat's decision, invitations and the first secretariat admin. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { RequestEvent } from '@sveltejs/kit';
import { testDatabase } from '../../../../tests/helpers/db';
import { makeOrganization } from '../../../../tests/helpers/factories';
import type { Database } from '../db';
import { asSystem, withAccess } from '../db/tenant';
import { inOrganizations } from '../../../../tests/helpers/contexts';
import { createSession, createUser, resolveSession, type Actor } from '../auth';
import { requireOrganization, requireSecretariat, residentScope } from '../auth/guard';
import { systemScope } from '../scope';
import { auditEvents } from '../audit/schema';
import { organizations } from '../directory/schema';
import { useDatabase } from '../db';
import {
	acceptInvitation,
	changeRole,
	decideJoinRequest,
	ensureSecretariatInvitation,
	invitationByToken,
	inviteMember,
	joinRequestInput,
	joinRequestsPage,
	membershipsOf,
	membersPage,
	moderateOrganization,
	networkOrganizations,
	removeMember,
	revokeInvitation,
	setMembership,
	submitJoinRequest,
	DEMO_SECRETARIAT_SLUG,
	type Role
} from './index';
import { createInvitation } from './invitations';
import { joinRequests } from './schema';

let database: Database;
const client = { ip: '192.0.2.50', userAgent: 'vitest' };
const origin = { ip: client.ip, userAgent: client.userAgent };
/** A request as the guard sees it: the signed-in person (or nobody) and the client. */
const requestOf = (actor: Actor | null) => ({ locals: { actor, ip: origin.ip, userAgent: origin.userAgent, requestId: 'vitest' }, url: new URL('http://localhost/staff'), params: {} }) as unknown as RequestEvent;
const resident = () => residentScope(requestOf(null));
const startup = () => systemScope(database.db, 'test:startup');
/** A new account's password is typed twice: `confirm` is the password unless the case says otherwise. */
const accept = async (token: string, answer: { signedInUserId: string | null; displayName?: string; password?: string; confirm?: string }) => {
	const result = await acceptInvitation(resident(), { token, confirm: answer.password, ...answer });
	return result.ok ? { outcome: 'joined' as const, ...result.value } : { outcome: result.reason, ...(result.reason === 'account_fields' ? { errors: result.errors } : {}) };
};

beforeAll(async () => {
	database = await testDatabase();
	useDatabase(database);
});
afterAll(() => database.close());

async function signedIn(userId: string) {
	const state = await resolveSession(database.db, await createSession(database.db, userId, true, client));
	if (state.kind !== 'active') throw new Error(state.kind);
	return state.actor;
}

describe('the first secretariat admin', () => {
	it('gets a set-up link at the demo secretariat; each start replaces the previous link; none once someone accepted', async () => {
		const first = await ensureSecretariatInvitation(startup(), { email: 'admin@example.org', organizationSlug: DEMO_SECRETARIAT_SLUG, networkName: '事務局' });
		const second = await ensureSecretariatInvitation(startup(), { email: 'admin@example.org', organizationSlug: DEMO_SECRETARIAT_SLUG, networkName: '事務局' });
		expect(first && second).toBeTruthy();
		expect(await invitationByToken(resident(), { token: first!.token })).toBeNull();
		const invitation = await invitationByToken(resident(), { token: second!.token });
		expect(invitation).toMatchObject({ email: 'admin@example.org', role: 'secretariat_admin' });
		const [host] = await database.db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, DEMO_SECRETARIAT_SLUG));
		expect(invitation!.organizationId).toBe(host.id);
		const accepted = await accept(second!.token, { signedInUserId: null, displayName: '事務局 太郎', password: 'secretariat passphrase' });
		expect(accepted.outcome).toBe('joined');
		expect(await ensureSecretariatInvitation(startup(), { email: 'admin@example.org', networkName: '事務局' })).toBeNull();
		if (accepted.outcome !== 'joined') return;
		const actor = await signedIn(accepted.userId);
		expect(actor).toMatchObject({ secretariat: true, mfaRequired: true, mfaEnrolled: false });
	});
});

describe('joining the network', () => {
	const application = {
		organizationName: 'みどり町こども食堂の会',
		legalForm: 'npo',
		prefecture: '東京都',
		city: '荒川区',
		website: 'https://example.org/midori',
		description: '月2回のこども食堂',
		applicantName: '緑 花子',
		applicantEmail: 'Hanako@Example.org',
		message: ''
	};

	it('validates the application with messages for each field', () => {
		const result = joinRequestInput.safeParse({ ...application, organizationName: ' ', website: 'javascript:alert(1)', applicantEmail: 'not-an-address', legalForm: 'pirates' });
		expect(result.success).toBe(false);
		const fields = new Set(result.error!.issues.map((i) => i.path[0]));
		expect(fields).toEqual(new Set(['organizationName', 'website', 'applicantEmail', 'legalForm']));
	});

	it('runs from application to a published organisation with its admin, who can invite a colleague', async () => {
		const input = joinRequestInput.parse(application);
		await submitJoinRequest(resident(), input);
		const secretariatId = await asSystem(database.db, (tx) => createUser(tx, 'reviewer@example.org', '審査', 'reviewer passphrase'));
		const reviewer: Actor = { userId: secretariatId, email: 'reviewer@example.org', displayName: '審査', sessionId: 's', memberships: [], secretariat: true, mfaRequired: false, mfaEnrolled: false };
		const secretariat = requireSecretariat(requestOf(reviewer), 'network.review');
		// Only the secretariat sees applications.
		const orgAdminView = await withAccess(database.db, { userId: secretariatId, organizationIds: [] }, (tx) => tx.select().from(joinRequests));
		expect(orgAdminView).toEqual([]);
		const [request] = await joinRequestsPage(secretariat, { status: 'pending' });
		expect(request).toMatchObject({ organizationName: 'みどり町こども食堂の会', applicantEmail: 'hanako@example.org', status: 'pending' });

		const decided = await decideJoinRequest(secretariat, { id: request.id, decision: 'approve', note: null });
		expect(decided).toMatchObject({ ok: true, value: { decision: 'approved' } });
		if (!decided.ok || decided.value.decision !== 'approved') return;
		const decision = decided.value;
		const again = await decideJoinRequest(secretariat, { id: request.id, decision: 'reject', note: null });
		expect(again).toEqual({ ok: false, reason: 'not_pending' });

		const [org] = await database.db.select().from(organizations).where(eq(organizations.id, decision.organizationId));
		expect(org).toMatchObject({ name: 'みどり町こども食堂の会', city: '荒川区', published: true });

		const joined = await accept(decision.invitationToken, { signedInUserId: null, displayName: '緑 花子', password: 'hanako passphrase' });
		expect(joined).toMatchObject({ outcome: 'joined', organizationId: decision.organizationId });
		if (joined.outcome !== 'joined') return;
		// The link works once.
		expect((await accept(decision.invitationToken, { signedInUserId: null, displayName: 'x', password: 'another passphrase' })).outcome).toBe('invalid');

		const admin = await signedIn(joined.userId);
		expect(admin.memberships).toEqual([{ organizationId: decision.organizationId, organizationName: 'みどり町こども食堂の会', role: 'org_admin' }]);
		const token = await inOrganizations(database.db, [decision.organizationId], (tx) => createInvitation(tx, { ...origin, actorUserId: admin.userId }, { organizationId: decision.organizationId, email: 'colleague@example.org', role: 'staff' }), admin.userId);
		const colleague = await accept(token, { signedInUserId: null, displayName: '同僚', password: 'colleague passphrase' });
		expect(colleague.outcome).toBe('joined');
		if (colleague.outcome !== 'joined') return;
		expect(await asSystem(database.db, (tx) => membershipsOf(tx, colleague.userId))).toEqual([{ organizationId: decision.organizationId, role: 'staff' }]);
	});

	it('cannot invite into an organisation one does not act for', async () => {
		const other = { id: await makeOrganization(database.db) };
		const mine = { id: await makeOrganization(database.db) };
		await expect(inOrganizations(database.db, [mine.id], (tx) => createInvitation(tx, origin, { organizationId: other.id, email: 'x@example.org', role: 'org_admin' }))).rejects.toMatchObject({ cause: { message: expect.stringMatching(/row-level security/) } });
	});

	it("checks a new account's name and password itself (an existing account only signs in), and the link stays usable", async () => {
		const org = { id: await makeOrganization(database.db) };
		const token = await asSystem(database.db, (tx) => createInvitation(tx, origin, { organizationId: org.id, email: 'newcomer@example.org', role: 'volunteer' }));
		expect(await accept(token, { signedInUserId: null, displayName: ' ', password: 'short', confirm: 'other' })).toEqual({ outcome: 'account_fields', errors: { displayName: 'auth.error.required', password: 'auth.password.too_short' } });
		expect(await accept(token, { signedInUserId: null, displayName: '新人', password: 'newcomer passphrase', confirm: 'newcomer passphrase!' })).toEqual({ outcome: 'account_fields', errors: { confirm: 'auth.password.mismatch' } });
		expect(await accept(token, { signedInUserId: null })).toMatchObject({ outcome: 'account_fields' });
		expect((await accept(token, { signedInUserId: null, displayName: '新人', password: 'newcomer passphrase' })).outcome).toBe('joined');
	});

	it('asks an existing account to sign in as the invited address before joining', async () => {
		const existing = await asSystem(database.db, (tx) => createUser(tx, 'twoorgs@example.org', '二団体', 'twoorgs passphrase'));
		const intruder = await asSystem(database.db, (tx) => createUser(tx, 'intruder@example.org', '別人', 'intruder passphrase'));
		const org = { id: await makeOrganization(database.db) };
		const token = await asSystem(database.db, (tx) => createInvitation(tx, origin, { organizationId: org.id, email: 'TwoOrgs@example.org', role: 'volunteer' }));
		expect((await accept(token, { signedInUserId: null })).outcome).toBe('login_required');
		expect((await accept(token, { signedInUserId: intruder })).outcome).toBe('wrong_account');
		expect((await accept(token, { signedInUserId: existing })).outcome).toBe('joined');
	});
});

describe("the network's organisations", () => {
	it('the secretariat takes an organisation off the public pages and back, each recorded; an unknown id is refused', async () => {
		const org = await makeOrganization(database.db);
		const reviewer: Actor = { userId: crypto.randomUUID(), email: 'moderator@example.org', displayName: 'moderator', sessionId: 's', memberships: [], secretariat: true, mfaRequired: false, mfaEnrolled: false };
		const scope = requireSecretariat(requestOf(reviewer), 'network.moderate');
		expect(await moderateOrganization(scope, { organizationId: org, published: false })).toEqual({ ok: true, value: undefined });
		expect((await networkOrganizations(scope)).find((o) => o.id === org)).toMatchObject({ published: false });
		expect(await moderateOrganization(scope, { organizationId: org, published: true })).toEqual({ ok: true, value: undefined });
		expect(await moderateOrganization(scope, { organizationId: crypto.randomUUID(), published: false })).toEqual({ ok: false, reason: 'no_organization' });
		const rows = await asSystem(database.db, (tx) => tx.select({ action: auditEvents.action, entityId: auditEvents.entityId, actor: auditEvents.actorUserId, changedFields: auditEvents.changedFields }).from(auditEvents).where(eq(auditEvents.organizationId, org)).orderBy(auditEvents.id));
		expect(rows).toEqual([
			{ action: 'organization.unpublish', entityId: org, actor: reviewer.userId, changedFields: ['published'] },
			{ action: 'organization.publish', entityId: org, actor: reviewer.userId, changedFields: ['published'] }
		]);
	});
});

describe("an organisation's members page", () => {
	/** Someone with a role in one organisation, signed in as the guard sees them. */
	async function member(organizationId: string, role: Role, name: string): Promise<Actor> {
		const userId = await asSystem(database.db, async (tx) => {
			const id = await createUser(tx, `${name}-${organizationId.slice(0, 8)}@example.org`, name, `${name} passphrase`);
			await setMembership(tx, organizationId, id, role, null);
			return id;
		});
		return { userId, email: `${name}@example.org`, displayName: name, sessionId: 's', memberships: [{ organizationId, organizationName: '試験団体', role }], secretariat: role === 'secretariat_admin', mfaRequired: false, mfaEnrolled: false };
	}
	const scopeOf = (actor: Actor, organizationId: string) => requireOrganization({ locals: { actor, ip: origin.ip, userAgent: origin.userAgent, requestId: 'vitest' }, url: new URL('http://localhost/staff'), params: { orgId: organizationId } } as unknown as RequestEvent, 'members.manage');
	const roleIn = async (organizationId: string, userId: string) => (await asSystem(database.db, (tx) => membershipsOf(tx, userId))).find((m) => m.organizationId === organizationId)?.role ?? null;
	const recorded = (organizationId: string, action: string) =>
		asSystem(database.db, (tx) =>
			tx
				.select({ entityId: auditEvents.entityId, changedFields: auditEvents.changedFields })
				.from(auditEvents)
				.where(and(eq(auditEvents.organizationId, organizationId), eq(auditEvents.action, action)))
				.orderBy(auditEvents.id)
		);

	it('keeps the last admin: not demoted, not removed, until another admin exists', async () => {
		const org = await makeOrganization(database.db);
		const admin = await member(org, 'org_admin', 'admin');
		const colleague = await member(org, 'staff', 'colleague');
		const scope = scopeOf(admin, org);

		expect(await changeRole(scope, { userId: admin.userId, role: 'staff' })).toEqual({ ok: false, reason: 'last_admin' });
		expect(await removeMember(scope, { userId: admin.userId })).toEqual({ ok: false, reason: 'last_admin' });
		expect(await roleIn(org, admin.userId)).toBe('org_admin');
		expect(await recorded(org, 'member.role_change')).toEqual([]);
		expect(await recorded(org, 'member.remove')).toEqual([]);
		// Staying an admin is no loss of one.
		expect((await changeRole(scope, { userId: admin.userId, role: 'org_admin' })).ok).toBe(true);

		expect(await changeRole(scope, { userId: colleague.userId, role: 'org_admin' })).toEqual({ ok: true, value: undefined });
		expect(await changeRole(scope, { userId: admin.userId, role: 'staff' })).toEqual({ ok: true, value: undefined });
		expect(await roleIn(org, admin.userId)).toBe('staff');
		// Now the colleague is the last admin.
		expect(await removeMember(scopeOf({ ...colleague, memberships: [{ organizationId: org, organizationName: '試験団体', role: 'org_admin' }] }, org), { userId: colleague.userId })).toEqual({ ok: false, reason: 'last_admin' });
		expect(await recorded(org, 'member.role_change')).toEqual([
			{ entityId: admin.userId, changedFields: ['role'] },
			{ entityId: colleague.userId, changedFields: ['role'] },
			{ entityId: admin.userId, changedFields: ['role'] }
		]);
		expect(await changeRole(scope, { userId: crypto.randomUUID(), role: 'staff' })).toEqual({ ok: false, reason: 'not_member' });
		expect(await removeMember(scope, { userId: crypto.randomUUID() })).toEqual({ ok: false, reason: 'not_member' });
	});

	it("leaves the secretariat's admin to the network, and counts them as an admin", async () => {
		const org = await makeOrganization(database.db);
		const secretariat = await member(org, 'secretariat_admin', 'secretariat');
		const admin = await member(org, 'org_admin', 'admin');
		const scope = scopeOf(admin, org);

		expect(await changeRole(scope, { userId: secretariat.userId, role: 'org_admin' })).toEqual({ ok: false, reason: 'secretariat_protected' });
		expect(await removeMember(scope, { userId: secretariat.userId })).toEqual({ ok: false, reason: 'secretariat_protected' });
		expect(await changeRole(scope, { userId: admin.userId, role: 'secretariat_admin' })).toEqual({ ok: false, reason: 'not_assignable' });
		expect(await roleIn(org, secretariat.userId)).toBe('secretariat_admin');
		// The secretariat's admin is an admin of the organisation: the org admin is not the last one.
		expect(await removeMember(scope, { userId: admin.userId })).toEqual({ ok: true, value: undefined });
		expect(await roleIn(org, admin.userId)).toBeNull();
		expect(await recorded(org, 'member.remove')).toEqual([{ entityId: admin.userId, changedFields: ['role'] }]);
	});

	it('invites, lists and revokes invitations, each recorded', async () => {
		const org = await makeOrganization(database.db, { name: '招待テスト団体' });
		const admin = await member(org, 'org_admin', 'inviter');
		const scope = scopeOf(admin, org);
		expect(await inviteMember(scope, { email: 'x@example.org', role: 'secretariat_admin' })).toEqual({ ok: false, reason: 'not_assignable' });
		const invited = await inviteMember(scope, { email: 'new@example.org', role: 'volunteer' });
		expect(invited).toMatchObject({ ok: true, value: { organizationName: '招待テスト団体' } });
		const page = await membersPage(scope);
		expect(page).toMatchObject({ organization: { id: org, name: '招待テスト団体' }, members: [{ userId: admin.userId, role: 'org_admin', displayName: 'inviter' }], invitations: [{ email: 'new@example.org', role: 'volunteer' }] });
		const invitationId = page!.invitations[0].id;
		expect(await revokeInvitation(scope, { invitationId })).toEqual({ ok: true, value: undefined });
		expect(await revokeInvitation(scope, { invitationId })).toEqual({ ok: false, reason: 'no_invitation' });
		expect((await membersPage(scope))!.invitations).toEqual([]);
		expect(await recorded(org, 'member.invite')).toEqual([{ entityId: null, changedFields: ['email', 'role'] }]);
		expect(await recorded(org, 'member.invitation_revoke')).toEqual([{ entityId: null, changedFields: ['used_at'] }]);
	});
});
