/**
 * One thread as its organisation's counsellors work on it. Opening it is an audited read
 * (`consultation.view`), every change an audited write; each operation takes the organisation's
 * scope, so a thread of another organisation is simply not there (`not_found`, and row-level
 * security would hide it even if the id were asked for directly).
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../audit';
import { decryptText, encryptText } from '../crypto';
import { codes } from '../directory';
import { peopleByIds } from '../auth';
import { ok, refused, runIn, type OrganizationScope, type Result, type Tx } from '../scope';
import { appendMessage, messagesOf, openThreadColumn, THREAD_ENTITY, type ThreadMessage } from './intake';
import { lineRecipient, pushAnswer } from './line/answer';
import { recordSent } from './line/record';
import { consultationNotes, consultationThreads, THREAD_STATUSES, type Channel, type ThreadStatus } from './schema';

/** Tags: the directory's life stages and 届けたい人たち, so that figures can later share them. */
export const TAGS: readonly string[] = [...codes('lifeStages').map((c) => `life_stage:${c}`), ...codes('targets').map((c) => `target:${c}`)];
export const tagsInput = z.object({ tags: z.array(z.string().refine((t) => TAGS.includes(t))).max(20) });
export const statusInput = z.object({ status: z.enum(THREAD_STATUSES) });

export type ThreadRefusal = 'not_found';

export interface Note {
	id: string;
	authorUserId: string;
	body: string;
	createdAt: Date;
}

export interface StaffThread {
	id: string;
	channel: Channel;
	status: ThreadStatus;
	urgent: boolean;
	categories: string[];
	rulesVersion: string | null;
	assignedTo: string | null;
	nickname: string | null;
	contact: string | null;
	tags: string[];
	createdAt: Date;
	firstAnsweredAt: Date | null;
	/** Seconds from the first message to the first answer; null while unanswered. */
	secondsToFirstAnswer: number | null;
	messages: ThreadMessage[];
	notes: Note[];
	/** Display names of the counsellors named above (assignment, answers, notes). */
	names: Record<string, string>;
}

async function ownThread(tx: Tx<'organization'>, scope: OrganizationScope, threadId: string) {
	const [thread] = await tx
		.select()
		.from(consultationThreads)
		.where(and(eq(consultationThreads.id, threadId), eq(consultationThreads.organizationId, scope.organizationId)))
		.for('update');
	return thread ?? null;
}

const audit = (tx: Tx, scope: OrganizationScope, action: string, threadId: string, changedFields?: string[]) => recordAudit(tx, scope.origin, { action, organizationId: scope.organizationId, entityType: THREAD_ENTITY, entityId: threadId, changedFields });

const noteBinding = (rowId: string, organizationId: string) => ({ table: 'consultation_notes', column: 'body_sealed', rowId, organizationId });

/** Open a thread: everything in it, decrypted, and the read recorded (`consultation.view`). */
export async function openThread(scope: OrganizationScope, input: { threadId: string }): Promise<Result<StaffThread, ThreadRefusal>> {
	return runIn(scope, async (tx) => {
		const thread = await ownThread(tx, scope, input.threadId);
		if (!thread) return refused('not_found');
		const open = (value: string | null, column: 'nickname_sealed' | 'contact_sealed') => (value ? openThreadColumn(tx, value, column, thread.id, thread.organizationId) : Promise.resolve(null));
		const noteRows = await tx.select().from(consultationNotes).where(eq(consultationNotes.threadId, thread.id)).orderBy(asc(consultationNotes.createdAt), asc(consultationNotes.id));
		const notes = await Promise.all(noteRows.map(async (n) => ({ id: n.id, authorUserId: n.authorUserId, body: await decryptText(tx, n.bodySealed, noteBinding(n.id, thread.organizationId)), createdAt: n.createdAt })));
		const messages = await messagesOf(tx, thread);
		const people = await peopleByIds(tx, [...new Set([thread.assignedTo, ...messages.map((m) => m.authorUserId), ...notes.map((n) => n.authorUserId)].filter((id): id is string => id !== null))]);
		const value: StaffThread = {
			id: thread.id,
			channel: thread.channel,
			status: thread.status,
			urgent: thread.urgent,
			categories: thread.crisisCategories,
			rulesVersion: thread.rulesVersion,
			assignedTo: thread.assignedTo,
			nickname: await open(thread.nicknameSealed, 'nickname_sealed'),
			contact: await open(thread.contactSealed, 'contact_sealed'),
			tags: thread.tags,
			createdAt: thread.createdAt,
			firstAnsweredAt: thread.firstAnsweredAt,
			secondsToFirstAnswer: thread.firstAnsweredAt ? Math.round((thread.firstAnsweredAt.getTime() - thread.createdAt.getTime()) / 1000) : null,
			messages,
			notes,
			names: Object.fromEntries([...people].map(([id, p]) => [id, p.displayName]))
		};
		// The first opening stops the escalation of an urgent thread (escalation.ts).
		if (!thread.firstOpenedAt)
			await tx
				.update(consultationThreads)
				.set({ firstOpenedAt: sql`now()` })
				.where(eq(consultationThreads.id, thread.id));
		await audit(tx, scope, 'consultation.view', thread.id);
		return ok(value);
	});
}

