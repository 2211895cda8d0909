/**
 * Consent records: a counsellor proposes, from a consultation, that the person let the organisation
 * tell another organisation (or one of its programs) some named items; the person answers through
 * their thread's private link (yes with their name, contact and how to be reached, or no); staff
 * note a consent given on paper or spoken; the person (or staff, noting it) withdraws a consent at
 * any time, effective at once — the database trigger of drizzle/0015 erases what was shared under
 * it and marks its referrals in the same transaction.
 *
 * Every operation is audited (`consent.request`, `consent.give`, `consent.refuse`,
 * `consent.record`, `consent.withdraw`); the person's values are sealed for the holding
 * organisation (`consentValuesBinding`). A resident has no identity in the policies: the person's
 * operations run in the system context and check the link themselves, one answer for every miss.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { recordAudit } from '../audit';
import { decryptText, encryptText } from '../crypto';
import { todayInTokyo } from '../clock';
import { allOrganizations, getOrganization, organizationNames, programIdsMatching, programSummaries } from '../directory';
import { tellLinePersonOfQuestion, threadOfOrganization, threadSourceByLink } from '../consultations';
import { registrationOfOrganization, registrationSourceByLink } from '../events';
import { cardSourceByLink } from '../participation';
import { ok, refused, runIn, type OrganizationScope, type ResidentScope, type Result, type Tx } from '../scope';
import { consents, dataSubjects, type ConsentChannel, type ReachWay, type ShareItem, type SubjectSource } from './schema';
import { consentValuesBinding, subjectFor, type ConsentValues } from './sharing';

export const CONSENT_ENTITY = 'consent';

export type ConsentStatus = 'pending' | 'given' | 'refused' | 'withdrawn' | 'expired';

type ConsentRow = typeof consents.$inferSelect;

/** Where a consent stands today. */
export function statusOf(row: Pick<ConsentRow, 'givenAt' | 'refusedAt' | 'withdrawnAt' | 'validUntil'>, today = todayInTokyo()): ConsentStatus {
	if (row.withdrawnAt) return 'withdrawn';
	if (row.refusedAt) return 'refused';
	if (row.validUntil !== null && row.validUntil < today) return 'expired';
	return row.givenAt ? 'given' : 'pending';
}

export interface Recipient {
	recipientOrganizationId: string;
	recipientProgramId?: string | null;
	items: ShareItem[];
	purpose: string;
	validUntil?: string | null;
}

export type RecipientRefusal = 'own_organization' | 'unknown_recipient' | 'unknown_program' | 'past_date';

/** The recipient must be another, published organisation; a program, one of its published ones; the date, today or later. */
async function checkRecipient(tx: Tx, holder: string, input: Recipient): Promise<RecipientRefusal | null> {
	if (input.recipientOrganizationId === holder) return 'own_organization';
	if (!(await getOrganization(tx, input.recipientOrganizationId))) return 'unknown_recipient';
	if (input.recipientProgramId) {
		const program = (await programSummaries(tx, [input.recipientProgramId])).get(input.recipientProgramId);
		if (!program || program.organizationId !== input.recipientOrganizationId || !program.published) return 'unknown_program';
	}
	if (input.validUntil && input.validUntil < todayInTokyo()) return 'past_date';
	return null;
}

const audit = (tx: Tx, origin: OrganizationScope['origin'], action: string, organizationId: string, consentId: string, changedFields?: string[]) => recordAudit(tx, origin, { action, organizationId, entityType: CONSENT_ENTITY, entityId: consentId, changedFields });

async function seal(tx: Tx, consentId: string, holder: string, values: ConsentValues): Promise<string> {
	return encryptText(tx, JSON.stringify(values), consentValuesBinding(consentId, holder));
}

