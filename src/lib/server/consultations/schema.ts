/**
 * Consultations: one thread model for every channel (the anonymous web form and its JSON twin, LINE
 * later, and phone or walk-in consultations typed by a counsellor). A thread is addressed to one
 * organisation — the one the person chose, or the network's one window (the secretariat's
 * organisation) — and only that organisation's counsellors see it (forced RLS, drizzle/0012).
 * Everything the person or a counsellor wrote is envelope-encrypted (crypto/, registry.ts); the
 * person follows the thread through a bearer link stored as a digest, like cards and registrations.
 */
import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, boolean, timestamp, integer, smallint, jsonb, index, uniqueIndex, unique, check, foreignKey } from 'drizzle-orm/pg-core';
import { organizations } from '../directory/schema';

export const CHANNELS = ['web', 'line', 'staff'] as const;
export type Channel = (typeof CHANNELS)[number];

/** new: nobody answered yet; open: a counsellor answered; waiting: for the person; closed. */
export const THREAD_STATUSES = ['new', 'open', 'waiting', 'closed'] as const;
export type ThreadStatus = (typeof THREAD_STATUSES)[number];

export const AUTHORS = ['person', 'counsellor', 'system'] as const;
export type Author = (typeof AUTHORS)[number];

/** A message sent to a LINE person: pending until the Messaging API answered, then sent or failed. */
export const DELIVERIES = ['pending', 'sent', 'failed'] as const;
export type Delivery = (typeof DELIVERIES)[number];

/**
 * A person who wrote through the network's LINE official account: pseudonymous in this module.
 * Their LINE user id is envelope-encrypted (the Messaging API needs it to push an answer) and
 * found again by a keyed digest (HMAC-SHA256 with a key sealed in consultation_secrets), so no
 * column holds the raw id. Never linked to a card or a registration. Served by the organisation
 * that was the network's one window when they first wrote.
 */
export const linePeople = pgTable(
	'line_people',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		organizationId: uuid('organization_id')
			.notNull()
			.references(() => organizations.id, { onDelete: 'cascade' }),
		userDigest: text('user_digest').notNull(),
		userIdSealed: text('user_id_sealed').notNull(),
		// False after an unfollow (blocked): nothing is pushed to them until they write or follow again.
		following: boolean('following').notNull().default(true),
		followedAt: timestamp('followed_at', { withTimezone: true }),
		unfollowedAt: timestamp('unfollowed_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('line_people_user_digest_key').on(t.userDigest)]
);

/**
 * Webhook event ids already processed (LINE redelivers an event it thinks was not received), kept
 * for LINE_EVENT_RETENTION_DAYS and pruned by the webhook itself.
 */
export const lineWebhookEvents = pgTable(
	'line_webhook_events',
	{
		webhookEventId: text('webhook_event_id').primaryKey(),
		receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('line_webhook_events_received_idx').on(t.receivedAt)]
);

/** The module's own secrets, sealed by crypto/ (today: the key of the LINE user id digest). */
export const consultationSecrets = pgTable('consultation_secrets', {
	name: text('name').primaryKey(),
	valueSealed: text('value_sealed').notNull(),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
});

export const consultationThreads = pgTable(
	'consultation_threads',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		organizationId: uuid('organization_id')
			.notNull()
			.references(() => organizations.id, { onDelete: 'cascade' }),
		channel: text('channel').$type<Channel>().notNull(),
		status: text('status').$type<ThreadStatus>().notNull().default('new'),
		// Crisis triage of the person's messages: set by the first match, never cleared by a later
		// ordinary message (a counsellor closes the thread instead).
		urgent: boolean('urgent').notNull().default(false),
		crisisCategories: text('crisis_categories')
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		rulesVersion: text('rules_version'),
		// A user id; no foreign key into auth's tables (the assignment is cleared when they leave).
		assignedTo: uuid('assigned_to'),
		// The person's private link, a 256-bit bearer token stored as its SHA-256 digest.
		accessDigest: text('access_digest').notNull(),
		nicknameSealed: text('nickname_sealed'),
		contactSealed: text('contact_sealed'),
		tags: text('tags')
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		// Time to first answer = first_answered_at - created_at.
		firstAnsweredAt: timestamp('first_answered_at', { withTimezone: true }),
		lastMessageAt: timestamp('last_message_at', { withTimezone: true }).notNull().defaultNow(),
		closedAt: timestamp('closed_at', { withTimezone: true }),
		// The LINE person a thread on channel `line` belongs to (their open thread is found by it).
		linePersonId: uuid('line_person_id').references(() => linePeople.id, { onDelete: 'set null' }),
		// The first time a counsellor opened the thread: an urgent thread still unopened after the
		// organisation's escalation minutes goes to the next person on the rota and the secretariat.
		firstOpenedAt: timestamp('first_opened_at', { withTimezone: true }),
		// 0: nobody alerted yet; 1: the on-call counsellor alerted; n: the rota's n-th person alerted.
		escalationLevel: smallint('escalation_level').notNull().default(0),
		escalatedAt: timestamp('escalated_at', { withTimezone: true }),
		// Set when retention emptied a closed thread: what was written is gone, the counts stay.
		anonymisedAt: timestamp('anonymised_at', { withTimezone: true })
	},
	(t) => [
		uniqueIndex('consultation_threads_access_key').on(t.accessDigest),
		index('consultation_threads_line_person_idx').on(t.linePersonId, t.status),
		// The target of the messages' and notes' (thread, organisation) key: a message cannot name
		// one organisation and sit in another's thread.
		unique('consultation_threads_organization_key').on(t.id, t.organizationId),
		// The inbox: one organisation's threads by status, urgent first, latest first.
		index('consultation_threads_inbox_idx').on(t.organizationId, t.status, t.urgent, t.lastMessageAt),
		// The escalation job's question: urgent threads nobody has opened yet.
		index('consultation_threads_unopened_urgent_idx')
			.on(t.createdAt)
			.where(sql`${t.urgent} and ${t.firstOpenedAt} is null and ${t.status} <> 'closed'`),
		// The retention job's question: closed threads not yet emptied.
		index('consultation_threads_retention_idx')
			.on(t.closedAt)
			.where(sql`${t.anonymisedAt} is null and ${t.status} = 'closed'`),
		check('consultation_threads_channel', sql`${t.channel} in ('web','line','staff')`),
		check('consultation_threads_status', sql`${t.status} in ('new','open','waiting','closed')`)
	]
);

