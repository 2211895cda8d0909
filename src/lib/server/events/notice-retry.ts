/**
 * 「もう一度送る」: staff send a date's failed notices again from the date's page, through the same
 * senders (notices.ts `dispatchNotices`), each row's outcome, attempts and last try updated.
 *
 * What is sent again is rebuilt from the date as it is now, so only notices that still say
 * something true are offered: the date has not started; the registration is still on; a
 * cancellation only while the date is cancelled, a move or a restoration only while it takes
 * place. A confirmation is never sent again: it carries the resident's private link, which we keep
 * only as a digest (they got the link on screen when they registered).
 *
 * Two limits keep a retry from becoming a flood: a notice is tried at most MAX_NOTICE_ATTEMPTS
 * times in all (after that, a phone call is the way), and not again within RETRY_PAUSE_MS of its
 * last try (a double click or a re-sent form sends once; a provider that is down gets a moment).
 * Claiming is `UPDATE … WHERE outcome = 'failed' … RETURNING`, so two staff pressing at once
 * send each notice once.
 */
import { and, eq, inArray, lte, lt, sql } from 'drizzle-orm';
import { recordAudit } from '../audit';
import { ok, refused, runIn, type OrganizationScope, type Result, type Tx } from '../scope';
import { calendarEntry } from './calendar';
import { occurrenceOf, type OccurrenceRow } from './occurrences';
import { registrationNotices, registrations, type NoticeKind } from './schema';
import { changeMessage, dispatchNotices, recipientOf, type Delivery, type NoticeMessage, type Recipient } from './notices';
import { mobileNumberOf } from './notice-senders';
import { promotionMessage } from './registration-mail';
import { reminderMessage } from './reminders';
import type { CalendarEntry } from './calendar';

/** Tries in all, the first included: after the third failure staff call instead. */
export const MAX_NOTICE_ATTEMPTS = 3;
/** A failed notice is not tried again within a minute of its last try. */
export const RETRY_PAUSE_MS = 60_000;

/** The kinds a retry may send for a date in this state (see the header). */
function retryableKinds(o: OccurrenceRow): NoticeKind[] {
	return o.status === 'cancelled' ? ['cancelled'] : ['moved', 'restored', 'promoted', 'reminder'];
}

/** The date's failed notices a retry could send, in the organisation's context. */
function failedOf(o: OccurrenceRow, organizationId: string) {
	return and(
		eq(registrationNotices.organizationId, organizationId),
		eq(registrationNotices.outcome, 'failed'),
		inArray(registrationNotices.kind, retryableKinds(o)),
		sql`${registrationNotices.registrationId} in (select ${registrations.id} from ${registrations} where ${registrations.occurrenceId} = ${o.id} and ${registrations.status} in ('registered', 'waitlisted'))`
	)!;
}

export interface FailedNotices {
	/** Can be sent again now. */
	retryable: number;
	/** Tried MAX_NOTICE_ATTEMPTS times: call these people. */
	capped: number;
	/** Tried again less than a minute ago. */
	waiting: number;
}

const NONE: FailedNotices = { retryable: 0, capped: 0, waiting: 0 };

/** How many of the date's notices failed, by what a retry would do with them (counts only). */
export async function failedNotices(tx: Tx<'organization'>, organizationId: string, o: OccurrenceRow, now = new Date()): Promise<FailedNotices> {
	if (o.startsAt.getTime() <= now.getTime()) return NONE;
	const pauseEnd = new Date(now.getTime() - RETRY_PAUSE_MS);
	const [row] = await tx
		.select({
			capped: sql<number>`(count(*) filter (where ${registrationNotices.attempts} >= ${MAX_NOTICE_ATTEMPTS}))::int`,
			waiting: sql<number>`(count(*) filter (where ${registrationNotices.attempts} < ${MAX_NOTICE_ATTEMPTS} and ${registrationNotices.lastTriedAt} > ${pauseEnd}))::int`,
			retryable: sql<number>`(count(*) filter (where ${registrationNotices.attempts} < ${MAX_NOTICE_ATTEMPTS} and ${registrationNotices.lastTriedAt} <= ${pauseEnd}))::int`
		})
		.from(registrationNotices)
		.where(failedOf(o, organizationId));
	return row ?? NONE;
}

