/**
 * The network's membership: who works for which member organisation in which role, and the
 * requests of organisations that want to join. Private: scoped by organisation under forced RLS.
 */
import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, timestamp, index, uniqueIndex, check } from 'drizzle-orm/pg-core';
import { organizations } from '../directory/schema';
import { users } from '../auth/schema';

/**
 * secretariat_admin runs the whole network (事務局) and is held at the organisation that hosts it;
 * the others act only inside their own organisation.
 */
export const ROLES = ['secretariat_admin', 'org_admin', 'staff', 'counsellor', 'volunteer'] as const;
export type Role = (typeof ROLES)[number];

export const memberships = pgTable(
	'memberships',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		organizationId: uuid('organization_id')
			.notNull()
			.references(() => organizations.id, { onDelete: 'cascade' }),
		role: text('role').$type<Role>().notNull(),
		invitedBy: uuid('invited_by'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('memberships_user_org_idx').on(t.userId, t.organizationId), index('memberships_organization_idx').on(t.organizationId), check('memberships_role', sql`${t.role} in ('secretariat_admin','org_admin','staff','counsellor','volunteer')`)]
);

export const JOIN_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type JoinStatus = (typeof JOIN_STATUSES)[number];

/** An organisation's application to join the network; approval creates the organisation. */
export const joinRequests = pgTable(
	'join_requests',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		organizationName: text('organization_name').notNull(),
		legalForm: text('legal_form'),
		prefecture: text('prefecture'),
		city: text('city'),
		website: text('website'),
		description: text('description').notNull().default(''),
		applicantName: text('applicant_name').notNull(),
		applicantEmail: text('applicant_email').notNull(),
		message: text('message'),
		status: text('status').$type<JoinStatus>().notNull().default('pending'),
		decidedBy: uuid('decided_by'),
		decidedAt: timestamp('decided_at', { withTimezone: true }),
		decisionNote: text('decision_note'),
		// Set on approval: the organisation the request became.
		organizationId: uuid('organization_id').references(() => organizations.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('join_requests_status_idx').on(t.status, t.createdAt), check('join_requests_status', sql`${t.status} in ('pending','approved','rejected')`)]
);
