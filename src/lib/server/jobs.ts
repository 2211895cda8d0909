/**
 * Timer and start-up jobs when several app processes share one database: each job runs under a
 * PostgreSQL session advisory lock keyed by its name, held for the job's duration on a connection
 * of its own (opened with the pool's settings but outside it, so a job never waits for the pool
 * connection its own lock occupies, even with DATABASE_POOL_SIZE=1). Another process that wants the same job meanwhile skips it (or, with `wait`, queues
 * behind it). A process that dies loses its connection, and PostgreSQL drops the lock with it.
 *
 * The lock only keeps runs from overlapping. A job that must happen once per start also checks,
 * under the lock, whether another process already did it; a nightly job keeps its lock for a while
 * after it ends (`holdMs`), so the other processes' timers, firing at the same minute, skip it.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';

/** A stable 64-bit key per job name (advisory locks are keyed by bigint, per database). */
export function jobLockKey(job: string): string {
	return createHash('sha256').update(`tsunagu:job:${job}`).digest().readBigInt64BE(0).toString();
}

export type Exclusive<T> = { ran: true; value: T } | { ran: false };

export interface ExclusiveOptions {
	/** Wait for another run of the job to end instead of skipping. */
	wait?: boolean;
	/**
	 * Keep the lock this long after the start even when the job ends sooner (it is still released
	 * at once on error, or when `signal` aborts). For a job every process starts at the same wall
	 * clock time: those whose timers fire a little later find it held and skip, so it runs once.
	 */
	holdMs?: number;
	signal?: AbortSignal;
	/**
	 * Other jobs this one must not overlap: waited for once the job's own lock is taken, on the
	 * same connection (a nested runExclusive would open a second one), and released
	 * when `fn` ends.
	 */
	serializeWith?: string[];
}

/**
 * Run `fn` unless another process (or this one) is running the job `job` on this database.
 * With `wait: true`, wait for the other run to end instead of skipping.
 */
export async function runExclusive<T>(pool: pg.Pool, job: string, fn: () => Promise<T>, options: ExclusiveOptions = {}): Promise<Exclusive<T>> {
	const key = jobLockKey(job);
	const others = (options.serializeWith ?? []).map(jobLockKey);
	const client = new pg.Client(pool.options);
	client.on('error', () => undefined); // a lost connection ends its locks; the job's own queries report errors
	await client.connect();
	// Closing the connection ends any lock still on it, even when unlocking failed.
	const unlock = async (keys: string[]) => {
		for (const k of keys) await client.query('select pg_advisory_unlock($1::bigint)', [k]).catch(() => undefined);
	};
	const release = async () => {
		await unlock([key]);
		await client.end().catch(() => undefined);
	};
	const start = Date.now();
	try {
		if (options.wait) await client.query('select pg_advisory_lock($1::bigint)', [key]);
		else {
			const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1::bigint) as locked', [key]);
			if (!rows[0].locked) {
				await client.end();
				return { ran: false };
			}
		}
		for (const k of others) await client.query('select pg_advisory_lock($1::bigint)', [k]);
	} catch (error) {
		await client.end().catch(() => undefined);
		throw error;
	}
	let value: T;
	try {
		value = await fn();
	} catch (error) {
		await unlock(others);
		await release();
		throw error;
	}
	await unlock(others);
	const remaining = start + (options.holdMs ?? 0) - Date.now();
	if (remaining > 0 && !options.signal?.aborted) {
		// Not awaited: the caller has its result; the lock ends when the time is up or on abort.
		void sleep(remaining, undefined, { signal: options.signal, ref: false })
			.catch(() => undefined)
			.then(release);
	} else await release();
	return { ran: true, value };
}
