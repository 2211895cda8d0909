/** Backup then restore into an empty database gives the same data, on either server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { testDatabase } from '../../../../tests/helpers/db';
import { seedCast } from '../../../../tests/helpers/people';
import { createDatabaseIfMissing, dropDatabase, withDatabase, type Database } from './index';
import { asSystem } from './tenant';
import { recordAudit } from '../audit';
import { encryptText } from '../crypto';
import { backupDatabase, restoreDatabase, BackupError } from './backup';

let database: Database;
const dir = mkdtempSync(path.join(tmpdir(), 'tsunagu-backup-'));
const file = path.join(dir, 'backup.tsunagu.gz');
const restored: string[] = [];

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
	const c = new pg.Client({ connectionString: url });
	await c.connect();
	try {
		return (await c.query<T>(sql)).rows;
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

async function freshDatabase(): Promise<string> {
	const name = `tsunagu_restore_${Math.random().toString(36).slice(2, 10)}`;
	await createDatabaseIfMissing(inject('serverUrl'), name);
	restored.push(name);
	return withDatabase(inject('serverUrl'), name);
}

beforeAll(async () => {
	database = await testDatabase();
	const cast = await seedCast(database, 'backup');
	await asSystem(database.db, async (tx) => {
		for (let i = 0; i < 5; i++) await recordAudit(tx, { actorUserId: cast.people.org_admin.userId, ip: '192.0.2.1', userAgent: 'vitest' }, { action: 'program.update', organizationId: cast.orgA, entityType: 'program', entityId: String(i), changedFields: ['title'] });
		await encryptText(tx, 'メモ', { table: 'users', column: 'totp_secret', rowId: cast.people.secretariat.userId });
	});
	await query(database.adminUrl, `insert into join_requests (organization_name, applicant_name, applicant_email, description) values ('改行と\\バックスラッシュ', E'a\\tb', 'x@example.org', E'一行目\\n二行目 \\\\. end')`);
});

afterAll(async () => {
	for (const name of restored) await dropDatabase(inject('serverUrl'), name);
	await database.close();
	rmSync(dir, { recursive: true, force: true });
});

describe('backup and restore', () => {
	it('restores into an empty database with the same rows in every table and the same sequence positions', async () => {
		const report = await backupDatabase(database.adminUrl, file);
		expect(statSync(file).mode & 0o777).toBe(0o600);
		expect(report.rows.programs).toBeGreaterThan(100);
		expect(report.rows.audit_events).toBeGreaterThanOrEqual(5);
		const target = await freshDatabase();
		const result = await restoreDatabase(target, file);
		expect(result.rows).toEqual(report.rows);
		expect(await fingerprint(target)).toEqual(await fingerprint(database.adminUrl));
		// The identity goes on after the restored rows, and row-level security is forced again.
		const [forced] = await query<{ n: number }>(target, `select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r' and c.relrowsecurity and not c.relforcerowsecurity and c.relname not in ('auth_throttle','audit_chain','encryption_keys')`);
		expect(forced.n).toBe(0);
	});

	it('refuses a database that already holds data, and changes nothing there', async () => {
		const before = await fingerprint(database.adminUrl);
		await expect(restoreDatabase(database.adminUrl, file)).rejects.toThrow(/not empty/);
		expect(await fingerprint(database.adminUrl)).toEqual(before);
	});

	it('refuses a truncated or foreign file with a clear message', async () => {
		const bytes = gunzipSync(readFileSync(file));
		const cut = path.join(dir, 'cut.gz');
		writeFileSync(cut, gzipSync(bytes.subarray(0, Math.floor(bytes.length / 2))));
		await expect(restoreDatabase(await freshDatabase(), cut)).rejects.toBeInstanceOf(BackupError);
		const foreign = path.join(dir, 'foreign.gz');
		writeFileSync(foreign, gzipSync(Buffer.from('hello\n')));
		await expect(restoreDatabase(await freshDatabase(), foreign)).rejects.toThrow(/not a tsunagu backup/);
	});

	it('leaves the target empty when a restore fails half-way', async () => {
		const bytes = gunzipSync(readFileSync(file)).toString('utf8');
		// Corrupt the trailer's count of one table: every row is read, the check fails, all rolls back.
		const broken = bytes.replace(/"programs":(\d+)/, (_, n) => `"programs":${Number(n) + 1}`);
		const bad = path.join(dir, 'bad.gz');
		writeFileSync(bad, gzipSync(Buffer.from(broken)));
		const target = await freshDatabase();
		await expect(restoreDatabase(target, bad)).rejects.toThrow(/row count of programs/);
		const [row] = await query<{ n: number }>(target, 'select count(*)::int as n from programs');
		expect(row.n).toBe(0);
	});
});
