/**
 * The person's side: a consultation without an account (the web form and `POST
 * /api/v1/consultations`), and their thread through its private link. A resident has no identity
 * in the policies, so these run in the system context and check the link themselves; a miss — no
 * such link, a malformed one — has one answer (null / `not_found`) whatever the cause.
 *
 * Every incoming message is triaged at once: a match marks the thread urgent and the hotlines go
 * back with the answer, so the person sees them on the next page before anything else.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { isTokenShaped, newToken, tokenDigest } from '../auth';
import { recordAudit } from '../audit';
import { decryptText, encryptText } from '../crypto';
import { ok, refused, runIn, type ResidentScope, type Result, type SystemScope, type Tx } from '../scope';
import { type TriageResult } from './triage';
import { activeTriage } from './triage/active';
import { hotlinesFor, type Hotline } from './hotlines';
import { consultationMessages, consultationThreads, type Author, type Channel, type Delivery, type ThreadStatus } from './schema';
import { oneWindow, organizationExists } from './window';
import type { ConsultationInput } from './model';
import { alertUrgent } from './alerts';
import { sendFirstReply } from './auto-reply';

export const THREAD_ENTITY = 'consultation_thread';

/** A sealed column of a thread row (the binding keys:rotate uses, crypto/registry.ts). */
export const sealThread = (tx: Tx, text: string, column: 'nickname_sealed' | 'contact_sealed', rowId: string, organizationId: string) => encryptText(tx, text, { table: 'consultation_threads', column, rowId, organizationId });
export const openThreadColumn = (tx: Tx, text: string, column: 'nickname_sealed' | 'contact_sealed', rowId: string, organizationId: string) => decryptText(tx, text, { table: 'consultation_threads', column, rowId, organizationId });
const messageBinding = (rowId: string, organizationId: string) => ({ table: 'consultation_messages', column: 'body_sealed', rowId, organizationId });

/** Add one message to a thread (sealed). Stamped with the clock, not the transaction's start, so that two messages of one transaction (the person's and the system's answer) keep their order. */
export async function appendMessage(tx: Tx, thread: { id: string; organizationId: string }, message: { author: Author; authorUserId: string | null; body: string; urgent: boolean; delivery?: Delivery }): Promise<string> {
	const id = randomUUID();
	const bodySealed = await encryptText(tx, message.body, messageBinding(id, thread.organizationId));
	await tx.insert(consultationMessages).values({ id, threadId: thread.id, organizationId: thread.organizationId, author: message.author, authorUserId: message.authorUserId, bodySealed, urgent: message.urgent, delivery: message.delivery ?? null, createdAt: sql`clock_timestamp()` });
	return id;
}

/** The access digest of a thread nobody gets a link to (LINE threads): a token never given out. */
export const unusedAccessDigest = (): string => tokenDigest(newToken());

export interface ThreadMessage {
	id: string;
	author: Author;
	/** The counsellor who wrote it (null for the person and the system). */
	authorUserId: string | null;
	body: string;
	createdAt: Date;
	/** Sent to a LINE person: pending, sent or failed, and how (`reply`, `push`, `http_400`, `unfollowed` …); null otherwise. */
	delivery: Delivery | null;
	deliveryDetail: string | null;
}

/** A thread's messages in order, opened. */
export async function messagesOf(tx: Tx, thread: { id: string; organizationId: string }): Promise<ThreadMessage[]> {
	const rows = await tx.select().from(consultationMessages).where(eq(consultationMessages.threadId, thread.id)).orderBy(asc(consultationMessages.createdAt), asc(consultationMessages.id));
	return Promise.all(rows.map(async (m) => ({ id: m.id, author: m.author, authorUserId: m.authorUserId, body: await decryptText(tx, m.bodySealed, messageBinding(m.id, thread.organizationId)), createdAt: m.createdAt, delivery: m.delivery, deliveryDetail: m.deliveryDetail })));
}

/** What the person is shown straight after writing. */
export interface Received {
	urgent: boolean;
	hotlines: Hotline[];
}

export type Started = Received & { id: string; token: string; organizationId: string };
export type StartRefusal = 'unknown_organization' | 'no_window';

/**
 * A new consultation from the web (the form or the API): addressed to the chosen organisation, or
 * to the one window when none was chosen; triaged; recorded (`consultation.create`).
 */
