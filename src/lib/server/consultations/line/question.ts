/**
 * A LINE person has no page open: when a counsellor asks them something that is answered on their
 * page (a consent to tell another organisation about them), they are told on LINE with a fresh
 * private link to the question (the thread's link is renewed, as 「わたしの情報」 does). The thread
 * keeps a system message saying a question was sent — without the link, which is the person's
 * alone (a counsellor holding it could answer in their name).
 */
import { and, eq } from 'drizzle-orm';
import { translate } from '$lib/i18n';
import { newToken, tokenDigest } from '../../auth';
import { recordAudit } from '../../audit';
import { publicOrigin } from '../../http';
import { runIn, type OrganizationScope } from '../../scope';
import { consultationThreads } from '../schema';
import { appendMessage, THREAD_ENTITY } from '../intake';
import { lineRecipient, pushAnswer } from './answer';
import { recordSent } from './record';

/** Tell the person on a LINE thread that a question waits on their page; nothing for other channels. */
export async function tellLinePersonOfQuestion(scope: OrganizationScope, threadId: string): Promise<'sent' | 'failed' | null> {
	const prepared = await runIn(scope, async (tx) => {
		const [thread] = await tx
			.select()
			.from(consultationThreads)
			.where(and(eq(consultationThreads.id, threadId), eq(consultationThreads.organizationId, scope.organizationId)))
			.for('update');
		if (!thread || thread.channel !== 'line' || thread.anonymisedAt) return null;
		const token = newToken();
		await tx
			.update(consultationThreads)
			.set({ accessDigest: tokenDigest(token) })
			.where(eq(consultationThreads.id, thread.id));
		const messageId = await appendMessage(tx, thread, { author: 'system', authorUserId: null, body: translate('ja', 'consult.line.questionSent'), urgent: false, delivery: 'pending' });
		const recipient = await lineRecipient(tx, thread.linePersonId);
		await recordAudit(tx, scope.origin, { action: 'consultation.line_question_link', organizationId: thread.organizationId, entityType: THREAD_ENTITY, entityId: thread.id });
		return { messageId, recipient, text: translate('ja', 'consult.line.question', { url: `${publicOrigin()}/consult/t/${token}#consent` }) };
	});
	if (!prepared) return null;
	const sent = await pushAnswer(prepared.recipient, prepared.text, prepared.messageId);
	await runIn(scope, (tx) => recordSent(tx, scope, { messageId: prepared.messageId, threadId, organizationId: scope.organizationId }, sent));
	return sent.ok ? 'sent' : 'failed';
}
