import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { publicOrigin } from '$lib/server/http/origin';
import { ASSIGNABLE_ROLES, changeRole, inviteMember, membersPage, removeMember, revokeInvitation, type RoleRefusal, type Role } from '$lib/server/network';
import { requireOrganization } from '$lib/server/auth/guard';
import { sendMailInBackground } from '$lib/server/mail';
import { translate, type MessageKey } from '$lib/i18n';
import { UUID, queryOf, notice, formOf } from '$lib/server/boundary';

/** The organisation in the path, if the person may manage its members (404 for a malformed id). */
const guard = (event: Pick<RequestEvent, 'locals' | 'url' | 'params'>) => requireOrganization(event, 'members.manage');

/** `?done=` after a change; anything else shows no notice. */
const pageQuery = z.object({ done: notice(['invited', 'role', 'removed', 'revoked']) });

export const load: PageServerLoad = async (event) => {
	const scope = guard(event);
	const page = await membersPage(scope);
	if (!page) error(404, 'Not Found');
	return { ...page, me: scope.actor.userId, assignable: ASSIGNABLE_ROLES, done: queryOf(pageQuery, event.url.searchParams).done };
};

const roleSchema = z.enum(ASSIGNABLE_ROLES as unknown as [Role, ...Role[]]);
const inviteForm = z.object({ email: z.string().trim().max(254).pipe(z.email()), role: roleSchema });
const roleForm = z.object({ userId: z.string().regex(UUID), role: roleSchema });
const memberForm = z.object({ userId: z.string().regex(UUID) });

/** A refused role change or removal: 404 for someone who is no member here, else the form's message. */
function refusal(event: RequestEvent, form: 'role' | 'remove', reason: RoleRefusal) {
	if (reason === 'not_member') error(404, 'Not Found');
	const key: MessageKey = reason === 'last_admin' ? 'members.lastAdmin' : reason === 'secretariat_protected' ? 'members.protected' : 'join.error.choice';
	return fail(400, { form, errors: { form: translate(event.locals.locale, key) } });
}

/** An invitation is named by its 64-hex id; anything else is no invitation (404). */
const revokeForm = z.object({ invitationId: z.string().regex(/^[0-9a-f]{64}$/) });

export const actions: Actions = {
	invite: async (event) => {
		const scope = guard(event);
		const t = (key: MessageKey, params?: Record<string, string | number>) => translate(event.locals.locale, key, params);
		const data = Object.fromEntries(await event.request.formData());
		const parsed = inviteForm.safeParse(data);
		const values = { email: String(data.email ?? '').slice(0, 254), role: String(data.role ?? '') };
		if (!parsed.success) {
			const errors: Record<string, string> = {};
			for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= t(issue.path[0] === 'role' ? 'join.error.choice' : 'auth.error.email');
			return fail(400, { form: 'invite', errors, values });
		}
		const invited = await inviteMember(scope, parsed.data);
		if (!invited.ok) return fail(400, { form: 'invite', errors: { role: t('join.error.choice') }, values });
		const { token, organizationName: name } = invited.value;
		const link = `${publicOrigin()}/invite/${token}`;
		sendMailInBackground({ to: parsed.data.email, subject: t('mail.invite.subject', { organization: name }), text: t('mail.invite.body', { organization: name, inviter: scope.actor.displayName, role: t(`role.${parsed.data.role}`), link }) });
		redirect(303, `/staff/orgs/${scope.organizationId}/members?done=invited`);
	},
	role: async (event) => {
		const scope = guard(event);
		const parsed = roleForm.safeParse(Object.fromEntries(await event.request.formData()));
		if (!parsed.success) return fail(400, { form: 'role', errors: { form: translate(event.locals.locale, 'join.error.choice') } });
		const changed = await changeRole(scope, parsed.data);
		if (!changed.ok) return refusal(event, 'role', changed.reason);
		redirect(303, `/staff/orgs/${scope.organizationId}/members?done=role`);
	},
	remove: async (event) => {
		const scope = guard(event);
		const parsed = memberForm.safeParse(Object.fromEntries(await event.request.formData()));
		if (!parsed.success) error(404, 'Not Found');
		const removed = await removeMember(scope, parsed.data);
		if (!removed.ok) return refusal(event, 'remove', removed.reason);
		redirect(303, `/staff/orgs/${scope.organizationId}/members?done=removed`);
	},
	revoke: async (event) => {
		const scope = guard(event);
		const parsed = revokeForm.safeParse(formOf(revokeForm, await event.request.formData()));
		if (!parsed.success) error(404, 'Not Found');
		const revoked = await revokeInvitation(scope, parsed.data);
		if (!revoked.ok) error(404, 'Not Found');
		redirect(303, `/staff/orgs/${scope.organizationId}/members?done=revoked`);
	}
};
