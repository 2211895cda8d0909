/**
 * The people's requests as their organisation answers them (`privacy.requests`): the list with due
 * dates (overdue marked; no words), opening one (the words decrypted, the opening recorded
 * `privacy.request_view`), and marking it answered (`privacy.request_answer`).
 */
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../audit';
import { decryptText } from '../crypto';
import { todayInTokyo } from '../clock';
import { ok, refused, runIn, type OrganizationScope, type Result, type Tx } from '../scope';
import { dataSubjects, subjectRequests, type SubjectRequestKind, type SubjectRequestStatus, type SubjectSource } from './schema';
import { requestBodyBinding } from './mine';

export interface RequestRow {
	id: string;
	kind: SubjectRequestKind;
	source: SubjectSource;
	createdAt: Date;
	dueOn: string;
	status: SubjectRequestStatus;
	overdue: boolean;
	answeredAt: Date | null;
}

export type RequestRefusal = 'forbidden' | 'not_found';

const allowed = (scope: OrganizationScope) => scope.permission === 'privacy.requests';

async function rowsOf(tx: Tx<'organization'>, scope: OrganizationScope, requestId?: string) {
	return tx
		.select({ request: subjectRequests, source: dataSubjects.sourceKind })
		.from(subjectRequests)
		.innerJoin(dataSubjects, eq(dataSubjects.id, subjectRequests.subjectId))
		.where(and(eq(subjectRequests.organizationId, scope.organizationId), requestId ? eq(subjectRequests.id, requestId) : undefined))
		.orderBy(asc(subjectRequests.status), asc(subjectRequests.dueOn), desc(subjectRequests.createdAt));
}

const toRow = (r: { request: typeof subjectRequests.$inferSelect; source: SubjectSource }, today: string): RequestRow => ({
	id: r.request.id,
	kind: r.request.kind,
	source: r.source,
	createdAt: r.request.createdAt,
	dueOn: r.request.dueOn,
	status: r.request.status,
	overdue: r.request.status === 'open' && r.request.dueOn < today,
	answeredAt: r.request.answeredAt
});

/** The organisation's requests, open ones first by due date. */
export async function subjectRequestsPage(scope: OrganizationScope): Promise<Result<RequestRow[], RequestRefusal>> {
	if (!allowed(scope)) return refused('forbidden');
	return runIn(scope, async (tx) => {
		const today = todayInTokyo();
		return ok((await rowsOf(tx, scope)).map((r) => toRow(r, today)));
	});
}

/** One request with the person's words; the opening is recorded. */
export async function openSubjectRequest(scope: OrganizationScope, input: { requestId: string }): Promise<Result<RequestRow & { body: string }, RequestRefusal>> {
	if (!allowed(scope)) return refused('forbidden');
	return runIn(scope, async (tx) => {
		const [r] = await rowsOf(tx, scope, input.requestId);
		if (!r) return refused('not_found');
		const body = r.request.bodySealed ? await decryptText(tx, r.request.bodySealed, requestBodyBinding(r.request.id, r.request.organizationId)) : '';
		await recordAudit(tx, scope.origin, { action: 'privacy.request_view', organizationId: scope.organizationId, entityType: 'subject_request', entityId: r.request.id });
		return ok({ ...toRow(r, todayInTokyo()), body });
	});
}

/** Mark a request answered (the answer itself goes to the person outside the app: by mail, by phone, in person). */
export async function answerSubjectRequest(scope: OrganizationScope, input: { requestId: string }): Promise<Result<void, RequestRefusal | 'already_answered'>> {
	if (!allowed(scope)) return refused('forbidden');
	return runIn(scope, async (tx) => {
		const [r] = await tx
			.select()
			.from(subjectRequests)
			.where(and(eq(subjectRequests.id, input.requestId), eq(subjectRequests.organizationId, scope.organizationId)))
			.for('update');
		if (!r) return refused('not_found');
		if (r.status === 'answered') return refused('already_answered');
		await tx
			.update(subjectRequests)
			.set({ status: 'answered', answeredAt: sql`now()`, answeredBy: scope.actor.userId })
			.where(eq(subjectRequests.id, r.id));
		await recordAudit(tx, scope.origin, { action: 'privacy.request_answer', organizationId: scope.organizationId, entityType: 'subject_request', entityId: r.id, changedFields: ['status', 'answered_at', 'answered_by'] });
		return ok();
	});
}
