/**
 * Events: the dated occurrences of programs (materialised from their schedules, or one-off) and
 * the registrations residents make for them. Occurrences are public like the directory;
 * registrations are personal data, private to the organisation under forced RLS (drizzle/0008),
 * with names, contacts and needs envelope-encrypted (crypto/).
 */
import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, integer, boolean, date, timestamp, jsonb, index, uniqueIndex, check } from 'drizzle-orm/pg-core';
import { organizations, programs, schedules, locations } from '../directory/schema';

export const OCCURRENCE_STATUSES = ['scheduled', 'cancelled'] as const;
export type OccurrenceStatus = (typeof OCCURRENCE_STATUSES)[number];

/** A session (開催) or a visit booking (見学会) for people who want to see a place first. */
export const OCCURRENCE_KINDS = ['session', 'visit'] as const;
export type OccurrenceKind = (typeof OCCURRENCE_KINDS)[number];

/** Capacity counts people, or family groups (組) as many こども食堂 and baby programs do. */
export const CAPACITY_UNITS = ['people', 'groups'] as const;
export type CapacityUnit = (typeof CAPACITY_UNITS)[number];

/**
 * One dated session of a program. A row with a schedule stands for `seriesDay` of that series
 * (RFC 5545 RECURRENCE-ID); staff may cancel it or move it (`moved`), and the materialiser then
 * leaves it alone. A row without a schedule is a one-off event.
 */
export const occurrences = pgTable(
	'occurrences',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		organizationId: uuid('organization_id')
			.notNull()
			.references(() => organizations.id, { onDelete: 'cascade' }),
		programId: uuid('program_id')
			.notNull()
			.references(() => programs.id, { onDelete: 'cascade' }),
		scheduleId: uuid('schedule_id').references(() => schedules.id, { onDelete: 'set null' }),
		seriesDay: date('series_day', { mode: 'string' }), // the series date this row stands for
		day: date('day', { mode: 'string' }).notNull(), // Asia/Tokyo calendar day of starts_at
		startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
		endsAt: timestamp('ends_at', { withTimezone: true }),
		allDay: boolean('all_day').notNull().default(false),
		locationId: uuid('location_id').references(() => locations.id, { onDelete: 'set null' }),
		status: text('status').$type<OccurrenceStatus>().notNull().default('scheduled'),
		moved: boolean('moved').notNull().default(false),
		kind: text('kind').$type<OccurrenceKind>().notNull().default('session'),
		title: text('title'), // a one-off event's own title; null means the program's
		note: text('note'), // public: why it was cancelled or moved, what to bring
		registrationOpen: boolean('registration_open').notNull().default(false),
		capacity: integer('capacity'), // null: no limit
		capacityUnit: text('capacity_unit').$type<CapacityUnit>().notNull().default('people'),
		// Registration, capacity and window follow the program's settings (program_registration_settings)
		// until staff set this date by hand; then it keeps its own.
		followsProgram: boolean('follows_program').notNull().default(true),
		registrationOpensAt: timestamp('registration_opens_at', { withTimezone: true }), // null: open now
		registrationClosesAt: timestamp('registration_closes_at', { withTimezone: true }), // null: until it starts
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('occurrences_series_key').on(t.scheduleId, t.seriesDay),
		index('occurrences_day_idx').on(t.day, t.programId),
		index('occurrences_program_idx').on(t.programId, t.startsAt),
		index('occurrences_organization_idx').on(t.organizationId, t.day),
		check('occurrences_status', sql`${t.status} in ('scheduled','cancelled')`),
		check('occurrences_kind', sql`${t.kind} in ('session','visit')`),
		check('occurrences_capacity_unit', sql`${t.capacityUnit} in ('people','groups')`),
		check('occurrences_capacity', sql`${t.capacity} is null or ${t.capacity} > 0`),
		check('occurrences_series', sql`${t.scheduleId} is null or ${t.seriesDay} is not null`)
	]
);

/**
 * CiviCRM-style participant states: registered, waitlisted (promoted in order when a place
 * frees), cancelled. Attendance is `attendedAt`, set at check-in.
 */
