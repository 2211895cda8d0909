/** The result of sending a message to a LINE person, kept on the message and in the audit log. */
import { eq, sql } from 'drizzle-orm';
import { recordAudit, type AuditOrigin } from '../../audit';
import type { Tx } from '../../scope';
import { THREAD_ENTITY } from '../intake';
import { consultationMessages } from '../schema';
import type { Sent } from './channel';

/** How a message to a LINE person went: on the message, and in the audit log. */
export async function recordSent(tx: Tx, scope: { origin: AuditOrigin }, record: { messageId: string; threadId: string; organizationId: string }, sent: Sent): Promise<void> {
	await tx
		.update(consultationMessages)
		.set({ delivery: sent.ok ? 'sent' : 'failed', deliveryDetail: sent.detail, deliveredAt: sent.ok ? sql`now()` : null })
		.where(eq(consultationMessages.id, record.messageId));
	await recordAudit(tx, scope.origin, { action: sent.ok ? 'consultation.line_sent' : 'consultation.line_failed', organizationId: record.organizationId, entityType: THREAD_ENTITY, entityId: record.threadId });
}
