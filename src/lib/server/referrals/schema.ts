/**
 * Referrals (つなぎ) with a closed loop: one organisation connects a person to another (or to one
 * of its programs), carrying only the items the person consented to — or, without consent, the
 * items a recorded basis allows — sealed for the receiving organisation alone. Statuses follow the
 * HL7 FHIR SDOH referral Task: sent → accepted / declined / redirected → first contact → ongoing →
 * completed, or closed with an outcome. Exactly the sending and the receiving organisation see a
 * referral (forced row-level security, drizzle/0015); the secretariat sees its queue of stuck
 * referrals, which names organisations and days, never the person.
 */
import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, boolean, date, timestamp, index, uniqueIndex, unique, check, foreignKey } from 'drizzle-orm/pg-core';
import { organizations, programs } from '../directory/schema';
import { consents, dataSubjects, REACH_WAYS, type ReachWay, type ShareItem, type SharingBasis } from '../consent/schema';

export const REFERRAL_STATUSES = ['sent', 'accepted', 'declined', 'redirected', 'first_contact', 'ongoing', 'completed', 'closed'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** Why a referral was closed; required to close. */
export const REFERRAL_OUTCOMES = ['got_help', 'could_not_reach', 'no_capacity', 'no_longer_wanted'] as const;
export type ReferralOutcome = (typeof REFERRAL_OUTCOMES)[number];

/** How the person wants to be reached: consent's REACH_WAYS (the person chooses it with their consent). */
export const CONTACT_PREFERENCES = REACH_WAYS;
export type ContactPreference = ReachWay;

/** Where the referral started. */
export const REFERRAL_SOURCES = ['consultation', 'registration', 'staff'] as const;
export type ReferralSource = (typeof REFERRAL_SOURCES)[number];

export const QUEUE_REASONS = ['not_accepted', 'no_first_contact'] as const;
export type QueueReason = (typeof QUEUE_REASONS)[number];

export const referrals = pgTable(
	'referrals',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		subjectId: uuid('subject_id')
			.notNull()
			.references(() => dataSubjects.id, { onDelete: 'restrict' }),
		fromOrganizationId: uuid('from_organization_id')
			.notNull()
			.references(() => organizations.id, { onDelete: 'cascade' }),
		toOrganizationId: uuid('to_organization_id')
			.notNull()
			.references(() => organizations.id, { onDelete: 'cascade' }),
		toProgramId: uuid('to_program_id').references(() => programs.id, { onDelete: 'set null' }),
		sourceKind: text('source_kind').$type<ReferralSource>().notNull(),
		// The thread or registration it came from (the sender's own row; no foreign key across modules).
		sourceId: uuid('source_id'),
		referredBy: uuid('referred_by').notNull(),
		status: text('status').$type<ReferralStatus>().notNull().default('sent'),
		outcome: text('outcome').$type<ReferralOutcome>(),
		contactPreference: text('contact_preference').$type<ContactPreference>().notNull(),
		basis: text('basis').$type<SharingBasis>().notNull(),
		consentId: uuid('consent_id').references(() => consents.id, { onDelete: 'restrict' }),
		items: text('items').array().$type<ShareItem[]>().notNull(),
		sensitive: boolean('sensitive').notNull().default(false),
		// Where a receiver suggests the person go instead (the sender refers again, with consent).
		redirectOrganizationId: uuid('redirect_organization_id').references(() => organizations.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		statusChangedAt: timestamp('status_changed_at', { withTimezone: true }).notNull().defaultNow(),
		acceptedAt: timestamp('accepted_at', { withTimezone: true }),
		firstContactAt: timestamp('first_contact_at', { withTimezone: true }),
		closedAt: timestamp('closed_at', { withTimezone: true }),
		// 見守り: the day the referring worker is reminded to look at how it went.
		followUpOn: date('follow_up_on', { mode: 'string' }),
		followUpSentAt: timestamp('follow_up_sent_at', { withTimezone: true }),
		// Set when the person withdrew the consent it was sent under: its items are gone.
		consentWithdrawnAt: timestamp('consent_withdrawn_at', { withTimezone: true })
	},
	(t) => [
		// Targets of the items' and events' keys: a row cannot name other organisations than its referral's.
		unique('referrals_parties_key').on(t.id, t.fromOrganizationId, t.toOrganizationId),
		index('referrals_from_idx').on(t.fromOrganizationId, t.status, t.statusChangedAt),
		index('referrals_to_idx').on(t.toOrganizationId, t.status, t.statusChangedAt),
		index('referrals_subject_idx').on(t.subjectId),
		index('referrals_consent_idx').on(t.consentId),
		// The queue job's question: referrals still waiting for acceptance or for a first contact.
		index('referrals_waiting_idx')
			.on(t.statusChangedAt)
			.where(sql`${t.status} in ('sent','accepted')`),
		check('referrals_status', sql`${t.status} in ('sent','accepted','declined','redirected','first_contact','ongoing','completed','closed')`),
		check('referrals_outcome', sql`${t.outcome} in ('got_help','could_not_reach','no_capacity','no_longer_wanted')`),
		check('referrals_closed_has_outcome', sql`${t.status} <> 'closed' or ${t.outcome} is not null`),
		check('referrals_contact_preference', sql`${t.contactPreference} in ('phone','mail','line','self')`),
		check('referrals_source_kind', sql`${t.sourceKind} in ('consultation','registration','staff')`),
		check('referrals_basis', sql`${t.basis} in ('consent','vital_interest','legal_duty','council')`),
		check('referrals_consent_basis', sql`(${t.basis} = 'consent') = (${t.consentId} is not null)`),
		check('referrals_items', sql`cardinality(${t.items}) > 0 and ${t.items} <@ array['name','contact','summary','needs']::text[]`),
		check('referrals_other_organization', sql`${t.fromOrganizationId} <> ${t.toOrganizationId}`)
	]
);

/**
 * The shared values, one row per item, sealed for the receiving organisation (bound to it). Only
 * the receiver reads them; the sender writes them and may erase them; withdrawing the consent
 * erases them at once (a trigger on consents, drizzle/0015).
 */
export const referralItems = pgTable(
	'referral_items',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		referralId: uuid('referral_id').notNull(),
		fromOrganizationId: uuid('from_organization_id').notNull(),
		toOrganizationId: uuid('to_organization_id').notNull(),
		consentId: uuid('consent_id').references(() => consents.id, { onDelete: 'cascade' }),
		item: text('item').$type<ShareItem>().notNull(),
		valueSealed: text('value_sealed').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		foreignKey({ name: 'referral_items_referral_fk', columns: [t.referralId, t.fromOrganizationId, t.toOrganizationId], foreignColumns: [referrals.id, referrals.fromOrganizationId, referrals.toOrganizationId] }).onDelete('cascade'),
		uniqueIndex('referral_items_item_key').on(t.referralId, t.item),
		index('referral_items_consent_idx').on(t.consentId),
		check('referral_items_item', sql`${t.item} in ('name','contact','summary','needs')`)
	]
);

