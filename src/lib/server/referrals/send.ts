/**
 * Sending a referral (つなぐ): from one of the organisation's consultation threads (web, LINE,
 * phone or walk-in) or registrations, to another organisation or one of its programs, carrying only
 * the chosen items — each sealed for the receiving organisation alone. With the person's consent
 * (in force, for this recipient, covering every item) or, without it, on a recorded basis with a
 * written reason (consent/sharing.ts decides both). The referral, its items, its first event, the
 * provision record (29条) and the audit entry commit together or not at all.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { recordAudit } from '../audit';
import { can } from '../auth';
import { encryptText } from '../crypto';
import { basisAllows, consentInForce, consentsInForceFor, councilCovers, recordProvision, subjectFor, type ConsentInForce, type ReachWay, type ShareItem } from '../consent';
import { threadForReferral } from '../consultations';
import { referralTarget, referralTargets, type ReferralTarget } from '../directory';
import { registrationForReferral } from '../events';
import { ok, refused, runIn, type OrganizationScope, type Result, type Tx } from '../scope';
import type { ReferralSourceRef, SendInput } from './model';
import { notifyArrival } from './notify';
import { referralEvents, referralItems, referrals } from './schema';

export const REFERRAL_ENTITY = 'referral';

export type SourceRefusal = 'source_not_found' | 'source_not_allowed';

/** What the person gave where they are known: a thread's nickname and contact, a registration's name, contact and needs. */
interface SourceValues {
	name: string | null;
	contact: string | null;
	needs: string | null;
}

/**
 * The source, if it is the organisation's and the actor may read it: a thread needs
 * `consultations.read` (counsellors), a registration `registrations.view`.
 */
async function sourceValues(tx: Tx, scope: OrganizationScope, source: ReferralSourceRef): Promise<Result<SourceValues, SourceRefusal>> {
	if (source.kind === 'consultation') {
		if (!can(scope.actor, 'consultations.read', scope.organizationId)) return refused('source_not_allowed');
		const thread = await threadForReferral(tx, scope.organizationId, source.id);
		return thread ? ok({ name: thread.nickname, contact: thread.contact, needs: null }) : refused('source_not_found');
	}
	if (!can(scope.actor, 'registrations.view', scope.organizationId)) return refused('source_not_allowed');
	const registration = await registrationForReferral(tx, scope.organizationId, source.id);
	return registration ? ok({ name: registration.name, contact: registration.contact, needs: registration.needs }) : refused('source_not_found');
}

export interface FormConsent {
	id: string;
	recipientOrganizationId: string;
	recipientProgramId: string | null;
	items: ShareItem[];
	purpose: string;
	validUntil: string | null;
	reach: ReachWay | null;
}

export interface ReferralForm {
	source: ReferralSourceRef;
	/** The items the source itself holds a value for (used without consent, or when the consent gave none). */
	sourceHas: ShareItem[];
	/** The registration's needs, to start the needs text from. */
	needsHint: string | null;
	consents: FormConsent[];
	targets: ReferralTarget[];
	/** The 協議会 is declared with this organisation as a member (the council basis may apply). */
	council: boolean;
}

/** What the new-referral page needs: the consents in force for this person, and where a referral may go. */
export async function referralForm(scope: OrganizationScope, source: ReferralSourceRef): Promise<Result<ReferralForm, SourceRefusal>> {
	return runIn(scope, async (tx) => {
		const values = await sourceValues(tx, scope, source);
		if (!values.ok) return values;
		const consents = await consentsInForceFor(tx, scope.organizationId, { kind: source.kind, id: source.id });
		return ok({
			source,
			sourceHas: (['name', 'contact'] as const).filter((item) => values.value[item]),
			needsHint: values.value.needs,
			consents: consents.map((c) => ({ id: c.id, recipientOrganizationId: c.recipientOrganizationId, recipientProgramId: c.recipientProgramId, items: c.items, purpose: c.purpose, validUntil: c.validUntil, reach: c.values.reach ?? null })),
			targets: await referralTargets(tx, scope.organizationId),
			council: await councilCovers(tx, [scope.organizationId])
		});
	});
}

export type SendRefusal = SourceRefusal | 'same_organization' | 'unknown_recipient' | 'empty_items' | 'no_consent' | 'consent_not_in_force' | 'items_not_consented' | 'program_not_consented' | 'reason_required' | 'not_a_council_member' | 'item_unavailable' | 'reach_required';

