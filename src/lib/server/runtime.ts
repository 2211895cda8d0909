/**
 * The running platform's shared resources: the database, opened once per process at start-up
 * (hooks.server.ts `init`) and closed on shutdown.
 */
import path from 'node:path';
import { openDatabase, type Database, type Db } from './db';
import { loadDemoRegion, isDirectoryEmpty, refreshUpcomingDates, localDay } from './directory';
import { occurrencesStale, sendDueReminders, syncAllOccurrences } from './events';
import { log } from './log';
import { asSystem } from './db/tenant';
import { Throttle } from './auth/throttle';
import { ensureSecretariatInvitation, DEMO_SECRETARIAT_SLUG } from './network';
import { sendMail } from './mail';
import { translate } from '../i18n';
import { sql } from 'drizzle-orm';

/** Dates need rebuilding when yesterday's are still there or none were ever made. */
async function upcomingDatesStale(db: Db, today: string): Promise<boolean> {
	const result = await db.execute<{ stale: boolean }>(
		sql`select exists (select 1 from program_upcoming_dates where day < ${today}::date) or not exists (select 1 from program_upcoming_dates) as stale`
	);
	return result.rows[0].stale;
}

let current: Database | null = null;
let currentThrottle: Throttle | null = null;

export function useDatabase(database: Database) {
	current = database;
	currentThrottle = new Throttle(database.pool);
}

/** Login and reset counters, shared by every process through the database. */
export function throttle(): Throttle {
	if (!currentThrottle) throw new Error('database not opened');
	return currentThrottle;
}

/** Where links in e-mails point: ORIGIN (as for adapter-node) or the local server. */
export function publicOrigin(env: NodeJS.ProcessEnv = process.env): string {
	return (env.ORIGIN || `http://localhost:${env.PORT || 3000}`).replace(/\/$/, '');
}

export function db(): Db {
	if (!current) throw new Error('database not opened');
	return current.db;
}

export function database(): Database | null {
	return current;
}

export function todayInTokyo(now = new Date()): string {
	return localDay(now, 'Asia/Tokyo');
}

/** Open the database from the environment, load the demo region into an empty one, keep dates fresh. */
export async function startPlatform(env: NodeJS.ProcessEnv = process.env): Promise<Database> {
	const database = await openDatabase({
		databaseUrl: env.DATABASE_URL || undefined,
		appUrl: env.DATABASE_APP_URL || undefined,
		dataDir: path.resolve(env.DATA_DIR || 'data'),
		poolSize: Number(env.DATABASE_POOL_SIZE || 10)
	});
	useDatabase(database);
	const today = todayInTokyo();
	let loadedDemo = false;
	if (env.DEMO_REGION !== 'off' && (await isDirectoryEmpty(database.db))) {
		const loaded = await loadDemoRegion(database.db, today);
		loadedDemo = true;
		log.info('demo_region_loaded', loaded);
	} else if (await upcomingDatesStale(database.db, today)) {
		await asSystem(database.db, (tx) => refreshUpcomingDates(tx, today));
	}
	if (await occurrencesStale(database.db, today)) {
		// A fresh demo region is small: its dates exist before the first page is served. A large
		// directory (national scale) catches up in the background instead of delaying start-up.
		const sync = syncAllOccurrences(database.db, (fn) => asSystem(database.db, fn), today).then((n) => log.info('occurrences_synced', n));
		if (loadedDemo) await sync;
		else sync.catch((e: Error) => log.error('occurrences_sync_failed', { message: e.message }));
	}
	const setup = await ensureSecretariatInvitation(database.db, {
		email: env.ADMIN_EMAIL || 'admin@example.org',
		organizationSlug: env.SECRETARIAT_ORGANIZATION || (env.DEMO_REGION !== 'off' ? DEMO_SECRETARIAT_SLUG : undefined),
		networkName: env.NETWORK_NAME || 'ネットワーク事務局'
	});
	if (setup) {
		const link = `${publicOrigin(env)}/invite/${setup.token}`;
		log.warn('secretariat_setup_link', { email: setup.email, link });
		await sendMail({ to: setup.email, subject: translate('ja', 'mail.setup.subject'), text: translate('ja', 'mail.setup.body', { link }) });
	}
	scheduleDailyRefresh(database);
	scheduleReminders(database);
	return database;
}

let refreshTimer: NodeJS.Timeout | undefined;

/** Upcoming dates roll forward every day shortly after midnight in Tokyo. */
function scheduleDailyRefresh(database: Database) {
	const now = Date.now();
	const tokyoMidnight = Math.ceil((now + 9 * 3600_000) / 86_400_000) * 86_400_000 - 9 * 3600_000;
	refreshTimer = setTimeout(async () => {
		try {
			const today = todayInTokyo();
			await asSystem(database.db, (tx) => refreshUpcomingDates(tx, today));
			await syncAllOccurrences(database.db, (fn) => asSystem(database.db, fn), today);
			log.info('upcoming_dates_refreshed');
		} catch (error) {
			log.error('upcoming_dates_refresh_failed', { message: (error as Error).message });
		}
		scheduleDailyRefresh(database);
	}, tokyoMidnight - now + 60_000);
	refreshTimer.unref();
}

let reminderTimer: NodeJS.Timeout | undefined;

/** Day-before reminders, checked every 15 minutes. */
function scheduleReminders(database: Database) {
	reminderTimer = setInterval(() => {
		sendDueReminders(database.db).then(
			(n) => n && log.info('reminders_sent', { count: n }),
			(error: Error) => log.error('reminders_failed', { message: error.message })
		);
	}, 15 * 60_000);
	reminderTimer.unref();
}

export async function stopPlatform() {
	clearTimeout(refreshTimer);
	clearInterval(reminderTimer);
	const database = current;
	current = null;
	currentThrottle = null;
	await database?.close();
}
