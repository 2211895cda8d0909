/**
 * The platform's timers. Every process runs the same timers; each run takes its job's lock across
 * processes (jobs.ts, `runExclusive`), so a job runs once at a time however many processes serve
 * the region. Nightly jobs keep their lock for a while after running, so the other processes' timers,
 * firing the same minute, skip theirs.
 */
import type { Database } from '../db';
import { runExclusive, type Exclusive } from '../jobs';
import { todayInTokyo } from '../clock';
import { log } from '../log';
import { systemScope, type SystemScope } from '../scope';
import { purgeExpiredSessions } from '../auth';
import { refreshUpcomingDates } from '../directory';
import { sendDueReminders, deleteExpiredRegistrations } from '../events';
import { emptyExpiredConsultations, escalateUnopened } from '../consultations';
import { purgeExpiredProvisions } from '../consent';
import { queueStuckReferrals } from '../referrals';
import { JOBS, syncAll } from './locks';
import type { PlatformSettings } from './settings';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** How long a nightly job keeps its lock: processes' clocks and timers agree far better than this. */
const NIGHTLY_HOLD_MS = 10 * MINUTE;

const timers = new Set<NodeJS.Timeout>();
/** Ends locks still held after their job (the nightly ones) when the platform stops. */
let stopping = new AbortController();

/** Milliseconds from `now` to the next `minutes` after midnight in Tokyo (UTC+9 all year). */
export function untilTokyoTime(minutes: number, now = Date.now()): number {
	const shift = 9 * 60 * MINUTE - minutes * MINUTE;
	return Math.ceil((now + shift) / DAY) * DAY - shift - now;
}

/** Timers never keep the process alive: stopping the server ends it. */
function every(intervalMs: number, fn: () => void) {
	const timer = setInterval(fn, intervalMs);
	timer.unref();
	timers.add(timer);
}

function dailyAt(minutes: number, fn: (signal: AbortSignal) => Promise<unknown>) {
	const { signal } = stopping;
	const timer = setTimeout(() => {
		timers.delete(timer);
		fn(signal).finally(() => signal.aborted || dailyAt(minutes, fn));
	}, untilTokyoTime(minutes));
	timer.unref();
	timers.add(timer);
}

/** A job as the system, under its own lock; `done` logs what it did, a failure is logged and the timer goes on. */
function run<T>(database: Database, job: string, fn: (scope: SystemScope) => Promise<T>, done: (value: T) => void, failure: string, hold?: AbortSignal) {
	return runExclusive(database.pool, job, () => fn(systemScope(database.db, job)), hold ? { holdMs: NIGHTLY_HOLD_MS, signal: hold } : {}).then(
		(result: Exclusive<T>) => result.ran && done(result.value),
		(error: Error) => log.error(failure, { message: error.message })
	);
}

/**
 * Every process's timer fires a minute after midnight; the first to take the nightly lock rolls
 * the dates forward and keeps the lock for ten minutes, so the others skip. False when skipped.
 */
export async function dailyRefresh(database: Database, today: string, signal?: AbortSignal): Promise<boolean> {
	const result = await runExclusive(
		database.pool,
		JOBS.nightly,
		async () => {
			await refreshUpcomingDates(systemScope(database.db, JOBS.nightly), today);
			await syncAll(database, today);
			log.info('upcoming_dates_refreshed');
		},
		{ holdMs: NIGHTLY_HOLD_MS, signal, serializeWith: [JOBS.dates] }
	);
	return result.ran;
}

export function startTimers(database: Database, settings: PlatformSettings) {
	const now = () => new Date();
	// Upcoming dates roll forward every day shortly after midnight in Tokyo.
	dailyAt(1, (signal) => dailyRefresh(database, todayInTokyo(), signal).catch((error: Error) => log.error('upcoming_dates_refresh_failed', { message: error.message })));
	// Day-before reminders; a run still going in any process makes the others skip theirs.
	every(settings.reminderIntervalMs, () => run(database, JOBS.reminders, sendDueReminders, (count) => count && log.info('reminders_sent', { count }), 'reminders_failed'));
	// Ended sessions are refused as soon as they time out; the rows (IP, user agent) are deleted
	// hourly so the table keeps no more about people than it needs.
	every(60 * MINUTE, () => run(database, JOBS.sessions, purgeExpiredSessions, () => {}, 'session_purge_failed'));
	// Urgent consultations nobody opened (consultations/escalation.ts).
	every(MINUTE, () => run(database, JOBS.escalations, escalateUnopened, (r) => (r.alerted || r.escalated) && log.info('consultations_escalated', { ...r }), 'consultation_escalation_failed'));
	// Stuck referrals to the secretariat's queue, and the 見守り reminders (referrals/queue.ts).
	every(10 * MINUTE, () =>
		run(
			database,
			JOBS.referralQueue,
			(scope) => queueStuckReferrals(scope, { now: now(), ...settings.referralDays }),
			(r) => (r.queued || r.resolved || r.followUps) && log.info('referral_queue_run', { ...r }),
			'referral_queue_failed'
		)
	);
	// Retention, nightly in Tokyo: closed consultations past CONSULTATION_RETENTION_DAYS are emptied
	// at 03:00, registrations past REGISTRATION_RETENTION_DAYS after their date deleted at 03:15
	// (events/retention.ts), provision records past keep_until (three years at least, 29条) at 03:30.
	const days = settings.consultationRetentionDays;
	dailyAt(3 * 60, (hold) =>
		run(
			database,
			JOBS.consultationRetention,
			(scope) => emptyExpiredConsultations(scope, { now: now(), days }),
			(r) => log.info('consultations_emptied', { ...r }),
			'consultation_retention_failed',
			hold
		)
	);
	const registrationDays = settings.registrationRetentionDays;
	dailyAt(3 * 60 + 15, (hold) =>
		run(
			database,
			JOBS.registrationRetention,
			(scope) => deleteExpiredRegistrations(scope, { now: now(), days: registrationDays }),
			(r) => log.info('registrations_deleted', { ...r }),
			'registration_retention_failed',
			hold
		)
	);
	dailyAt(3 * 60 + 30, (hold) =>
		run(
			database,
			JOBS.provisionRetention,
			(scope) => purgeExpiredProvisions(scope, { now: now() }),
			(r) => log.info('provisions_purged', { ...r }),
			'provision_retention_failed',
			hold
		)
	);
}

export function stopTimers() {
	for (const timer of timers) clearTimeout(timer);
	timers.clear();
	stopping.abort();
	stopping = new AbortController();
}