export interface Sent {
	referralId: string;
}

const itemBinding = (rowId: string, organizationId: string) => ({ table: 'referral_items', column: 'value_sealed', rowId, organizationId });

/** Refer the person known through `input.source` to another organisation. */
export async function sendReferral(scope: OrganizationScope, input: SendInput): Promise<Result<Sent, SendRefusal>> {
	const sent = await runIn(scope, async (tx): Promise<Result<Sent & { to: string }, SendRefusal>> => {
		const from = scope.organizationId;
		if (input.toOrganizationId === from) return refused('same_organization');
		const items = [...new Set(input.items)];
		if (items.length === 0) return refused('empty_items');
		const source = await sourceValues(tx, scope, input.source);
		if (!source.ok) return source;
		if (!(await referralTarget(tx, input.toOrganizationId, input.toProgramId))) return refused('unknown_recipient');
		const subjectId = await subjectFor(tx, from, { kind: input.source.kind, id: input.source.id });

		let consent: ConsentInForce | null = null;
		if (input.basis === 'consent') {
			if (!input.consentId) return refused('no_consent');
			const found = await consentInForce(tx, { consentId: input.consentId, holder: from, recipient: input.toOrganizationId, items });
			if (!found.ok) return found;
			// A consent about someone else is no consent for this person.
			if (found.value.subjectId !== subjectId) return refused('no_consent');
			if (found.value.recipientProgramId && input.toProgramId && found.value.recipientProgramId !== input.toProgramId) return refused('program_not_consented');
			consent = found.value;
		} else {
			const allowed = await basisAllows(tx, { basis: input.basis, reason: input.reason, provider: from, recipient: input.toOrganizationId });
			if (!allowed.ok) return allowed;
		}

		// The values: the person's own words with their consent, else what they gave where they are known; the sender writes the summary and needs.
		const valueOf = (item: ShareItem): string | null => {
			if (item === 'summary') return input.summary;
			if (item === 'needs') return input.needs;
			return consent?.values[item] ?? source.value[item];
		};
		const values = items.map((item) => ({ item, value: valueOf(item)?.trim() || null }));
		if (values.some((v) => !v.value)) return refused('item_unavailable');
		const reach = consent?.values.reach ?? input.reach;
		if (!reach) return refused('reach_required');

		const referralId = randomUUID();
		const toProgramId = input.toProgramId ?? consent?.recipientProgramId ?? null;
		await tx.insert(referrals).values({
			id: referralId,
			subjectId,
			fromOrganizationId: from,
			toOrganizationId: input.toOrganizationId,
			toProgramId,
			sourceKind: input.source.kind,
			sourceId: input.source.id,
			referredBy: scope.actor.userId,
			status: 'sent',
			contactPreference: reach,
			basis: input.basis,
			consentId: consent?.id ?? null,
			items,
			sensitive: input.sensitive,
			followUpOn: input.followUpOn
		});
		// Sealed for the receiver; written without RETURNING (the sender is not meant to read them back).
		const rows = [];
		for (const { item, value } of values) {
			const id = randomUUID();
			rows.push({ id, referralId, fromOrganizationId: from, toOrganizationId: input.toOrganizationId, consentId: consent?.id ?? null, item, valueSealed: await encryptText(tx, value!, itemBinding(id, input.toOrganizationId)) });
		}
		await tx.insert(referralItems).values(rows);
		await tx.insert(referralEvents).values({ referralId, fromOrganizationId: from, toOrganizationId: input.toOrganizationId, status: 'sent', actorUserId: scope.actor.userId, actorOrganizationId: from, createdAt: sql`clock_timestamp()` });
		await recordProvision(tx, {
			subjectId,
			provider: from,
			recipient: input.toOrganizationId,
			items,
			sensitive: input.sensitive,
			basis: input.basis,
			consentId: consent?.id ?? null,
			reason: consent ? null : input.reason,
			referralId,
			providedBy: scope.actor.userId
		});
		await recordAudit(tx, scope.origin, { action: 'referral.send', organizationId: from, entityType: REFERRAL_ENTITY, entityId: referralId, changedFields: items });
		return ok({ referralId, to: input.toOrganizationId });
	});
	if (!sent.ok) return sent;
	notifyArrival({ id: sent.value.referralId, toOrganizationId: sent.value.to });
	return ok({ referralId: sent.value.referralId });
}
