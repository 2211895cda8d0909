/**
 * The running platform's life: open the database at start-up (hooks.server.ts `init`), load the
 * demo region, keep dates fresh, run the timers, close on shutdown. The app layer: it wires the
 * modules together. What every request needs lives beside the services it belongs to — the
 * process's database in db/current.ts, today's date in clock.ts, the public origin in
 * http/origin.ts, the throttle in auth/throttle.ts.
 */
import path from 'node:path';
import { openDatabase, type Database } from './db';
import { loadDemoRegion, isDirectoryEmpty, refreshUpcomingDates, reindexStalePrograms, upcomingDatesStale, warmAnalyser, warmThesaurus } from './directory';
import { useDatabase, database as currentDatabase } from './db/current';
import { todayInTokyo } from './clock';
import { publicOrigin } from './http/origin';
import { occurrencesStale, sendDueReminders, syncAllOccurrences, deleteExpiredRegistrations, registrationRetentionDays, useLineForNotices } from './events';
import { log } from './log';
import { systemScope } from './scope';
import { purgeExpiredSessions } from './auth/sessions';
import { ensureSecretariatInvitation, setupLinkIssuedSince, DEMO_SECRETARIAT_SLUG } from './network';
import { runExclusive } from './jobs';
import { alertsSettled, consultationRetentionDays, emptyExpiredConsultations, escalateUnopened, linePushForNotices } from './consultations';
import { purgeExpiredProvisions } from './consent';
import { sendMail } from './mail';
import { translate } from '../i18n';
import { queueStuckReferrals, referralAcceptDays, referralContactDays } from './referrals';
import { startPublicCacheListener, onPublicChange, type PublicCacheListener } from './cache';
import { exportRegenerator, regenerateExports, EXPORT_TABLES, type ExportRegenerator } from './opendata';

let publicCacheListener: PublicCacheListener | null = null;
let exports: ExportRegenerator | null = null;
let stopFollowingChanges: (() => void) | null = null;

/** OPENDATA_EXPORT_QUIET_SECONDS: how long published data must stay unchanged before the bulk files are made again (default 10). */
export function exportQuietMs(env: NodeJS.ProcessEnv = process.env): number {
	const raw = env.OPENDATA_EXPORT_QUIET_SECONDS;
	if (raw === undefined || raw === '') return 10_000;
	const seconds = Number(raw);
	if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`OPENDATA_EXPORT_QUIET_SECONDS must be a number of seconds, not "${raw}"`);
	return seconds * 1000;
}

/**
 * The open-data bulk files, made again after published data changes (the public-change
 * notification) and after start-up if missing or stale (in the background: a download before
 * they exist waits for them, ensureExports).
 */
function startExports(database: Database, env: NodeJS.ProcessEnv) {
	const quietMs = exportQuietMs(env);
	const origin = publicOrigin(env);
	exports = exportRegenerator(
		async () => {
			const written = await regenerateExports(database, origin);
			if (written.length) log.info('opendata_exports_written', { files: written });
		},
		{ quietMs, maxWaitMs: Math.max(quietMs, 60_000) }
	);
	stopFollowingChanges = onPublicChange((table) => {
		if (table === null || EXPORT_TABLES.has(table)) exports?.changed();
	});
	// Missing or stale files are made once start-up has been quiet for a while, not while the first
	// pages are served; a download before then makes them at once (ensureExports).
	exports.changed();
}

/** Make the bulk files now unless a run is going (then wait for it): a download found none. */
export async function ensureExports(): Promise<void> {
	await exports?.now();
}

