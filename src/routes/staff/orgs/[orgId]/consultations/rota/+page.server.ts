import { z } from 'zod';
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { can, roleIn } from '$lib/server/auth';
import { fieldErrors, queryOf, notice, formOf, named } from '$lib/server/boundary';
import { minutesInput, newLineLinkCode, rotaInput, rotaPage, setEscalationMinutes, setRota, unlinkLine, ESCALATION_MINUTES_MAX, LINE_LINK_MINUTES, type RotaWriteRefusal } from '$lib/server/consultations';
import type { Result } from '$lib/server/scope';

/**
 * The organisation's admins (consultations.manage, as members of it) set the order and the minutes; its
 * counsellors (consultations.read) see them and link LINE for themselves. See consultations/rota.ts.
 */
function viewScope(event: RequestEvent) {
	const actor = event.locals.actor;
	const orgId = (event.params as { orgId?: string }).orgId ?? '';
	const manages = !!actor && roleIn(actor, orgId) !== null && can(actor, 'consultations.manage', orgId);
	return requireOrganization(event, manages ? 'consultations.manage' : 'consultations.read');
}

/** `?saved=` after a change; anything else shows no notice. */
const pageQuery = z.object({ saved: notice(['rota', 'minutes', 'unlinked']) });

export const load: PageServerLoad = async (event) => {
	const scope = viewScope(event);
	const page = await rotaPage(scope);
	if (!page.ok) error(403, 'Forbidden');
	return { orgId: scope.organizationId, page: page.value, saved: queryOf(pageQuery, event.url.searchParams).saved, limits: { minutes: ESCALATION_MINUTES_MAX, lineMinutes: LINE_LINK_MINUTES } };
};

/** The rota form: one `position:<user id>` field per member (rotaInput checks the ids and positions). */
const rotaForm = z.object({ positions: named('position:') });

/** A refused write: 403 when the person may not (the guard let a network permission through), else the form with the message. */
function refusedWrite(result: Result<void, RotaWriteRefusal>, form: string) {
	if (result.ok) return null;
	if (result.reason !== 'not_answering') error(403, 'Forbidden');
	return fail(400, { form, errors: { entries: 'consult.rota.error.member' } });
}

export const actions: Actions = {
	rota: async (event) => {
		const scope = requireOrganization(event, 'consultations.manage');
		const entries = formOf(rotaForm, await event.request.formData()).positions.map(([userId, position]) => ({ userId, position: position.trim() }));
		const parsed = rotaInput.safeParse({ entries });
		if (!parsed.success) return fail(400, { form: 'rota', values: Object.fromEntries(entries.map((e) => [e.userId, e.position])), errors: { entries: fieldErrors<{ entries?: string }>(parsed.error).entries ?? 'consult.rota.error.position' } });
		const result = await setRota(scope, parsed.data);
		const refusal = refusedWrite(result, 'rota');
		if (refusal) return refusal;
		redirect(303, `/staff/orgs/${scope.organizationId}/consultations/rota?saved=rota`);
	},
	minutes: async (event) => {
		const scope = requireOrganization(event, 'consultations.manage');
		const form = await event.request.formData();
		const { minutes: raw } = formOf(minutesInput, form);
		const parsed = minutesInput.safeParse({ minutes: raw });
		if (!parsed.success) return fail(400, { form: 'minutes', minutes: raw, errors: { minutes: 'consult.rota.error.minutes' } });
		const refusal = refusedWrite(await setEscalationMinutes(scope, parsed.data), 'minutes');
		if (refusal) return refusal;
		redirect(303, `/staff/orgs/${scope.organizationId}/consultations/rota?saved=minutes`);
	},
	/** A one-time LINE link code for oneself, shown in this answer only. */
	lineCode: async (event) => {
		const scope = requireOrganization(event, 'consultations.read');
		const made = await newLineLinkCode(scope);
		if (!made.ok) return fail(400, { form: 'line', errors: { line: 'consult.rota.line.notOnRota' } });
		return { form: 'line', code: made.value.code };
	},
	unlink: async (event) => {
		const scope = requireOrganization(event, 'consultations.read');
		const done = await unlinkLine(scope);
		if (!done.ok) return fail(400, { form: 'line', errors: { line: 'consult.rota.line.notOnRota' } });
		redirect(303, `/staff/orgs/${scope.organizationId}/consultations/rota?saved=unlinked`);
	}
};
