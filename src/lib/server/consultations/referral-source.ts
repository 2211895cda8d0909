/**
 * A thread as the start of a referral (referrals/send.ts): whether it is the organisation's, and
 * what the person told about themselves (nickname, contact), opened for the sender. Staff-entered
 * phone and walk-in consultations are threads too. The caller checks that the actor may read
 * consultations, and records the use in its own audit entry.
 */
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../scope';
import { openThreadColumn } from './intake';
import { consultationThreads } from './schema';

export interface ThreadForReferral {
	id: string;
	nickname: string | null;
	contact: string | null;
}

/** The organisation's thread `threadId` with its nickname and contact, or null when it is not the organisation's. */
export async function threadForReferral(tx: Tx, organizationId: string, threadId: string): Promise<ThreadForReferral | null> {
	const [thread] = await tx
		.select({ id: consultationThreads.id, organizationId: consultationThreads.organizationId, nicknameSealed: consultationThreads.nicknameSealed, contactSealed: consultationThreads.contactSealed })
		.from(consultationThreads)
		.where(and(eq(consultationThreads.id, threadId), eq(consultationThreads.organizationId, organizationId)));
	if (!thread) return null;
	return {
		id: thread.id,
		nickname: thread.nicknameSealed ? await openThreadColumn(tx, thread.nicknameSealed, 'nickname_sealed', thread.id, thread.organizationId) : null,
		contact: thread.contactSealed ? await openThreadColumn(tx, thread.contactSealed, 'contact_sealed', thread.id, thread.organizationId) : null
	};
}
