/** Backup then restore into an empty database gives the same data, on either server, as superuser or owner. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { testDatabase } from '../../../../tests/helpers/db';
import { seedCast } from '../../../../tests/helpers/people';
import { appUrlFor, connectApp, createDatabaseIfMissing, dropDatabase, ensureAppRole, migrateDatabase, withDatabase, type Database } from './index';
import { asSystem } from './tenant';
import { recordAudit, verifyAuditChain } from '../audit';
import { decryptText, encryptText } from '../crypto';
import { backupDatabase, restoreDatabase } from './backup';

let database: Database;
const dir = mkdtempSync(path.join(tmpdir(), 'tsunagu-backup-'));
const file = path.join(dir, 'backup.tsunagu.gz');
const restored: string[] = [];
let secretUser: string;
let sealed: string;
// A database owner that is not a superuser, as on managed PostgreSQL.
const owner = { name: `tsunagu_backup_owner_${randomBytes(4).toString('hex')}`, password: randomBytes(12).toString('hex') };

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
	const c = new pg.Client({ connectionString: url });
	await c.connect();
	try {
		return (await c.query<T>(sql, params)).rows;
	} finally {
		await c.end();
	}
}

/** Every table's row count and content digest (as superuser), and every sequence's position. */
async function fingerprint(url: string) {
	const tables = (await query<{ name: string }>(url, `select tablename as name from pg_tables where schemaname = 'public' order by 1`)).map((r) => r.name);
	const out: Record<string, string> = {};
	for (const t of tables) {
		const [row] = await query<{ n: number; d: string }>(url, `select count(*)::int as n, md5(coalesce(string_agg(x::text, E'\\n' order by x::text), '')) as d from public."${t}" x`);
		out[t] = `${row.n}:${row.d}`;
	}
	for (const s of await query<{ name: string; last: string | null }>(url, `select sequencename as name, last_value::text as last from pg_sequences where schemaname = 'public'`)) out[`seq:${s.name}`] = s.last ?? 'unset';
	return out;
}

/** A new database on the test server; `asOwner`: owned by the plain owner, and its URL logs in as it. */
async function freshDatabase(asOwner = false): Promise<string> {
	const name = `tsunagu_restore_${randomBytes(5).toString('hex')}`;
	const serverUrl = inject('serverUrl');
	if (asOwner) await query(serverUrl, `create database ${name} owner ${owner.name}`);
	else await createDatabaseIfMissing(serverUrl, name);
	restored.push(name);
	const url = new URL(withDatabase(serverUrl, name));
	if (asOwner) [url.username, url.password] = [owner.name, owner.password];
	return url.toString();
}

const asSuperuser = (url: string) => withDatabase(inject('serverUrl'), new URL(url).pathname.slice(1));

/** The backup's text, changed by `edit`, as a new gzip file. */
function edited(name: string, edit: (text: string) => string): string {
	const out = path.join(dir, name);
	writeFileSync(out, gzipSync(Buffer.from(edit(gunzipSync(readFileSync(file)).toString('utf8')))));
	return out;
}

beforeAll(async () => {
	database = await testDatabase();
	const cast = await seedCast(database, 'backup');
	secretUser = cast.people.secretariat.userId;
	await asSystem(database.db, async (tx) => {
		sealed = await encryptText(tx, 'メモ', { table: 'users', column: 'totp_secret', rowId: secretUser });
		for (let i = 0; i < 5; i++) await recordAudit(tx, { actorUserId: cast.people.org_admin.userId, ip: '192.0.2.1', userAgent: 'vitest' }, { action: 'program.update', organizationId: cast.orgA, entityType: 'program', entityId: String(i), changedFields: ['title'] });
	});
	// Every private table holds rows, among them text that COPY must escape.
	const url = database.adminUrl;
	await query(url, `insert into join_requests (organization_name, applicant_name, applicant_email, description) values ('改行と\\バックスラッシュ', E'a\\tb', 'x@example.org', E'一行目\\n二行目\\r\\n\\\\.\\n\\\\. end')`);
	// One table larger than a load batch (256 KB), so a refused row is met with more still to send.
	await query(url, `insert into join_requests (organization_name, applicant_name, applicant_email, description) select '団体' || i, '申請者', 'a' || i || '@example.org', repeat('説明', 500) from generate_series(1, 400) i`);
	await query(url, `insert into recovery_codes (user_id, code_hash) values ($1, 'digest-1'), ($1, 'digest-2')`, [secretUser]);
	await query(url, `insert into email_tokens (id, purpose, email, organization_id, role, expires_at) values ('tok', 'invitation', 'new@example.org', $1, 'staff', now() + interval '1 day')`, [cast.orgA]);
	await query(url, `insert into auth_throttle (key, points, expire) values ('login:x@example.org', 3, 1893456000000)`);
	// A number the identity handed out to a transaction that rolled back: the restored sequence keeps the gap.
	await query(url, `select nextval('audit_events_id_seq')`);
	await query(inject('serverUrl'), `create role ${owner.name} login nosuperuser nocreatedb nocreaterole password '${owner.password}'`);
});

