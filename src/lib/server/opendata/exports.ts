/**
 * The stored bulk files under /opendata (table opendata_exports, their bytes in
 * opendata_export_chunks): made from the published directory by the platform (system context;
 * nobody else may write them), kept until the directory changes, served with their digest and
 * update time.
 *
 * When: after the public-change notification names a table an export reads (debounced, so an
 * import of a hundred programs makes one regeneration), at start-up, and on the first download
 * when none exists yet. Processes regenerate one at a time (a lock across processes, waited for
 * rather than skipped, so the last run always starts after the last change).
 *
 * A check costs two small statements when nothing changed (issue 15: it read the whole directory,
 * 80–117 s of CPU at 100,000 programs, at every start of every process): every statement that
 * writes what the files are made from notes its transaction in opendata_directory_changes (a
 * trigger, drizzle/0027), and the stored files name what rendered them (the app's build and the
 * site's origin). No noted transaction and the same renderer: the files state the directory as it
 * is. Otherwise the directory is read and the files compared by rendering them at their stored
 * time of export — equal bytes mean nothing changed, and nothing is written, so the update time and
 * the ETag stay — and the transactions this snapshot saw are cleared (one still open when it read is
 * not seen: its row stays, and its commit's notification makes the next check read again).
 *
 * At national scale (issue 15: 100,000 programs) a file is larger than a JavaScript string or one
 * bytea value may be, and making it takes tens of seconds: the directory is read a page of
 * organisations at a time (export-hsds.ts), the files are made, digested and stored as pieces of
 * at most 1 MiB, and the work gives way to the event loop between pages and pieces, so requests
 * keep being answered. One reading of the directory makes the tables (kept compressed in memory)
 * and the JSON's digest at its stored time; only when something changed is it read a second time
 * to store the JSON (a file that has not changed is never written, and the JSON is never held
 * whole). With nothing stored yet, one reading does both. The readings share one transaction's
 * snapshot (repeatable read), so both files state one directory, and the changes cleared are
 * exactly the ones they include.
 */
import { createHash, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { and, asc, desc, eq, gt, inArray, lte, notInArray, sql } from 'drizzle-orm';
import type { Pool, Tx } from '../db';
import { runExclusive } from '../jobs';
import { log } from '../log';
import { runIn, systemScope } from '../scope';
import { translator } from '$lib/i18n';
import { opendataDirectoryChanges, opendataExportChunks, opendataExports } from './schema';
import { hsdsDirectory, hsdsJsonExport, yieldToEventLoop, type ExportMeta } from './export-hsds';
import { HsdsTabular } from './export-tabular';
import { directoryLicence } from './licence';

export const EXPORT_FILES = {
	'hsds.json': { mediaType: 'application/json' },
	'hsds-tabular.zip': { mediaType: 'application/zip' }
} as const satisfies Record<string, { mediaType: string }>;

export type ExportName = keyof typeof EXPORT_FILES;
const NAMES = Object.keys(EXPORT_FILES) as ExportName[];

/**
 * The tables the exports are read from (the notification's payload names the table): the ones whose
 * writes drizzle/0027 notes in opendata_directory_changes. (The taxonomies are the code's, not taxonomy_terms.)
 */
export const EXPORT_TABLES: ReadonlySet<string> = new Set(['organizations', 'locations', 'programs', 'program_locations', 'program_partners', 'schedules', 'opendata_settings']);

/** A stored piece: small enough to hold, digest and send without holding the process, large enough that a file is a few hundred statements. */
export const EXPORT_CHUNK_BYTES = 1024 * 1024;

const encoder = new TextEncoder();

/** Text or bytes, in pieces of any size, as pieces of exactly `size` bytes (the last shorter). */
async function* inChunks(pieces: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>, size = EXPORT_CHUNK_BYTES): AsyncGenerator<Uint8Array> {
	let buffer = new Uint8Array(size);
	let filled = 0;
	for await (const piece of pieces) {
		// Every text piece is whole JSON (export-hsds.ts), so no character is split between two.
		let bytes = typeof piece === 'string' ? encoder.encode(piece) : piece;
		while (bytes.length > 0) {
			const n = Math.min(size - filled, bytes.length);
			buffer.set(bytes.subarray(0, n), filled);
			filled += n;
			bytes = bytes.subarray(n);
			if (filled === size) {
				yield buffer;
				buffer = new Uint8Array(size);
				filled = 0;
			}
		}
	}
	if (filled > 0) yield buffer.subarray(0, filled);
}

/** Pieces on their way through, with the SHA-256 and size of all of them once the last has passed. */
function digesting(chunks: AsyncIterable<Uint8Array>) {
	const hash = createHash('sha256');
	let bytes = 0;
	let sha256: string | null = null;
	async function* pieces(): AsyncGenerator<Uint8Array> {
		for await (const chunk of chunks) {
			hash.update(chunk);
			bytes += chunk.length;
			yield chunk;
		}
		sha256 = hash.digest('hex');
	}
	return {
		pieces: pieces(),
		/** After the last piece: the file's size and digest. */
		get file() {
			if (sha256 === null) throw new Error('opendata export: digest read before the last piece');
			return { bytes, sha256 };
		}
	};
}

/** The SHA-256 of a file made as pieces, giving way to the event loop after each. */
async function digestOf(chunks: AsyncIterable<Uint8Array>): Promise<string> {
	const digest = digesting(chunks);
	while (!(await digest.pieces.next()).done) await yieldToEventLoop();
	return digest.file.sha256;
}

/** Each item on its way through (the tables are made from the records the JSON's digest reads). */
async function* tap<T>(items: AsyncIterable<T>, each: (item: T) => void): AsyncGenerator<T> {
	for await (const item of items) {
		each(item);
		yield item;
	}
}

/** Store a file's pieces as a new version (not yet the one served): its version, size and digest. */
async function storePieces(tx: Tx<'system'>, name: ExportName, chunks: AsyncIterable<Uint8Array>) {
	const version = randomUUID();
	const digest = digesting(chunks);
	let start = 0;
	for await (const chunk of digest.pieces) {
		await tx.insert(opendataExportChunks).values({ name, version, start, data: Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length) });
		start += chunk.length;
	}
	return { version, ...digest.file };
}

