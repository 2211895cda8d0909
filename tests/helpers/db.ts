/** A private database for one test file: a copy of the template (migrated, demo region loaded). */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { appUrlFor, connectApp, createDatabaseIfMissing, dropDatabase, ensureAppRole, withDatabase, type Database } from '../../src/lib/server/db';
import { provideStanding } from '../../src/lib/server/auth';
import { standingFromNetwork } from '../../src/lib/server/standing';

export async function testDatabase(): Promise<Database> {
	// As hooks.server.ts does for the app: sessions read people's roles through network.
	provideStanding(standingFromNetwork);
	const serverUrl = inject('serverUrl');
	const name = `tsunagu_test_${randomBytes(6).toString('hex')}`;
	await createDatabaseIfMissing(serverUrl, name, inject('template'));
	const adminUrl = withDatabase(serverUrl, name);
	await ensureAppRole(adminUrl);
	const { pool, db } = connectApp(appUrlFor(adminUrl), 4);
	return {
		db,
		pool,
		adminUrl,
		async close() {
			await pool.end();
			await dropDatabase(serverUrl, name);
		}
	};
}
