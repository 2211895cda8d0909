import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { fieldErrors, uuid, queryOf, notice, formOf, sentFields } from '$lib/server/boundary';
import { label, taxonomy } from '$lib/server/directory';
import { draftReply, draftingOn } from '$lib/server/consultations';
import { addNote, assignThread, messageInput, noteInput, openThread, replyToThread, setThreadStatus, setThreadTags, statusInput, tagsInput, THREAD_STATUSES, MESSAGE_MAX, NOTE_MAX, type ThreadRefusal } from '$lib/server/consultations';
import type { OrganizationScope, Result } from '$lib/server/scope';
import { formValues, proposalInput, recordConsent, recordInput, refusalField, requestConsent, staffWithdrawInput, threadConsents, withdrawConsent } from '$lib/server/consent';

const threadParam = z.object({ threadId: uuid });

/** The thread id of the path; a malformed one is a 404 like an unknown one. */
function threadIdOf(event: Pick<RequestEvent, 'params'>): string {
	const parsed = threadParam.safeParse(event.params);
	if (!parsed.success) error(404, 'Not Found');
	return parsed.data.threadId;
}

/** `?done=` after a change (settle below); anything else shows no notice. */
const pageQuery = z.object({ done: notice(['reply', 'reply_unsent', 'note', 'assign', 'status', 'tags']) });

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
		done: queryOf(pageQuery, event.url.searchParams).done,
		// 下書きを作る: only where drafting is on, never on an urgent thread (drafts.ts refuses it too).
		canDraft: !opened.value.urgent && (await draftingOn(scope)),
		consent: await threadConsents(scope, { threadId: opened.value.id })
	};
};

/** After a change: back to the thread (a new opening, recorded like any other), or 404 when it is not this organisation's. */
function settle(event: RequestEvent, result: Result<unknown, ThreadRefusal>, done: string): never {
	if (!result.ok) error(404, 'Not Found');
	redirect(303, `/staff/orgs/${event.params.orgId}/consultations/${event.params.threadId}?done=${done}`);
}

/** 担当: `to=me` takes the thread, anything else hands it back. */
const assignForm = z.object({ to: z.string() });

export const actions: Actions = {
	reply: async (event) => {
		const scope = requireOrganization(event, 'consultations.reply');
		const threadId = threadIdOf(event);
		const { message } = formOf(messageInput, await event.request.formData());
		const parsed = messageInput.safeParse({ message });
		if (!parsed.success) return fail(400, { reply: message, errors: fieldErrors<{ message?: string }>(parsed.error) });
		const replied = await replyToThread(scope, { threadId, message: parsed.data.message });
		// A LINE answer that did not reach the person says so (the thread shows which and why).
		settle(event, replied, replied.ok && replied.value.delivery === 'failed' ? 'reply_unsent' : 'reply');
	},
	note: async (event) => {
		const scope = requireOrganization(event, 'consultations.reply');
		const threadId = threadIdOf(event);
		const { note } = formOf(noteInput, await event.request.formData());
		const parsed = noteInput.safeParse({ note });
		if (!parsed.success) return fail(400, { note, errors: fieldErrors<{ note?: string }>(parsed.error) });
		settle(event, await addNote(scope, { threadId, note: parsed.data.note }), 'note');
	},
	assign: async (event) => {
		const scope = requireOrganization(event, 'consultations.reply');
		const toMe = formOf(assignForm, await event.request.formData()).to === 'me';
		settle(event, await assignThread(scope, { threadId: threadIdOf(event), toMe }), 'assign');
	},
	status: async (event) => {
		const scope = requireOrganization(event, 'consultations.reply');
		const threadId = threadIdOf(event);
		const parsed = statusInput.safeParse(formOf(statusInput, await event.request.formData()));
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
		const parsed = tagsInput.safeParse(formOf(tagsInput, await event.request.formData()));
		if (!parsed.success) return fail(400, { errors: { tags: 'consult.error.summary' } });
		settle(event, await setThreadTags(scope, { threadId, tags: parsed.data.tags }), 'tags');
	}
};

// ── つなぐための同意 (components/consent/ConsentPanel.svelte): propose, record on paper/spoken, note a withdrawal ──
async function consentAction(event: RequestEvent, act: (scope: OrganizationScope, form: FormData) => Promise<{ ok: true } | { ok: false; status: number; errors: Record<string, string> }>, done: string) {
	const scope = requireOrganization(event, 'consultations.reply');
	const form = await event.request.formData();
	const values = sentFields(form);
	const result = await act(scope, form);
	if (!result.ok) return fail(result.status, { consent: { action: done, values, errors: result.errors } });
	redirect(303, `/staff/orgs/${event.params.orgId}/consultations/${event.params.threadId}?consent=${done}#consent`);
}
const settled = (r: Result<unknown, string>) => {
	if (r.ok) return { ok: true as const };
	const field = refusalField(r.reason);
	if (!field) error(r.reason === 'forbidden' ? 403 : 404, 'Not Found');
	return { ok: false as const, status: 400, errors: field };
};
const invalid = (e: z.ZodError) => ({ ok: false as const, status: 400, errors: fieldErrors<Record<string, string>>(e) });
const RECIPIENT = ['recipientOrganizationId', 'recipientProgramId', 'purpose', 'validUntil'];

actions.consentPropose = (event) =>
	consentAction(
		event,
		async (scope, form) => {
			const parsed = proposalInput.safeParse(formValues(form, RECIPIENT, ['items']));
			return parsed.success ? settled(await requestConsent(scope, { threadId: threadIdOf(event), ...parsed.data })) : invalid(parsed.error);
		},
		'propose'
	);
actions.consentRecord = (event) =>
	consentAction(
		event,
		async (scope, form) => {
			const parsed = recordInput.safeParse(formValues(form, [...RECIPIENT, 'via', 'name', 'contact', 'reach'], ['items']));
			if (!parsed.success) return invalid(parsed.error);
			const { via, name, contact, reach, ...recipient } = parsed.data;
			return settled(await recordConsent(scope, { source: { kind: 'consultation', id: threadIdOf(event) }, ...recipient, via, values: { name, contact, reach } }));
		},
		'record'
	);
actions.consentWithdraw = (event) =>
	consentAction(
		event,
		async (scope, form) => {
			const parsed = staffWithdrawInput.safeParse(formValues(form, ['consentId', 'via']));
			return parsed.success ? settled(await withdrawConsent(scope, parsed.data)) : invalid(parsed.error);
		},
		'withdraw'
	);