/**
 * What renders the files besides the directory: the app's build (SvelteKit's version, new with
 * every build; tools and tests pass none) and the site's origin, which every record's links state.
 */
function rendererOf(origin: string, build?: string): string {
	return JSON.stringify({ build: build ?? null, origin });
}

export interface ExportDatabase {
	db: Pool;
	pool: pg.Pool;
}

/**
 * Make the exports from the published directory and store those that changed. Returns the names
 * written (none when the directory is as the stored files say). `build`: the running app's build
 * (a new one compares the files once, since it may render them differently).
 */
export async function regenerateExports(database: ExportDatabase, origin: string, now: () => Date = () => new Date(), build?: string): Promise<ExportName[]> {
	const run = await runExclusive(
		database.pool,
		'opendata_exports',
		// One snapshot for every page of both readings, so both files state one directory.
		() => runIn(systemScope(database.db, 'opendata_exports'), (tx) => makeExports(tx, origin, now, rendererOf(origin, build)), { isolationLevel: 'repeatable read' }),
		{ wait: true }
	);
	return run.ran ? run.value : [];
}

async function makeExports(tx: Tx<'system'>, origin: string, now: () => Date, renderer: string): Promise<ExportName[]> {
	// First, in this snapshot: whether anything was written since the files were made, or by what.
	const stored = await tx.select({ name: opendataExports.name, sha256: opendataExports.sha256, generatedAt: opendataExports.generatedAt, version: opendataExports.version, renderer: opendataExports.renderer }).from(opendataExports);
	const changes = await tx.select({ xact: opendataDirectoryChanges.xact }).from(opendataDirectoryChanges).limit(1);
	const storedBy = new Map(stored.map((s) => [s.name, s]));
	if (changes.length === 0 && NAMES.every((name) => storedBy.get(name)?.renderer === renderer)) return [];
	const written = await renderExports(tx, origin, now, storedBy);
	// Both files, written or found equal, are what this renderer makes of this snapshot.
	await tx
		.update(opendataExports)
		.set({ renderer })
		.where(and(inArray(opendataExports.name, NAMES), sql`${opendataExports.renderer} is distinct from ${renderer}`));
	// The changes this snapshot saw are in the files now (or changed nothing in them). A DELETE
	// under repeatable read removes only those: a writer still open when it began keeps its row.
	await tx.delete(opendataDirectoryChanges);
	return written;
}

type StoredExport = { sha256: string; generatedAt: Date; version: string };

