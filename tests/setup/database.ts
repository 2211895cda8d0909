/**
 * Vitest global setup: one PostgreSQL server for the run — the embedded server in a fresh temp
 * folder, or the external server in DATABASE_URL — and a template database, migrated and loaded
 * with the demo region, that each test file clones (tests/helpers/db.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/lib/server/db/embedded';
import { appUrlFor, connectApp, createDatabaseIfMissing, dropDatabase, ensureAppRole, migrateDatabase, withDatabase, withDefaultUser } from '../../src/lib/server/db';
import { loadDemoRegion } from '../../src/lib/server/directory';
import { syncOccurrences } from '../../src/lib/server/events';
import { runIn, systemScope } from '../../src/lib/server/scope';
import { localDay } from '../../src/lib/server/directory/schedule';

declare module 'vitest' {
	export interface ProvidedContext {
		serverUrl: string;
		template: string;
		dataDir: string;
	}
}

export default async function setup(project: TestProject) {
	let embedded: EmbeddedServer | undefined;
	let dataDir = '';
	let serverUrl: string;
	if (process.env.DATABASE_URL) {
		serverUrl = withDefaultUser(process.env.DATABASE_URL);
	} else {
		dataDir = mkdtempSync(path.join(tmpdir(), 'tsunagu-test-'));
		embedded = await startEmbeddedPostgres(dataDir);
		serverUrl = embedded.adminUrl;
	}
	const template = `tsunagu_test_template_${process.pid}`;
	await dropDatabase(serverUrl, template);
	await createDatabaseIfMissing(serverUrl, template);
	const adminUrl = withDatabase(serverUrl, template);
	await migrateDatabase(adminUrl);
	await ensureAppRole(adminUrl);
	const { pool, db } = connectApp(appUrlFor(adminUrl), 2);
	const today = localDay(new Date());
	await loadDemoRegion(systemScope(db, 'test-setup'), today);
	// As start-up does: the demo programs' dated sessions (events module).
	await runIn(systemScope(db, 'test:template'), (tx) => syncOccurrences(tx, today));
	await pool.end();

	project.provide('serverUrl', serverUrl);
	project.provide('template', template);
	project.provide('dataDir', dataDir);

	return async () => {
		await dropDatabase(serverUrl, template);
		await embedded?.stop();
		if (dataDir) rmSync(dataDir, { recursive: true, force: true });
	};
}
