/**
 * Logical backup and restore of the whole database, made by the app itself: the embedded server's
 * npm binaries ship no pg_dump, and Debian's pg_dump 15 refuses a newer server. Every table of the
 * public schema goes out with COPY in one repeatable-read snapshot; restore applies the migrations
 * the backup was made with, loads the rows in foreign-key order in one transaction, puts the
 * sequences back, then applies any newer migrations — so an older backup restores into newer code.
 *
 * File (gzip of UTF-8 lines):
 *   {"format":"tsunagu-backup","version":1,"createdAt","serverVersion","migrations":[{hash,createdAt}],"tables":[…]}
 *   then per table, in foreign-key order:
 *     {"table":"…","columns":[…]}
 *     its rows in COPY text format, one per line (newlines and backslashes inside values are
 *     escaped, so no row line is ever `\.`)
 *     \.
 *   {"rows":{table: n},"sequences":{name: {"value":"…","called":bool}}}   (the trailer)
 * Restore checks every table's row count against the trailer and reads to the end of the gzip
 * stream (its CRC) before it commits. The file holds personal data: it is written with mode 600,
 * and the encryption master key is deliberately not in it.
 *
 * Who may run it: a superuser, or the database owner. A superuser bypasses row-level security. The
 * owner is under it (FORCE, drizzle/0006): the backup reads in the platform context (app.system),
 * which every policy grants every row — lifting FORCE instead would lock each table against the
 * running app for the whole backup. The restore, whose target nobody uses yet, lifts FORCE inside
 * its transaction (COPY FROM is refused where a policy applies) and puts it back before commit.
 */
import pg from 'pg';
import { createReadStream, createWriteStream, type ReadStream, cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { createGzip, createGunzip } from 'node:zlib';
import { once } from 'node:events';
import { createInterface, type Interface } from 'node:readline';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { to as copyTo, from as copyFrom } from 'pg-copy-streams';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { migrateDatabase } from './index';

export const BACKUP_FORMAT = 'tsunagu-backup';
export const BACKUP_VERSION = 1;

/**
 * Rows a database may hold and still count as empty: what migrations and reference data write (a
 * migration that writes the directory also notes it in opendata_directory_changes).
 */
const REFERENCE_TABLES = new Set(['audit_chain', 'taxonomy_terms', 'opendata_directory_changes']);

export class BackupError extends Error {}

interface Migration {
	hash: string;
	createdAt: number;
}

interface Header {
	format: string;
	version: number;
	createdAt: string;
	serverVersion: string;
	migrations: Migration[];
	tables: string[];
}

interface SequenceState {
	value: string;
	called: boolean;
}

interface Trailer {
	rows: Record<string, number>;
	sequences?: Record<string, SequenceState>;
}

export interface BackupReport {
	file: string;
	rows: Record<string, number>;
	migrations: number;
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		return await fn(client);
	} finally {
		await client.end();
	}
}

const qualified = (c: pg.Client, name: string) => `public.${c.escapeIdentifier(name)}`;

async function publicTables(c: pg.Client): Promise<string[]> {
	return (await c.query<{ name: string }>(`select tablename as name from pg_tables where schemaname = 'public' order by 1`)).rows.map((r) => r.name);
}

/**
 * Tables of the public schema, each after every table it references. A deferrable key does not
 * order (restore defers it to the commit); a table referencing itself needs its key deferrable.
 */
async function tablesInDependencyOrder(c: pg.Client): Promise<string[]> {
	const tables = await publicTables(c);
	const edges = (
		await c.query<{ child: string; parent: string }>(`
			select cl.relname as child, pl.relname as parent from pg_constraint k
			join pg_class cl on cl.oid = k.conrelid join pg_class pl on pl.oid = k.confrelid
			join pg_namespace n on n.oid = cl.relnamespace
			where k.contype = 'f' and not k.condeferrable and n.nspname = 'public' and cl.relname <> pl.relname`)
	).rows;
	const ordered: string[] = [];
	const visit = (table: string, trail: string[]) => {
		if (ordered.includes(table)) return;
		if (trail.includes(table)) throw new BackupError(`foreign keys form a cycle: ${[...trail, table].join(' → ')}`);
		for (const e of edges.filter((e) => e.child === table)) visit(e.parent, [...trail, table]);
		ordered.push(table);
	};
	tables.forEach((t) => visit(t, []));
	return ordered;
}

