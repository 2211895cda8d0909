/**
 * The counsellors' inbox of one organisation: threads by view, urgent first. The list shows no
 * content (nothing is decrypted here): what a person wrote is read only by opening the thread,
 * which is an audited read.
 */
import { and, asc, desc, eq, ne, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { runIn, type OrganizationScope } from '../scope';
import { consultationThreads, type Channel, type ThreadStatus } from './schema';

export const INBOX_VIEWS = ['new', 'urgent', 'mine', 'waiting', 'closed', 'all'] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];
export const inboxQuery = z.object({ view: z.enum(INBOX_VIEWS).catch('new') });

export const INBOX_LIMIT = 200;

export interface InboxRow {
	id: string;
	channel: Channel;
	status: ThreadStatus;
	urgent: boolean;
	categories: string[];
	assignedToMe: boolean;
	assigned: boolean;
	tags: string[];
	createdAt: Date;
	lastMessageAt: Date;
	firstAnsweredAt: Date | null;
}

export interface Inbox {
	view: InboxView;
	threads: InboxRow[];
	counts: Record<InboxView, number>;
}

function viewCondition(view: InboxView, userId: string): SQL | undefined {
	const t = consultationThreads;
	switch (view) {
		case 'new':
			return eq(t.status, 'new');
		case 'urgent':
			return and(eq(t.urgent, true), ne(t.status, 'closed'));
		case 'mine':
			return and(eq(t.assignedTo, userId), ne(t.status, 'closed'));
		case 'waiting':
			return eq(t.status, 'waiting');
		case 'closed':
			return eq(t.status, 'closed');
		case 'all':
			return undefined;
	}
}

/** One view of the organisation's inbox, urgent threads first, then the longest unanswered. */
export async function inbox(scope: OrganizationScope, input: { view: InboxView }): Promise<Inbox> {
	const userId = scope.actor.userId;
	const t = consultationThreads;
	return runIn(scope, async (tx) => {
		const rows = await tx
			.select()
			.from(t)
			.where(and(eq(t.organizationId, scope.organizationId), viewCondition(input.view, userId)))
			.orderBy(desc(t.urgent), input.view === 'closed' ? desc(t.lastMessageAt) : asc(t.lastMessageAt))
			.limit(INBOX_LIMIT);
		const [c] = await tx
			.select({
				new: sql<number>`count(*) filter (where ${t.status} = 'new')::int`,
				urgent: sql<number>`count(*) filter (where ${t.urgent} and ${t.status} <> 'closed')::int`,
				mine: sql<number>`count(*) filter (where ${t.assignedTo} = ${userId} and ${t.status} <> 'closed')::int`,
				waiting: sql<number>`count(*) filter (where ${t.status} = 'waiting')::int`,
				closed: sql<number>`count(*) filter (where ${t.status} = 'closed')::int`,
				all: sql<number>`count(*)::int`
			})
			.from(t)
			.where(eq(t.organizationId, scope.organizationId));
		return {
			view: input.view,
			counts: c,
			threads: rows.map((r) => ({
				id: r.id,
				channel: r.channel,
				status: r.status,
				urgent: r.urgent,
				categories: r.crisisCategories,
				assignedToMe: r.assignedTo === userId,
				assigned: r.assignedTo !== null,
				tags: r.tags,
				createdAt: r.createdAt,
				lastMessageAt: r.lastMessageAt,
				firstAnsweredAt: r.firstAnsweredAt
			}))
		};
	});
}
