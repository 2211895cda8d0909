/**
 * The running platform's life: open the database at start-up (hooks.server.ts `init`), load the
 * demo region, keep dates fresh, run the timers, close on shutdown. The app layer: it wires the
 * modules together, one concern per file — settings.ts (the environment, read once), startup.ts
 * (before the first page), schedule.ts (the timers), exports.ts (the open-data bulk files),
 * locks.ts (the jobs' lock names). What every request needs lives beside the services it belongs to —
 * the process's database in db/current.ts, today's date in clock.ts, the public origin in
 * http/origin.ts, the throttle in auth/throttle.ts.
 */
import { openDatabase, useDatabase, database as currentDatabase, type Database } from '../db';
import { warmAnalyser, warmThesaurus } from '../directory';
import { useLineForNotices } from '../events';
import { runExclusive } from '../jobs';
import { alertsSettled, linePushForNotices } from '../consultations';
import { startPublicCacheListener, type PublicCacheListener } from '../cache';
import { platformSettings } from './settings';
import { startUp } from './startup';
import { startTimers, stopTimers } from './schedule';
import { startExports, stopExports } from './exports';
import { JOBS } from './locks';

export { ensureExports } from './exports';
export { dailyRefresh } from './schedule';
export { exportQuietMs, reminderIntervalMs } from './settings';

let publicCacheListener: PublicCacheListener | null = null;

/**
 * Open the database from the environment, load the demo region into an empty one, keep dates fresh.
 * `build`: the app's build (SvelteKit's `version`): a new build compares the open-data files once.
 */
export async function startPlatform(env: NodeJS.ProcessEnv = process.env, { build }: { build?: string } = {}): Promise<Database> {
	const startedAt = new Date();
	const settings = platformSettings(env);
	const database = await openDatabase(settings.database);
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
	startExports(database, settings.exportQuietMs, env, build);
	startTimers(database, settings);
	return database;
}

export async function stopPlatform() {
	stopTimers();
	// Alerts already started go out before the database closes.
	await alertsSettled();
	await stopExports();
	await publicCacheListener?.stop();
	publicCacheListener = null;
	const database = currentDatabase();
	useDatabase(null);
	await database?.close();
}