/** Read the directory and store the files that differ from `storedBy` (both, or none). */
async function renderExports(tx: Tx<'system'>, origin: string, now: () => Date, storedBy: Map<string, StoredExport>): Promise<ExportName[]> {
	// The secretariat's choice (opendata_settings), CC BY 4.0 by default.
	const licence = await directoryLicence(tx);
	const title = translator('ja')('opendata.exportTitle', { name: translator('ja')('app.name') });
	const meta = (created: Date): ExportMeta => ({ created, origin, title, licence });
	const directory = await hsdsDirectory(tx, origin);
	const tabular = new HsdsTabular(directory.organizationIds);
	const records = tap(directory.organizations(), (o) => tabular.add(o));
	const json = storedBy.get('hsds.json');
	const zip = storedBy.get('hsds-tabular.zip');
	// Both files are made again together, so they always state the same time of export.
	const created = () => new Date(Math.floor(now().getTime() / 1000) * 1000);
	const written: Partial<Record<ExportName, { version: string; bytes: number; sha256: string }>> = {};
	let at: Date;
	if (!json || !zip) {
		// Nothing to compare with: one reading makes the tables and stores the JSON as it is made.
		at = created();
		written['hsds.json'] = await storePieces(tx, 'hsds.json', inChunks(hsdsJsonExport(records, directory, meta(at))));
		tabular.finish(directory);
	} else {
		// The first reading: the tables, and the JSON's digest as it was stored; equal files are not written.
		const jsonAsStored = await digestOf(inChunks(hsdsJsonExport(records, directory, meta(json.generatedAt))));
		tabular.finish(directory);
		if (jsonAsStored === json.sha256 && (await digestOf(inChunks(tabular.zip(meta(zip.generatedAt))))) === zip.sha256) return [];
		// The second reading (same snapshot): the JSON is stored as it is made, never held whole.
		at = created();
		written['hsds.json'] = await storePieces(tx, 'hsds.json', inChunks(hsdsJsonExport(directory.organizations(), directory, meta(at))));
	}
	written['hsds-tabular.zip'] = await storePieces(tx, 'hsds-tabular.zip', inChunks(tabular.zip(meta(at))));
	for (const name of NAMES) {
		const { version, bytes, sha256 } = written[name]!;
		const row = { mediaType: EXPORT_FILES[name].mediaType, version, bytes, sha256, generatedAt: at };
		await tx
			.insert(opendataExports)
			.values({ name, ...row })
			.onConflictDoUpdate({ target: opendataExports.name, set: row });
		// The version served until now stays, for downloads under way; older ones go.
		const kept = [version, ...(storedBy.has(name) ? [storedBy.get(name)!.version] : [])];
		await tx.delete(opendataExportChunks).where(and(eq(opendataExportChunks.name, name), notInArray(opendataExportChunks.version, kept)));
	}
	return NAMES;
}

export interface ExportFile {
	name: ExportName;
	mediaType: string;
	/** Which stored pieces are this file. */
	version: string;
	bytes: number;
	sha256: string;
	generatedAt: Date;
}

const fileColumns = { name: opendataExports.name, mediaType: opendataExports.mediaType, version: opendataExports.version, bytes: opendataExports.bytes, sha256: opendataExports.sha256, generatedAt: opendataExports.generatedAt };

/** The stored files (without their content), for the /opendata page. */
export async function exportsList(db: Pool): Promise<ExportFile[]> {
	const rows = await db.select(fileColumns).from(opendataExports);
	return rows.filter((r): r is ExportFile => r.name in EXPORT_FILES);
}

/** One stored file, without its content (exportPieces reads that). */
export async function exportFile(db: Pool, name: ExportName): Promise<ExportFile | null> {
	const [row] = await db.select(fileColumns).from(opendataExports).where(eq(opendataExports.name, name));
	return (row as ExportFile | undefined) ?? null;
}

/**
 * The bytes `from`–`to` (inclusive) of a stored file, a piece at a time: one short statement per
 * piece rather than a transaction held open while a client downloads. A version is kept while it
 * is the one served or the one before, so a download fails (rather than mixing two files) only
 * when two regenerations end while it runs.
 */
export async function* exportPieces(db: Pool, file: Pick<ExportFile, 'name' | 'version' | 'bytes'>, from = 0, to = file.bytes - 1): AsyncGenerator<Uint8Array> {
	const where = (at: ReturnType<typeof lte>) => and(eq(opendataExportChunks.name, file.name), eq(opendataExportChunks.version, file.version), at);
	// The piece holding `from`, then each one after.
	let [piece] = await db
		.select({ start: opendataExportChunks.start, data: opendataExportChunks.data })
		.from(opendataExportChunks)
		.where(where(lte(opendataExportChunks.start, from)))
		.orderBy(desc(opendataExportChunks.start))
		.limit(1);
	let position = from;
	while (position <= to) {
		if (!piece || piece.start > position || piece.start + piece.data.length <= position) throw new Error(`opendata_export_superseded: ${file.name} has no bytes at ${position} in its version`);
		const part = piece.data.subarray(position - piece.start, Math.min(piece.data.length, to + 1 - piece.start));
		yield part;
		position += part.length;
		if (position > to) break;
		[piece] = await db
			.select({ start: opendataExportChunks.start, data: opendataExportChunks.data })
			.from(opendataExportChunks)
			.where(where(gt(opendataExportChunks.start, piece.start)))
			.orderBy(asc(opendataExportChunks.start))
			.limit(1);
	}
}

/** A stored file's whole content (tests and tools; a download streams exportPieces instead). */
export async function exportContent(db: Pool, name: ExportName): Promise<Buffer | null> {
	const file = await exportFile(db, name);
	if (!file) return null;
	const pieces: Uint8Array[] = [];
	for await (const piece of exportPieces(db, file)) pieces.push(piece);
	return Buffer.concat(pieces);
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