afterAll(async () => {
	for (const name of restored) await dropDatabase(inject('serverUrl'), name);
	await query(inject('serverUrl'), `drop role if exists ${owner.name}`);
	await database.close();
	rmSync(dir, { recursive: true, force: true });
});

describe('backup and restore', () => {
	it('restores into an empty database with the same rows in every table and the same sequence positions', async () => {
		const report = await backupDatabase(database.adminUrl, file);
		expect(statSync(file).mode & 0o777).toBe(0o600);
		const header = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8').split('\n', 1)[0]);
		expect(header).toMatchObject({ format: 'tsunagu-backup', version: 1, serverVersion: expect.stringMatching(/^\d+/) });
		expect(header.migrations.length).toBe((await query(database.adminUrl, 'select 1 from drizzle.__drizzle_migrations')).length);
		expect(header.tables.indexOf('organizations')).toBeLessThan(header.tables.indexOf('programs'));
		expect(report.rows.programs).toBeGreaterThan(100);
		expect(report.rows.audit_events).toBeGreaterThanOrEqual(5);
		const target = await freshDatabase();
		const result = await restoreDatabase(target, file);
		expect(result.rows).toEqual(report.rows);
		const source = await fingerprint(database.adminUrl);
		for (const table of ['users', 'memberships', 'sessions', 'recovery_codes', 'email_tokens', 'join_requests', 'audit_events', 'encryption_keys', 'auth_throttle']) {
			expect(source[table], table).not.toMatch(/^0:/);
		}
		expect(await fingerprint(target)).toEqual(source);
		// Row-level security is forced again wherever it was.
		const forced = `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r' and c.relforcerowsecurity order by 1`;
		expect(await query(target, forced)).toEqual(await query(database.adminUrl, forced));

		// The app on the restored database: the chain verifies, a new event follows the old ones, and
		// the encrypted text opens with the same master key.
		await ensureAppRole(target);
		const app = connectApp(appUrlFor(target), 2);
		try {
			expect((await verifyAuditChain(app.db)).ok).toBe(true);
			await asSystem(app.db, (tx) => recordAudit(tx, {}, { action: 'backup.restored' }));
			const [last] = await query<{ id: string }>(target, `select max(id)::text as id from audit_events`);
			expect(BigInt(last.id)).toBe(BigInt(source['seq:audit_events_id_seq']) + 1n);
			expect((await verifyAuditChain(app.db)).ok).toBe(true);
			expect(await asSystem(app.db, (tx) => decryptText(tx, sealed, { table: 'users', column: 'totp_secret', rowId: secretUser }))).toBe('メモ');
		} finally {
			await app.pool.end();
		}
	});

	it('works for a database owner who is not a superuser (row-level security forced on the owner)', async () => {
		// Restore as the owner, back up as the owner, restore that as superuser: nothing is lost on the way.
		const ownersDb = await freshDatabase(true);
		await restoreDatabase(ownersDb, file);
		const again = path.join(dir, 'by-owner.tsunagu.gz');
		const report = await backupDatabase(ownersDb, again);
		expect(report.rows.users).toBeGreaterThan(0);
		const target = await freshDatabase();
		await restoreDatabase(target, again);
		const original = await fingerprint(database.adminUrl);
		expect(await fingerprint(asSuperuser(ownersDb))).toEqual(original);
		expect(await fingerprint(target)).toEqual(original);
	});

	it('refuses a database that already holds data, and changes nothing there', async () => {
		const before = await fingerprint(database.adminUrl);
		await expect(restoreDatabase(database.adminUrl, file)).rejects.toThrow(/not empty/);
		expect(await fingerprint(database.adminUrl)).toEqual(before);

		// Rows only in a private table, which the owner cannot see without a context, still count.
		const ownersDb = await freshDatabase(true);
		await migrateDatabase(ownersDb);
		await query(asSuperuser(ownersDb), `insert into users (email, display_name, password_hash) values ('only@example.org', 'ひとり', 'x')`);
		const held = await fingerprint(asSuperuser(ownersDb));
		await expect(restoreDatabase(ownersDb, file)).rejects.toThrow(/not empty \(rows in users\)/);
		expect(await fingerprint(asSuperuser(ownersDb))).toEqual(held);
	});

	it('restores an older backup into newer code, then applies the newer migrations', async () => {
		// The backup as older code made it: before the newest migration that adds tables or columns,
		// without those tables and columns nor anything later (read from the SQL, so the test follows
		// new migrations; a migration that only changes policies or indexes moves nothing).
		const journal = JSON.parse(readFileSync(path.join('drizzle', 'meta', '_journal.json'), 'utf8')) as { entries: Array<{ tag: string }> };
		const sqlOf = (tag: string) => readFileSync(path.join('drizzle', `${tag}.sql`), 'utf8');
		const changesTables = (text: string) => /CREATE TABLE "|ALTER TABLE "\w+" ADD COLUMN "/.test(text);
		const from = journal.entries.findLastIndex((e) => changesTables(sqlOf(e.tag)));
		const later = journal.entries
			.slice(from)
			.map((e) => sqlOf(e.tag))
			.join('\n');
		const newTables = new Set([...later.matchAll(/CREATE TABLE "(\w+)"/g)].map((m) => m[1]));
		const newColumns = [...later.matchAll(/ALTER TABLE "(\w+)" ADD COLUMN "(\w+)"/g)].map((m) => ({ table: m[1], column: m[2] }));
		expect(newTables.size + newColumns.length).toBeGreaterThan(0);
		const older = edited('older.gz', (text) => {
			const lines = text.split('\n');
			const header = JSON.parse(lines[0]);
			header.migrations = header.migrations.slice(0, from);
			header.tables = header.tables.filter((t: string) => !newTables.has(t));
			const out = [JSON.stringify(header)];
			for (let i = 1; i < lines.length; i++) {
				if (lines[i].startsWith('{"rows":')) {
					const trailer = JSON.parse(lines[i]);
					for (const t of newTables) delete trailer.rows[t];
					out.push(JSON.stringify(trailer));
					continue;
				}
				if (!lines[i].startsWith('{"table":')) {
					out.push(lines[i]);
					continue;
				}
				const section = JSON.parse(lines[i]) as { table: string; columns: string[] };
				let end = i + 1;
				while (lines[end] !== '\\.') end++;
				if (!newTables.has(section.table)) {
					const keep = section.columns.map((c) => !newColumns.some((n) => n.table === section.table && n.column === c));
					out.push(JSON.stringify({ ...section, columns: section.columns.filter((_, j) => keep[j]) }));
					for (let r = i + 1; r < end; r++)
						out.push(
							lines[r]
								.split('\t')
								.filter((_, j) => keep[j])
								.join('\t')
						);
					out.push(lines[end]);
				}
				i = end;
			}
			return out.join('\n');
		});
		const target = await freshDatabase();
		const result = await restoreDatabase(target, older);
		expect(result.migrationsAfter).toBe(result.migrationsInBackup + journal.entries.length - from);
		const [users] = await query<{ n: number }>(target, `select count(*)::int as n from users`);
		expect(users.n).toBe(Number((await fingerprint(database.adminUrl)).users.split(':')[0]));
		// What those migrations made exists after the restore, empty.
		for (const table of newTables) expect((await query<{ n: number }>(target, `select count(*)::int as n from ${table}`))[0].n, table).toBe(0);
		// A new column holds nothing but its default (null, or the DEFAULT its migration gave it).
		for (const { table, column } of newColumns) {
			const [{ fallback }] = await query<{ fallback: string | null }>(target, `select column_default as fallback from information_schema.columns where table_name = '${table}' and column_name = '${column}'`);
			expect((await query<{ n: number }>(target, `select count(*)::int as n from ${table} where ${column} is distinct from ${fallback ?? 'null'}`))[0].n, `${table}.${column}`).toBe(0);
		}

		// An empty database whose schema is already past the backup's is refused: the rows would skip
		// the migrations in between.
		const migrated = await freshDatabase();
		await migrateDatabase(migrated);
		await expect(restoreDatabase(migrated, older)).rejects.toThrow(/schema .* is not the backup's/);
	});

	it('refuses a backup from newer code or another branch', async () => {
		const newer = edited('newer.gz', (text) => text.replace('"migrations":[', '"migrations":[{"hash":"0000","createdAt":1},'));
		await expect(restoreDatabase(await freshDatabase(), newer)).rejects.toThrow(/made by a newer version/);
		const other = edited('other.gz', (text) => text.replace(/"hash":"[0-9a-f]+"/, '"hash":"feed"'));
		await expect(restoreDatabase(await freshDatabase(), other)).rejects.toThrow(/migration 1 is not this code's/);
	});

	it('refuses a truncated, damaged, missing or foreign file with a clear message', async () => {
		const bytes = readFileSync(file);
		const cut = path.join(dir, 'cut.gz');
		writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.8)));
		await expect(restoreDatabase(await freshDatabase(), cut)).rejects.toThrow(/truncated/);
		const halfText = edited('half.gz', (text) => text.slice(0, Math.floor(text.length / 2)));
		await expect(restoreDatabase(await freshDatabase(), halfText)).rejects.toThrow(/ends too early/);
		const flipped = Buffer.from(bytes);
		flipped[Math.floor(bytes.length / 2)] ^= 0xff;
		const damaged = path.join(dir, 'damaged.gz');
		writeFileSync(damaged, flipped);
		// Caught by gzip (bad data or CRC at the end), or earlier by COPY on garbled rows: never committed.
		const hurt = await freshDatabase();
		await expect(restoreDatabase(hurt, damaged)).rejects.toThrow();
		expect((await query<{ n: number }>(hurt, 'select count(*)::int as n from organizations'))[0].n).toBe(0);
		// A row the server refuses, with many more to come: the first error stops the load.
		const garbled = edited('garbled.gz', (text) => text.replace(/(\{"table":"join_requests"[^\n]*\n)[0-9a-f-]{36}/, '$1not-a-uuid'));
		const refused = await freshDatabase();
		await expect(restoreDatabase(refused, garbled)).rejects.toThrow(/uuid/);
		expect((await query<{ n: number }>(refused, 'select count(*)::int as n from organizations'))[0].n).toBe(0);
		await expect(restoreDatabase(await freshDatabase(), path.join(dir, 'missing.gz'))).rejects.toThrow(/cannot read .*missing\.gz/);
		const foreign = path.join(dir, 'foreign.gz');
		writeFileSync(foreign, gzipSync(Buffer.from('hello\n')));
		await expect(restoreDatabase(await freshDatabase(), foreign)).rejects.toThrow(/not a tsunagu backup/);
		const plain = path.join(dir, 'plain.txt');
		writeFileSync(plain, 'hello\n');
		await expect(restoreDatabase(await freshDatabase(), plain)).rejects.toThrow(/not a gzip file/);
	});

	it('leaves the target without rows when a restore fails half-way', async () => {
		// Corrupt the trailer's count of one table: every row is read, the check fails, all rolls back.
		const bad = edited('bad.gz', (text) => text.replace(/"programs":(\d+)/, (_, n) => `"programs":${Number(n) + 1}`));
		const target = await freshDatabase(true);
		await expect(restoreDatabase(target, bad)).rejects.toThrow(/row count of programs/);
		const [row] = await query<{ n: number }>(asSuperuser(target), 'select count(*)::int as n from programs');
		expect(row.n).toBe(0);
		// FORCE is back (the rollback undid lifting it), and the database can still take the good file.
		const [forced] = await query<{ f: boolean }>(asSuperuser(target), `select relforcerowsecurity as f from pg_class where oid = 'public.users'::regclass`);
		expect(forced.f).toBe(true);
		await restoreDatabase(target, file);
		expect(await fingerprint(asSuperuser(target))).toEqual(await fingerprint(database.adminUrl));
	});
});