/** Open the database from the environment, load the demo region into an empty one, keep dates fresh. */
export async function startPlatform(env: NodeJS.ProcessEnv = process.env): Promise<Database> {
	const startedAt = new Date();
	const reminderInterval = reminderIntervalMs(env);
	const retentionDays = consultationRetentionDays(env);
	const registrationDays = registrationRetentionDays(env);
	const referralDays = { acceptDays: referralAcceptDays(env), contactDays: referralContactDays(env) };
	const database = await openDatabase({
		databaseUrl: env.DATABASE_URL || undefined,
		appUrl: env.DATABASE_APP_URL || undefined,
		dataDir: path.resolve(env.DATA_DIR || 'data'),
		poolSize: Number(env.DATABASE_POOL_SIZE || 10)
	});
	useDatabase(database);
	// Registrants' notices go by the consultations module's LINE channel when it is configured.
	useLineForNotices(linePushForNotices);
	// The search's dictionaries load now, not on the first resident's search.
	warmAnalyser();
	warmThesaurus();
	// Public reads are cached only while this process hears every change to published data.
	publicCacheListener = startPublicCacheListener(database.pool.options, env);
	// Processes starting together queue here: the first loads the demo region and issues the set-up
	// link, the next find both done. Waiting (rather than skipping) keeps a process from serving
	// pages before the demo region's dates exist.
	await runExclusive(database.pool, JOBS.startup, () => startUp(database, env, startedAt), { wait: true, serializeWith: [JOBS.dates] });
	startExports(database, env);
	scheduleDailyRefresh(database);
	scheduleReminders(database, reminderInterval);
	scheduleSessionPurge(database);
	scheduleRetention(database, retentionDays);
	scheduleEscalations(database);
	scheduleProvisionRetention(database);
	scheduleReferralQueue(database, referralDays);
	scheduleRegistrationRetention(database, registrationDays);
	return database;
}

/** The jobs that take a lock across processes (see jobs.ts); names are the lock keys. */
const JOBS = { startup: 'startup', dates: 'dates', nightly: 'nightly', reminders: 'reminders', sessions: 'sessions', retention: 'consultation_retention', escalations: 'escalations' } as const;

/** Date refreshes and occurrence syncs, one at a time across processes. */
const datesJob = <T>(database: Database, fn: () => Promise<T>) => runExclusive(database.pool, JOBS.dates, fn, { wait: true });
const syncAll = (database: Database, today: string) => syncAllOccurrences(systemScope(database.db, JOBS.dates), today);

async function startUp(database: Database, env: NodeJS.ProcessEnv, startedAt: Date) {
	const today = todayInTokyo();
	let loadedDemo = false;
	if (env.DEMO_REGION !== 'off' && (await isDirectoryEmpty(database.db))) {
		const loaded = await loadDemoRegion(systemScope(database.db, JOBS.startup), today);
		loadedDemo = true;
		log.info('demo_region_loaded', loaded);
	} else if (await upcomingDatesStale(database.db, today)) {
		await refreshUpcomingDates(systemScope(database.db, JOBS.startup), today);
	}
	if (await occurrencesStale(database.db, today)) {
		// A fresh demo region is small: its dates exist before the first page is served (this
		// start-up already holds the dates lock). A large directory (national scale) catches up in
		// the background, under the dates lock once start-up lets it go, checked again there.
		if (loadedDemo) log.info('occurrences_synced', await syncAll(database, today));
		else
			datesJob(database, async () => {
				if (await occurrencesStale(database.db, today)) log.info('occurrences_synced', await syncAll(database, today));
			}).catch((e: Error) => log.error('occurrences_sync_failed', { message: e.message }));
	}
	// Rows derived by an older build (search readings, area codes) are rebuilt in the background,
	// one process at a time; until then they are still found as before.
	if (!loadedDemo)
		datesJob(database, () => reindexStalePrograms(systemScope(database.db, JOBS.dates), today))
			.then((n) => n && log.info('programs_reindexed', { programs: n }))
			.catch((e: Error) => log.error('programs_reindex_failed', { message: e.message }));
	if (await setupLinkIssuedSince(systemScope(database.db, JOBS.startup), startedAt)) {
		log.warn('secretariat_setup_link_sent_by_another_process', { email: env.ADMIN_EMAIL || 'admin@example.org' });
		return;
	}
	const setup = await ensureSecretariatInvitation(systemScope(database.db, JOBS.startup), {
		email: env.ADMIN_EMAIL || 'admin@example.org',
		organizationSlug: env.SECRETARIAT_ORGANIZATION || (env.DEMO_REGION !== 'off' ? DEMO_SECRETARIAT_SLUG : undefined),
		networkName: env.NETWORK_NAME || 'ネットワーク事務局'
	});
	if (setup) {
		const link = `${publicOrigin(env)}/invite/${setup.token}`;
		log.warn('secretariat_setup_link', { email: setup.email, link });
		await sendMail({ to: setup.email, subject: translate('ja', 'mail.setup.subject'), text: translate('ja', 'mail.setup.body', { link }) });
	}
}

