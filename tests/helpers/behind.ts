/**
 * Writes made behind the modules' backs, for tests of what the database itself must notice: a
 * row left stale by a process that died, a change no module operation made. Each says what state
 * it fakes; nothing in the app writes this way.
 */
import type pg from 'pg';
import { sql } from 'drizzle-orm';
import type { Pool } from '../../src/lib/server/db';
import { setUp } from './contexts';

/** An upcoming-date row for a day already past, as a refresh that never ran would leave it. */
export async function leaveStaleUpcomingDate(db: Pool, programId: string, day: string): Promise<void> {
	await setUp(db, (tx) => tx.execute(sql`insert into program_upcoming_dates (program_id, day, starts_at) values (${programId}, ${day}::date, now()) on conflict do nothing`));
}

/** A program's title changed straight in its table: only the table's trigger can tell the processes. */
export async function retitleProgramInTable(db: Pool, programId: string, title: string): Promise<void> {
	await setUp(db, (tx) => tx.execute(sql`update programs set title = ${title} where id = ${programId}`));
}

/**
 * A statement run with the tables' triggers off for its one transaction (`session_replication_role
 * = replica`, a superuser's setting, hence the owner's connection): a change that no
 * `tsunagu_public_changed` notification reports, so an app that still answers with the old data
 * answered from its public cache.
 */
export async function changeUnheard(admin: pg.Client, statement: string, params: unknown[] = []): Promise<void> {
	await admin.query('begin');
	try {
		await admin.query('set local session_replication_role = replica');
		await admin.query(statement, params);
		await admin.query('commit');
	} catch (error) {
		await admin.query('rollback');
		throw error;
	}
}
