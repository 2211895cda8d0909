/**
 * Organisations ask to join the network; the secretariat approves (the organisation enters the
 * directory and the applicant is invited as its admin) or declines.
 */
import { and, desc, eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db';
import { recordAudit, type AuditOrigin } from '../audit';
import { codes, createMemberOrganization } from '../directory';
import { joinRequests, type JoinStatus } from './schema';
import { createInvitation } from './invitations';

const optional = (max: number) =>
	z
		.string()
		.trim()
		.max(max)
		.transform((v) => v || null);

/** The application form; messages are i18n keys the page shows beside the field. */
export const joinRequestInput = z.object({
	organizationName: z.string().trim().min(1, 'join.error.required').max(120, 'join.error.tooLong'),
	legalForm: optional(40).refine((v) => v === null || codes('legalForms').includes(v), 'join.error.choice'),
	prefecture: optional(10),
	city: optional(40),
	website: z
		.string()
		.trim()
		.max(300, 'join.error.tooLong')
		.refine((v) => v === '' || /^https?:\/\/[^\s]+$/.test(v), 'join.error.url')
		.transform((v) => v || null),
	description: z.string().trim().max(2000, 'join.error.tooLong'),
	applicantName: z.string().trim().min(1, 'join.error.required').max(80, 'join.error.tooLong'),
	applicantEmail: z.string().trim().max(254, 'join.error.tooLong').pipe(z.email('join.error.email')),
	message: optional(2000)
});
export type JoinRequestInput = z.infer<typeof joinRequestInput>;

/** Anyone may apply (the policy lets an anonymous context insert only a pending request). */
export async function submitJoinRequest(tx: Db, origin: AuditOrigin, input: JoinRequestInput): Promise<string> {
	const id = randomUUID();
	// No RETURNING: the applicant may not read the request back.
	await tx.insert(joinRequests).values({ id, ...input, applicantEmail: input.applicantEmail.toLowerCase() });
	await recordAudit(tx, origin, { action: 'join_request.submit', entityType: 'join_request', entityId: id, changedFields: Object.keys(input) });
	return id;
}

export async function listJoinRequests(tx: Db, status?: JoinStatus) {
	return tx
		.select()
		.from(joinRequests)
		.where(status ? eq(joinRequests.status, status) : undefined)
		.orderBy(desc(joinRequests.createdAt))
		.limit(200);
}

export type DecisionResult = { outcome: 'approved'; organizationId: string; invitationToken: string; email: string; organizationName: string } | { outcome: 'rejected'; email: string; organizationName: string } | { outcome: 'not_pending' };

/** Approve or decline a pending request, in the secretariat's transaction. */
export async function decideJoinRequest(tx: Db, origin: AuditOrigin, id: string, decision: 'approve' | 'reject', note: string | null): Promise<DecisionResult> {
	const [request] = await tx
		.select()
		.from(joinRequests)
		.where(and(eq(joinRequests.id, id), eq(joinRequests.status, 'pending')))
		.for('update');
	if (!request) return { outcome: 'not_pending' };
	const decided = { decidedBy: origin.actorUserId ?? null, decidedAt: new Date(), decisionNote: note };
	if (decision === 'reject') {
		await tx
			.update(joinRequests)
			.set({ status: 'rejected', ...decided })
			.where(eq(joinRequests.id, id));
		await recordAudit(tx, origin, { action: 'join_request.reject', entityType: 'join_request', entityId: id, changedFields: ['status'] });
		return { outcome: 'rejected', email: request.applicantEmail, organizationName: request.organizationName };
	}
	const organizationId = await createMemberOrganization(tx, {
		name: request.organizationName,
		legalForm: request.legalForm,
		prefecture: request.prefecture,
		city: request.city,
		website: request.website,
		description: request.description
	});
	await tx
		.update(joinRequests)
		.set({ status: 'approved', organizationId, ...decided })
		.where(eq(joinRequests.id, id));
	await recordAudit(tx, origin, { action: 'join_request.approve', organizationId, entityType: 'join_request', entityId: id, changedFields: ['status', 'organization_id'] });
	const invitationToken = await createInvitation(tx, origin, { organizationId, email: request.applicantEmail, role: 'org_admin' });
	return { outcome: 'approved', organizationId, invitationToken, email: request.applicantEmail, organizationName: request.organizationName };
}