export const REGISTRATION_STATUSES = ['registered', 'waitlisted', 'cancelled'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

export const registrations = pgTable(
	'registrations',
	{
		id: uuid('id').primaryKey(), // chosen by the app: the encryption binds each value to it
		organizationId: uuid('organization_id')
			.notNull()
			.references(() => organizations.id, { onDelete: 'cascade' }),
		occurrenceId: uuid('occurrence_id')
			.notNull()
			.references(() => occurrences.id, { onDelete: 'cascade' }),
		status: text('status').$type<RegistrationStatus>().notNull(),
		// Sealed with crypto/ (registry.ts): a name or nickname, an e-mail address or phone number,
		// and what the person asked us to know (allergies, wheelchair, 手話 …).
		nameSealed: text('name_sealed').notNull(),
		contactSealed: text('contact_sealed').notNull(),
		needsSealed: text('needs_sealed'),
		contactKind: text('contact_kind').$type<'email' | 'phone'>().notNull(),
		groupSize: integer('group_size').notNull().default(1),
		// The form's one-time key: the same submission sent twice registers once.
		submissionKey: text('submission_key').notNull(),
		// The resident's own link (view, cancel), stored as a digest like every token.
		accessDigest: text('access_digest').notNull(),
		referenceCode: text('reference_code').notNull(), // 受付番号, shown to the resident and staff
		cardId: uuid('card_id'), // the participation card the resident chose to link, if any
		// Answers to the program's registration questions, sealed as one JSON document: some are
		// health data (allergies), and the whole row is deleted after the retention period.
		answersSealed: text('answers_sealed'),
		// LINE: a one-time code the resident sends to the official account (stored as a digest),
		// and once sent, their LINE user id (sealed), so notices can go by LINE.
		lineLinkDigest: text('line_link_digest'),
		// The code stops working after this (a code seen over a shoulder must not link forever).
		lineLinkExpiresAt: timestamp('line_link_expires_at', { withTimezone: true }),
		lineRecipientSealed: text('line_recipient_sealed'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		promotedAt: timestamp('promoted_at', { withTimezone: true }),
		cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
		remindedAt: timestamp('reminded_at', { withTimezone: true }),
		attendedAt: timestamp('attended_at', { withTimezone: true })
	},
	(t) => [
		uniqueIndex('registrations_submission_key').on(t.occurrenceId, t.submissionKey),
		uniqueIndex('registrations_access_key').on(t.accessDigest),
		uniqueIndex('registrations_reference_key').on(t.organizationId, t.referenceCode),
		index('registrations_occurrence_idx').on(t.occurrenceId, t.status, t.createdAt),
		check('registrations_status', sql`${t.status} in ('registered','waitlisted','cancelled')`),
		check('registrations_contact_kind', sql`${t.contactKind} in ('email','phone')`),
		check('registrations_group_size', sql`${t.groupSize} between 1 and 20`)
	]
);

/** The question kinds a program may ask at registration (zod-validated, events/questions). */
export const QUESTION_KINDS = ['text', 'choice', 'number', 'per_person', 'consent'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/**
 * A program's defaults for its dates: registration on/off, capacity, window and questions, set
 * once and copied onto every date that follows the program (occurrences.follows_program),
 * including dates the materialiser adds later. Public like occurrences: the registration form
 * shows the questions.
 */
export const programRegistrationSettings = pgTable(
	'program_registration_settings',
	{
		programId: uuid('program_id')
			.primaryKey()
			.references(() => programs.id, { onDelete: 'cascade' }),
		organizationId: uuid('organization_id')
			.notNull()
			.references(() => organizations.id, { onDelete: 'cascade' }),
		registrationOpen: boolean('registration_open').notNull().default(false),
		capacity: integer('capacity'),
		capacityUnit: text('capacity_unit').$type<CapacityUnit>().notNull().default('people'),
		opensDaysBefore: integer('opens_days_before'), // null: as soon as the date is listed
		closesHoursBefore: integer('closes_hours_before'), // null: until the date starts
		questions: jsonb('questions')
			.notNull()
			.default(sql`'[]'::jsonb`),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('program_registration_settings_organization_idx').on(t.organizationId),
		check('program_registration_settings_capacity_unit', sql`${t.capacityUnit} in ('people','groups')`),
		check('program_registration_settings_capacity', sql`${t.capacity} is null or ${t.capacity} > 0`),
		check('program_registration_settings_window', sql`(${t.opensDaysBefore} is null or ${t.opensDaysBefore} between 0 and 365) and (${t.closesHoursBefore} is null or ${t.closesHoursBefore} between 0 and 720)`)
	]
);

export const NOTICE_KINDS = ['confirmation', 'reminder', 'promoted', 'cancelled', 'moved', 'restored'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
export const NOTICE_CHANNELS = ['email', 'line', 'sms'] as const;
export type NoticeChannel = (typeof NOTICE_CHANNELS)[number];

/**
 * What a registrant was told, by which channel: one row per notice, so a cancellation or a move
 * is announced once (`change_key` names the change) and staff see who was reached and who must
 * still be called. No message text: that is rebuilt from the date.
 */
export const registrationNotices = pgTable(
	'registration_notices',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		organizationId: uuid('organization_id')
			.notNull()
			.references(() => organizations.id, { onDelete: 'cascade' }),
		registrationId: uuid('registration_id')
			.notNull()
			.references(() => registrations.id, { onDelete: 'cascade' }),
		kind: text('kind').$type<NoticeKind>().notNull(),
		channel: text('channel').$type<NoticeChannel>().notNull(),
		changeKey: text('change_key').notNull().default(''),
		outcome: text('outcome').$type<'sent' | 'failed'>().notNull(),
		// A failed notice can be sent again from the date's page: how many tries, and the last one.
		attempts: integer('attempts').notNull().default(1),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		lastTriedAt: timestamp('last_tried_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('registration_notices_once').on(t.registrationId, t.kind, t.changeKey, t.channel),
		index('registration_notices_organization_idx').on(t.organizationId, t.createdAt),
		check('registration_notices_kind', sql`${t.kind} in ('confirmation','reminder','promoted','cancelled','moved','restored')`),
		check('registration_notices_channel', sql`${t.channel} in ('email','line','sms')`),
		check('registration_notices_outcome', sql`${t.outcome} in ('sent','failed')`)
	]
);
