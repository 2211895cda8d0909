/**
 * Consent and the legal basis of every sharing (個人情報保護法 27条・29条, 孤独・孤立対策推進法).
 * A person is known to an organisation through one source — a consultation thread, a registration
 * or a participation card — and that source is their `data_subject` here. Consents name what may
 * go to which organisation for what purpose and until when; every provision of personal data to
 * another organisation leaves a provision record (kept at least three years, append-only at the
 * database level); the network can declare itself a 孤独・孤立対策地域協議会 and name its members;
 * the person's requests (disclosure, correction, deletion) reach the holding organisation with a
 * due date. Forced row-level security: drizzle/0015.
 */
import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, boolean, date, timestamp, index, uniqueIndex, check } from 'drizzle-orm/pg-core';
import { organizations, programs } from '../directory/schema';

/** What can be shared about a person, by name. `summary` and `needs` may hold 要配慮個人情報. */
export const SHARE_ITEMS = ['name', 'contact', 'summary', 'needs'] as const;
export type ShareItem = (typeof SHARE_ITEMS)[number];

/** Where the person is known from: their private link is that source's bearer link. */
export const SUBJECT_SOURCES = ['consultation', 'registration', 'card'] as const;
export type SubjectSource = (typeof SUBJECT_SOURCES)[number];

/** How a consent was given or withdrawn: by the person on the web or LINE, or noted by staff. */
export const CONSENT_CHANNELS = ['web', 'line', 'paper', 'spoken'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];

/**
 * The basis of a provision: the person's consent; 27条1項2号 (life, body or property in danger and
 * consent hard to get); a legal duty (27条1項1号, e.g. a child abuse report); or the regional
 * 孤独・孤立対策地域協議会 (推進法, members exchange what support needs and owe confidentiality).
 */
export const SHARING_BASES = ['consent', 'vital_interest', 'legal_duty', 'council'] as const;
export type SharingBasis = (typeof SHARING_BASES)[number];

/** How the person wants the receiving organisation to reach them; `self`: "don't contact me, I'll go myself". */
export const REACH_WAYS = ['phone', 'mail', 'line', 'self'] as const;
export type ReachWay = (typeof REACH_WAYS)[number];

export const SUBJECT_REQUEST_KINDS = ['disclosure', 'correction', 'deletion', 'stop'] as const;
export type SubjectRequestKind = (typeof SUBJECT_REQUEST_KINDS)[number];
export const SUBJECT_REQUEST_STATUSES = ['open', 'answered'] as const;
export type SubjectRequestStatus = (typeof SUBJECT_REQUEST_STATUSES)[number];

/** A person as one organisation knows them through one source. */
export const dataSubjects = pgTable(
	'data_subjects',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		// The organisation holding the source (the thread's, the registration's; a card's first consent).
		organizationId: uuid('organization_id')
			.notNull()
			.references(() => organizations.id, { onDelete: 'cascade' }),
		sourceKind: text('source_kind').$type<SubjectSource>().notNull(),
		// The thread's, registration's or card's id; no foreign key (three tables, other modules).
		sourceId: uuid('source_id').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('data_subjects_source_key').on(t.sourceKind, t.sourceId, t.organizationId), check('data_subjects_source_kind', sql`${t.sourceKind} in ('consultation','registration','card')`)]
);

/**
 * One consent: the person lets `organization_id` (the holder) give `items` to the recipient for
 * `purpose` until `valid_until`. Asked by staff (`requested_*`), then given or refused by the
 * person (web, LINE) or noted by staff (paper, spoken). In force while given, not withdrawn and
 * not past its date. The values the person typed for the items (their name, their contact) are
 * sealed for the holder until a referral carries them, sealed for the recipient alone.
 */
export const consents = pgTable(
	'consents',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		subjectId: uuid('subject_id')
			.notNull()
			.references(() => dataSubjects.id, { onDelete: 'cascade' }),
		organizationId: uuid('organization_id')
			.notNull()
			.references(() => organizations.id, { onDelete: 'cascade' }),
		recipientOrganizationId: uuid('recipient_organization_id')
			.notNull()
			.references(() => organizations.id, { onDelete: 'cascade' }),
		recipientProgramId: uuid('recipient_program_id').references(() => programs.id, { onDelete: 'set null' }),
		items: text('items').array().$type<ShareItem[]>().notNull(),
		purpose: text('purpose').notNull(),
		validUntil: date('valid_until', { mode: 'string' }),
		requestedBy: uuid('requested_by'),
		requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
		givenVia: text('given_via').$type<ConsentChannel>(),
		givenAt: timestamp('given_at', { withTimezone: true }),
		// Staff who noted a consent given on paper or spoken.
		recordedBy: uuid('recorded_by'),
		// JSON {item: value} the person gave with the consent (their name, how to reach them).
		valuesSealed: text('values_sealed'),
		refusedAt: timestamp('refused_at', { withTimezone: true }),
		withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
		withdrawnVia: text('withdrawn_via').$type<ConsentChannel>(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('consents_subject_idx').on(t.subjectId, t.createdAt),
		index('consents_organization_idx').on(t.organizationId, t.createdAt),
		check('consents_items', sql`cardinality(${t.items}) > 0 and ${t.items} <@ array['name','contact','summary','needs']::text[]`),
		check('consents_given_via', sql`${t.givenVia} in ('web','line','paper','spoken')`),
		check('consents_withdrawn_via', sql`${t.withdrawnVia} in ('web','line','paper','spoken')`),
		check('consents_given_or_refused', sql`not (${t.givenAt} is not null and ${t.refusedAt} is not null)`),
		check('consents_given_has_channel', sql`(${t.givenAt} is null) = (${t.givenVia} is null)`)
	]
);

