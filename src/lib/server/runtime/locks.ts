/** The jobs that take a lock across processes (../jobs.ts): the names are the locks' keys, so they never change. */
import type { Database } from '../db';
import { runExclusive } from '../jobs';
import { systemScope } from '../scope';
import { syncAllOccurrences } from '../events';

export const JOBS = {
	startup: 'startup',
	dates: 'dates',
	nightly: 'nightly',
	reminders: 'reminders',
	sessions: 'sessions',
	consultationRetention: 'consultation_retention',
	escalations: 'escalations',
	provisionRetention: 'provision_retention',
	referralQueue: 'referral_queue',
	registrationRetention: 'registration_retention'
} as const;

/** Date refreshes and occurrence syncs, one at a time across processes. */
export const datesJob = <T>(database: Database, fn: () => Promise<T>) => runExclusive(database.pool, JOBS.dates, fn, { wait: true });

export const syncAll = (database: Database, today: string) => syncAllOccurrences(systemScope(database.db, JOBS.dates), today);
