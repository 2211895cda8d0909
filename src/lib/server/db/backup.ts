/**
 * Logical backup and restore of the whole database, made by the app itself: the embedded server's
 * npm binaries ship no pg_dump, and Debian's pg_dump 15 refuses a newer server. Every table of the
 * public schema goes out with COPY in one repeatable-read snapshot; restore applies the migrations
 * the backup was made with, loads the rows in foreign-key order in one transaction, moves the
 * sequences on, then applies any newer migrations — so an older backup restores into newer code.
 *
 * File (gzip): one JSON header line; per table a JSON line {"table","columns"}, its rows in COPY
 * text format (one per line; backslashes are escaped, so no row line is ever `\.`), and a `\.`
 * line; then a JSON trailer {"rows": {table: n}} that restore checks. The file holds personal
 * data: it is written with mode 600, and the encryption master key is deliberately not in it.
 */
import pg from 'pg';
import { createReadStream, createWriteStream, cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { createGzip, createGunzip } from 'node:zlib';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { to as copyTo, from as copyFrom } from 'pg-copy-streams';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { migrateDatabase } from './index';

export const BACKUP_FORMAT = 'tsunagu-backup';
export const BACKUP_VERSION = 1;

export class BackupError extends Error {}

interface Header {
	format: string;
	version: number;
	createdAt: string;
	serverVersion: string;
	migrations: Array<{ hash: string; createdAt: number }>;
	tables: string[];
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

/** Tables of the public schema, each after every table it references. */
async function tablesInDependencyOrder(c: pg.Client): Promise<string[]> {
	const tables = (await c.query<{ name: string }>(`select tablename as name from pg_tables where schemaname = 'public' order by 1`)).rows.map((r) => r.name);
	const edges = (
		await c.query<{ child: string; parent: string }>(`
			select cl.relname as child, pl.relname as parent from pg_constraint k
			join pg_class cl on cl.oid = k.conrelid join pg_class pl on pl.oid = k.confrelid
			join pg_namespace n on n.oid = cl.relnamespace
			where k.contype = 'f' and n.nspname = 'public' and cl.relname <> pl.relname`)
	).rows;
	const ordered: string[] = [];
	const visit = (table: string, path: string[]) => {
		if (ordered.includes(table)) return;
		if (path.includes(table)) throw new BackupError(`foreign keys form a cycle: ${[...path, table].join(' → ')}`);
		for (const e of edges.filter((e) => e.child === table)) visit(e.parent, [...path, table]);
		ordered.push(table);
	};
	tables.forEach((t) => visit(t, []));
	return ordered;
}

async function columnsOf(c: pg.Client, table: string): Promise<string[]> {
	const rows = await c.query<{ name: string }>(
		`select attname as name from pg_attribute where attrelid = $1::regclass and attnum > 0 and not attisdropped and attgenerated = '' order by attnum`,
		[`public.${c.escapeIdentifier(table)}`]
	);
	return rows.rows.map((r) => r.name);
}

async function appliedMigrations(c: pg.Client): Promise<Array<{ hash: string; createdAt: number }>> {
	const exists = await c.query(`select 1 from pg_tables where schemaname = 'drizzle' and tablename = '__drizzle_migrations'`);
	if (!exists.rowCount) return [];
	const rows = await c.query<{ hash: string; created_at: string }>(`select hash, created_at from drizzle.__drizzle_migrations order by created_at, id`);
	return rows.rows.map((r) => ({ hash: r.hash, createdAt: Number(r.created_at) }));
}

/** Write a backup of the database at `adminUrl` (its owner or a superuser) to `file`. */
export async function backupDatabase(adminUrl: string, file: string): Promise<BackupReport> {
	const partial = path.join(path.dirname(file), `.${path.basename(file)}.partial`);
	const gzip = createGzip();
	const out = createWriteStream(partial, { mode: 0o600 });
	const written = pipeline(gzip, out);
	const write = async (chunk: string | Buffer) => {
		if (!gzip.write(chunk)) await once(gzip, 'drain');
	};
	try {
		let migrationCount = 0;
		const rows = await withClient(adminUrl, async (c) => {
			// One snapshot for every table; the platform context lets a non-superuser owner see every row.
			await c.query('begin isolation level repeatable read read only');
			await c.query(`select set_config('app.system', 'on', true)`);
			const tables = await tablesInDependencyOrder(c);
			const header: Header = {
				format: BACKUP_FORMAT,
				version: BACKUP_VERSION,
				createdAt: new Date().toISOString(),
				serverVersion: (await c.query<{ v: string }>('show server_version')).rows[0].v,
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
				const source = c.query(copyTo(`copy public.${c.escapeIdentifier(table)} (${list}) to stdout`));
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
			await write(JSON.stringify({ rows: counts }) + '\n');
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

export interface RestoreReport {
	rows: Record<string, number>;
	migrationsInBackup: number;
	migrationsAfter: number;
}

/**
 * Restore `file` into the database at `adminUrl`, which must hold no rows yet (a new database, or
 * one whose only rows are those the migrations themselves write).
 */
export async function restoreDatabase(adminUrl: string, file: string, migrationsFolder = path.resolve('drizzle')): Promise<RestoreReport> {
	const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
	const iterator = lines[Symbol.asyncIterator]();
	const next = async (): Promise<string> => {
		const { value, done } = await iterator.next();
		if (done) throw new BackupError('the backup file ends too early (truncated?)');
		return value;
	};
	try {
		let header: Header;
		try {
			header = JSON.parse(await next()) as Header;
		} catch (error) {
			if (error instanceof BackupError) throw error;
			throw new BackupError('not a tsunagu backup (the first line is not its header)');
		}
		if (header.format !== BACKUP_FORMAT || header.version !== BACKUP_VERSION) throw new BackupError(`not a tsunagu backup of version ${BACKUP_VERSION}`);
		const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: Array<{ when: number }> };
		if (header.migrations.length > journal.entries.length) {
			throw new BackupError(`the backup was made by a newer version (${header.migrations.length} migrations; this code has ${journal.entries.length}); restore it with that version`);
		}
		const local = readMigrationFiles({ migrationsFolder });
		const differs = header.migrations.findIndex((m, i) => m.hash !== local[i].hash);
		if (differs >= 0) throw new BackupError(`the backup's migration ${differs + 1} is not this code's (a different branch?); restore it with the version that made it`);
		await withClient(adminUrl, async (c) => {
			const tables = await c.query<{ name: string }>(`select tablename as name from pg_tables where schemaname = 'public'`);
			const counted: string[] = [];
			for (const { name } of tables.rows) {
				if ((await c.query(`select 1 from public.${c.escapeIdentifier(name)} limit 1`)).rowCount) counted.push(name);
			}
			if (counted.some((t) => t !== 'audit_chain' && t !== 'taxonomy_terms')) throw new BackupError(`the target database is not empty (${counted.join(', ')}); restore into a new database`);
		});
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
			await c.query(`select set_config('app.system', 'on', true)`);
			for (const table of [...header.tables].reverse()) {
				// Rows the migrations wrote (the audit chain's first head) give way to the backup's.
				if (table !== 'audit_events') await c.query(`delete from public.${c.escapeIdentifier(table)}`);
			}
			for (const expected of header.tables) {
				const section = JSON.parse(await next()) as { table: string; columns: string[] };
				if (section.table !== expected) throw new BackupError(`expected table ${expected}, found ${section.table}`);
				const table = c.escapeIdentifier(section.table);
				// COPY FROM is refused where row-level security applies; a superuser bypasses it, a plain
				// owner lifts FORCE for this transaction only (a rollback puts it back).
				const forced = (await c.query<{ forced: boolean }>(`select relforcerowsecurity as forced from pg_class where oid = $1::regclass`, [`public.${table}`])).rows[0].forced;
				if (forced) await c.query(`alter table public.${table} no force row level security`);
				const sink = c.query(copyFrom(`copy public.${table} (${section.columns.map((n) => c.escapeIdentifier(n)).join(', ')}) from stdin`)) as Writable;
				const done = new Promise<void>((resolve, reject) => {
					sink.on('finish', resolve);
					sink.on('error', reject);
				});
				// If reading the file fails mid-table, the connection closes under the stream: that
				// error is the consequence, not the cause, and must not surface on its own.
				done.catch(() => undefined);
				let n = 0;
				for (;;) {
					const line = await next();
					if (line === '\\.') break;
					n++;
					if (!sink.write(line + '\n')) await once(sink, 'drain');
				}
				sink.end();
				await done;
				if (forced) await c.query(`alter table public.${table} force row level security`);
				counts[section.table] = n;
			}
			const trailer = JSON.parse(await next()) as { rows: Record<string, number> };
			for (const table of header.tables) {
				if (trailer.rows[table] !== counts[table]) throw new BackupError(`row count of ${table} does not match the backup (${counts[table]} read, ${trailer.rows[table]} written)`);
			}
			// Identity and serial columns continue after the restored rows.
			const sequences = await c.query<{ tbl: string; col: string; seq: string }>(`
				select c.relname as tbl, a.attname as col, pg_get_serial_sequence(format('public.%I', c.relname), a.attname) as seq
				from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
				where n.nspname = 'public' and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
					and pg_get_serial_sequence(format('public.%I', c.relname), a.attname) is not null`);
			for (const s of sequences.rows) {
				await c.query(
					`select setval($1, coalesce((select max(${c.escapeIdentifier(s.col)}) from public.${c.escapeIdentifier(s.tbl)}), 1), (select count(*) > 0 from public.${c.escapeIdentifier(s.tbl)}))`,
					[s.seq]
				);
			}
			await c.query('commit');
		});
		// Then whatever this code adds on top.
		await migrateDatabase(adminUrl, migrationsFolder);
		return { rows: counts, migrationsInBackup: header.migrations.length, migrationsAfter: journal.entries.length };
	} finally {
		lines.close();
	}
}
