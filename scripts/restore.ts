/**
 * `npm run restore -- <file> [--database name]`: restore a backup into a new, empty database on
 * the app's server (DATABASE_URL's server, or the embedded one in DATA_DIR). The database is
 * created when missing; one that already holds data is refused and left as it is. Point the app
 * at it afterwards (DATABASE_URL, or keep the default name `tsunagu` on the embedded server).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createDatabaseIfMissing, ensureAppRole, withDatabase, withDefaultUser } from '../src/lib/server/db';
import { shareEmbeddedPostgres } from '../src/lib/server/db/embedded';
import { restoreDatabase } from '../src/lib/server/db/backup';

const { values, positionals } = parseArgs({ options: { database: { type: 'string' } }, allowPositionals: true });
const file = positionals[0];
if (!file) {
	console.error('usage: npm run restore -- <backup file> [--database name]');
	process.exit(1);
}
const server = process.env.DATABASE_URL ? null : await shareEmbeddedPostgres(path.resolve(process.env.DATA_DIR || 'data'));
const serverUrl = process.env.DATABASE_URL ? withDefaultUser(process.env.DATABASE_URL) : server!.adminUrl;
const name = values.database ?? (process.env.DATABASE_URL ? new URL(serverUrl).pathname.slice(1) || 'tsunagu' : 'tsunagu');
try {
	await createDatabaseIfMissing(withDatabase(serverUrl, 'postgres'), name);
	const adminUrl = withDatabase(serverUrl, name);
	const report = await restoreDatabase(adminUrl, path.resolve(file));
	await ensureAppRole(adminUrl);
	const rows = Object.values(report.rows).reduce((a, b) => a + b, 0);
	console.log(`restore: ${path.basename(file)} → database ${name}: ${Object.keys(report.rows).length} tables, ${rows} rows`);
	if (report.migrationsAfter > report.migrationsInBackup) console.log(`  then migrated from ${report.migrationsInBackup} to ${report.migrationsAfter} migrations`);
} catch (error) {
	console.error(`restore failed: ${(error as Error).message}`);
	process.exitCode = 1;
} finally {
	await server?.stop();
}
