import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { fieldErrors, uuid } from '$lib/server/boundary';
import { label, taxonomy } from '$lib/server/directory';
import { draftReply, draftingOn } from '$lib/server/consultations';
import { addNote, assignThread, messageInput, noteInput, openThread, replyToThread, setThreadStatus, setThreadTags, statusInput, tagsInput, THREAD_STATUSES, MESSAGE_MAX, NOTE_MAX, type ThreadRefusal } from '$lib/server/consultations';
import type { Result } from '$lib/server/scope';

const threadParam = z.object({ threadId: uuid });

/** The thread id of the path; a malformed one is a 404 like an unknown one. */
function threadIdOf(event: Pick<RequestEvent, 'params'>): string {
	const parsed = threadParam.safeParse(event.params);
	if (!parsed.success) error(404, 'Not Found');
	return parsed.data.threadId;
}

export const load: PageServerLoad = async (event) => {
	const scope = requireOrganization(event, 'consultations.read');
	const opened = await openThread(scope, { threadId: threadIdOf(event) });
	if (!opened.ok) error(404, 'Not Found');
	const locale = event.locals.locale;
	const choices = (name: 'lifeStages' | 'targets', prefix: string) => taxonomy[name].map((term) => ({ value: `${prefix}:${term.code}`, label: label(name, term.code, locale) }));
	return {
		orgId: scope.organizationId,
		me: scope.actor.userId,
		thread: opened.value,
		statuses: THREAD_STATUSES,
		tagChoices: { lifeStages: choices('lifeStages', 'life_stage'), targets: choices('targets', 'target') },
		limits: { message: MESSAGE_MAX, note: NOTE_MAX },
		done: event.url.searchParams.get('done'),
		// 下書きを作る: only where drafting is on, never on an urgent thread (drafts.ts refuses it too).
		canDraft: !opened.value.urgent && (await draftingOn(scope))
	};
};

/** After a change: back to the thread (a new opening, recorded like any other), or 404 when it is not this organisation's. */
function settle(event: RequestEvent, result: Result<unknown, ThreadRefusal>, done: string): never {
	if (!result.ok) error(404, 'Not Found');
	redirect(303, `/staff/orgs/${event.params.orgId}/consultations/${event.params.threadId}?done=${done}`);
}

export const actions: Actions = {
	reply: async (event) => {
		const scope = requireOrganization(event, 'consultations.reply');
		const threadId = threadIdOf(event);
		const message = String((await event.request.formData()).get('message') ?? '');
		const parsed = messageInput.safeParse({ message });
		if (!parsed.success) return fail(400, { reply: message, errors: fieldErrors<{ message?: string }>(parsed.error) });
		const replied = await replyToThread(scope, { threadId, message: parsed.data.message });
		// A LINE answer that did not reach the person says so (the thread shows which and why).
		settle(event, replied, replied.ok && replied.value.delivery === 'failed' ? 'reply_unsent' : 'reply');
	},
	note: async (event) => {
		const scope = requireOrganization(event, 'consultations.reply');
		const threadId = threadIdOf(event);
		const note = String((await event.request.formData()).get('note') ?? '');
		const parsed = noteInput.safeParse({ note });
		if (!parsed.success) return fail(400, { note, errors: fieldErrors<{ note?: string }>(parsed.error) });
		settle(event, await addNote(scope, { threadId, note: parsed.data.note }), 'note');
	},
	assign: async (event) => {
		const scope = requireOrganization(event, 'consultations.reply');
		const toMe = (await event.request.formData()).get('to') === 'me';
		settle(event, await assignThread(scope, { threadId: threadIdOf(event), toMe }), 'assign');
	},
	status: async (event) => {
		const scope = requireOrganization(event, 'consultations.reply');
		const threadId = threadIdOf(event);
		const parsed = statusInput.safeParse({ status: (await event.request.formData()).get('status') });
		if (!parsed.success) return fail(400, { errors: { status: 'consult.error.summary' } });
		settle(event, await setThreadStatus(scope, { threadId, status: parsed.data.status }), 'status');
	},
	/** A draft from the language model into the reply box (never sent: the counsellor edits and sends it). */
	draft: async (event) => {
		const scope = requireOrganization(event, 'consultations.reply');
		const drafted = await draftReply(scope, { threadId: threadIdOf(event) });
		if (!drafted.ok) return drafted.reason === 'not_found' ? error(404, 'Not Found') : fail(drafted.reason === 'timeout' || drafted.reason === 'failed' ? 502 : 400, { draftError: drafted.reason });
		return { reply: drafted.value.text, drafted: true };
	},
	tags: async (event) => {
		const scope = requireOrganization(event, 'consultations.reply');
		const threadId = threadIdOf(event);
		const parsed = tagsInput.safeParse({ tags: (await event.request.formData()).getAll('tags').map(String) });
		if (!parsed.success) return fail(400, { errors: { tags: 'consult.error.summary' } });
		settle(event, await setThreadTags(scope, { threadId, tags: parsed.data.tags }), 'tags');
	}
};