/** A consent asked now by the scope's actor, for the subject, of the recipient's items: what every new consent row starts from. */
function consentRow(scope: OrganizationScope, id: string, subjectId: string, input: Recipient) {
	return {
		id,
		subjectId,
		organizationId: scope.organizationId,
		recipientOrganizationId: input.recipientOrganizationId,
		recipientProgramId: input.recipientProgramId ?? null,
		items: input.items,
		purpose: input.purpose,
		validUntil: input.validUntil ?? null,
		requestedBy: scope.actor.userId,
		requestedAt: sql`now()`
	};
}

// ── staff ───────────────────────────────────────────────────────────────────────────────────────

export type ProposalRefusal = 'not_found' | 'forbidden' | RecipientRefusal;

/**
 * A counsellor proposes, from one of the organisation's consultation threads, that the person let it
 * share `items` with another organisation. Nothing is given yet: the person answers on their page.
 */
export async function requestConsent(scope: OrganizationScope, input: Recipient & { threadId: string }): Promise<Result<{ consentId: string }, ProposalRefusal>> {
	if (scope.permission !== 'consultations.reply') return refused('forbidden');
	const proposed = await runIn(scope, async (tx): Promise<Result<{ consentId: string }, ProposalRefusal>> => {
		const thread = await threadOfOrganization(tx, scope.organizationId, input.threadId);
		if (!thread) return refused('not_found');
		const wrong = await checkRecipient(tx, scope.organizationId, input);
		if (wrong) return refused(wrong);
		const subjectId = await subjectFor(tx, scope.organizationId, { kind: 'consultation', id: thread.id });
		const id = randomUUID();
		await tx.insert(consents).values(consentRow(scope, id, subjectId, input));
		await audit(tx, scope.origin, 'consent.request', scope.organizationId, id);
		return ok({ consentId: id });
	});
	// A LINE person has no page open: they are told there, with a link to the question (after the
	// transaction — never holding it over the network; a failed push shows in the thread).
	if (proposed.ok) await tellLinePersonOfQuestion(scope, input.threadId);
	return proposed;
}

export type PersonValues = { name?: string | null; contact?: string | null; reach: ReachWay };
export type ValuesRefusal = 'name_required' | 'contact_required';

/** What the person gives with a consent: the items' values they typed (or the source's), and how to reach them. */
function valuesFor(items: readonly ShareItem[], typed: PersonValues, known: { name?: string | null; contact?: string | null } = {}): Result<ConsentValues, ValuesRefusal> {
	const values: ConsentValues = { reach: typed.reach };
	if (items.includes('name')) {
		const name = typed.name?.trim() || known.name?.trim();
		if (!name) return refused('name_required');
		values.name = name;
	}
	if (items.includes('contact')) {
		const contact = typed.contact?.trim() || known.contact?.trim();
		// "I'll go myself" needs no way to be reached.
		if (!contact && typed.reach !== 'self') return refused('contact_required');
		if (contact) values.contact = contact;
	}
	return ok(values);
}

export type RecordRefusal = 'not_found' | 'forbidden' | RecipientRefusal | ValuesRefusal;

/**
 * Staff note a consent the person gave on paper or said aloud: given at once, recorded by the
 * actor. From a consultation thread (counsellors) or a registration (registrations' staff) of the
 * scope's organisation; the name and contact default to what the source holds.
 */
export async function recordConsent(scope: OrganizationScope, input: Recipient & { source: { kind: 'consultation' | 'registration'; id: string }; via: 'paper' | 'spoken'; values: PersonValues }): Promise<Result<{ consentId: string }, RecordRefusal>> {
	const allowed = input.source.kind === 'consultation' ? scope.permission === 'consultations.reply' : scope.permission === 'referrals.send' || scope.permission === 'registrations.view';
	if (!allowed) return refused('forbidden');
	return runIn(scope, async (tx) => {
		const source = input.source.kind === 'consultation' ? await threadOfOrganization(tx, scope.organizationId, input.source.id) : await registrationOfOrganization(tx, scope.organizationId, input.source.id);
		if (!source) return refused('not_found');
		const wrong = await checkRecipient(tx, scope.organizationId, input);
		if (wrong) return refused(wrong);
		const known = 'nickname' in source ? { name: source.nickname, contact: source.contact } : { name: source.name, contact: source.contact };
		const values = valuesFor(input.items, input.values, known);
		if (!values.ok) return values;
		const subjectId = await subjectFor(tx, scope.organizationId, { kind: input.source.kind, id: source.id });
		const id = randomUUID();
		await tx.insert(consents).values({
			...consentRow(scope, id, subjectId, input),
			givenVia: input.via,
			givenAt: sql`now()`,
			recordedBy: scope.actor.userId,
			valuesSealed: await seal(tx, id, scope.organizationId, values.value)
		});
		await audit(tx, scope.origin, 'consent.record', scope.organizationId, id, ['given_at', 'given_via', 'values_sealed']);
		return ok({ consentId: id });
	});
}

