/**
 * What a test reads back to check what the app wrote: rows of private tables, read in the system
 * context (past row-level security, which the tests of access check on their own), in the shape
 * the assertions compare.
 */
import { eq, sql } from 'drizzle-orm';
import type { Pool } from '../../src/lib/server/db';
import { users } from '../../src/lib/server/auth/schema';
import { registrations } from '../../src/lib/server/events/schema';
import { setUp } from './contexts';

export interface AuditRow {
	action: string;
	organization_id: string;
	changed_fields: string[];
	actor_user_id: string;
}

/** The audit records about one entity (a program, a place, an organisation), oldest first, as stored. */
export async function auditEventsOf(db: Pool, entityId: string): Promise<AuditRow[]> {
	return setUp(db, async (tx) => (await tx.execute<{ action: string; organization_id: string; changed_fields: string[]; actor_user_id: string }>(sql`select action, organization_id, changed_fields, actor_user_id from audit_events where entity_id = ${entityId} order by id`)).rows);
}

/** Every registration for one date, whatever its status, as stored (contacts and answers sealed). */
export async function registrationsOf(db: Pool, occurrenceId: string) {
	return setUp(db, (tx) => tx.select().from(registrations).where(eq(registrations.occurrenceId, occurrenceId)));
}

/** The stored password hash of an account. */
export async function passwordHashOf(db: Pool, userId: string): Promise<string> {
	const [row] = await setUp(db, (tx) => tx.select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId)));
	return row.hash;
}

/** The secretariat set-up links (invitations as secretariat admin) start-up made: how many, how many unused. */
export async function secretariatSetupLinks(db: Pool): Promise<{ n: number; open: number }> {
	const result = await setUp(db, (tx) => tx.execute<{ n: number; open: number }>(sql`select count(*)::int as n, count(*) filter (where used_at is null)::int as open from email_tokens where purpose = 'invitation' and role = 'secretariat_admin'`));
	return result.rows[0];
}