/** What became of an answer: null on the web (the person reads it through their link); on LINE, whether the push went. */
export interface Replied {
	delivery: 'sent' | 'failed' | null;
}

/**
 * A counsellor answers. The first answer sets the thread's time to first answer; the thread then
 * waits for the person, and is assigned to whoever answered if nobody had it. On a LINE thread the
 * answer is then pushed to the person (after the transaction: never holding it over the network)
 * and the result recorded on the message, so a failed push shows in the thread instead of being lost.
 */
export async function replyToThread(scope: OrganizationScope, input: { threadId: string; message: string }): Promise<Result<Replied, ThreadRefusal>> {
	const written = await runIn(scope, async (tx) => {
		const thread = await ownThread(tx, scope, input.threadId);
		if (!thread) return refused('not_found');
		const line = thread.channel === 'line';
		const messageId = await appendMessage(tx, thread, { author: 'counsellor', authorUserId: scope.actor.userId, body: input.message, urgent: false, delivery: line ? 'pending' : undefined });
		await tx
			.update(consultationThreads)
			.set({ status: 'waiting', closedAt: null, lastMessageAt: sql`now()`, firstAnsweredAt: thread.firstAnsweredAt ?? sql`now()`, assignedTo: thread.assignedTo ?? scope.actor.userId })
			.where(eq(consultationThreads.id, thread.id));
		const recipient = line ? await lineRecipient(tx, thread.linePersonId) : null;
		await audit(tx, scope, 'consultation.reply', thread.id);
		return ok({ messageId, recipient });
	});
	if (!written.ok) return written;
	const { messageId, recipient } = written.value;
	if (!recipient) return ok({ delivery: null });
	const sent = await pushAnswer(recipient, input.message, messageId);
	await runIn(scope, (tx) => recordSent(tx, scope, { messageId, threadId: input.threadId, organizationId: scope.organizationId }, sent));
	return ok({ delivery: sent.ok ? 'sent' : 'failed' });
}

/** An internal note, never shown to the person. */
export async function addNote(scope: OrganizationScope, input: { threadId: string; note: string }): Promise<Result<void, ThreadRefusal>> {
	return runIn(scope, async (tx) => {
		const thread = await ownThread(tx, scope, input.threadId);
		if (!thread) return refused('not_found');
		const id = randomUUID();
		const bodySealed = await encryptText(tx, input.note, noteBinding(id, thread.organizationId));
		await tx.insert(consultationNotes).values({ id, threadId: thread.id, organizationId: thread.organizationId, authorUserId: scope.actor.userId, bodySealed });
		await audit(tx, scope, 'consultation.note', thread.id);
		return ok();
	});
}

/** Take the thread (assign it to oneself) or let it go. */
export async function assignThread(scope: OrganizationScope, input: { threadId: string; toMe: boolean }): Promise<Result<void, ThreadRefusal>> {
	return runIn(scope, async (tx) => {
		const thread = await ownThread(tx, scope, input.threadId);
		if (!thread) return refused('not_found');
		await tx
			.update(consultationThreads)
			.set({ assignedTo: input.toMe ? scope.actor.userId : null, status: input.toMe && thread.status === 'new' ? 'open' : thread.status })
			.where(eq(consultationThreads.id, thread.id));
		await audit(tx, scope, input.toMe ? 'consultation.assign' : 'consultation.unassign', thread.id, ['assigned_to']);
		return ok();
	});
}

export async function setThreadStatus(scope: OrganizationScope, input: { threadId: string; status: ThreadStatus }): Promise<Result<void, ThreadRefusal>> {
	return runIn(scope, async (tx) => {
		const thread = await ownThread(tx, scope, input.threadId);
		if (!thread) return refused('not_found');
		await tx
			.update(consultationThreads)
			.set({ status: input.status, closedAt: input.status === 'closed' ? (thread.closedAt ?? sql`now()`) : null })
			.where(eq(consultationThreads.id, thread.id));
		await audit(tx, scope, input.status === 'closed' ? 'consultation.close' : 'consultation.status', thread.id, ['status']);
		return ok();
	});
}

export async function setThreadTags(scope: OrganizationScope, input: { threadId: string; tags: string[] }): Promise<Result<void, ThreadRefusal>> {
	return runIn(scope, async (tx) => {
		const thread = await ownThread(tx, scope, input.threadId);
		if (!thread) return refused('not_found');
		await tx
			.update(consultationThreads)
			.set({ tags: [...new Set(input.tags)] })
			.where(eq(consultationThreads.id, thread.id));
		await audit(tx, scope, 'consultation.tags', thread.id, ['tags']);
		return ok();
	});
}