/** One consent as staff see it on the thread: no values (those go only with a referral). */
export interface StaffConsent {
	id: string;
	recipientOrganizationId: string;
	recipientName: string;
	recipientProgramId: string | null;
	programTitle: string | null;
	items: ShareItem[];
	purpose: string;
	validUntil: string | null;
	status: ConsentStatus;
	givenVia: ConsentChannel | null;
	requestedAt: Date;
	givenAt: Date | null;
	withdrawnAt: Date | null;
}

async function described(tx: Tx, rows: ConsentRow[]) {
	const names = await organizationNames(tx, [...new Set(rows.map((r) => r.recipientOrganizationId))]);
	const programs = await programSummaries(tx, [...new Set(rows.map((r) => r.recipientProgramId).filter((p): p is string => p !== null))]);
	const today = todayInTokyo();
	return rows.map((r) => ({
		id: r.id,
		recipientOrganizationId: r.recipientOrganizationId,
		recipientName: names.get(r.recipientOrganizationId) ?? '',
		recipientProgramId: r.recipientProgramId,
		programTitle: r.recipientProgramId ? (programs.get(r.recipientProgramId)?.title ?? null) : null,
		items: r.items,
		purpose: r.purpose,
		validUntil: r.validUntil,
		status: statusOf(r, today),
		givenVia: r.givenVia,
		requestedAt: r.requestedAt,
		givenAt: r.givenAt,
		withdrawnAt: r.withdrawnAt
	}));
}

async function consentRowsOf(tx: Tx, holder: string, source: { kind: SubjectSource; id: string }): Promise<ConsentRow[]> {
	const rows = await tx
		.select({ consent: consents })
		.from(consents)
		.innerJoin(dataSubjects, eq(dataSubjects.id, consents.subjectId))
		.where(and(eq(consents.organizationId, holder), eq(dataSubjects.sourceKind, source.kind), eq(dataSubjects.sourceId, source.id)))
		.orderBy(asc(consents.requestedAt), asc(consents.id));
	return rows.map((r) => r.consent);
}

export interface RecipientChoices {
	organizations: { id: string; name: string }[];
	programs: { id: string; organizationId: string; title: string }[];
}

/** Published organisations other than the holder, and their published programs, for the proposal form. */
export async function recipientChoices(tx: Tx, holder: string): Promise<RecipientChoices> {
	const organizations = (await allOrganizations(tx)).filter((o) => o.published && o.id !== holder).map((o) => ({ id: o.id, name: o.name }));
	const programs = [...(await programSummaries(tx, await programIdsMatching(tx, { publishedOnly: true }))).values()]
		.filter((p) => p.organizationId !== holder)
		.map((p) => ({ id: p.id, organizationId: p.organizationId, title: p.title }))
		.sort((a, b) => a.title.localeCompare(b.title, 'ja'));
	return { organizations: organizations.sort((a, b) => a.name.localeCompare(b.name, 'ja')), programs };
}

