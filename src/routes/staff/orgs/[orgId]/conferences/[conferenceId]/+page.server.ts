import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { fieldErrors, uuid, queryOf, notice, formOf } from '$lib/server/boundary';
import {
	actionInput,
	addAction,
	editConference,
	formValuesOf,
	markActionDone,
	openConference,
	participantChoices,
	readConferenceForm,
	readParticipantsForm,
	recordInput,
	setParticipants,
	writeRecord,
	ACTION_MAX,
	AGENDA_MAX,
	RECORD_MAX,
	TITLE_MAX,
	type ConferenceFieldErrors
} from '$lib/server/conferences';
import { translatorFor } from '$lib/server/present';
import { windowInWords } from '../window';

const params = z.object({ conferenceId: uuid });

/** The conference id of the path; a malformed one is a 404 like an unknown one. */
function conferenceIdOf(event: Pick<RequestEvent, 'params'>): string {
	const parsed = params.safeParse(event.params);
	if (!parsed.success) error(404, 'Not Found');
	return parsed.data.conferenceId;
}

const TOKYO_TIME = (at: Date) => at.toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo', year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** `?done=` after a change (back below); anything else shows no notice. */
const pageQuery = z.object({ org: uuid.nullable().catch(null), done: notice(['edit', 'participants', 'record', 'action', 'done']) });

export const load: PageServerLoad = async (event) => {
	const scope = requireOrganization(event, 'conferences.take_part');
	const opened = await openConference(scope, { conferenceId: conferenceIdOf(event) });
	if (!opened.ok) error(404, 'Not Found');
	const conference = opened.value;
	const t = translatorFor(event.locals.locale);
	// The owner's managers (owned: the scope's organisation owns it and the person manages its conferences).
	const managing = conference.owned;
	const { org } = queryOf(pageQuery, event.url.searchParams);
	const choices = managing ? await participantChoices(scope, { organizationId: org }) : null;
	return {
		orgId: scope.organizationId,
		me: scope.actor.userId,
		conference: {
			...conference,
			when: windowInWords(t, conference.startsAt, conference.endsAt),
			updatedAt: conference.record ? TOKYO_TIME(conference.record.updatedAt) : null,
			actions: conference.actions.map((a) => ({ ...a, doneAtText: a.doneAt ? TOKYO_TIME(a.doneAt) : null }))
		},
		managing,
		canWrite: conference.mayWrite,
		editValues: managing ? formValuesOf(conference) : null,
		choices,
		limits: { title: TITLE_MAX, agenda: AGENDA_MAX, record: RECORD_MAX, action: ACTION_MAX },
		done: queryOf(pageQuery, event.url.searchParams).done
	};
};

const back = (event: RequestEvent, done: string): never => redirect(303, `/staff/orgs/${event.params.orgId}/conferences/${event.params.conferenceId}?done=${done}`);

/** The record's and an action's fields as sent (recordInput and actionInput check them); a done action is named by its id. */
const recordFields = z.object({ summary: z.string(), minutes: z.string() });
const actionFields = z.object({ description: z.string(), assigneeUserId: z.string(), dueOn: z.string() });
const doneForm = z.object({ actionId: uuid });

export const actions: Actions = {
	edit: async (event) => {
		const scope = requireOrganization(event, 'conferences.manage');
		const conferenceId = conferenceIdOf(event);
		const read = readConferenceForm(await event.request.formData(), false);
		if (!read.ok) return fail(400, { edit: read.values, errors: read.errors });
		const edited = await editConference(scope, { conferenceId, title: read.value.title, agenda: read.value.agenda, startsAt: read.value.startsAt, endsAt: read.value.endsAt });
		if (!edited.ok) error(404, 'Not Found');
		back(event, 'edit');
	},
	participants: async (event) => {
		const scope = requireOrganization(event, 'conferences.manage');
		const conferenceId = conferenceIdOf(event);
		const participants = readParticipantsForm(await event.request.formData());
		if (!participants) return fail(400, { errors: { participants: 'conferences.error.participants' } as ConferenceFieldErrors });
		const set = await setParticipants(scope, { conferenceId, participants });
		if (!set.ok) return set.reason === 'not_found' ? error(404, 'Not Found') : fail(400, { errors: {} as ConferenceFieldErrors, refusal: set.reason });
		back(event, 'participants');
	},
	record: async (event) => {
		const scope = requireOrganization(event, 'conferences.take_part');
		const conferenceId = conferenceIdOf(event);
		const form = await event.request.formData();
		const input = { conferenceId, ...formOf(recordFields, form) };
		const parsed = recordInput.safeParse(input);
		if (!parsed.success) return fail(400, { record: input, errors: fieldErrors<ConferenceFieldErrors>(parsed.error) });
		const written = await writeRecord(scope, parsed.data);
		if (!written.ok) return written.reason === 'not_found' ? error(404, 'Not Found') : fail(409, { errors: {} as ConferenceFieldErrors, refusal: written.reason });
		back(event, 'record');
	},
	action: async (event) => {
		const scope = requireOrganization(event, 'conferences.take_part');
		const conferenceId = conferenceIdOf(event);
		const form = await event.request.formData();
		const fields = formOf(actionFields, form);
		const input = { conferenceId, ...fields, dueOn: fields.dueOn.trim() };
		const parsed = actionInput.safeParse(input);
		if (!parsed.success) return fail(400, { action: input, errors: fieldErrors<ConferenceFieldErrors>(parsed.error) });
		const added = await addAction(scope, parsed.data);
		if (!added.ok) return added.reason === 'not_found' ? error(404, 'Not Found') : fail(added.reason === 'closed' ? 409 : 400, { action: input, errors: {} as ConferenceFieldErrors, refusal: added.reason });
		back(event, 'action');
	},
	done: async (event) => {
		const scope = requireOrganization(event, 'conferences.take_part');
		const conferenceId = conferenceIdOf(event);
		const parsed = doneForm.safeParse(formOf(doneForm, await event.request.formData()));
		if (!parsed.success) error(404, 'Not Found');
		const marked = await markActionDone(scope, { conferenceId, actionId: parsed.data.actionId });
		if (!marked.ok) return marked.reason === 'not_found' ? error(404, 'Not Found') : fail(403, { errors: {} as ConferenceFieldErrors, refusal: marked.reason });
		back(event, 'done');
	}
};
