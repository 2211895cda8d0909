import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { can } from '$lib/server/auth';
import { conferencesOf, createConference, participantChoices, readConferenceForm, AGENDA_MAX, TITLE_MAX, type ConferenceFieldErrors, type ParticipantRefusal } from '$lib/server/conferences';
import { translatorFor } from '$lib/server/present';
import { windowInWords } from './window';

export const load: PageServerLoad = async (event) => {
	const scope = requireOrganization(event, 'conferences.take_part');
	const t = translatorFor(event.locals.locale);
	const canManage = can(scope.actor, 'conferences.manage', scope.organizationId);
	const conferences = await conferencesOf(scope);
	const choices = canManage ? await participantChoices(scope, {}) : null;
	return {
		orgId: scope.organizationId,
		me: scope.actor.userId,
		canManage,
		conferences: conferences.map((c) => ({ ...c, when: windowInWords(t, c.startsAt, c.endsAt) })),
		members: choices?.members ?? [],
		limits: { title: TITLE_MAX, agenda: AGENDA_MAX }
	};
};

export const actions: Actions = {
	create: async (event) => {
		const scope = requireOrganization(event, 'conferences.manage');
		const read = readConferenceForm(await event.request.formData(), true);
		if (!read.ok) return fail(400, { values: read.values, errors: read.errors, refusal: null });
		const created = await createConference(scope, read.value);
		if (!created.ok) return fail(400, { values: read.values, errors: {} as ConferenceFieldErrors, refusal: created.reason as ParticipantRefusal | null });
		redirect(303, `/staff/orgs/${scope.organizationId}/conferences/${created.value.id}`);
	}
};
