/**
 * わたしの情報: the person's own view through a private link (a consultation thread's, a
 * registration's or a card's) — which organisations hold what about them, every provision record
 * about them, each consent — and their requests to an organisation (disclosure, correction,
 * deletion, stopping use), which reach its admins with a due date 14 days later (a mail with a link
 * only, never the words). Runs in the system context and checks the link itself; a miss is null.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { translate } from '$lib/i18n';
import { recordAudit } from '../audit';
import { peopleByIds } from '../auth';
import { encryptText } from '../crypto';
import { organizationNames } from '../directory';
import { publicOrigin } from '../http';
import { sendMailInBackground } from '../mail';
import { membersOf, ROLE_PERMISSIONS } from '../network';
import { ok, refused, runIn, type ResidentScope, type Result, type Tx } from '../scope';
import { consentsByLink, sourceByLink, type LinkSource, type PersonConsent } from './consents';
import { dataSubjects, provisionRecords, subjectRequests, type ShareItem, type SharingBasis, type SubjectRequestKind, type SubjectRequestStatus, type SubjectSource } from './schema';
import { subjectFor } from './sharing';

/** Days an organisation has to answer a person's request. */
export const REQUEST_DUE_DAYS = 14;

export const requestBodyBinding = (rowId: string, organizationId: string) => ({ table: 'subject_requests', column: 'body_sealed', rowId, organizationId });

/** What one organisation holds about the person, by source. */
export type Holding =
	| { kind: 'consultation'; organizationId: string; organizationName: string; since: Date; messages: number; nickname: string | null; contact: string | null }
	| { kind: 'registration'; organizationId: string; organizationName: string; since: Date; name: string; contact: string; needs: string; title: string }
	| { kind: 'card'; organizationId: string; organizationName: string };

export interface PersonProvision {
	providedAt: Date;
	providerName: string;
	recipientName: string;
	items: ShareItem[];
	basis: SharingBasis;
}

export interface PersonRequest {
	organizationName: string;
	kind: SubjectRequestKind;
	createdAt: Date;
	dueOn: string;
	status: SubjectRequestStatus;
}

export interface MyInformation {
	kind: SubjectSource;
	holdings: Holding[];
	provisions: PersonProvision[];
	consents: PersonConsent[];
	requests: PersonRequest[];
	/** The organisations the person may ask (the holders of this source). */
	askable: { id: string; name: string }[];
}

async function holdingsOf(tx: Tx, source: LinkSource, names: Map<string, string>): Promise<Holding[]> {
	if (source.kind === 'consultation') {
		const t = source.thread;
		return [{ kind: 'consultation', organizationId: t.organizationId, organizationName: names.get(t.organizationId) ?? '', since: t.createdAt, messages: t.personMessages, nickname: t.nickname, contact: t.contact }];
	}
	if (source.kind === 'registration') {
		const r = source.registration;
		return [{ kind: 'registration', organizationId: r.organizationId, organizationName: names.get(r.organizationId) ?? '', since: r.startsAt, name: r.name, contact: r.contact, needs: r.needs, title: r.title }];
	}
	return source.card.organizationIds.map((id) => ({ kind: 'card' as const, organizationId: id, organizationName: names.get(id) ?? '' }));
}

async function subjectIdsOf(tx: Tx, source: LinkSource): Promise<string[]> {
	const rows = await tx
		.select({ id: dataSubjects.id })
		.from(dataSubjects)
		.where(and(eq(dataSubjects.sourceKind, source.kind), eq(dataSubjects.sourceId, source.id), inArray(dataSubjects.organizationId, source.holders)));
	return rows.map((r) => r.id);
}

/** Everything the person's page shows, or null for every kind of miss. */
export async function myInformation(scope: ResidentScope, token: string): Promise<MyInformation | null> {
	const found = await runIn(scope, async (tx) => {
		const source = await sourceByLink(tx, token);
		if (!source) return null;
		const subjects = await subjectIdsOf(tx, source);
		const provisions = subjects.length ? await tx.select().from(provisionRecords).where(inArray(provisionRecords.subjectId, subjects)).orderBy(asc(provisionRecords.providedAt)) : [];
		const requests = subjects.length ? await tx.select().from(subjectRequests).where(inArray(subjectRequests.subjectId, subjects)).orderBy(asc(subjectRequests.createdAt)) : [];
		const names = await organizationNames(tx, [...new Set([...source.holders, ...provisions.flatMap((p) => [p.providerOrganizationId, p.recipientOrganizationId])])]);
		return {
			kind: source.kind,
			holdings: await holdingsOf(tx, source, names),
			provisions: provisions.map((p) => ({ providedAt: p.providedAt, providerName: names.get(p.providerOrganizationId) ?? '', recipientName: names.get(p.recipientOrganizationId) ?? '', items: p.items, basis: p.basis })),
			requests: requests.map((r) => ({ organizationName: names.get(r.organizationId) ?? '', kind: r.kind, createdAt: r.createdAt, dueOn: r.dueOn, status: r.status })),
			askable: source.holders.map((id) => ({ id, name: names.get(id) ?? '' }))
		};
	});
	if (!found) return null;
	const consents = await consentsByLink(scope, token);
	return { ...found, consents: consents?.consents ?? [] };
}

export type AskRefusal = 'not_found' | 'not_holder';

/**
 * The person asks an organisation that holds their information to disclose, correct, delete or stop
 * using it. Their words are sealed for the organisation; the organisation's admins get a mail with
 * a link to the requests page (never the words); recorded `privacy.request`.
 */
export async function askOrganization(scope: ResidentScope, input: { token: string; organizationId: string; kind: SubjectRequestKind; body: string }): Promise<Result<{ requestId: string; dueOn: string }, AskRefusal>> {
	const asked = await runIn(scope, async (tx): Promise<Result<{ requestId: string; dueOn: string; emails: string[] }, AskRefusal>> => {
		const source = await sourceByLink(tx, input.token);
		if (!source) return refused('not_found');
		if (!source.holders.includes(input.organizationId)) return refused('not_holder');
		const subjectId = await subjectFor(tx, input.organizationId, { kind: source.kind, id: source.id });
		const id = randomUUID();
		const [row] = await tx
			.insert(subjectRequests)
			.values({ id, subjectId, organizationId: input.organizationId, kind: input.kind, bodySealed: await encryptText(tx, input.body, requestBodyBinding(id, input.organizationId)), dueOn: sql`((now() at time zone 'Asia/Tokyo')::date + ${REQUEST_DUE_DAYS}::int)` })
			.returning({ dueOn: subjectRequests.dueOn });
		const admins = (await membersOf(tx, input.organizationId)).filter((m) => ROLE_PERMISSIONS[m.role].includes('privacy.requests')).map((m) => m.userId);
		const people = await peopleByIds(tx, admins);
		await recordAudit(tx, scope.origin, { action: 'privacy.request', organizationId: input.organizationId, entityType: 'subject_request', entityId: id });
		return ok({ requestId: id, dueOn: row.dueOn, emails: [...people.values()].map((p) => p.email) });
	});
	if (!asked.ok) return asked;
	const params = { app: translate('ja', 'app.name'), link: `${publicOrigin()}/staff/orgs/${input.organizationId}/requests`, due: asked.value.dueOn };
	for (const to of asked.value.emails) sendMailInBackground({ to, subject: translate('ja', 'consent.mail.subject', params), text: translate('ja', 'consent.mail.body', params) });
	return ok({ requestId: asked.value.requestId, dueOn: asked.value.dueOn });
}
