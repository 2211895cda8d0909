/**
 * `npm run test:e2e`: start the real app (built, embedded PostgreSQL in a fresh temp folder, demo
 * region), run the browser tests in Chromium against it, then stop it with SIGTERM and check that
 * it shut down cleanly (requests finished, database stopped).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
		server.on('error', reject);
	});
}

const port = await freePort();
const dataDir = mkdtempSync(path.join(tmpdir(), 'tsunagu-e2e-'));
const baseUrl = `http://127.0.0.1:${port}`;
let serverLog = '';
const server = spawn(process.execPath, ['--max-http-header-size=131072', '--import', 'tsx', 'scripts/start.ts'], {
	cwd: root,
	env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'info' },
	stdio: ['ignore', 'pipe', 'pipe']
});
server.stdout.on('data', (c) => (serverLog += c));
server.stderr.on('data', (c) => (serverLog += c));
const serverExit = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));

async function waitForHealth(deadline: number) {
	while (Date.now() < deadline) {
		if (server.exitCode !== null) throw new Error(`server exited early:\n${serverLog}`);
		try {
			const res = await fetch(`${baseUrl}/healthz`);
			if (res.ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	throw new Error(`server did not become healthy:\n${serverLog}`);
}

let exitCode = 1;
try {
	await waitForHealth(Date.now() + 180_000);
	// One file after another, in this order: events.test.ts signs in as the colleague that
	// staff.test.ts invites, consultations.test.ts as the organisation admin it made, referrals.test.ts as the people both made (handed over in DATA_DIR) (node --test
	// does not promise to keep the order it is given).
	const all = [
		'tests/e2e/finder.test.ts',
		'tests/e2e/hydration.test.ts',
		'tests/e2e/staff.test.ts',
		'tests/e2e/events.test.ts',
		'tests/e2e/consultations.test.ts',
		'tests/e2e/referrals.test.ts',
		'tests/e2e/import.test.ts',
		'tests/e2e/tables.test.ts',
		'tests/e2e/csp.test.ts',
		'tests/e2e/calendar-interop.test.ts'
	];
	// `npm run test:e2e -- finder.test.ts` runs only the files named (each must stand alone, as finder.test.ts, hydration.test.ts, import.test.ts and csp.test.ts do).
	const named = process.argv.slice(2);
	const files = named.length ? all.filter((f) => named.some((n) => f.endsWith(n))) : all;
	if (named.length && !files.length) throw new Error(`no e2e file matches ${named.join(', ')}`);
	exitCode = 0;
	for (const file of files) {
		const tests = spawn(process.execPath, ['--import', 'tsx', '--test', file], {
			cwd: root,
			env: { ...process.env, BASE_URL: baseUrl, DATA_DIR: dataDir },
			stdio: 'inherit'
		});
		const code = (await new Promise<number | null>((resolve) => tests.on('exit', resolve))) ?? 1;
		if (code !== 0) exitCode = code;
	}
} catch (error) {
	console.error((error as Error).message);
} finally {
	server.kill('SIGTERM');
	const code = await Promise.race([serverExit, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 60_000))]);
	const clean = code === 0 && serverLog.includes('"shutdown_complete"') && serverLog.includes('"embedded_postgres_stopped"');
	const lockLeft = existsSync(path.join(dataDir, 'pg', 'postmaster.pid'));
	console.log(`graceful shutdown on SIGTERM: exit ${code}, database stopped ${!lockLeft}`);
	if (!clean || lockLeft) {
		console.error('the server did not shut down cleanly:\n' + serverLog.split('\n').slice(-20).join('\n'));
		if (code === 'timeout') server.kill('SIGKILL');
		exitCode = exitCode || 1;
	}
	// A failed run shows what the server logged as errors or warnings: the cause is often there.
	if (exitCode !== 0) {
		const noted = serverLog.split('\n').filter((line) => /"level":"(error|warn)"/.test(line));
		if (noted.length) console.error('the server logged:\n' + noted.slice(-30).join('\n'));
		// Requests refused or slow (a request waiting for a slot, a shed 503) say what the browser saw.
		const unusual = serverLog.split('\n').filter((line) => /"event":"request"/.test(line) && /"status":[45]\d\d|"ms":\d{4,}/.test(line));
		if (unusual.length) console.error('requests answered 4xx/5xx or in a second or more:\n' + unusual.slice(-30).join('\n'));
	}
	rmSync(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);