/**
 * Every provision of personal data to another organisation (29条 記録): when, to whom, about
 * whom, which items, on what basis (and, without consent, why). Append-only for organisations;
 * only the platform's retention removes a record, after `keep_until` (three years at least).
 */
export const provisionRecords = pgTable(
	'provision_records',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		subjectId: uuid('subject_id')
			.notNull()
			.references(() => dataSubjects.id, { onDelete: 'restrict' }),
		providerOrganizationId: uuid('provider_organization_id')
			.notNull()
			.references(() => organizations.id, { onDelete: 'restrict' }),
		recipientOrganizationId: uuid('recipient_organization_id')
			.notNull()
			.references(() => organizations.id, { onDelete: 'restrict' }),
		items: text('items').array().$type<ShareItem[]>().notNull(),
		// The items included 要配慮個人情報 (health, disability, abuse, …), as the sender declared.
		sensitive: boolean('sensitive').notNull().default(false),
		basis: text('basis').$type<SharingBasis>().notNull(),
		consentId: uuid('consent_id').references(() => consents.id, { onDelete: 'restrict' }),
		// Why, for a provision without consent; sealed for the provider.
		reasonSealed: text('reason_sealed'),
		// The referral that carried it (referrals module; no foreign key back into it).
		referralId: uuid('referral_id'),
		providedBy: uuid('provided_by'),
		providedAt: timestamp('provided_at', { withTimezone: true }).notNull().defaultNow(),
		keepUntil: date('keep_until', { mode: 'string' }).notNull()
	},
	(t) => [
		index('provision_records_provided_idx').on(t.providedAt),
		index('provision_records_subject_idx').on(t.subjectId, t.providedAt),
		check('provision_records_basis', sql`${t.basis} in ('consent','vital_interest','legal_duty','council')`),
		check('provision_records_consent_or_reason', sql`(${t.basis} = 'consent' and ${t.consentId} is not null) or (${t.basis} <> 'consent' and ${t.reasonSealed} is not null)`),
		check('provision_records_items', sql`cardinality(${t.items}) > 0 and ${t.items} <@ array['name','contact','summary','needs']::text[]`),
		check('provision_records_keep_three_years', sql`${t.keepUntil} >= (${t.providedAt} at time zone 'Asia/Tokyo')::date + interval '3 years'`)
	]
);

/** The network declared as a 孤独・孤立対策地域協議会 (one row at most; ended_at ends it). */
export const regionalCouncil = pgTable(
	'regional_council',
	{
		id: boolean('id').primaryKey().default(true),
		name: text('name').notNull(),
		declaredAt: timestamp('declared_at', { withTimezone: true }).notNull().defaultNow(),
		declaredBy: uuid('declared_by'),
		endedAt: timestamp('ended_at', { withTimezone: true })
	},
	(t) => [check('regional_council_one_row', sql`${t.id}`)]
);

/** The council's member organisations: they exchange what support needs and owe confidentiality. */
export const councilMembers = pgTable('council_members', {
	organizationId: uuid('organization_id')
		.primaryKey()
		.references(() => organizations.id, { onDelete: 'cascade' }),
	addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
	addedBy: uuid('added_by')
});

/** A person's request to an organisation about what it holds: it reaches the admins with a due date. */
export const subjectRequests = pgTable(
	'subject_requests',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		subjectId: uuid('subject_id')
			.notNull()
			.references(() => dataSubjects.id, { onDelete: 'cascade' }),
		organizationId: uuid('organization_id')
			.notNull()
			.references(() => organizations.id, { onDelete: 'cascade' }),
		kind: text('kind').$type<SubjectRequestKind>().notNull(),
		// What the person asks, in their words; sealed for the organisation.
		bodySealed: text('body_sealed'),
		status: text('status').$type<SubjectRequestStatus>().notNull().default('open'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		dueOn: date('due_on', { mode: 'string' }).notNull(),
		answeredAt: timestamp('answered_at', { withTimezone: true }),
		answeredBy: uuid('answered_by')
	},
	(t) => [
		index('subject_requests_organization_idx').on(t.organizationId, t.status, t.dueOn),
		index('subject_requests_subject_idx').on(t.subjectId),
		check('subject_requests_kind', sql`${t.kind} in ('disclosure','correction','deletion','stop')`),
		check('subject_requests_status', sql`${t.status} in ('open','answered')`)
	]
);