/** The consents panel of a staff thread page: the thread's consents and the proposal form's choices. */
export async function threadConsents(scope: OrganizationScope, input: { threadId: string }): Promise<Result<{ consents: StaffConsent[]; choices: RecipientChoices; prefill: { name: string | null; contact: string | null } }, 'not_found'>> {
	return runIn(scope, async (tx) => {
		const thread = await threadOfOrganization(tx, scope.organizationId, input.threadId);
		if (!thread) return refused('not_found');
		const rows = await consentRowsOf(tx, scope.organizationId, { kind: 'consultation', id: thread.id });
		return ok({ consents: await described(tx, rows), choices: await recipientChoices(tx, scope.organizationId), prefill: { name: thread.nickname, contact: thread.contact } });
	});
}

// ── the person ──────────────────────────────────────────────────────────────────────────────────

/** The source behind a private link: a consultation thread, a registration or a card (null for every miss). */
export type LinkSource =
	| { kind: 'consultation'; id: string; holders: string[]; thread: NonNullable<Awaited<ReturnType<typeof threadSourceByLink>>> }
	| { kind: 'registration'; id: string; holders: string[]; registration: NonNullable<Awaited<ReturnType<typeof registrationSourceByLink>>> }
	| { kind: 'card'; id: string; holders: string[]; card: NonNullable<Awaited<ReturnType<typeof cardSourceByLink>>> };

export async function sourceByLink(tx: Tx<'system'>, token: string): Promise<LinkSource | null> {
	const thread = await threadSourceByLink(tx, token);
	if (thread) return { kind: 'consultation', id: thread.id, holders: [thread.organizationId], thread };
	const registration = await registrationSourceByLink(tx, token);
	if (registration) return { kind: 'registration', id: registration.id, holders: [registration.organizationId], registration };
	const card = await cardSourceByLink(tx, token);
	if (card) {
		// A card's holders: the organisations it lets recognise it, and any that hold a consent or request about it.
		const known = await tx
			.select({ organizationId: dataSubjects.organizationId })
			.from(dataSubjects)
			.where(and(eq(dataSubjects.sourceKind, 'card'), eq(dataSubjects.sourceId, card.id)));
		return { kind: 'card', id: card.id, holders: [...new Set([...card.organizationIds, ...known.map((k) => k.organizationId)])], card };
	}
	return null;
}

/** One consent as the person sees it: to whom, what, why, until when, where it stands, what they gave. */
export interface PersonConsent extends StaffConsent {
	holderName: string;
	values: ConsentValues;
}

async function personConsentsOf(tx: Tx<'system'>, source: LinkSource): Promise<PersonConsent[]> {
	const rows: ConsentRow[] = [];
	for (const holder of source.holders) rows.push(...(await consentRowsOf(tx, holder, source)));
	const holders = await organizationNames(tx, source.holders);
	const base = await described(tx, rows);
	return Promise.all(
		base.map(async (c, i) => {
			const row = rows[i];
			const values = row.valuesSealed ? (JSON.parse(await decryptText(tx, row.valuesSealed, consentValuesBinding(row.id, row.organizationId))) as ConsentValues) : {};
			return { ...c, holderName: holders.get(row.organizationId) ?? '', values };
		})
	);
}

/** The consents behind a private link (proposals waiting for an answer first), or null for every miss. */
export async function consentsByLink(scope: ResidentScope, token: string): Promise<{ kind: SubjectSource; consents: PersonConsent[]; prefill: { name: string | null; contact: string | null } } | null> {
	return runIn(scope, async (tx) => {
		const source = await sourceByLink(tx, token);
		if (!source) return null;
		const prefill = source.kind === 'consultation' ? { name: source.thread.nickname, contact: source.thread.contact } : source.kind === 'registration' ? { name: source.registration.name, contact: source.registration.contact } : { name: null, contact: null };
		return { kind: source.kind, consents: await personConsentsOf(tx, source), prefill };
	});
}

/** The consent `consentId` if it is about the person behind this source, locked for a change. */
async function consentOfSource(tx: Tx, source: LinkSource, consentId: string): Promise<ConsentRow | null> {
	const [row] = await tx
		.select({ consent: consents })
		.from(consents)
		.innerJoin(dataSubjects, eq(dataSubjects.id, consents.subjectId))
		.where(and(eq(consents.id, consentId), eq(dataSubjects.sourceKind, source.kind), eq(dataSubjects.sourceId, source.id), inArray(consents.organizationId, source.holders)))
		.for('update', { of: consents });
	return row?.consent ?? null;
}

