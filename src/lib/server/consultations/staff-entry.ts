/**
 * Phone and walk-in consultations, typed by a counsellor into the same inbox (channel `staff`).
 * The counsellor writes the person's words or a summary, optionally a nickname and a way to reach
 * them, and whether they judge it urgent; triage runs on the text too, and either marks the thread
 * urgent. The text is sealed like every other message. The thread gets a private link's digest like
 * any thread (the column is required), but the link itself is never shown to anyone: the person
 * was on the phone or at the desk, and nobody else should hold it.
 *
 * The conversation itself was the first answer: the thread starts `open`, assigned to the
 * counsellor who recorded it, answered at the moment it was recorded. That is why the figures'
 * time to first answer counts the web and LINE channels only (figures.ts).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../audit';
import { runIn, type OrganizationScope } from '../scope';
import { activeTriage } from './triage/active';
import { appendMessage, sealThread, THREAD_ENTITY, unusedAccessDigest } from './intake';
import { consultationThreads } from './schema';
import { personFields } from './model';
import { alertUrgent } from './alerts';

/** The form "電話・来所の相談を記録": a checkbox sends `on` when ticked and nothing otherwise. */
export const staffEntryInput = z.object({
	...personFields,
	urgent: z
		.union([z.literal('on'), z.literal('true'), z.boolean()])
		.optional()
		.transform((v) => v === 'on' || v === 'true' || v === true)
});
export type StaffEntryInput = z.output<typeof staffEntryInput>;

export interface StaffEntered {
	id: string;
	urgent: boolean;
	/** Whether triage matched (it may mark urgent what the counsellor did not). */
	triageUrgent: boolean;
}

/** Record a phone or walk-in consultation in the organisation's inbox (`consultation.staff_entry`); nothing to refuse once the input parsed. */
export async function recordStaffConsultation(scope: OrganizationScope, input: StaffEntryInput): Promise<StaffEntered> {
	const verdict = await activeTriage(input.message);
	const urgent = input.urgent || verdict.urgent;
	const organizationId = scope.organizationId;
	const userId = scope.actor.userId;
	const entered = await runIn(scope, async (tx) => {
		const id = randomUUID();
		await tx.insert(consultationThreads).values({
			id,
			organizationId,
			channel: 'staff',
			status: 'open',
			urgent,
			crisisCategories: verdict.categories,
			rulesVersion: verdict.rulesVersion,
			assignedTo: userId,
			// A link nobody receives: the token is dropped here, only its digest is kept.
			accessDigest: unusedAccessDigest(),
			nicknameSealed: input.nickname ? await sealThread(tx, input.nickname, 'nickname_sealed', id, organizationId) : null,
			contactSealed: input.contact ? await sealThread(tx, input.contact, 'contact_sealed', id, organizationId) : null,
			firstAnsweredAt: sql`now()`,
			// The counsellor who typed it has it open: no escalation (the on-call is still alerted).
			firstOpenedAt: sql`now()`
		});
		// The person's words as the counsellor typed them: authored by the person, typed by the counsellor.
		await appendMessage(tx, { id, organizationId }, { author: 'person', authorUserId: userId, body: input.message, urgent });
		await recordAudit(tx, scope.origin, { action: urgent ? 'consultation.staff_entry_urgent' : 'consultation.staff_entry', organizationId, entityType: THREAD_ENTITY, entityId: id });
		return { id, urgent, triageUrgent: verdict.urgent };
	});
	if (entered.urgent) void alertUrgent(scope, entered.id);
	return entered;
}
