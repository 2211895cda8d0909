/** Start-up and shutdown of the platform on the embedded server, as `npm start` does it. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startPlatform, stopPlatform } from '../../src/lib/server/runtime';

const dataDir = mkdtempSync(path.join(tmpdir(), 'tsunagu-platform-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const count = async (database: Awaited<ReturnType<typeof startPlatform>>, table: string) => (await database.db.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`))).rows[0].n;

it('loads the demo region into an empty database once, and stops the server cleanly', async () => {
	const env = { DATA_DIR: dataDir, DATABASE_POOL_SIZE: '2' };
	const first = await startPlatform(env);
	const organizations = await count(first, 'organizations');
	const upcoming = await count(first, 'program_upcoming_dates');
	expect(organizations).toBeGreaterThanOrEqual(55);
	expect(upcoming).toBeGreaterThan(0);
	// The demo's dated sessions exist before the first page is served (occurrences are public).
	const dated = await count(first, 'occurrences');
	expect(dated).toBeGreaterThan(upcoming / 2);
	const [{ current_user: user, fsync }] = (await first.pool.query("select current_user, current_setting('fsync') as fsync")).rows;
	expect(user).toBe('tsunagu_app');
	expect(fsync).toBe('on');
	await stopPlatform();
	// A clean stop removes the server's lock file; a killed server would leave it behind.
	expect(existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);

	const second = await startPlatform(env);
	expect(await count(second, 'organizations')).toBe(organizations);
	expect(await count(second, 'occurrences')).toBe(dated); // not stale: nothing re-made
	await stopPlatform();
	expect(existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
}, 120_000);

it('the app role owns no table and cannot bypass row-level security', async () => {
	const database = await startPlatform({ DATA_DIR: dataDir, DATABASE_POOL_SIZE: '1' });
	try {
		const role = (await database.pool.query('select rolsuper, rolbypassrls from pg_roles where rolname = current_user')).rows[0];
		expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
		const owned = await database.pool.query("select tablename from pg_tables where schemaname = 'public' and tableowner = current_user");
		expect(owned.rows).toEqual([]);
		await expect(database.pool.query('create table intruder (id int)')).rejects.toThrow(/permission denied/);
	} finally {
		await stopPlatform();
	}
}, 120_000);