export async function startConsultation(scope: ResidentScope | SystemScope, input: ConsultationInput, channel: Channel = 'web'): Promise<Result<Started, StartRefusal>> {
	const verdict = await activeTriage(input.message);
	const started = await runIn(scope, async (tx): Promise<Result<Started, StartRefusal>> => {
		let organizationId: string | null;
		if (input.organizationId) {
			if (!(await organizationExists(tx, input.organizationId))) return refused('unknown_organization');
			organizationId = input.organizationId;
		} else {
			organizationId = await oneWindow(tx);
			if (!organizationId) return refused('no_window');
		}
		const id = randomUUID();
		const token = newToken();
		await tx.insert(consultationThreads).values({
			id,
			organizationId,
			channel,
			urgent: verdict.urgent,
			crisisCategories: verdict.categories,
			rulesVersion: verdict.rulesVersion,
			accessDigest: tokenDigest(token),
			nicknameSealed: input.nickname ? await sealThread(tx, input.nickname, 'nickname_sealed', id, organizationId) : null,
			contactSealed: input.contact ? await sealThread(tx, input.contact, 'contact_sealed', id, organizationId) : null
		});
		await appendMessage(tx, { id, organizationId }, { author: 'person', authorUserId: null, body: input.message, urgent: verdict.urgent });
		await recordAudit(tx, scope.origin, { action: verdict.urgent ? 'consultation.create_urgent' : 'consultation.create', organizationId, entityType: THREAD_ENTITY, entityId: id });
		await sendFirstReply(tx, scope.origin, { id, organizationId, urgent: verdict.urgent });
		return ok({ id, token, organizationId, ...received(verdict) });
	});
	if (started.ok && started.value.urgent) void alertUrgent(scope, started.value.id);
	return started;
}

function received(verdict: TriageResult): Received {
	return { urgent: verdict.urgent, hotlines: hotlinesFor(verdict) };
}

/** The thread as its person sees it: their messages and the counsellors' answers, never notes or tags. */
export interface PersonThread {
	id: string;
	status: ThreadStatus;
	urgent: boolean;
	hotlines: Hotline[];
	nickname: string | null;
	createdAt: Date;
	messages: Omit<ThreadMessage, 'authorUserId' | 'delivery' | 'deliveryDetail'>[];
}

/**
 * The thread behind a private link. `forWrite` locks its row: a write then waits for the retention
 * job emptying it (which replaces the digest) and finds nothing, instead of adding to an emptied thread.
 */
async function threadByToken(tx: Tx<'system'>, token: string, forWrite = false) {
	const query = tx
		.select()
		.from(consultationThreads)
		.where(eq(consultationThreads.accessDigest, tokenDigest(token)));
	const [thread] = forWrite ? await query.for('update') : await query;
	return thread ?? null;
}

/** The person's thread by its private link (a lookup: null for every kind of miss). */
export async function threadByLink(scope: ResidentScope, token: string): Promise<PersonThread | null> {
	if (!isTokenShaped(token)) return null;
	return runIn(scope, async (tx) => {
		const thread = await threadByToken(tx, token);
		if (!thread) return null;
		// Which counsellor answered is theirs to say in the answer, not the page's.
		const messages = (await messagesOf(tx, thread)).map((m) => ({ id: m.id, author: m.author, body: m.body, createdAt: m.createdAt }));
		// The hotlines stay at the top for as long as the thread is urgent, not only once.
		const hotlines = thread.urgent ? hotlinesFor({ urgent: true, categories: thread.crisisCategories as TriageResult['categories'], matches: [], rulesVersion: thread.rulesVersion ?? '' }) : [];
		return {
			id: thread.id,
			status: thread.status,
			urgent: thread.urgent,
			hotlines,
			nickname: thread.nicknameSealed ? await openThreadColumn(tx, thread.nicknameSealed, 'nickname_sealed', thread.id, thread.organizationId) : null,
			createdAt: thread.createdAt,
			messages
		};
	});
}

/**
 * The person writes again on their thread. Triaged like the first message: a match marks the
 * thread urgent (an ordinary message never clears it). A thread waiting for the person, or closed,
 * opens again for the counsellors.
 */
export async function addPersonMessage(scope: ResidentScope, input: { token: string; message: string }): Promise<Result<Received, 'not_found'>> {
	if (!isTokenShaped(input.token)) return refused('not_found');
	const verdict = await activeTriage(input.message);
	let urgentThread: string | undefined;
	const added = await runIn(scope, async (tx): Promise<Result<Received, 'not_found'>> => {
		const thread = await threadByToken(tx, input.token, true);
		if (!thread) return refused('not_found');
		await appendMessage(tx, thread, { author: 'person', authorUserId: null, body: input.message, urgent: verdict.urgent });
		const categories = [...new Set([...thread.crisisCategories, ...verdict.categories])];
		await tx
			.update(consultationThreads)
			.set({
				lastMessageAt: sql`now()`,
				status: thread.firstAnsweredAt ? 'open' : 'new',
				closedAt: null,
				...(verdict.urgent ? { urgent: true, crisisCategories: categories, rulesVersion: verdict.rulesVersion } : {})
			})
			.where(and(eq(consultationThreads.id, thread.id)));
		await recordAudit(tx, scope.origin, { action: verdict.urgent ? 'consultation.person_message_urgent' : 'consultation.person_message', organizationId: thread.organizationId, entityType: THREAD_ENTITY, entityId: thread.id });
		if (verdict.urgent) urgentThread = thread.id;
		return ok(received(verdict));
	});
	if (urgentThread) void alertUrgent(scope, urgentThread);
	return added;
}
