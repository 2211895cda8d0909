/**
 * Writes made behind the modules' backs, for tests of what the database itself must notice: a
 * row left stale by a process that died, a change no module operation made. Each says what state
 * it fakes; nothing in the app writes this way.
 */
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
