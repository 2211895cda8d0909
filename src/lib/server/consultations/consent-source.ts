/**
 * A thread as the consent module needs it: a thread of one organisation (a counsellor proposes a
 * consent from it, the form prefilled with the nickname and contact the person gave), and the
 * thread behind the person's private link (their わたしの情報 page). Both run in the caller's
 * transaction; the link lookup answers null for every kind of miss.
 */
import { and, eq, sql } from 'drizzle-orm';
import { isTokenShaped, tokenDigest } from '../auth';
import type { Tx } from '../scope';
import { openThreadColumn } from './intake';
import { consultationMessages, consultationThreads } from './schema';

export interface ConsentThread {
	id: string;
	organizationId: string;
	nickname: string | null;
	contact: string | null;
	createdAt: Date;
}

async function opened(tx: Tx, thread: typeof consultationThreads.$inferSelect): Promise<ConsentThread> {
	const open = (value: string | null, column: 'nickname_sealed' | 'contact_sealed') => (value ? openThreadColumn(tx, value, column, thread.id, thread.organizationId) : Promise.resolve(null));
	return { id: thread.id, organizationId: thread.organizationId, nickname: await open(thread.nicknameSealed, 'nickname_sealed'), contact: await open(thread.contactSealed, 'contact_sealed'), createdAt: thread.createdAt };
}

/** The thread `threadId` if it is `organizationId`'s (null otherwise), with the nickname and contact opened. */
export async function threadOfOrganization(tx: Tx<'organization'>, organizationId: string, threadId: string): Promise<ConsentThread | null> {
	const [thread] = await tx
		.select()
		.from(consultationThreads)
		.where(and(eq(consultationThreads.id, threadId), eq(consultationThreads.organizationId, organizationId)));
	return thread ? opened(tx, thread) : null;
}

/** The thread behind a private link, with how many messages the person wrote (null for every miss). */
export async function threadSourceByLink(tx: Tx<'system'>, token: string): Promise<(ConsentThread & { personMessages: number }) | null> {
	if (!isTokenShaped(token)) return null;
	const [thread] = await tx
		.select()
		.from(consultationThreads)
		.where(eq(consultationThreads.accessDigest, tokenDigest(token)));
	if (!thread) return null;
	const [count] = await tx
		.select({ n: sql<number>`count(*)::int` })
		.from(consultationMessages)
		.where(and(eq(consultationMessages.threadId, thread.id), eq(consultationMessages.author, 'person')));
	return { ...(await opened(tx, thread)), personMessages: count.n };
}
