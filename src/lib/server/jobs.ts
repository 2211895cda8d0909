/**
 * Timer and start-up jobs when several app processes share one database: each job runs under a
 * PostgreSQL session advisory lock keyed by its name, held on one pooled connection for the job's
 * duration. Another process that wants the same job meanwhile skips it (or, with `wait`, queues
 * behind it). A process that dies loses its connection, and PostgreSQL drops the lock with it.
 *
 * The lock only keeps runs from overlapping; a job that must happen once per day or per start also
 * checks, under the lock, whether another process already did it (see runtime.ts).
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';

/** A stable 64-bit key per job name (advisory locks are keyed by bigint, per database). */
export function jobLockKey(job: string): string {
	return createHash('sha256').update(`tsunagu:job:${job}`).digest().readBigInt64BE(0).toString();
}

export type Exclusive<T> = { ran: true; value: T } | { ran: false };

/**
 * Run `fn` unless another process (or this one) is running the job `job` on this database.
 * With `wait: true`, wait for the other run to end instead of skipping.
 */
export async function runExclusive<T>(pool: pg.Pool, job: string, fn: () => Promise<T>, options: { wait?: boolean } = {}): Promise<Exclusive<T>> {
	const key = jobLockKey(job);
	const client = await pool.connect();
	let broken: Error | undefined;
	try {
		if (options.wait) await client.query('select pg_advisory_lock($1::bigint)', [key]);
		else {
			const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1::bigint) as locked', [key]);
			if (!rows[0].locked) return { ran: false };
		}
		try {
			return { ran: true, value: await fn() };
		} finally {
			// If unlocking fails the connection is suspect: destroy it, which also ends the lock.
			await client.query('select pg_advisory_unlock($1::bigint)', [key]).catch((error: Error) => (broken = error));
		}
	} finally {
		client.release(broken);
	}
}
