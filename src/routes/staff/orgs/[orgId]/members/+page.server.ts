import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { publicOrigin } from '$lib/server/runtime';
import { ASSIGNABLE_ROLES, changeRole, inviteMember, membersOf, otherAdmins, removeMembership, roleOf, type Role } from '$lib/server/network';
import { organizationNames } from '$lib/server/directory';
import { peopleByIds, pendingInvitations, revokeInvitation } from '$lib/server/auth';
import { actorDb, auditOrigin, requirePermission } from '$lib/server/auth/guard';
import { recordAudit } from '$lib/server/audit';
import { sendMailInBackground } from '$lib/server/mail';
import { translate, type MessageKey } from '$lib/i18n';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The organisation in the path, if the person may manage its members (404 for a malformed id). */
function guard(event: Pick<RequestEvent, 'locals' | 'url' | 'params'>) {
	if (!UUID.test(event.params.orgId)) error(404, 'Not Found');
	return requirePermission(event, 'members.manage', event.params.orgId);
}

export const load: PageServerLoad = async (event) => {
	const actor = guard(event);
	const orgId = event.params.orgId;
	return actorDb(event, async (tx) => {
		const names = await organizationNames(tx, [orgId]);
		if (!names.has(orgId)) error(404, 'Not Found');
		const members = await membersOf(tx, orgId);
		const people = await peopleByIds(
			tx,
			members.map((m) => m.userId)
		);
		const invitations = await pendingInvitations(tx, orgId);
		return {
			organization: { id: orgId, name: names.get(orgId)! },
			me: actor.userId,
			assignable: ASSIGNABLE_ROLES,
			members: members.map((m) => ({ userId: m.userId, role: m.role, since: m.createdAt.toISOString(), ...(people.get(m.userId) ?? { displayName: '', email: '', totpEnabled: false }) })),
			invitations: invitations.map((i) => ({ id: i.id, email: i.email, role: i.role as Role, expiresAt: i.expiresAt.toISOString() })),
			done: event.url.searchParams.get('done')
		};
	});
};

const roleSchema = z.enum(ASSIGNABLE_ROLES as unknown as [Role, ...Role[]]);
const inviteForm = z.object({ email: z.string().trim().max(254).pipe(z.email()), role: roleSchema });
const memberForm = z.object({ userId: z.string().regex(UUID) });

export const actions: Actions = {
	invite: async (event) => {
		const actor = guard(event);
		const orgId = event.params.orgId;
		const t = (key: MessageKey, params?: Record<string, string | number>) => translate(event.locals.locale, key, params);
		const data = Object.fromEntries(await event.request.formData());
		const parsed = inviteForm.safeParse(data);
		if (!parsed.success) {
			const errors: Record<string, string> = {};
			for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= t(issue.path[0] === 'role' ? 'join.error.choice' : 'auth.error.email');
			return fail(400, { form: 'invite', errors, values: { email: String(data.email ?? '').slice(0, 254), role: String(data.role ?? '') } });
		}
		const { token, name } = await actorDb(event, async (tx) => ({
			token: await inviteMember(tx, auditOrigin(event), { organizationId: orgId, ...parsed.data }),
			name: (await organizationNames(tx, [orgId])).get(orgId) ?? ''
		}));
		const link = `${publicOrigin()}/invite/${token}`;
		sendMailInBackground({ to: parsed.data.email, subject: t('mail.invite.subject', { organization: name }), text: t('mail.invite.body', { organization: name, inviter: actor.displayName, role: t(`role.${parsed.data.role}`), link }) });
		redirect(303, `/staff/orgs/${orgId}/members?done=invited`);
	},
	role: async (event) => {
		guard(event);
		const orgId = event.params.orgId;
		const data = Object.fromEntries(await event.request.formData());
		const parsed = z.object({ userId: z.string().regex(UUID), role: roleSchema }).safeParse(data);
		if (!parsed.success) return fail(400, { form: 'role', errors: { form: translate(event.locals.locale, 'join.error.choice') } });
		const outcome = await actorDb(event, async (tx) => {
			const current = await roleOf(tx, orgId, parsed.data.userId);
			if (!current) return 'missing';
			// The secretariat role is the network's: it is not changed from an organisation's page.
			if (current === 'secretariat_admin') return 'protected';
			if (current === 'org_admin' && parsed.data.role !== 'org_admin' && (await otherAdmins(tx, orgId, parsed.data.userId)) === 0) return 'last_admin';
			await changeRole(tx, orgId, parsed.data.userId, parsed.data.role);
			await recordAudit(tx, auditOrigin(event), { action: 'member.role_change', organizationId: orgId, entityType: 'membership', entityId: parsed.data.userId, changedFields: ['role'] });
			return 'ok';
		});
		if (outcome === 'missing') error(404, 'Not Found');
		if (outcome !== 'ok') return fail(400, { form: 'role', errors: { form: translate(event.locals.locale, outcome === 'last_admin' ? 'members.lastAdmin' : 'members.protected') } });
		redirect(303, `/staff/orgs/${orgId}/members?done=role`);
	},
	remove: async (event) => {
		guard(event);
		const orgId = event.params.orgId;
		const parsed = memberForm.safeParse(Object.fromEntries(await event.request.formData()));
		if (!parsed.success) error(404, 'Not Found');
		const outcome = await actorDb(event, async (tx) => {
			const current = await roleOf(tx, orgId, parsed.data.userId);
			if (!current) return 'missing';
			if (current === 'secretariat_admin') return 'protected';
			if (current === 'org_admin' && (await otherAdmins(tx, orgId, parsed.data.userId)) === 0) return 'last_admin';
			await removeMembership(tx, orgId, parsed.data.userId);
			await recordAudit(tx, auditOrigin(event), { action: 'member.remove', organizationId: orgId, entityType: 'membership', entityId: parsed.data.userId, changedFields: ['role'] });
			return 'ok';
		});
		if (outcome === 'missing') error(404, 'Not Found');
		if (outcome !== 'ok') return fail(400, { form: 'remove', errors: { form: translate(event.locals.locale, outcome === 'last_admin' ? 'members.lastAdmin' : 'members.protected') } });
		redirect(303, `/staff/orgs/${orgId}/members?done=removed`);
	},
	revoke: async (event) => {
		guard(event);
		const orgId = event.params.orgId;
		const id = String((await event.request.formData()).get('invitationId') ?? '');
		if (!/^[0-9a-f]{64}$/.test(id)) error(404, 'Not Found');
		const revoked = await actorDb(event, async (tx) => {
			const ok = await revokeInvitation(tx, orgId, id);
			if (ok) await recordAudit(tx, auditOrigin(event), { action: 'member.invitation_revoke', organizationId: orgId, entityType: 'invitation', changedFields: ['used_at'] });
			return ok;
		});
		if (!revoked) error(404, 'Not Found');
		redirect(303, `/staff/orgs/${orgId}/members?done=revoked`);
	}
};
