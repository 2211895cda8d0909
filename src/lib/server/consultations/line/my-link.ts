/**
 * わたしの情報 over LINE: a person who sends 「わたしの情報」 gets a private link to the page that
 * shows what is held and shared about them (/my/<token>; consent module's page), and their
 * consents with a way to withdraw. A LINE thread has no link of its own (its digest is of a token
 * nobody holds), so asking makes one: the person's latest thread gets a fresh token, and a link
 * sent before stops working. Nothing of the keyword becomes a message in the thread.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import { translate } from '$lib/i18n';
import { newToken, tokenDigest } from '../../auth';
import { recordAudit, type AuditOrigin } from '../../audit';
import { publicOrigin } from '../../http';
import type { Tx } from '../../scope';
import { consultationThreads } from '../schema';
import { THREAD_ENTITY } from '../intake';
import { linePersonByUserId } from './people';

/** Ways people write the keyword: kanji or kana, with or without spaces, 「私の情報」. */
const KEYWORDS = new Set(['わたしの情報', '私の情報', 'わたしのじょうほう', 'ワタシノジョウホウ', 'わたしの情報を見る', '私の情報を見る', 'myinformation', 'myinfo']);
export const isMyInformationRequest = (text: string): boolean =>
	KEYWORDS.has(
		text
			.normalize('NFKC')
			.replace(/[\s「」『』。.!！?？]/gu, '')
			.toLowerCase()
	);

/** The answer to the keyword, or null when the text is something else. */
export async function answerMyInformation<B extends { userId: string }>(tx: Tx<'system'>, origin: AuditOrigin, base: B, text: string): Promise<(B & { texts: string[] }) | null> {
	if (!isMyInformationRequest(text)) return null;
	const person = await linePersonByUserId(tx, base.userId);
	const [thread] = person
		? await tx
				.select({ id: consultationThreads.id, organizationId: consultationThreads.organizationId })
				.from(consultationThreads)
				.where(and(eq(consultationThreads.linePersonId, person.id), sql`${consultationThreads.anonymisedAt} is null`))
				.orderBy(desc(consultationThreads.createdAt))
				.limit(1)
				.for('update')
		: [];
	if (!thread) return { ...base, texts: [translate('ja', 'consult.line.myNothing')] };
	const token = newToken();
	await tx
		.update(consultationThreads)
		.set({ accessDigest: tokenDigest(token) })
		.where(eq(consultationThreads.id, thread.id));
	await recordAudit(tx, origin, { action: 'consultation.line_my_link', organizationId: thread.organizationId, entityType: THREAD_ENTITY, entityId: thread.id });
	return { ...base, texts: [translate('ja', 'consult.line.myLink', { url: `${publicOrigin()}/my/${token}` })] };
}
