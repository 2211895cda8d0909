/**
 * `npm run backup [-- --out file]`: a full logical backup of the app's database (DATABASE_URL, or
 * the embedded server in DATA_DIR — also while the app is running) into backups/ by default.
 * See src/lib/server/db/backup.ts for the format. The file holds personal data (mode 600); the
 * encryption master key is not in it: back DATA_DIR/keys/master.key up separately.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { databaseNameOf, withDatabase, withDefaultUser } from '../src/lib/server/db';
import { shareEmbeddedPostgres } from '../src/lib/server/db/embedded';
import { backupDatabase } from '../src/lib/server/db/backup';

let out: string | undefined;
try {
	({ out } = parseArgs({ options: { out: { type: 'string' } } }).values);
} catch (error) {
	console.error(`${(error as Error).message}\nusage: npm run backup [-- --out file]`);
	process.exit(1);
}
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
const file = path.resolve(out ?? path.join('backups', `tsunagu-${stamp}.tsunagu.gz`));
const dataDir = path.resolve(process.env.DATA_DIR || 'data');
if (!process.env.DATABASE_URL && !existsSync(path.join(dataDir, 'pg', 'PG_VERSION'))) {
	// Starting the server here would make a new, empty one.
	console.error(`backup failed: no embedded database in ${dataDir} (set DATA_DIR, or DATABASE_URL for an external server)`);
	process.exit(1);
}
mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });

// A running app's server is used as it is (and left running); otherwise one is started and stopped.
const server = process.env.DATABASE_URL ? null : await shareEmbeddedPostgres(dataDir);
const adminUrl = process.env.DATABASE_URL ? withDefaultUser(process.env.DATABASE_URL) : withDatabase(server!.adminUrl, 'tsunagu');
try {
	const report = await backupDatabase(adminUrl, file);
	const rows = Object.values(report.rows).reduce((a, b) => a + b, 0);
	const shown = path.relative(process.cwd(), file);
	console.log(`backup: ${databaseNameOf(adminUrl)} → ${shown.startsWith('..') ? file : shown}`);
	console.log(`  ${Object.keys(report.rows).length} tables, ${rows} rows, schema at migration ${report.migrations}`);
	console.log('  This file holds personal data: keep it as safe as the server. The encryption master key is not in it.');
} catch (error) {
	console.error(`backup failed: ${(error as Error).message}`);
	process.exitCode = 1;
} finally {
	await server?.stop();
}
