/**
 * `npm run backup [-- --out file]`: a full logical backup of the app's database (DATABASE_URL, or
 * the embedded server in DATA_DIR — also while the app is running) into backups/ by default.
 * See src/lib/server/db/backup.ts for the format. The file holds personal data (mode 600); the
 * encryption master key is not in it: back DATA_DIR/keys/master.key up separately.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { databaseNameOf, withDatabase, withDefaultUser } from '../src/lib/server/db';
import { shareEmbeddedPostgres } from '../src/lib/server/db/embedded';
import { backupDatabase } from '../src/lib/server/db/backup';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
const file = path.resolve(values.out ?? path.join('backups', `tsunagu-${stamp}.tsunagu.gz`));
mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });

const server = process.env.DATABASE_URL ? null : await shareEmbeddedPostgres(path.resolve(process.env.DATA_DIR || 'data'));
const adminUrl = process.env.DATABASE_URL ? withDefaultUser(process.env.DATABASE_URL) : withDatabase(server!.adminUrl, 'tsunagu');
try {
	const report = await backupDatabase(adminUrl, file);
	const rows = Object.values(report.rows).reduce((a, b) => a + b, 0);
	console.log(`backup: ${databaseNameOf(adminUrl)} → ${path.relative(process.cwd(), file) || file}`);
	console.log(`  ${Object.keys(report.rows).length} tables, ${rows} rows, schema at migration ${report.migrations}`);
	console.log('  This file holds personal data: keep it as safe as the server. The encryption master key is not in it.');
} catch (error) {
	console.error(`backup failed: ${(error as Error).message}`);
	process.exitCode = 1;
} finally {
	await server?.stop();
}
