/**
 * The rule every provision of personal data to another organisation goes through, and the record
 * it leaves (29条). Called inside the providing organisation's transaction by the module that
 * shares (referrals), so the check, the sharing and the record commit together or not at all:
 *
 * - with consent: a consent the holder holds, given, not withdrawn, not past its date, for this
 *   recipient, covering every item;
 * - without consent: a basis (27条1項2号 life or body in danger, a legal duty, or the regional
 *   協議会 when it is declared and both organisations are members) and a written reason; the
 *   record then shows the secretariat the sharing and why.
 *
 * 要配慮個人情報 (`sensitive`) never leaves without one of the two: there is no third way here.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { decryptText, encryptText } from '../crypto';
import { todayInTokyo } from '../clock';
import { ok, refused, type Result, type Tx } from '../scope';
import { consents, councilMembers, dataSubjects, provisionRecords, regionalCouncil, type ConsentChannel, type ReachWay, type ShareItem, type SharingBasis, type SubjectSource } from './schema';
import { PROVISION_KEEP_YEARS } from './model';

/** The person as `holder` knows them through `source`: made on first need, the same id after. */
export async function subjectFor(tx: Tx, holder: string, source: { kind: SubjectSource; id: string }): Promise<string> {
	await tx.insert(dataSubjects).values({ organizationId: holder, sourceKind: source.kind, sourceId: source.id }).onConflictDoNothing();
	const [row] = await tx
		.select({ id: dataSubjects.id })
		.from(dataSubjects)
		.where(and(eq(dataSubjects.sourceKind, source.kind), eq(dataSubjects.sourceId, source.id), eq(dataSubjects.organizationId, holder)));
	return row.id;
}

export const consentValuesBinding = (rowId: string, organizationId: string) => ({ table: 'consents', column: 'values_sealed', rowId, organizationId });
export const provisionReasonBinding = (rowId: string, organizationId: string) => ({ table: 'provision_records', column: 'reason_sealed', rowId, organizationId });

/** What the person gave with a consent: a value per item (their name, their phone or address) and how to reach them. */
export type ConsentValues = Partial<Record<ShareItem, string>> & { reach?: ReachWay };

export interface ConsentInForce {
	id: string;
	subjectId: string;
	recipientOrganizationId: string;
	recipientProgramId: string | null;
	items: ShareItem[];
	purpose: string;
	validUntil: string | null;
	givenVia: ConsentChannel;
	givenAt: Date;
	values: ConsentValues;
}

const inForce = (row: typeof consents.$inferSelect, today: string) => row.givenAt !== null && row.givenVia !== null && !row.withdrawnAt && !row.refusedAt && (row.validUntil === null || row.validUntil >= today);

const openValues = async (tx: Tx, row: typeof consents.$inferSelect): Promise<ConsentValues> => (row.valuesSealed ? (JSON.parse(await decryptText(tx, row.valuesSealed, consentValuesBinding(row.id, row.organizationId))) as ConsentValues) : {});

const toInForce = async (tx: Tx, row: typeof consents.$inferSelect): Promise<ConsentInForce> => ({
	id: row.id,
	subjectId: row.subjectId,
	recipientOrganizationId: row.recipientOrganizationId,
	recipientProgramId: row.recipientProgramId,
	items: row.items,
	purpose: row.purpose,
	validUntil: row.validUntil,
	givenVia: row.givenVia as ConsentChannel,
	givenAt: row.givenAt as Date,
	values: await openValues(tx, row)
});

/** The consents in force that `holder` holds about the person it knows through `source` (a referral form offers these). */
export async function consentsInForceFor(tx: Tx, holder: string, source: { kind: SubjectSource; id: string }, now = new Date()): Promise<ConsentInForce[]> {
	const rows = await tx
		.select({ consent: consents })
		.from(consents)
		.innerJoin(dataSubjects, eq(dataSubjects.id, consents.subjectId))
		.where(and(eq(consents.organizationId, holder), eq(dataSubjects.sourceKind, source.kind), eq(dataSubjects.sourceId, source.id)))
		.orderBy(consents.createdAt);
	const today = todayInTokyo(now);
	return Promise.all(rows.filter((r) => inForce(r.consent, today)).map((r) => toInForce(tx, r.consent)));
}

export type ConsentRefusal = 'no_consent' | 'consent_not_in_force' | 'items_not_consented';

/** The consent `consentId`, if `holder` holds it and it lets `recipient` have every one of `items` today. */
export async function consentInForce(tx: Tx, input: { consentId: string; holder: string; recipient: string; items: readonly ShareItem[] }, now = new Date()): Promise<Result<ConsentInForce, ConsentRefusal>> {
	const [row] = await tx
		.select()
		.from(consents)
		.where(and(eq(consents.id, input.consentId), eq(consents.organizationId, input.holder), eq(consents.recipientOrganizationId, input.recipient)));
	if (!row) return refused('no_consent');
	if (!inForce(row, todayInTokyo(now))) return refused('consent_not_in_force');
	if (!input.items.every((item) => row.items.includes(item))) return refused('items_not_consented');
	return ok(await toInForce(tx, row));
}

/** Whether the network is a declared 協議会 with both organisations among its members. */
export async function councilCovers(tx: Tx, organizationIds: readonly string[]): Promise<boolean> {
	const [council] = await tx.select({ endedAt: regionalCouncil.endedAt }).from(regionalCouncil).where(isNull(regionalCouncil.endedAt));
	if (!council) return false;
	const members = await tx
		.select({ id: councilMembers.organizationId })
		.from(councilMembers)
		.where(inArray(councilMembers.organizationId, [...organizationIds]));
	return new Set(members.map((m) => m.id)).size === new Set(organizationIds).size;
}

export type BasisRefusal = 'reason_required' | 'not_a_council_member';

/** A sharing without consent: allowed only on a basis with its reason (and the 協議会 declared, covering both). */
export async function basisAllows(tx: Tx, input: { basis: Exclude<SharingBasis, 'consent'>; reason: string | null; provider: string; recipient: string }): Promise<Result<void, BasisRefusal>> {
	if (!input.reason || input.reason.trim().length === 0) return refused('reason_required');
	if (input.basis === 'council' && !(await councilCovers(tx, [input.provider, input.recipient]))) return refused('not_a_council_member');
	return ok();
}

export interface Provision {
	subjectId: string;
	provider: string;
	recipient: string;
	items: readonly ShareItem[];
	sensitive: boolean;
	basis: SharingBasis;
	consentId: string | null;
	reason: string | null;
	referralId: string | null;
	providedBy: string | null;
}

/** Write the provision record (29条) in the providing transaction; kept PROVISION_KEEP_YEARS years at least. */
export async function recordProvision(tx: Tx, provision: Provision): Promise<string> {
	const id = randomUUID();
	const reasonSealed = provision.reason ? await encryptText(tx, provision.reason, provisionReasonBinding(id, provision.provider)) : null;
	await tx.insert(provisionRecords).values({
		id,
		subjectId: provision.subjectId,
		providerOrganizationId: provision.provider,
		recipientOrganizationId: provision.recipient,
		items: [...provision.items],
		sensitive: provision.sensitive,
		basis: provision.basis,
		consentId: provision.consentId,
		reasonSealed,
		referralId: provision.referralId,
		providedBy: provision.providedBy,
		// Counted from the Tokyo day of provided_at (the transaction's start), as the table's check is.
		keepUntil: sql`((now() at time zone 'Asia/Tokyo')::date + make_interval(years => ${PROVISION_KEEP_YEARS}))::date`
	});
	return id;
}