async function columnsOf(c: pg.Client, table: string): Promise<string[]> {
	const rows = await c.query<{ name: string }>(`select attname as name from pg_attribute where attrelid = $1::regclass and attnum > 0 and not attisdropped and attgenerated = '' order by attnum`, [qualified(c, table)]);
	return rows.rows.map((r) => r.name);
}

async function appliedMigrations(c: pg.Client): Promise<Migration[]> {
	const exists = await c.query(`select 1 from pg_tables where schemaname = 'drizzle' and tablename = '__drizzle_migrations'`);
	if (!exists.rowCount) return [];
	const rows = await c.query<{ hash: string; created_at: string }>(`select hash, created_at from drizzle.__drizzle_migrations order by created_at, id`);
	return rows.rows.map((r) => ({ hash: r.hash, createdAt: Number(r.created_at) }));
}

async function sequenceStates(c: pg.Client): Promise<Record<string, SequenceState>> {
	const names = await c.query<{ name: string }>(`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'S' order by 1`);
	const out: Record<string, SequenceState> = {};
	for (const { name } of names.rows) {
		const [s] = (await c.query<{ value: string; called: boolean }>(`select last_value::text as value, is_called as called from ${qualified(c, name)}`)).rows;
		out[name] = s;
	}
	return out;
}

/** Write a backup of the database at `adminUrl` (its owner or a superuser) to `file`. */
export async function backupDatabase(adminUrl: string, file: string): Promise<BackupReport> {
	const partial = path.join(path.dirname(file), `.${path.basename(file)}.partial`);
	const gzip = createGzip();
	const out = createWriteStream(partial, { mode: 0o600 });
	const written = pipeline(gzip, out);
	written.catch(() => undefined); // awaited below; a write error must not go unhandled meanwhile
	const write = async (chunk: string | Buffer) => {
		if (!gzip.write(chunk)) await Promise.race([once(gzip, 'drain'), written]);
	};
	try {
		let migrationCount = 0;
		const rows = await withClient(adminUrl, async (c) => {
			// One snapshot for every table (the app may be writing meanwhile; it is not blocked).
			await c.query('begin isolation level repeatable read read only');
			await c.query(`select set_config('app.system', 'on', true)`);
			const tables = await tablesInDependencyOrder(c);
			const header: Header = {
				format: BACKUP_FORMAT,
				version: BACKUP_VERSION,
				createdAt: new Date().toISOString(),
				serverVersion: (await c.query<{ v: string }>(`select current_setting('server_version') as v`)).rows[0].v,
				migrations: await appliedMigrations(c),
				tables
			};
			migrationCount = header.migrations.length;
			await write(JSON.stringify(header) + '\n');
			const counts: Record<string, number> = {};
			for (const table of tables) {
				const columns = await columnsOf(c, table);
				await write(JSON.stringify({ table, columns }) + '\n');
				const list = columns.map((n) => c.escapeIdentifier(n)).join(', ');
				const source = c.query(copyTo(`copy ${qualified(c, table)} (${list}) to stdout`));
				let lines = 0;
				let last = 10;
				for await (const chunk of source as AsyncIterable<Buffer>) {
					for (const byte of chunk) if (byte === 10) lines++;
					last = chunk[chunk.length - 1];
					await write(chunk);
				}
				if (last !== 10) throw new BackupError(`COPY of ${table} did not end with a newline`);
				await write('\\.\n');
				counts[table] = lines;
			}
			// Sequences are not transactional: read after the rows, a value is never behind them.
			const trailer: Trailer = { rows: counts, sequences: await sequenceStates(c) };
			await write(JSON.stringify(trailer) + '\n');
			await c.query('commit');
			return counts;
		});
		gzip.end();
		await written;
		chmodSync(partial, 0o600);
		renameSync(partial, file);
		return { file, rows, migrations: migrationCount };
	} catch (error) {
		gzip.destroy();
		await written.catch(() => undefined);
		rmSync(partial, { force: true });
		throw error;
	}
}

