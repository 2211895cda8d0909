import path from 'node:path';

/**
 * The database a command-line tool works on: the app's own settings (DATABASE_URL,
 * DATABASE_APP_URL, DATA_DIR), a small pool, and the embedded server shared when the app is
 * running it. Imported late, so each tool can set LOG_LEVEL before the server code loads.
 */
export async function openToolDatabase() {
	const { openDatabase } = await import('../src/lib/server/db');
	const env = process.env;
	return openDatabase({
		databaseUrl: env.DATABASE_URL || undefined,
		appUrl: env.DATABASE_APP_URL || undefined,
		dataDir: path.resolve(env.DATA_DIR || 'data'),
		poolSize: 2,
		shareRunningServer: true
	});
}

export type ToolDatabase = Awaited<ReturnType<typeof openToolDatabase>>;
