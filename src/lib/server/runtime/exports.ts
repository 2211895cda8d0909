/**
 * The open-data bulk files, made again after published data changes (the public-change
 * notification) and after start-up if missing or stale (in the background: a download before
 * they exist waits for them, ensureExports).
 */
import type { Database } from '../db';
import { publicOrigin } from '../http';
import { log } from '../log';
import { onPublicChange } from '../cache';
import { exportRegenerator, regenerateExports, EXPORT_TABLES, type ExportRegenerator } from '../opendata';

let exports: ExportRegenerator | null = null;
let stopFollowingChanges: (() => void) | null = null;

/** `build`: the app's build (SvelteKit's version), which the stored files name as what rendered them. */
export function startExports(database: Database, quietMs: number, env: NodeJS.ProcessEnv, build?: string) {
	const origin = publicOrigin(env);
	exports = exportRegenerator(
		async () => {
			const written = await regenerateExports(database, origin, undefined, build);
			if (written.length) log.info('opendata_exports_written', { files: written });
		},
		{ quietMs, maxWaitMs: Math.max(quietMs, 60_000) }
	);
	stopFollowingChanges = onPublicChange((table) => {
		if (table === null || EXPORT_TABLES.has(table)) exports?.changed();
	});
	// Missing or stale files are made once start-up has been quiet for a while, not while the first
	// pages are served; a download before then makes them at once (ensureExports). With nothing
	// changed since they were made (by this build), the check reads two small rows, not the directory.
	exports.changed();
}

/** Make the bulk files now unless a run is going (then wait for it): a download found none. */
export async function ensureExports(): Promise<void> {
	await exports?.now();
}

export async function stopExports() {
	stopFollowingChanges?.();
	stopFollowingChanges = null;
	await exports?.stop();
	exports = null;
}