/** The backup file as lines, with read and gzip failures told as what they mean. */
class BackupReader {
	private readonly lines: Interface;
	private readonly iterator: AsyncIterator<string>;
	private readonly source: ReadStream;

	constructor(private readonly file: string) {
		const source = (this.source = createReadStream(file));
		const gunzip = createGunzip();
		// pipe() does not pass a read error on; without this a missing file would go unhandled.
		source.on('error', (error) => gunzip.destroy(error));
		this.lines = createInterface({ input: source.pipe(gunzip), crlfDelay: Infinity });
		this.iterator = this.lines[Symbol.asyncIterator]();
	}

	private async read(): Promise<IteratorResult<string>> {
		try {
			return await this.iterator.next();
		} catch (error) {
			const e = error as NodeJS.ErrnoException;
			if (e.code === 'Z_BUF_ERROR') throw new BackupError('the backup file is truncated (its gzip stream ends early)');
			if (e.code === 'Z_DATA_ERROR' && /header/.test(e.message)) throw new BackupError('not a tsunagu backup (not a gzip file)');
			if (e.code?.startsWith('Z_')) throw new BackupError(`the backup file is damaged (gzip: ${e.message})`);
			if (e.syscall) throw new BackupError(`cannot read ${this.file}: ${e.message}`);
			throw error;
		}
	}

	async next(): Promise<string> {
		const { value, done } = await this.read();
		if (done) throw new BackupError('the backup file ends too early (truncated?)');
		return value;
	}

	/** Nothing may follow the trailer; reaching the end also checks the gzip CRC. */
	async end(): Promise<void> {
		const { done } = await this.read();
		if (!done) throw new BackupError('the backup file goes on after its trailer');
	}

	close() {
		this.lines.close();
		this.source.destroy();
	}
}

function parseHeader(line: string): Header {
	let header: Header;
	try {
		header = JSON.parse(line) as Header;
	} catch {
		throw new BackupError('not a tsunagu backup (the first line is not its header)');
	}
	if (header?.format !== BACKUP_FORMAT) throw new BackupError('not a tsunagu backup');
	if (header.version !== BACKUP_VERSION) throw new BackupError(`a tsunagu backup of format version ${header.version}; this code reads version ${BACKUP_VERSION}`);
	if (!Array.isArray(header.migrations) || !Array.isArray(header.tables)) throw new BackupError('the backup header is damaged');
	return header;
}

function parseJsonLine<T>(line: string, what: string): T {
	try {
		return JSON.parse(line) as T;
	} catch {
		throw new BackupError(`the backup file is damaged (expected ${what})`);
	}
}

/** A copy of the migrations folder whose journal stops after the first `count` migrations. */
function migrationsUpTo(folder: string, count: number): string {
	const dir = mkdtempSync(path.join(tmpdir(), 'tsunagu-migrations-'));
	cpSync(folder, dir, { recursive: true });
	const journalFile = path.join(dir, 'meta', '_journal.json');
	const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: unknown[] };
	journal.entries = journal.entries.slice(0, count);
	writeFileSync(journalFile, JSON.stringify(journal));
	return dir;
}

/** Tables (other than reference data) that hold a row visible to this connection. */
async function tablesWithRows(c: pg.Client): Promise<string[]> {
	const found: string[] = [];
	for (const name of await publicTables(c)) {
		if (REFERENCE_TABLES.has(name)) continue;
		if ((await c.query(`select 1 from ${qualified(c, name)} limit 1`)).rowCount) found.push(name);
	}
	return found;
}

const notEmpty = (tables: string[]) => new BackupError(`the target database is not empty (rows in ${tables.join(', ')}); restore into a new database`);

