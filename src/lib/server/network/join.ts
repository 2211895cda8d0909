/**
 * Organisations ask to join the network (a resident's form); the secretariat, in its scope,
 * approves (the organisation enters the directory and the applicant is invited as its admin) or
 * declines.
 */
import { and, desc, eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { recordAudit } from '../audit';
import { peopleByIds } from '../auth';
import { codes, createMemberOrganization } from '../directory';
import { ok, refused, runIn, type ResidentScope, type Result, type SecretariatScope } from '../scope';
import { joinRequests, type JoinStatus } from './schema';
import { createInvitation } from './invitations';
import { secretariatUserIds } from './members';

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

/** What the form's route needs for its mails: the secretariat admins' addresses (the reviewers). */
export interface Submitted {
	id: string;
	reviewers: string[];
}

/**
 * Anyone may apply, without an account: the form is the resident's (a `ResidentScope`, so the
 * system context); the request is stored pending, and the secretariat admins' addresses come back
 * for the notice the route sends (audit `join_request.submit`).
 */
export async function submitJoinRequest(scope: ResidentScope, input: JoinRequestInput): Promise<Submitted> {
	return runIn(scope, async (tx) => {
		const id = randomUUID();
		await tx.insert(joinRequests).values({ id, ...input, applicantEmail: input.applicantEmail.toLowerCase() });
		const reviewers = [...(await peopleByIds(tx, await secretariatUserIds(tx))).values()].map((p) => p.email);
		await recordAudit(tx, scope.origin, { action: 'join_request.submit', entityType: 'join_request', entityId: id, changedFields: Object.keys(input) });
		return { id, reviewers };
	});
}

export type JoinRequestRow = typeof joinRequests.$inferSelect;

/** The latest applications (200), newest first; only the secretariat sees them. */
export async function joinRequestsPage(scope: SecretariatScope, input: { status?: JoinStatus } = {}): Promise<JoinRequestRow[]> {
	return runIn(scope, (tx) =>
		tx
			.select()
			.from(joinRequests)
			.where(input.status ? eq(joinRequests.status, input.status) : undefined)
			.orderBy(desc(joinRequests.createdAt))
			.limit(200)
	);
}

/** What a decision leads to: the applicant's mail (and, once approved, the new organisation's admin invitation). */
export type Decision = { decision: 'approved'; organizationId: string; invitationToken: string; email: string; organizationName: string } | { decision: 'rejected'; email: string; organizationName: string };

/**
 * Approve or decline a pending request. Approving puts the organisation in the directory and
 * invites the applicant as its admin (audit `join_request.approve`, then `member.invite`);
 * declining records `join_request.reject`. `not_pending`: no such request, or decided already.
 */
export async function decideJoinRequest(scope: SecretariatScope, input: { id: string; decision: 'approve' | 'reject'; note: string | null }): Promise<Result<Decision, 'not_pending'>> {
	const { id, decision, note } = input;
	const origin = scope.origin;
	return runIn(scope, async (tx) => {
		const [request] = await tx
			.select()
			.from(joinRequests)
			.where(and(eq(joinRequests.id, id), eq(joinRequests.status, 'pending')))
			.for('update');
		if (!request) return refused('not_pending');
		const decided = { decidedBy: origin.actorUserId ?? null, decidedAt: new Date(), decisionNote: note };
		if (decision === 'reject') {
			await tx
				.update(joinRequests)
				.set({ status: 'rejected', ...decided })
				.where(eq(joinRequests.id, id));
			await recordAudit(tx, origin, { action: 'join_request.reject', entityType: 'join_request', entityId: id, changedFields: ['status'] });
			return ok({ decision: 'rejected', email: request.applicantEmail, organizationName: request.organizationName });
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
		return ok({ decision: 'approved', organizationId, invitationToken, email: request.applicantEmail, organizationName: request.organizationName });
	});
}
