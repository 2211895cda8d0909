/**
 * The append-only audit log. Every row carries the hash of the row before it, so editing or
 * deleting a row breaks the chain (`npm run audit:verify`). `audit_chain` holds the head; locking
 * it orders concurrent writers.
 */
import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, timestamp, bigint, integer, index, check } from 'drizzle-orm/pg-core';

export const auditEvents = pgTable(
	'audit_events',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		at: timestamp('at', { withTimezone: true, precision: 6 }).notNull().defaultNow(),
		actorUserId: uuid('actor_user_id'), // no foreign key: the log outlives accounts
		organizationId: uuid('organization_id'),
		action: text('action').notNull(), // e.g. program.update, session.login_failed, consultation.read
		entityType: text('entity_type'),
		entityId: text('entity_id'),
		changedFields: text('changed_fields')
			.array()
			.notNull()
			.default(sql`'{}'`), // names, never values
		ip: text('ip'),
		userAgent: text('user_agent'),
		requestId: text('request_id'),
		prevHash: text('prev_hash').notNull(),
		hash: text('hash').notNull()
	},
	(t) => [index('audit_events_organization_idx').on(t.organizationId, t.id), index('audit_events_actor_idx').on(t.actorUserId, t.id), index('audit_events_entity_idx').on(t.entityType, t.entityId)]
);

export const auditChain = pgTable(
	'audit_chain',
	{
		id: integer('id').primaryKey().default(1),
		lastId: bigint('last_id', { mode: 'number' }).notNull().default(0),
		lastHash: text('last_hash').notNull()
	},
	(t) => [check('audit_chain_single_row', sql`${t.id} = 1`)]
);