/**
 * Before anything changes: the target holds no data, and its schema (if any) is not ahead of the
 * backup's — rows must pass through every migration after theirs.
 */
async function checkTarget(c: pg.Client, header: Header) {
	const applied = await appliedMigrations(c);
	if (applied.length > header.migrations.length || applied.some((m, i) => m.hash !== header.migrations[i].hash)) {
		throw new BackupError(`the target database's schema (${applied.length} migrations) is not the backup's (${header.migrations.length}) or an earlier one; restore into a new database`);
	}
	await c.query('begin read only');
	try {
		// The platform context shows a plain owner every row; the load re-checks without any policy.
		await c.query(`select set_config('app.system', 'on', true)`);
		const found = await tablesWithRows(c);
		if (found.length) throw notEmpty(found);
	} finally {
		await c.query('rollback');
	}
}

async function restoreSequences(c: pg.Client, recorded: Record<string, SequenceState>) {
	for (const [name, s] of Object.entries(recorded)) {
		await c.query(`select setval($1::regclass, $2::bigint, $3)`, [qualified(c, name), s.value, s.called]);
	}
	// Whatever was recorded, an identity or serial column goes on after the rows it holds.
	const owned = await c.query<{ tbl: string; col: string; seq: string }>(`
		select c.relname as tbl, a.attname as col, pg_get_serial_sequence(format('public.%I', c.relname), a.attname) as seq
		from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
		where n.nspname = 'public' and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
			and pg_get_serial_sequence(format('public.%I', c.relname), a.attname) is not null`);
	for (const s of owned.rows) {
		const [{ max }] = (await c.query<{ max: string | null }>(`select max(${c.escapeIdentifier(s.col)})::text as max from ${qualified(c, s.tbl)}`)).rows;
		if (max === null) continue;
		const [seq] = (await c.query<{ value: string; called: boolean }>(`select last_value::text as value, is_called as called from ${s.seq}`)).rows;
		const next = BigInt(seq.value) + (seq.called ? 1n : 0n);
		if (next <= BigInt(max)) await c.query(`select setval($1::regclass, $2::bigint, true)`, [s.seq, max]);
	}
}

export interface RestoreReport {
	rows: Record<string, number>;
	migrationsInBackup: number;
	migrationsAfter: number;
}

/**
 * Restore `file` into the database at `adminUrl` (as its owner or a superuser). The database must
 * hold no data: a new one, or one with only the schema and reference data (taxonomy terms). On any
 * error the rows are rolled back; the schema migrations applied first may remain.
 */
