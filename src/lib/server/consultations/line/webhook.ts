/**
 * The LINE webhook's work, once the route has checked the signature. The LINE platform is no
 * member of any organisation and speaks for a person, so a delivery is processed in a
 * `ResidentScope` (the request's origin, no actor; the system context, as the web form's): each
 * event in its own transaction, which first records its `webhookEventId` — a redelivered event
 * finds it and does nothing — then does the event's work and its audit record. What is sent back
 * to the person goes after the transactions (never holding one open over the network), and its
 * result is recorded on the message it carries.
 */
import { randomUUID } from 'node:crypto';
import { and, desc, eq, lt, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../../audit';
import { spaceForControlCharacters } from '../../boundary';
import { log } from '../../log';
import { ok, refused, runIn, type ResidentScope, type Result, type Tx } from '../../scope';
import { activeTriage } from '../triage/active';
import { hotlinesFor } from '../hotlines';
import { appendMessage, THREAD_ENTITY, unusedAccessDigest } from '../intake';
import { consultationThreads, linePeople, lineWebhookEvents } from '../schema';
import { oneWindow } from '../window';
import { MESSAGE_MAX } from '../model';
import { sendToLine, type LineChannel } from './channel';
import { recordSent } from './record';
import { followingLinePerson, linePersonByUserId } from './people';
import { answerTexts, greetingTexts, textOnlyTexts } from './texts';
import { answerLinkCode, answerRegistrationCode } from './link';
import { answerMyInformation } from './my-link';
import { alertUrgent } from '../alerts';
import { firstReplyTexts } from '../auto-reply';

/** How long processed event ids are kept: LINE redelivers for a limited time, far less than this. */
export const LINE_EVENT_RETENTION_DAYS = 7;

export const LINE_PERSON_ENTITY = 'line_person';

const source = z.looseObject({ type: z.string(), userId: z.string().min(1).max(100).optional() });
/** The part of every event this module reads (LINE's EventBase); unknown event types pass through unread. */
const event = z.looseObject({
	type: z.string().describe('follow, unfollow and message are acted on; others are acknowledged.'),
	webhookEventId: z.string().min(1).max(100),
	timestamp: z.number().int().nonnegative(),
	mode: z.string().optional(),
	source: source.optional(),
	replyToken: z.string().max(200).optional(),
	deliveryContext: z.looseObject({ isRedelivery: z.boolean() }).optional(),
	// The boundary leaves this signed body to us (SIGNED_BODY_ENDPOINTS): controls become spaces, never stored.
	message: z.looseObject({ type: z.string(), id: z.string().optional(), text: z.string().transform(spaceForControlCharacters).optional() }).optional()
});
/** A delivery (LINE's CallbackRequest). LINE sends an empty `events` list to verify the webhook URL. */
export const lineCallbackSchema = z.object({ destination: z.string().describe('The bot’s user id.'), events: z.array(event).max(100) });
export type LineCallback = z.infer<typeof lineCallbackSchema>;
type LineEvent = LineCallback['events'][number];

/** Something to send after the transaction, and the message row that records how it went (if any). */
interface Outgoing {
	userId: string;
	replyToken?: string;
	eventTimestamp: number;
	texts: string[];
	retryKey: string;
	record?: { messageId: string; threadId: string; organizationId: string };
}

export interface LineDelivery {
	/** Events processed now; events seen before (redelivered) and skipped. */
	processed: number;
	duplicates: number;
	/** Settles when everything to send was sent and recorded (the route does not wait for it). */
	sent: Promise<void>;
}

export type LineRefusal = 'no_window';

/** Process one signed delivery. Refused (nothing of the refused event kept, so LINE's redelivery can retry it) when the network has no window yet. */
export async function receiveLineDelivery(scope: ResidentScope, channel: LineChannel, delivery: LineCallback, now: () => number = Date.now): Promise<Result<LineDelivery, LineRefusal>> {
	let processed = 0;
	let duplicates = 0;
	const outgoing: Outgoing[] = [];
	if (delivery.events.length > 0) await runIn(scope, (tx) => tx.delete(lineWebhookEvents).where(lt(lineWebhookEvents.receivedAt, sql`now() - make_interval(days => ${LINE_EVENT_RETENTION_DAYS})`)));
	for (const e of delivery.events) {
		const result = await runIn(scope, async (tx): Promise<Result<Outgoing[] | null, LineRefusal>> => {
			const window = await oneWindow(tx);
			if (!window && (e.type === 'follow' || e.type === 'message')) return refused('no_window');
			const fresh = await tx.insert(lineWebhookEvents).values({ webhookEventId: e.webhookEventId }).onConflictDoNothing().returning({ id: lineWebhookEvents.webhookEventId });
			if (fresh.length === 0) return ok(null);
			return ok(await processEvent(tx, scope, e, window!));
		});
		if (!result.ok) return result;
		if (result.value === null) duplicates++;
		else {
			processed++;
			outgoing.push(...result.value);
		}
	}
	// The on-call counsellors of threads that became urgent are alerted once the answers went (alerts.ts).
	const urgentMaybe = outgoing.map((o) => o.record?.threadId);
	const sent = sendAll(scope, channel, outgoing, now).then(() => alertUrgent(scope, urgentMaybe));
	return ok({ processed, duplicates, sent });
}

async function processEvent(tx: Tx<'system'>, scope: ResidentScope, e: LineEvent, window: string): Promise<Outgoing[]> {
	const userId = e.source?.type === 'user' ? e.source.userId : undefined;
	// Standby (another channel answers) or a group: not this channel's person to answer.
	if (!userId || (e.mode !== undefined && e.mode !== 'active')) return [];
	const base = { userId, replyToken: e.replyToken, eventTimestamp: e.timestamp, retryKey: randomUUID() };
	switch (e.type) {
		case 'follow': {
			const person = await followingLinePerson(tx, userId, window, true);
			await recordAudit(tx, scope.origin, { action: 'consultation.line_follow', organizationId: person.organizationId, entityType: LINE_PERSON_ENTITY, entityId: person.id });
			return [{ ...base, texts: greetingTexts() }];
		}
		case 'unfollow': {
			const person = await linePersonByUserId(tx, userId);
			if (!person) return [];
			await tx
				.update(linePeople)
				.set({ following: false, unfollowedAt: sql`now()` })
				.where(eq(linePeople.id, person.id));
			await recordAudit(tx, scope.origin, { action: 'consultation.line_unfollow', organizationId: person.organizationId, entityType: LINE_PERSON_ENTITY, entityId: person.id });
			return [];
		}
		case 'message': {
			const text = e.message?.type === 'text' ? e.message.text?.trim() : undefined;
			if (!text) return [{ ...base, texts: textOnlyTexts() }];
			return [(await answerLinkCode(tx, scope.origin, base, text)) ?? (await answerRegistrationCode(tx, scope.origin, base, text)) ?? (await answerMyInformation(tx, scope.origin, base, text)) ?? (await personWrote(tx, scope, base, text.slice(0, MESSAGE_MAX), window))];
		}
		default:
			return [];
	}
}

/**
 * A text message: onto the person's open thread (a new one when they have none, or theirs was
 * closed), triaged like the web's; the answer (hotlines or acknowledgement) is kept in the thread as
 * the system's message, pending until sent.
 */
async function personWrote(tx: Tx<'system'>, scope: ResidentScope, base: Omit<Outgoing, 'texts'>, text: string, window: string): Promise<Outgoing> {
	// Writing means following (LINE lets no blocked person write): they are back if they had gone.
	const person = await followingLinePerson(tx, base.userId, window, false);
	const verdict = await activeTriage(text);
	const [open] = await tx
		.select()
		.from(consultationThreads)
		.where(and(eq(consultationThreads.linePersonId, person.id), ne(consultationThreads.status, 'closed')))
		.orderBy(desc(consultationThreads.createdAt))
		.limit(1)
		.for('update');
	let thread: { id: string; organizationId: string };
	let action: string;
	if (open) {
		thread = open;
		const categories = [...new Set([...open.crisisCategories, ...verdict.categories])];
		await appendMessage(tx, thread, { author: 'person', authorUserId: null, body: text, urgent: verdict.urgent });
		await tx
			.update(consultationThreads)
			.set({ lastMessageAt: sql`now()`, status: open.firstAnsweredAt ? 'open' : 'new', ...(verdict.urgent ? { urgent: true, crisisCategories: categories, rulesVersion: verdict.rulesVersion } : {}) })
			.where(eq(consultationThreads.id, open.id));
		action = verdict.urgent ? 'consultation.person_message_urgent' : 'consultation.person_message';
	} else {
		thread = { id: randomUUID(), organizationId: person.organizationId };
		// A LINE thread has no private link: the digest of a token nobody is given fills the column.
		await tx.insert(consultationThreads).values({ id: thread.id, organizationId: thread.organizationId, channel: 'line', linePersonId: person.id, urgent: verdict.urgent, crisisCategories: verdict.categories, rulesVersion: verdict.rulesVersion, accessDigest: unusedAccessDigest() });
		await appendMessage(tx, thread, { author: 'person', authorUserId: null, body: text, urgent: verdict.urgent });
		action = verdict.urgent ? 'consultation.create_urgent' : 'consultation.create';
	}
	// A new thread's first message gets the organisation's first reply instead of the plain acknowledgement, when it has one (never when urgent: auto-reply.ts).
	const texts = (!open && (await firstReplyTexts(tx, scope.origin, { ...thread, urgent: verdict.urgent }))) || answerTexts(hotlinesFor(verdict));
	const messageId = await appendMessage(tx, thread, { author: 'system', authorUserId: null, body: texts.join('\n\n'), urgent: false, delivery: 'pending' });
	await recordAudit(tx, scope.origin, { action, organizationId: thread.organizationId, entityType: THREAD_ENTITY, entityId: thread.id });
	return { ...base, texts, retryKey: messageId, record: { messageId, threadId: thread.id, organizationId: thread.organizationId } };
}

/** Send, one after another (a person's answers keep their order), and record each result. */
async function sendAll(scope: ResidentScope, channel: LineChannel, outgoing: Outgoing[], now: () => number): Promise<void> {
	for (const o of outgoing) {
		const sent = await sendToLine(channel, o, o.texts, o.retryKey, now());
		if (!sent.ok) log.warn('line_send_failed', { detail: sent.detail, threadId: o.record?.threadId });
		if (o.record) {
			const record = o.record;
			await runIn(scope, (tx) => recordSent(tx, scope, record, sent)).catch((error) => log.error('line_record_failed', { message: (error as Error).message }));
		}
	}
}
