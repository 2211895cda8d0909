/**
 * The stored bulk files under /opendata (table opendata_exports): made from the published
 * directory by the platform (system context; nobody else may write them), kept until the
 * directory changes, served with their digest and update time.
 *
 * When: after the public-change notification names a table an export reads (debounced, so an
 * import of a hundred programs makes one regeneration), at start-up, and on the first download
 * when none exists yet. Processes regenerate one at a time (a lock across processes, waited for
 * rather than skipped, so the last run always starts after the last change); each compares what
 * it made with what is stored by rendering the directory at the stored time of export — equal
 * bytes mean nothing changed, and nothing is written, so the update time and the ETag stay.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { eq } from 'drizzle-orm';
import type { Pool } from '../db';
import { runExclusive } from '../jobs';
import { log } from '../log';
import { runIn, systemScope } from '../scope';
import { translator } from '$lib/i18n';
import { opendataExports } from './schema';
import { hsdsDirectory, hsdsJsonExport, hsdsTabularExport, type ExportMeta, type HsdsDirectory } from './export-hsds';
import { directoryLicence } from './licence';

export const EXPORT_FILES = {
	'hsds.json': { mediaType: 'application/json', render: hsdsJsonExport },
	'hsds-tabular.zip': { mediaType: 'application/zip', render: hsdsTabularExport }
} as const satisfies Record<string, { mediaType: string; render: (d: HsdsDirectory, m: ExportMeta) => Uint8Array }>;

export type ExportName = keyof typeof EXPORT_FILES;
const NAMES = Object.keys(EXPORT_FILES) as ExportName[];

/** The tables whose change can change an export (the notification's payload names the table). */
export const EXPORT_TABLES: ReadonlySet<string> = new Set(['organizations', 'locations', 'programs', 'program_locations', 'schedules', 'taxonomy_terms', 'opendata_settings']);

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export interface ExportDatabase {
	db: Pool;
	pool: pg.Pool;
}

/**
 * Make the exports from the published directory and store those that changed. Returns the names
 * written (none when the directory is as the stored files say).
 */
export async function regenerateExports(database: ExportDatabase, origin: string, now: () => Date = () => new Date()): Promise<ExportName[]> {
	const run = await runExclusive(
		database.pool,
		'opendata_exports',
		() =>
			runIn(systemScope(database.db, 'opendata_exports'), async (tx) => {
				const directory = await hsdsDirectory(tx, origin);
				// The secretariat's choice (opendata_settings), CC BY 4.0 by default.
				const licence = await directoryLicence(tx);
				const stored = await tx.select({ name: opendataExports.name, sha256: opendataExports.sha256, generatedAt: opendataExports.generatedAt }).from(opendataExports);
				const title = translator('ja')('opendata.exportTitle', { name: translator('ja')('app.name') });
				const meta = (created: Date): ExportMeta => ({ created, origin, title, licence });
				const storedBy = new Map(stored.map((s) => [s.name, s]));
				const unchanged = NAMES.every((name) => {
					const old = storedBy.get(name);
					return old !== undefined && sha256(EXPORT_FILES[name].render(directory, meta(old.generatedAt))) === old.sha256;
				});
				if (unchanged) return [];
				// Both files are made again together, so they always state the same time of export.
				const created = new Date(Math.floor(now().getTime() / 1000) * 1000);
				for (const name of NAMES) {
					const content = Buffer.from(EXPORT_FILES[name].render(directory, meta(created)));
					const row = { mediaType: EXPORT_FILES[name].mediaType, content, bytes: content.length, sha256: sha256(content), generatedAt: created };
					await tx
						.insert(opendataExports)
						.values({ name, ...row })
						.onConflictDoUpdate({ target: opendataExports.name, set: row });
				}
				return NAMES;
			}),
		{ wait: true }
	);
	return run.ran ? run.value : [];
}

export interface ExportFile {
	name: ExportName;
	mediaType: string;
	bytes: number;
	sha256: string;
	generatedAt: Date;
}

/** The stored files (without their content), for the /opendata page. */
export async function exportsList(db: Pool): Promise<ExportFile[]> {
	const rows = await db.select({ name: opendataExports.name, mediaType: opendataExports.mediaType, bytes: opendataExports.bytes, sha256: opendataExports.sha256, generatedAt: opendataExports.generatedAt }).from(opendataExports);
	return rows.filter((r): r is ExportFile => r.name in EXPORT_FILES);
}

/** One stored file; its content only when `withContent` (a conditional request needs only the digest). */
export async function exportFile(db: Pool, name: ExportName, withContent: boolean): Promise<(ExportFile & { content?: Buffer }) | null> {
	const [row] = await db
		.select({ name: opendataExports.name, mediaType: opendataExports.mediaType, bytes: opendataExports.bytes, sha256: opendataExports.sha256, generatedAt: opendataExports.generatedAt, ...(withContent ? { content: opendataExports.content } : {}) })
		.from(opendataExports)
		.where(eq(opendataExports.name, name));
	return (row as (ExportFile & { content?: Buffer }) | undefined) ?? null;
}

export interface ExportRegenerator {
	/** Something the exports read changed: regenerate once things are quiet. */
	changed(): void;
	/** Regenerate now (start-up, a first download), sharing a run already going. */
	now(): Promise<void>;
	/** No more runs; resolves when a run still going has ended. */
	stop(): Promise<void>;
}

/**
 * Debounce regenerations: `quietMs` after the last change, but no later than `maxWaitMs` after the
 * first of a burst; a change during a run runs again after it (the run may have read before it).
 */
export function exportRegenerator(run: () => Promise<unknown>, { quietMs, maxWaitMs }: { quietMs: number; maxWaitMs: number }): ExportRegenerator {
	let timer: NodeJS.Timeout | undefined;
	let firstChange: number | undefined;
	let running: Promise<void> | null = null;
	let again = false;
	let stopped = false;

	const start = (): Promise<void> => {
		if (running) {
			again = true;
			return running;
		}
		running = run()
			.then(() => undefined)
			.catch((error: Error) => log.error('opendata_export_failed', { message: error.message }))
			.finally(() => {
				running = null;
				if (again && !stopped) {
					again = false;
					changed();
				}
			});
		return running;
	};
	const changed = () => {
		if (stopped) return;
		const now = Date.now();
		firstChange ??= now;
		clearTimeout(timer);
		timer = setTimeout(
			() => {
				firstChange = undefined;
				void start();
			},
			Math.max(0, Math.min(quietMs, firstChange + maxWaitMs - now))
		);
		timer.unref();
	};
	return {
		changed,
		now: () => (stopped ? Promise.resolve() : start()),
		async stop() {
			stopped = true;
			clearTimeout(timer);
			await running;
		}
	};
}