/** REMINDER_INTERVAL_SECONDS: how often due reminders are looked for (default every 15 minutes). */
export function reminderIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
	const raw = env.REMINDER_INTERVAL_SECONDS;
	if (raw === undefined || raw === '') return 15 * 60_000;
	const seconds = Number(raw);
	if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`REMINDER_INTERVAL_SECONDS must be a positive number of seconds, not "${raw}"`);
	return seconds * 1000;
}

let refreshTimer: NodeJS.Timeout | undefined;
/** Ends locks still held after their job (the nightly one) when the platform stops. */
let stopping = new AbortController();

/** Upcoming dates roll forward every day shortly after midnight in Tokyo. */
function scheduleDailyRefresh(database: Database) {
	const now = Date.now();
	const tokyoMidnight = Math.ceil((now + 9 * 3600_000) / 86_400_000) * 86_400_000 - 9 * 3600_000;
	refreshTimer = setTimeout(
		async () => {
			try {
				await dailyRefresh(database, todayInTokyo(), stopping.signal);
			} catch (error) {
				log.error('upcoming_dates_refresh_failed', { message: (error as Error).message });
			}
			scheduleDailyRefresh(database);
		},
		tokyoMidnight - now + 60_000
	);
	refreshTimer.unref();
}

/** How long the nightly job keeps its lock: processes' clocks and timers agree far better than this. */
const NIGHTLY_HOLD_MS = 10 * 60_000;

/**
 * Every process's timer fires a minute after midnight; the first to take the nightly lock rolls
 * the dates forward and keeps the lock for ten minutes, so the others skip. False when skipped.
 */
export async function dailyRefresh(database: Database, today: string, signal?: AbortSignal): Promise<boolean> {
	const run = await runExclusive(
		database.pool,
		JOBS.nightly,
		async () => {
			await refreshUpcomingDates(systemScope(database.db, JOBS.nightly), today);
			await syncAll(database, today);
			log.info('upcoming_dates_refreshed');
		},
		{ holdMs: NIGHTLY_HOLD_MS, signal, serializeWith: [JOBS.dates] }
	);
	return run.ran;
}

let reminderTimer: NodeJS.Timeout | undefined;

/** Day-before reminders; a run still going in any process makes the others skip theirs. */
function scheduleReminders(database: Database, intervalMs: number) {
	reminderTimer = setInterval(() => {
		runExclusive(database.pool, JOBS.reminders, () => sendDueReminders(systemScope(database.db, JOBS.reminders))).then(
			(run) => run.ran && run.value && log.info('reminders_sent', { count: run.value }),
			(error: Error) => log.error('reminders_failed', { message: error.message })
		);
	}, intervalMs);
	reminderTimer.unref();
}

let sessionPurgeTimer: NodeJS.Timeout | undefined;

/**
 * Ended sessions are refused as soon as they time out; the rows (IP, user agent) are deleted
 * hourly so the table keeps no more about people than it needs.
 */
function scheduleSessionPurge(database: Database) {
	sessionPurgeTimer = setInterval(() => {
		runExclusive(database.pool, JOBS.sessions, () => purgeExpiredSessions(systemScope(database.db, JOBS.sessions))).catch((error: Error) => log.error('session_purge_failed', { message: error.message }));
	}, 3600_000);
	sessionPurgeTimer.unref();
}

let retentionTimer: NodeJS.Timeout | undefined;

/** Closed consultations past CONSULTATION_RETENTION_DAYS are emptied daily at 03:00 in Tokyo, by one process (held 10 minutes, like the nightly job). */
function scheduleRetention(database: Database, days: number) {
	const now = Date.now();
	const next = Math.ceil((now + 6 * 3600_000) / 86_400_000) * 86_400_000 - 6 * 3600_000;
	const { signal } = stopping;
	retentionTimer = setTimeout(() => {
		runExclusive(database.pool, JOBS.retention, () => emptyExpiredConsultations(systemScope(database.db, JOBS.retention), { now: new Date(), days }), { holdMs: NIGHTLY_HOLD_MS, signal })
			.then(
				(run) => run.ran && log.info('consultations_emptied', { ...run.value }),
				(error: Error) => log.error('consultation_retention_failed', { message: error.message })
			)
			.finally(() => signal.aborted || scheduleRetention(database, days));
	}, next - now);
	retentionTimer.unref();
}

