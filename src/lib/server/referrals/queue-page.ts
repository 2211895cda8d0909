/**
 * The secretariat's queue of stuck referrals (/staff/network/referrals, `network.referrals`): read
 * in the secretariat's own context, which row-level security lets see referral_queue and nothing of
 * the referrals themselves — so the page can only show organisations, reasons and days, never the
 * person or an item. Organisation names come through directory's door. Resolving an entry (「対応済み
 * にする」) records who and when, audited as `referral_queue.resolve`.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { uuid } from '../boundary';
import { recordAudit } from '../audit';
import { organizationNames } from '../directory';
import { ok, refused, runIn, type Result, type SecretariatScope } from '../scope';
import { daysBetween } from './queue';
import { referralQueue, type QueueReason } from './schema';

export interface QueueEntry {
	id: string;
	fromOrganizationId: string;
	fromName: string;
	toOrganizationId: string;
	toName: string;
	reason: QueueReason;
	waitingSince: Date;
	/** Whole days since the referral entered its waiting state. */
	daysWaiting: number;
	queuedAt: Date;
}

export interface QueuePage {
	open: QueueEntry[];
	counts: {
		open: number;
		openNotAccepted: number;
		openNoFirstContact: number;
		/** In the last 30 days. */
		queued30: number;
		resolved30: number;
	};
}

/** At most this many open entries on the page (oldest waiting first). */
export const QUEUE_PAGE_LIMIT = 500;

export async function referralQueuePage(scope: SecretariatScope, now: Date = new Date()): Promise<QueuePage> {
	return runIn(scope, async (tx) => {
		const q = referralQueue;
		const open = await tx.select({ id: q.id, fromOrganizationId: q.fromOrganizationId, toOrganizationId: q.toOrganizationId, reason: q.reason, waitingSince: q.waitingSince, queuedAt: q.queuedAt }).from(q).where(isNull(q.resolvedAt)).orderBy(q.waitingSince).limit(QUEUE_PAGE_LIMIT);
		const since = new Date(now.getTime() - 30 * 86_400_000).toISOString();
		const [counts] = (
			await tx.execute<{ open: number; not_accepted: number; no_first_contact: number; queued30: number; resolved30: number }>(sql`
			select count(*) filter (where resolved_at is null)::int as open,
				count(*) filter (where resolved_at is null and reason = 'not_accepted')::int as not_accepted,
				count(*) filter (where resolved_at is null and reason = 'no_first_contact')::int as no_first_contact,
				count(*) filter (where queued_at >= ${since}::timestamptz)::int as queued30,
				count(*) filter (where resolved_at >= ${since}::timestamptz)::int as resolved30
			from referral_queue`)
		).rows;
		const names = await organizationNames(tx, [...new Set(open.flatMap((e) => [e.fromOrganizationId, e.toOrganizationId]))]);
		return {
			open: open.map((e) => ({ ...e, fromName: names.get(e.fromOrganizationId) ?? '', toName: names.get(e.toOrganizationId) ?? '', daysWaiting: daysBetween(e.waitingSince, now) })),
			counts: { open: counts.open, openNotAccepted: counts.not_accepted, openNoFirstContact: counts.no_first_contact, queued30: counts.queued30, resolved30: counts.resolved30 }
		};
	});
}

/** The 「対応済みにする」 form. */
export const resolveInput = z.object({ id: uuid });

export type ResolveRefusal = 'not_found' | 'already_resolved';

/** Mark one open entry handled by the secretariat (resolved_by = the admin); audited. */
export async function resolveQueueEntry(scope: SecretariatScope, input: z.infer<typeof resolveInput>): Promise<Result<{ id: string }, ResolveRefusal>> {
	return runIn(scope, async (tx) => {
		const q = referralQueue;
		const [entry] = await tx.select({ id: q.id, resolvedAt: q.resolvedAt }).from(q).where(eq(q.id, input.id)).for('update');
		if (!entry) return refused('not_found');
		if (entry.resolvedAt) return refused('already_resolved');
		await tx
			.update(q)
			.set({ resolvedAt: sql`now()`, resolvedBy: scope.actor.userId })
			.where(and(eq(q.id, entry.id), isNull(q.resolvedAt)));
		await recordAudit(tx, scope.origin, { action: 'referral_queue.resolve', entityType: 'referral_queue', entityId: entry.id, changedFields: ['resolved_at', 'resolved_by'] });
		return ok({ id: entry.id });
	});
}