/** Every status change, seen by both sides: who, when, and an optional note sealed for both. */
export const referralEvents = pgTable(
	'referral_events',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		referralId: uuid('referral_id').notNull(),
		fromOrganizationId: uuid('from_organization_id').notNull(),
		toOrganizationId: uuid('to_organization_id').notNull(),
		status: text('status').$type<ReferralStatus>().notNull(),
		outcome: text('outcome').$type<ReferralOutcome>(),
		actorUserId: uuid('actor_user_id'),
		// The organisation that acted (sender, receiver), null for the platform (the queue job).
		actorOrganizationId: uuid('actor_organization_id'),
		// Bound to the referral's receiving organisation; both sides' operations open it.
		noteSealed: text('note_sealed'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		foreignKey({ name: 'referral_events_referral_fk', columns: [t.referralId, t.fromOrganizationId, t.toOrganizationId], foreignColumns: [referrals.id, referrals.fromOrganizationId, referrals.toOrganizationId] }).onDelete('cascade'),
		index('referral_events_referral_idx').on(t.referralId, t.createdAt),
		check('referral_events_status', sql`${t.status} in ('sent','accepted','declined','redirected','first_contact','ongoing','completed','closed')`)
	]
);

/**
 * The secretariat's queue: referrals nobody accepted within N days, or accepted with no first
 * contact within M days. Organisations and days only — no person, no item — so the secretariat's
 * context may read it while the referrals themselves stay with the two parties.
 */
export const referralQueue = pgTable(
	'referral_queue',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		referralId: uuid('referral_id').notNull(),
		fromOrganizationId: uuid('from_organization_id').notNull(),
		toOrganizationId: uuid('to_organization_id').notNull(),
		reason: text('reason').$type<QueueReason>().notNull(),
		// When the referral entered its waiting state (sent, or accepted).
		waitingSince: timestamp('waiting_since', { withTimezone: true }).notNull(),
		queuedAt: timestamp('queued_at', { withTimezone: true }).notNull().defaultNow(),
		resolvedAt: timestamp('resolved_at', { withTimezone: true }),
		resolvedBy: uuid('resolved_by')
	},
	(t) => [
		foreignKey({ name: 'referral_queue_referral_fk', columns: [t.referralId, t.fromOrganizationId, t.toOrganizationId], foreignColumns: [referrals.id, referrals.fromOrganizationId, referrals.toOrganizationId] }).onDelete('cascade'),
		// A referral is queued once per reason.
		uniqueIndex('referral_queue_reason_key').on(t.referralId, t.reason),
		index('referral_queue_open_idx')
			.on(t.queuedAt)
			.where(sql`${t.resolvedAt} is null`),
		check('referral_queue_reason', sql`${t.reason} in ('not_accepted','no_first_contact')`)
	]
);