let escalationTimer: NodeJS.Timeout | undefined;

/** Urgent consultations nobody opened: every minute, one run at a time across processes (consultations/escalation.ts). */
function scheduleEscalations(database: Database) {
	escalationTimer = setInterval(() => {
		runExclusive(database.pool, JOBS.escalations, () => escalateUnopened(systemScope(database.db, JOBS.escalations))).then(
			(run) => run.ran && (run.value.alerted || run.value.escalated) && log.info('consultations_escalated', { ...run.value }),
			(error: Error) => log.error('consultation_escalation_failed', { message: error.message })
		);
	}, 60_000);
	escalationTimer.unref();
}

let provisionRetentionTimer: NodeJS.Timeout | undefined;

/** Provision records past keep_until (three years at least, 29条) are deleted daily at 03:30 in Tokyo, by one process. */
function scheduleProvisionRetention(database: Database) {
	const now = Date.now();
	const next = Math.ceil((now + 5.5 * 3600_000) / 86_400_000) * 86_400_000 - 5.5 * 3600_000;
	const { signal } = stopping;
	provisionRetentionTimer = setTimeout(() => {
		runExclusive(database.pool, 'provision_retention', () => purgeExpiredProvisions(systemScope(database.db, 'provision_retention'), { now: new Date() }), { holdMs: NIGHTLY_HOLD_MS, signal })
			.then(
				(run) => run.ran && log.info('provisions_purged', { ...run.value }),
				(error: Error) => log.error('provision_retention_failed', { message: error.message })
			)
			.finally(() => signal.aborted || scheduleProvisionRetention(database));
	}, next - now);
	provisionRetentionTimer.unref();
}

export async function stopPlatform() {
	clearTimeout(refreshTimer);
	clearTimeout(retentionTimer);
	clearTimeout(provisionRetentionTimer);
	clearTimeout(registrationRetentionTimer);
	clearInterval(reminderTimer);
	clearInterval(sessionPurgeTimer);
	clearInterval(escalationTimer);
	clearInterval(referralQueueTimer);
	// Alerts already started go out before the database closes.
	await alertsSettled();
	stopFollowingChanges?.();
	stopFollowingChanges = null;
	await exports?.stop();
	exports = null;
	await publicCacheListener?.stop();
	publicCacheListener = null;
	stopping.abort();
	stopping = new AbortController();
	const database = currentDatabase();
	useDatabase(null);
	await database?.close();
}

let referralQueueTimer: NodeJS.Timeout | undefined;

/** Stuck referrals to the secretariat's queue, and the 見守り reminders: every 10 minutes, one run at a time across processes (referrals/queue.ts). */
function scheduleReferralQueue(database: Database, days: { acceptDays: number; contactDays: number }) {
	referralQueueTimer = setInterval(() => {
		runExclusive(database.pool, 'referral_queue', () => queueStuckReferrals(systemScope(database.db, 'referral_queue'), { now: new Date(), ...days })).then(
			(run) => run.ran && (run.value.queued || run.value.resolved || run.value.followUps) && log.info('referral_queue_run', { ...run.value }),
			(error: Error) => log.error('referral_queue_failed', { message: error.message })
		);
	}, 10 * 60_000);
	referralQueueTimer.unref();
}

let registrationRetentionTimer: NodeJS.Timeout | undefined;

/** Registrations (and their answers) past REGISTRATION_RETENTION_DAYS after their date are deleted daily at 03:15 in Tokyo, by one process (events/retention.ts). */
function scheduleRegistrationRetention(database: Database, days: number) {
	const now = Date.now();
	const next = Math.ceil((now + 5.75 * 3600_000) / 86_400_000) * 86_400_000 - 5.75 * 3600_000;
	const { signal } = stopping;
	registrationRetentionTimer = setTimeout(() => {
		runExclusive(database.pool, 'registration_retention', () => deleteExpiredRegistrations(systemScope(database.db, 'registration_retention'), { now: new Date(), days }), { holdMs: NIGHTLY_HOLD_MS, signal })
			.then(
				(run) => run.ran && log.info('registrations_deleted', { ...run.value }),
				(error: Error) => log.error('registration_retention_failed', { message: error.message })
			)
			.finally(() => signal.aborted || scheduleRegistrationRetention(database, days));
	}, next - now);
	registrationRetentionTimer.unref();
}