export async function restoreDatabase(adminUrl: string, file: string, migrationsFolder = path.resolve('drizzle')): Promise<RestoreReport> {
	const reader = new BackupReader(file);
	try {
		const header = parseHeader(await reader.next());
		const local = readMigrationFiles({ migrationsFolder });
		if (header.migrations.length > local.length) {
			throw new BackupError(`the backup was made by a newer version (${header.migrations.length} migrations; this code has ${local.length}); restore it with that version`);
		}
		const differs = header.migrations.findIndex((m, i) => m.hash !== local[i].hash);
		if (differs >= 0) throw new BackupError(`the backup's migration ${differs + 1} is not this code's (a different branch?); restore it with the version that made it`);
		await withClient(adminUrl, (c) => checkTarget(c, header));

		// The schema exactly as the backup knew it.
		const partialMigrations = migrationsUpTo(migrationsFolder, header.migrations.length);
		try {
			await migrateDatabase(adminUrl, partialMigrations);
		} finally {
			rmSync(partialMigrations, { recursive: true, force: true });
		}

		const counts: Record<string, number> = {};
		await withClient(adminUrl, async (c) => {
			await c.query('begin');
			await c.query(`set local lock_timeout = '10s'`);
			// Keys declared deferrable are checked at commit; the others hold by the load order.
			await c.query('set constraints all deferred');
			const tables = await publicTables(c);
			const missing = header.tables.filter((t) => !tables.includes(t));
			if (missing.length) throw new BackupError(`the backup's tables ${missing.join(', ')} are not in the schema its migrations make; the backup is damaged`);
			if (tables.length) await c.query(`lock table ${tables.map((t) => qualified(c, t)).join(', ')} in access exclusive mode`);
			// Without FORCE the owner (like a superuser) is under no policy: COPY FROM is allowed, and
			// the emptiness check below sees every row. Put back before commit; a rollback undoes it too.
			const forced = (await c.query<{ name: string }>(`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r' and c.relforcerowsecurity`)).rows.map((r) => r.name);
			for (const t of forced) await c.query(`alter table ${qualified(c, t)} no force row level security`);
			// The rows come back as they were: no trigger computes or records anything while they load
			// (the open-data record of changes, drizzle/0027, would gain a row the source never held).
			// Foreign keys still hold (their triggers are the system's). Put back before commit too.
			const triggers = (
				await c.query<{ table: string; name: string }>(`
					select c.relname as table, t.tgname as name from pg_trigger t
					join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
					where n.nspname = 'public' and not t.tgisinternal and t.tgenabled = 'O'`)
			).rows;
			for (const t of triggers) await c.query(`alter table ${qualified(c, t.table)} disable trigger ${c.escapeIdentifier(t.name)}`);
			const found = await tablesWithRows(c);
			if (found.length) throw notEmpty(found);
			// The rows the migrations wrote (the audit chain's first head) give way to the backup's.
			for (const t of tables) if (REFERENCE_TABLES.has(t)) await c.query(`delete from ${qualified(c, t)}`);

			for (const expected of header.tables) {
				const section = parseJsonLine<{ table: string; columns: string[] }>(await reader.next(), `the section of table ${expected}`);
				if (section.table !== expected || !Array.isArray(section.columns)) throw new BackupError(`the backup file is damaged (expected table ${expected}, found ${String(section.table)})`);
				const list = section.columns.map((n) => c.escapeIdentifier(n)).join(', ');
				const sink = c.query(copyFrom(`copy ${qualified(c, section.table)} (${list}) from stdin`)) as Writable;
				const done = new Promise<void>((resolve, reject) => {
					sink.on('finish', resolve);
					sink.on('error', reject);
				});
				// If reading the file fails mid-table, the connection closes under the stream: that
				// error is the consequence, not the cause, and must not surface on its own.
				done.catch(() => undefined);
				// One batch in flight at a time, nothing queued in the stream: after the server refuses
				// a row (or the connection closes), pg-copy-streams would flush a queued chunk into a
				// connection it has already let go of, and crash the process.
				const send = (text: string) => Promise.race([new Promise<void>((resolve, reject) => sink.write(text, (error) => (error ? reject(error) : resolve()))), done]);
				let n = 0;
				let batch = '';
				for (;;) {
					const line = await reader.next();
					if (line === '\\.') break;
					n++;
					batch += line + '\n';
					if (batch.length >= 1 << 18) {
						await send(batch);
						batch = '';
					}
				}
				if (batch) await send(batch);
				sink.end();
				await done;
				counts[section.table] = n;
			}
			const trailer = parseJsonLine<Trailer>(await reader.next(), 'the trailer');
			for (const table of header.tables) {
				if (trailer?.rows?.[table] !== counts[table]) {
					throw new BackupError(`row count of ${table} does not match the backup (${counts[table]} read, ${trailer?.rows?.[table]} written)`);
				}
			}
			await reader.end();
			await restoreSequences(c, trailer.sequences ?? {});
			for (const t of triggers) await c.query(`alter table ${qualified(c, t.table)} enable trigger ${c.escapeIdentifier(t.name)}`);
			for (const t of forced) await c.query(`alter table ${qualified(c, t)} force row level security`);
			await c.query('commit');
		});
		// Then whatever this code adds on top.
		await migrateDatabase(adminUrl, migrationsFolder);
		return { rows: counts, migrationsInBackup: header.migrations.length, migrationsAfter: local.length };
	} finally {
		reader.close();
	}
}