/** One message in a thread. The organisation is repeated here for row-level security and as the binding of the sealed body. */
export const consultationMessages = pgTable(
	'consultation_messages',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		threadId: uuid('thread_id').notNull(),
		organizationId: uuid('organization_id').notNull(),
		author: text('author').$type<Author>().notNull(),
		authorUserId: uuid('author_user_id'),
		bodySealed: text('body_sealed').notNull(),
		// Triage of this message (person's messages only).
		urgent: boolean('urgent').notNull().default(false),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		// What became of sending this message to the person over LINE (null: not sent over LINE).
		delivery: text('delivery').$type<Delivery>(),
		// How it went or why not: `reply`, `push`, an HTTP status, `unfollowed`, `no_channel` — never content.
		deliveryDetail: text('delivery_detail'),
		deliveredAt: timestamp('delivered_at', { withTimezone: true })
	},
	(t) => [
		check('consultation_messages_delivery', sql`${t.delivery} in ('pending','sent','failed')`),
		foreignKey({ name: 'consultation_messages_thread_fk', columns: [t.threadId, t.organizationId], foreignColumns: [consultationThreads.id, consultationThreads.organizationId] }).onDelete('cascade'),
		index('consultation_messages_thread_idx').on(t.threadId, t.createdAt),
		check('consultation_messages_author', sql`${t.author} in ('person','counsellor','system')`)
	]
);

/** Counsellors' internal notes on a thread: never shown to the person. */
export const consultationNotes = pgTable(
	'consultation_notes',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		threadId: uuid('thread_id').notNull(),
		organizationId: uuid('organization_id').notNull(),
		authorUserId: uuid('author_user_id').notNull(),
		bodySealed: text('body_sealed').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [foreignKey({ name: 'consultation_notes_thread_fk', columns: [t.threadId, t.organizationId], foreignColumns: [consultationThreads.id, consultationThreads.organizationId] }).onDelete('cascade'), index('consultation_notes_thread_idx').on(t.threadId, t.createdAt)]
);

