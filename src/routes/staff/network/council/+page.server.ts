import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { requireSecretariat } from '$lib/server/auth/guard';
import { councilDeclareInput, councilMembersInput, councilPage, declareCouncil, endCouncil, setCouncilMembers, COUNCIL_NAME_DEFAULT, COUNCIL_NAME_MAX } from '$lib/server/consent';
import { todayInTokyo } from '$lib/server/clock';
import { formatDayLong } from '$lib/server/present';
import { translator, type MessageKey } from '$lib/i18n';
import { queryOf, formOf } from '$lib/server/boundary';

const PERMISSION = 'network.council';
const pageQuery = z.object({ saved: z.enum(['declared', 'members', 'ended']).nullable().catch(null) });

/** The 協議会: what declaring means, the declaration, its members, ending it (the secretariat only). */
export const load: PageServerLoad = async (event) => {
	const scope = requireSecretariat(event, PERMISSION);
	const page = await councilPage(scope);
	if (!page.ok) error(403, 'Forbidden');
	const t = translator(event.locals.locale);
	const day = (at: Date) => formatDayLong(t, todayInTokyo(at));
	const { declaration, ended, organizations } = page.value;
	return {
		declaration: declaration ? { name: declaration.name, since: day(declaration.declaredAt), members: declaration.members } : null,
		ended: ended ? { name: ended.name, on: day(ended.endedAt) } : null,
		organizations,
		saved: queryOf(pageQuery, event.url.searchParams).saved,
		limits: { name: COUNCIL_NAME_MAX, defaultName: COUNCIL_NAME_DEFAULT }
	};
};

/** The members form sends one `organizationId` per ticked organisation; councilMembersInput checks them. */
const membersForm = z.object({ organizationId: z.array(z.string()) });

const refuse = (form: 'declare' | 'members' | 'end', message: MessageKey, extra: Record<string, unknown> = {}) => fail(400, { form, error: message, ...extra });

export const actions: Actions = {
	declare: async (event) => {
		const scope = requireSecretariat(event, PERMISSION);
		const { name } = formOf(councilDeclareInput, await event.request.formData());
		const parsed = councilDeclareInput.safeParse({ name });
		if (!parsed.success) return refuse('declare', 'council.error.name', { name });
		const result = await declareCouncil(scope, parsed.data);
		if (!result.ok) {
			if (result.reason === 'forbidden') error(403, 'Forbidden');
			return refuse('declare', 'council.error.alreadyDeclared', { name });
		}
		redirect(303, '/staff/network/council?saved=declared');
	},
	members: async (event) => {
		const scope = requireSecretariat(event, PERMISSION);
		const { organizationId: organizationIds } = formOf(membersForm, await event.request.formData());
		const parsed = councilMembersInput.safeParse({ organizationIds });
		if (!parsed.success) return refuse('members', 'council.error.members');
		const result = await setCouncilMembers(scope, parsed.data);
		if (!result.ok) {
			if (result.reason === 'forbidden') error(403, 'Forbidden');
			return refuse('members', result.reason === 'not_declared' ? 'council.error.notDeclared' : 'council.error.unknownOrganization');
		}
		redirect(303, '/staff/network/council?saved=members');
	},
	end: async (event) => {
		const scope = requireSecretariat(event, PERMISSION);
		const result = await endCouncil(scope);
		if (!result.ok) {
			if (result.reason === 'forbidden') error(403, 'Forbidden');
			return refuse('end', 'council.error.notDeclared');
		}
		redirect(303, '/staff/network/council?saved=ended');
	}
};
