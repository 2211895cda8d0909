/**
 * Opens the platform's database: the embedded PostgreSQL server by default, or an external server
 * when DATABASE_URL is set. Migrations run as the admin (table owner); the app itself connects as
 * `tsunagu_app`, a role that owns no table and cannot bypass row-level security.
 */
import pg from 'pg';
import { createHmac } from 'node:crypto';
import path from 'node:path';
import { userInfo } from 'node:os';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { shareEmbeddedPostgres, startEmbeddedPostgres, type EmbeddedServer } from './embedded';
import { log } from '../log';
import type { Pool } from './tx';

// The handle types and the row-level security context, through this door (tenant.ts, tx.ts).
export { withAccess, asSystem, SYSTEM, ANONYMOUS, type AccessContext } from './tenant';
export type { Tx, Pool, Reader, ContextKind } from './tx';
export { useDatabase, onDatabaseChange, db, database } from './current';

export interface Database {
	/** The pool, as a Drizzle handle. */
	db: Pool;
	pool: pg.Pool;
	/** The admin connection string of the database (owner of the tables). */
	adminUrl: string;
	embedded?: EmbeddedServer;
	close(): Promise<void>;
}

export interface OpenOptions {
	/** External server (admin/owner connection). Unset: the embedded server in `dataDir`. */
	databaseUrl?: string;
	/** Connection for the app role, when an operator provisions it separately (managed PostgreSQL). */
	appUrl?: string;
	dataDir?: string;
	/** Database name on the embedded server. */
	databaseName?: string;
	poolSize?: number;
	migrationsFolder?: string;
	/** Tools beside a running app: use the embedded server it runs instead of refusing. */
	shareRunningServer?: boolean;
}

export const APP_ROLE = process.env.DATABASE_APP_ROLE ?? 'tsunagu_app';

export function withDatabase(url: string, database: string): string {
	const u = new URL(url);
	u.pathname = '/' + encodeURIComponent(database);
	return u.toString();
}

export function databaseNameOf(url: string): string {
	return decodeURIComponent(new URL(url).pathname.slice(1)) || process.env.PGDATABASE || 'postgres';
}

/** libpq defaults the user to the OS user; node-postgres only does so when USER is set. */
export function withDefaultUser(url: string): string {
	const u = new URL(url);
	if (!u.username) u.username = process.env.PGUSER ?? userInfo().username;
	return u.toString();
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

export async function createDatabaseIfMissing(serverUrl: string, name: string, template?: string) {
	await withClient(serverUrl, async (c) => {
		const exists = await c.query('select 1 from pg_database where datname = $1', [name]);
		if (exists.rowCount) return;
		const tmpl = template ? ` TEMPLATE ${c.escapeIdentifier(template)}` : '';
		await c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}${tmpl}`);
	});
}

export async function dropDatabase(serverUrl: string, name: string) {
	await withClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`));
}

/** Apply the committed migrations. An advisory lock keeps concurrent starters from racing. */
export async function migrateDatabase(adminUrl: string, migrationsFolder = path.resolve('drizzle')) {
	await withClient(adminUrl, async (client) => {
		await client.query('select pg_advisory_lock(727170)');
		try {
			await migrate(drizzle(client), { migrationsFolder });
		} finally {
			await client.query('select pg_advisory_unlock(727170)');
		}
	});
}

/**
 * The app role's password is derived from the admin credentials, so every process that can
 * administer the database agrees on it without storing another secret.
 */
function appPassword(adminUrl: string): string {
	const u = new URL(adminUrl);
	return createHmac('sha256', `${u.username}:${decodeURIComponent(u.password)}@${u.host}${u.search}`)
		.update(APP_ROLE)
		.digest('base64url');
}

export function appUrlFor(adminUrl: string): string {
	const u = new URL(adminUrl);
	const pw = appPassword(adminUrl);
	u.username = APP_ROLE;
	u.password = pw;
	return u.toString();
}

/** "tuple concurrently updated" (XX000) or a role created meanwhile (42710): try again, a few times. */
async function retryingCatalogRace(fn: () => Promise<void>, attempts = 5): Promise<void> {
	for (let i = 1; ; i++) {
		try {
			return await fn();
		} catch (error) {
			const e = error as { code?: string; message?: string };
			const race = (e.code === 'XX000' && /concurrently updated/.test(e.message ?? '')) || e.code === '42710';
			if (!race || i >= attempts) throw error;
			await new Promise((resolve) => setTimeout(resolve, 20 * i + Math.random() * 50));
		}
	}
}

/** Create the app role if needed and give it data access (never ownership) in this database. */
export async function ensureAppRole(adminUrl: string) {
	const database = databaseNameOf(adminUrl);
	await withClient(adminUrl, async (c) => {
		await c.query('select pg_advisory_lock(727171)');
		try {
			const role = c.escapeIdentifier(APP_ROLE);
			const password = c.escapeLiteral(appPassword(adminUrl));
			// The role is cluster-wide while the advisory lock is per database: two databases on one
			// server setting it up at once can collide on its catalog row; the loser tries again.
			await retryingCatalogRace(async () => {
				const exists = await c.query('select 1 from pg_roles where rolname = $1', [APP_ROLE]);
				if (!exists.rowCount) await c.query(`CREATE ROLE ${role} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD ${password}`);
				else await c.query(`ALTER ROLE ${role} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD ${password}`);
			});
			await c.query(`GRANT CONNECT ON DATABASE ${c.escapeIdentifier(database)} TO ${role}`);
			await c.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
			await c.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
			await c.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
			await c.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}`);
			// The audit log is append-only for the app (the table's trigger also refuses the owner).
			await c.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM ${role}`).catch(() => undefined);
			// Drizzle's bookkeeping is for the owner only.
			await c.query(`REVOKE ALL ON SCHEMA drizzle FROM ${role}`).catch(() => undefined);
		} finally {
			await c.query('select pg_advisory_unlock(727171)');
		}
	});
}

export function connectApp(appUrl: string, poolSize = 10): { pool: pg.Pool; db: Pool } {
	const pool = new pg.Pool({ connectionString: appUrl, max: poolSize, idleTimeoutMillis: 30_000 });
	pool.on('error', (error) => log.error('db_pool_error', { message: error.message }));
	return { pool, db: drizzle(pool) };
}

/** Start or reach the server, migrate, and connect as the app role. */
export async function openDatabase(options: OpenOptions = {}): Promise<Database> {
	let embedded: EmbeddedServer | undefined;
	let adminUrl: string;
	if (options.databaseUrl) {
		adminUrl = withDefaultUser(options.databaseUrl);
	} else {
		embedded = await (options.shareRunningServer ? shareEmbeddedPostgres : startEmbeddedPostgres)(options.dataDir ?? 'data');
		const name = options.databaseName ?? 'tsunagu';
		await createDatabaseIfMissing(embedded.adminUrl, name);
		adminUrl = withDatabase(embedded.adminUrl, name);
	}
	try {
		await migrateDatabase(adminUrl, options.migrationsFolder);
		let appUrl = options.appUrl;
		if (!appUrl) {
			await ensureAppRole(adminUrl);
			appUrl = appUrlFor(adminUrl);
		}
		const { pool, db } = connectApp(appUrl, options.poolSize);
		await pool.query('select 1');
		return {
			db,
			pool,
			adminUrl,
			embedded,
			async close() {
				await pool.end();
				await embedded?.stop();
			}
		};
	} catch (error) {
		await embedded?.stop().catch(() => undefined);
		throw error;
	}
}
