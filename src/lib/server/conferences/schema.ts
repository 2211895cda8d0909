/**
 * Case conferences (ケース会議): named participants from several organisations meet in a time
 * window about one case. The conference itself (title, window, agenda, participants, agreed
 * actions) is seen by its owning organisation and by its participants; the shared case summary
 * and the minutes (conference_records) only by the participants during the window, and afterwards
 * by nobody but the owning organisation — enforced by row-level security (drizzle/0015), not only
 * by the routes. Every view is audited by the module's operations.
 */
import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, date, timestamp, index, primaryKey, check } from 'drizzle-orm/pg-core';
import { organizations } from '../directory/schema';

export const caseConferences = pgTable(
	'case_conferences',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		// The owning organisation (the one that called the conference).
		organizationId: uuid('organization_id')
			.notNull()
			.references(() => organizations.id, { onDelete: 'cascade' }),
		ownerUserId: uuid('owner_user_id').notNull(),
		// A title without names (the form says so): participants see it after the window too.
		title: text('title').notNull(),
		agendaSealed: text('agenda_sealed'),
		startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
		endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
		// Kept equal to conference_participants' user ids by a trigger (drizzle/0015): the row-level
		// security policies read it here, so no policy reads the participants table recursively.
		participantUserIds: uuid('participant_user_ids')
			.array()
			.notNull()
			.default(sql`'{}'::uuid[]`),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('case_conferences_organization_idx').on(t.organizationId, t.startsAt), index('case_conferences_participants_idx').using('gin', t.participantUserIds), check('case_conferences_window', sql`${t.endsAt} > ${t.startsAt}`)]
);

export const conferenceParticipants = pgTable(
	'conference_participants',
	{
		conferenceId: uuid('conference_id')
			.notNull()
			.references(() => caseConferences.id, { onDelete: 'cascade' }),
		userId: uuid('user_id').notNull(),
		// The organisation the participant takes part for.
		organizationId: uuid('organization_id')
			.notNull()
			.references(() => organizations.id, { onDelete: 'cascade' }),
		// The conference's owning organisation, repeated for row-level security.
		ownerOrganizationId: uuid('owner_organization_id').notNull(),
		addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.conferenceId, t.userId] }), index('conference_participants_user_idx').on(t.userId)]
);

/** The shared case summary and the minutes: participants during the window, the owner always. */
export const conferenceRecords = pgTable('conference_records', {
	conferenceId: uuid('conference_id')
		.primaryKey()
		.references(() => caseConferences.id, { onDelete: 'cascade' }),
	// The owning organisation (binding of the sealed values, row-level security).
	organizationId: uuid('organization_id').notNull(),
	summarySealed: text('summary_sealed'),
	minutesSealed: text('minutes_sealed'),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
	updatedBy: uuid('updated_by')
});

/** Agreed actions: who does what by when; the conference's participants see them afterwards too. */
export const conferenceActions = pgTable(
	'conference_actions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		conferenceId: uuid('conference_id')
			.notNull()
			.references(() => caseConferences.id, { onDelete: 'cascade' }),
		// The owning organisation (binding, row-level security).
		organizationId: uuid('organization_id').notNull(),
		descriptionSealed: text('description_sealed').notNull(),
		assigneeUserId: uuid('assignee_user_id').notNull(),
		assigneeOrganizationId: uuid('assignee_organization_id').notNull(),
		dueOn: date('due_on', { mode: 'string' }).notNull(),
		doneAt: timestamp('done_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('conference_actions_conference_idx').on(t.conferenceId, t.dueOn), index('conference_actions_assignee_idx').on(t.assigneeUserId, t.dueOn)]
);