export type AnswerRefusal = 'not_found' | 'not_pending' | ValuesRefusal;

/**
 * The person answers a proposal through their link: yes, with their name and contact (as the items
 * ask) and how they want to be reached; or no. Given on the web, at once.
 */
export async function answerConsent(scope: ResidentScope, input: { token: string; consentId: string } & ({ answer: 'give'; values: PersonValues } | { answer: 'refuse' })): Promise<Result<void, AnswerRefusal>> {
	return runIn(scope, async (tx) => {
		const source = await sourceByLink(tx, input.token);
		if (!source) return refused('not_found');
		const row = await consentOfSource(tx, source, input.consentId);
		if (!row) return refused('not_found');
		if (statusOf(row) !== 'pending') return refused('not_pending');
		if (input.answer === 'refuse') {
			await tx
				.update(consents)
				.set({ refusedAt: sql`now()` })
				.where(eq(consents.id, row.id));
			await audit(tx, scope.origin, 'consent.refuse', row.organizationId, row.id, ['refused_at']);
			return ok();
		}
		const values = valuesFor(row.items, input.values);
		if (!values.ok) return values;
		await tx
			.update(consents)
			.set({ givenAt: sql`now()`, givenVia: 'web', valuesSealed: await seal(tx, row.id, row.organizationId, values.value) })
			.where(eq(consents.id, row.id));
		await audit(tx, scope.origin, 'consent.give', row.organizationId, row.id, ['given_at', 'given_via', 'values_sealed']);
		return ok();
	});
}

export type WithdrawRefusal = 'not_found' | 'not_given';

async function withdraw(tx: Tx, origin: OrganizationScope['origin'], row: ConsentRow | null, via: ConsentChannel): Promise<Result<void, WithdrawRefusal>> {
	if (!row) return refused('not_found');
	if (!row.givenAt || row.withdrawnAt) return refused('not_given');
	// The trigger consents_withdrawn (drizzle/0015) erases the items shared under it and marks its referrals, in this transaction.
	await tx
		.update(consents)
		.set({ withdrawnAt: sql`now()`, withdrawnVia: via })
		.where(and(eq(consents.id, row.id), isNull(consents.withdrawnAt)));
	await audit(tx, origin, 'consent.withdraw', row.organizationId, row.id, ['withdrawn_at', 'withdrawn_via']);
	return ok();
}

/** The person withdraws a consent through their link (given or past its date: what was shared goes either way). */
export async function withdrawConsent(scope: ResidentScope, input: { token: string; consentId: string }): Promise<Result<void, WithdrawRefusal>>;
/** Staff note that the person withdrew a consent on paper or by saying so. */
export async function withdrawConsent(scope: OrganizationScope, input: { consentId: string; via: 'paper' | 'spoken' }): Promise<Result<void, WithdrawRefusal>>;
export async function withdrawConsent(scope: ResidentScope | OrganizationScope, input: { token: string; consentId: string } | { consentId: string; via: 'paper' | 'spoken' }): Promise<Result<void, WithdrawRefusal>> {
	if (scope.kind === 'resident') {
		const { token, consentId } = input as { token: string; consentId: string };
		return runIn(scope, async (tx) => {
			const source = await sourceByLink(tx, token);
			if (!source) return refused('not_found');
			return withdraw(tx, scope.origin, await consentOfSource(tx, source, consentId), 'web');
		});
	}
	const { consentId, via } = input as { consentId: string; via: 'paper' | 'spoken' };
	return runIn(scope, async (tx) => {
		const [row] = await tx
			.select()
			.from(consents)
			.where(and(eq(consents.id, consentId), eq(consents.organizationId, scope.organizationId)))
			.for('update');
		return withdraw(tx, scope.origin, row ?? null, via);
	});
}