/**
 * An organisation's consultation settings; no row means the defaults (escalation after 10 minutes,
 * no automatic first reply, no drafting help).
 */
export const consultationSettings = pgTable(
	'consultation_settings',
	{
		organizationId: uuid('organization_id')
			.primaryKey()
			.references(() => organizations.id, { onDelete: 'cascade' }),
		escalationMinutes: integer('escalation_minutes').notNull().default(10),
		// The rule-based first reply (opening hours, what happens next), shape checked by the module's
		// zod schema; null: none is sent.
		autoReply: jsonb('auto_reply'),
		// Drafts from the configured OpenAI-compatible endpoint for this organisation's counsellors
		// (never sent without a counsellor, never for an urgent thread).
		draftAssist: boolean('draft_assist').notNull().default(false),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
		updatedBy: uuid('updated_by')
	},
	(t) => [check('consultation_settings_escalation_minutes', sql`${t.escalationMinutes} between 1 and 1440`)]
);

/**
 * Who answers an organisation's urgent consultations, in order: the first is on call and alerted
 * at once, the next ones are alerted in turn when a thread stays unopened. A counsellor who linked
 * their LINE account (by sending the official account a one-time code) is alerted there too.
 */
export const consultationRota = pgTable(
	'consultation_rota',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		organizationId: uuid('organization_id')
			.notNull()
			.references(() => organizations.id, { onDelete: 'cascade' }),
		// A user id; no foreign key into auth's tables (the module drops people who left).
		userId: uuid('user_id').notNull(),
		position: integer('position').notNull(),
		lineUserIdSealed: text('line_user_id_sealed'),
		// The one-time code a counsellor sends the official account to link LINE, as a digest.
		lineLinkDigest: text('line_link_digest'),
		lineLinkExpiresAt: timestamp('line_link_expires_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('consultation_rota_member_key').on(t.organizationId, t.userId), uniqueIndex('consultation_rota_line_link_key').on(t.lineLinkDigest)]
);

export const ALERT_REASONS = ['urgent', 'escalation'] as const;
export type AlertReason = (typeof ALERT_REASONS)[number];
export const ALERT_CHANNELS = ['mail', 'line'] as const;
export type AlertChannel = (typeof ALERT_CHANNELS)[number];

/** Every alert sent about a thread: to whom, why, how, and whether it went — never content. */
export const consultationAlerts = pgTable(
	'consultation_alerts',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		threadId: uuid('thread_id').notNull(),
		organizationId: uuid('organization_id').notNull(),
		recipientUserId: uuid('recipient_user_id').notNull(),
		reason: text('reason').$type<AlertReason>().notNull(),
		level: smallint('level').notNull(),
		via: text('via').$type<AlertChannel>().notNull(),
		delivery: text('delivery').$type<Delivery>().notNull().default('pending'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		foreignKey({ name: 'consultation_alerts_thread_fk', columns: [t.threadId, t.organizationId], foreignColumns: [consultationThreads.id, consultationThreads.organizationId] }).onDelete('cascade'),
		index('consultation_alerts_thread_idx').on(t.threadId, t.createdAt),
		check('consultation_alerts_reason', sql`${t.reason} in ('urgent','escalation')`),
		check('consultation_alerts_via', sql`${t.via} in ('mail','line')`),
		check('consultation_alerts_delivery', sql`${t.delivery} in ('pending','sent','failed')`)
	]
);

/**
 * Versions of the crisis triage rules, reviewed by the secretariat: each save is a new immutable
 * version (with its measured recall and false alarms on the labelled set); the active one is the
 * latest activated. No row: the rules shipped in triage/rules.json.
 */
export const triageRuleVersions = pgTable(
	'triage_rule_versions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		version: text('version').notNull(),
		rules: jsonb('rules').notNull(),
		note: text('note'),
		// Measured on the committed labelled set when the version was saved.
		measured: jsonb('measured'),
		createdBy: uuid('created_by'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		activatedAt: timestamp('activated_at', { withTimezone: true }),
		activatedBy: uuid('activated_by')
	},
	(t) => [uniqueIndex('triage_rule_versions_version_key').on(t.version), index('triage_rule_versions_activated_idx').on(t.activatedAt)]
);
