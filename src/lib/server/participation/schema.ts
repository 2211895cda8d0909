/**
 * Participation: who came. Visits are counted three ways — a participation card scanned or typed
 * at the door, a registration checked in, or an anonymous tap (age band, gender, first visit) for
 * places that take no names. Cards are pseudonymous: a random id and a short code, no name; the
 * resident chooses the organisations that may use it (card_consents). Private under forced RLS
 * (drizzle/0008).
 */
import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, integer, boolean, date, timestamp, index, uniqueIndex, primaryKey, check } from 'drizzle-orm/pg-core';
import { organizations, programs } from '../directory/schema';
import { occurrences, registrations } from '../events/schema';

/** Age by decade, as the seeds report it (北見 あおむしルーム: 10代 … 90代), plus "not given". */
export const AGE_BANDS = ['under_10', '10s', '20s', '30s', '40s', '50s', '60s', '70s', '80s', '90s_plus', 'not_given'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export const GENDERS = ['female', 'male', 'other', 'not_given'] as const;
export type Gender = (typeof GENDERS)[number];

export const VISIT_SOURCES = ['card', 'registration', 'tap'] as const;
export type VisitSource = (typeof VISIT_SOURCES)[number];

export const participationCards = pgTable(
	'participation_cards',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		// What the QR code carries and staff can type: short, no look-alike letters (see cards.ts).
		code: text('code').notNull(),
		// The resident's own page (consents, withdraw), a bearer link stored as a digest.
		manageDigest: text('manage_digest').notNull(),
		ageBand: text('age_band').$type<AgeBand>(),
		gender: text('gender').$type<Gender>(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		revokedAt: timestamp('revoked_at', { withTimezone: true })
	},
	(t) => [uniqueIndex('participation_cards_code_key').on(t.code), uniqueIndex('participation_cards_manage_key').on(t.manageDigest)]
);

/** The organisations a card's holder allowed to recognise the card. */
export const cardConsents = pgTable(
	'card_consents',
	{
		cardId: uuid('card_id')
			.notNull()
			.references(() => participationCards.id, { onDelete: 'cascade' }),
		organizationId: uuid('organization_id')
			.notNull()
			.references(() => organizations.id, { onDelete: 'cascade' }),
		grantedAt: timestamp('granted_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.cardId, t.organizationId] }), index('card_consents_organization_idx').on(t.organizationId)]
);

/**
 * One person (or one group) at one program on one day. `personKey` is pseudonymous (a card or
 * registration id) and makes 実人数 countable; anonymous taps have none. `clientKey` is the id a
 * phone gives each tap, so a tap queued offline and sent twice is counted once.
 */
export const visits = pgTable(
	'visits',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		organizationId: uuid('organization_id')
			.notNull()
			.references(() => organizations.id, { onDelete: 'cascade' }),
		programId: uuid('program_id')
			.notNull()
			.references(() => programs.id, { onDelete: 'cascade' }),
		occurrenceId: uuid('occurrence_id').references(() => occurrences.id, { onDelete: 'set null' }),
		day: date('day', { mode: 'string' }).notNull(), // Asia/Tokyo day of the visit
		countedAt: timestamp('counted_at', { withTimezone: true }).notNull(), // on the device
		receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
		source: text('source').$type<VisitSource>().notNull(),
		personKey: text('person_key'), // 'card:<uuid>' | 'registration:<uuid>'; null for a tap
		cardId: uuid('card_id').references(() => participationCards.id, { onDelete: 'set null' }),
		registrationId: uuid('registration_id').references(() => registrations.id, { onDelete: 'set null' }),
		people: integer('people').notNull().default(1),
		ageBand: text('age_band').$type<AgeBand>(),
		gender: text('gender').$type<Gender>(),
		firstVisit: boolean('first_visit'),
		clientKey: text('client_key'),
		recordedBy: uuid('recorded_by')
	},
	(t) => [
		uniqueIndex('visits_client_key')
			.on(t.organizationId, t.clientKey)
			.where(sql`${t.clientKey} is not null`),
		uniqueIndex('visits_person_day_key')
			.on(t.programId, t.day, t.personKey)
			.where(sql`${t.personKey} is not null`),
		index('visits_organization_day_idx').on(t.organizationId, t.day),
		index('visits_program_day_idx').on(t.programId, t.day),
		// A person's visits in order: check-in's "been here before?" and the figures' "came again
		// within N weeks?" are each one probe, not a scan of the organisation's visits.
		index('visits_person_day_idx')
			.on(t.personKey, t.day)
			.where(sql`${t.personKey} is not null`),
		check('visits_source', sql`${t.source} in ('card','registration','tap')`),
		check('visits_people', sql`${t.people} between 1 and 50`),
		check('visits_age_band', sql`${t.ageBand} is null or ${t.ageBand} in ('under_10','10s','20s','30s','40s','50s','60s','70s','80s','90s_plus','not_given')`),
		check('visits_gender', sql`${t.gender} is null or ${t.gender} in ('female','male','other','not_given')`)
	]
);