function messageOf(kind: NoticeKind, entry: CalendarEntry, note: string | null, r: Recipient): NoticeMessage | null {
	if (kind === 'cancelled' || kind === 'moved' || kind === 'restored') return changeMessage(kind, entry, kind === 'restored' ? null : note, r.name);
	if (kind === 'promoted') return promotionMessage(entry);
	if (kind === 'reminder') return reminderMessage(entry);
	return null;
}

/** Where a channel reaches the recipient now (null: it no longer does, e.g. a landline). */
function addressOf(channel: Delivery['channel'], r: Recipient): string | null {
	if (channel === 'line') return r.lineUserId;
	if (channel === 'sms') return mobileNumberOf(r.contact);
	return r.contactKind === 'email' ? r.contact : null;
}

export type RetryRefusal = 'not_found' | 'nothing_to_retry';

/**
 * Send the date's failed notices again (those `failedNotices` counts as retryable), once the claim
 * is committed; answers how many were sent again and how many are left to call. Audited as
 * `registration.notice_retry` with counts only.
 */
export async function retryFailedNotices(scope: OrganizationScope, input: { occurrenceId: string; now?: Date }): Promise<Result<FailedNotices & { retried: number }, RetryRefusal>> {
	const now = input.now ?? new Date();
	const { organizationId } = scope;
	const deliveries: Delivery[] = [];
	const result = await runIn(scope, async (tx): Promise<Result<FailedNotices & { retried: number }, RetryRefusal>> => {
		const o = await occurrenceOf(tx, organizationId, input.occurrenceId);
		if (!o) return refused('not_found');
		const before = await failedNotices(tx, organizationId, o, now);
		if (before.retryable === 0) return refused('nothing_to_retry');
		const claimed = await tx
			.update(registrationNotices)
			.set({ outcome: 'sent', attempts: sql`${registrationNotices.attempts} + 1`, lastTriedAt: now })
			.where(and(failedOf(o, organizationId), lt(registrationNotices.attempts, MAX_NOTICE_ATTEMPTS), lte(registrationNotices.lastTriedAt, new Date(now.getTime() - RETRY_PAUSE_MS))))
			.returning({ id: registrationNotices.id, registrationId: registrationNotices.registrationId, kind: registrationNotices.kind, channel: registrationNotices.channel });
		if (claimed.length === 0) return refused('nothing_to_retry');
		const entry = await calendarEntry(tx, o.id);
		const rows = await tx
			.select()
			.from(registrations)
			.where(
				inArray(
					registrations.id,
					claimed.map((c) => c.registrationId)
				)
			);
		const recipients = new Map(await Promise.all(rows.map(async (r) => [r.id, await recipientOf(tx, r)] as const)));
		const unreachable: string[] = [];
		for (const c of claimed) {
			const r = recipients.get(c.registrationId);
			const to = r ? addressOf(c.channel, r) : null;
			const message = r && entry ? messageOf(c.kind, entry, o.note, r) : null;
			if (to && message) deliveries.push({ noticeId: c.id, channel: c.channel, to, message });
			else unreachable.push(c.id);
		}
		// Tried, but nothing could leave (the channel no longer reaches them): failed again.
		if (unreachable.length) await tx.update(registrationNotices).set({ outcome: 'failed' }).where(inArray(registrationNotices.id, unreachable));
		const after = await failedNotices(tx, organizationId, o, now);
		await recordAudit(tx, scope.origin, {
			action: 'registration.notice_retry',
			organizationId,
			entityType: 'occurrence_notices',
			entityId: `${o.id} retried=${claimed.length} capped=${after.capped}`,
			changedFields: ['outcome', 'attempts', 'last_tried_at']
		});
		return ok({ ...after, retried: claimed.length });
	});
	if (result.ok) dispatchNotices(scope, deliveries);
	return result;
}
