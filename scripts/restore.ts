/**
 * `npm run restore -- <file> [--database name]`: restore a backup into a new, empty database on
 * the app's server (DATABASE_URL's server, or the embedded one in DATA_DIR). The database is
 * created when missing (and dropped again if the restore fails); one that already holds data is
 * refused and left as it is. Default name: the database of DATABASE_URL, or `tsunagu` on the
 * embedded server — the app's own, so a restore into a new DATA_DIR is ready to start.
 */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createDatabaseIfMissing, databaseNameOf, dropDatabase, ensureAppRole, withDatabase, withDefaultUser } from '../src/lib/server/db';
import { shareEmbeddedPostgres } from '../src/lib/server/db/embedded';
import { restoreDatabase } from '../src/lib/server/db/backup';

const usage = 'usage: npm run restore -- <backup file> [--database name]';
let args: { values: { database?: string }; positionals: string[] };
try {
	args = parseArgs({ options: { database: { type: 'string' } }, allowPositionals: true });
} catch (error) {
	console.error(`${(error as Error).message}\n${usage}`);
	process.exit(1);
}
if (args.positionals.length !== 1) {
	console.error(usage);
	process.exit(1);
}
const file = path.resolve(args.positionals[0]);
try {
	accessSync(file, constants.R_OK);
} catch (error) {
	console.error(`restore failed: cannot read ${file}: ${(error as Error).message}`);
	process.exit(1);
}

const server = process.env.DATABASE_URL ? null : await shareEmbeddedPostgres(path.resolve(process.env.DATA_DIR || 'data'));
const serverUrl = process.env.DATABASE_URL ? withDefaultUser(process.env.DATABASE_URL) : server!.adminUrl;
const name = args.values.database ?? (process.env.DATABASE_URL ? databaseNameOf(serverUrl) : 'tsunagu');
const maintenanceUrl = withDatabase(serverUrl, 'postgres');
let created = false;
let restored = false;
try {
	const client = new pg.Client({ connectionString: maintenanceUrl });
	await client.connect();
	created = !(await client.query('select 1 from pg_database where datname = $1', [name]).finally(() => client.end())).rowCount;
	if (created) await createDatabaseIfMissing(maintenanceUrl, name);
	const adminUrl = withDatabase(serverUrl, name);
	const report = await restoreDatabase(adminUrl, file);
	restored = true;
	const rows = Object.values(report.rows).reduce((a, b) => a + b, 0);
	console.log(`restore: ${path.basename(file)} → database ${name}${created ? ' (new)' : ''}: ${Object.keys(report.rows).length} tables, ${rows} rows`);
	if (report.migrationsAfter > report.migrationsInBackup) console.log(`  then migrated from ${report.migrationsInBackup} to ${report.migrationsAfter} migrations`);
	// As the app's start does, unless an operator provisions the app role (DATABASE_APP_URL).
	if (!process.env.DATABASE_APP_URL) await ensureAppRole(adminUrl);
} catch (error) {
	if (restored) {
		console.error(`restore: the data is restored, but the app role could not be set up: ${(error as Error).message}`);
	} else {
		console.error(`restore failed: ${(error as Error).message}`);
		// Only a database this run created; whatever the restore had begun is rolled back or dropped.
		if (created) await dropDatabase(maintenanceUrl, name).catch(() => undefined);
	}
	process.exitCode = 1;
} finally {
	await server?.stop();
}
