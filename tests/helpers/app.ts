/**
 * The built app (tests/setup/build.ts) as a real HTTP server on a free port, against one test
 * database: the same code path as `npm start` with DATABASE_URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';

export interface RunningApp {
	baseUrl: string;
	dataDir: string;
	output(): string;
	stop(): Promise<void>;
}

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

export async function startApp(adminUrl: string, env: Record<string, string> = {}): Promise<RunningApp> {
	const port = await freePort();
	const dataDir = mkdtempSync(path.join(tmpdir(), 'tsunagu-app-'));
	const baseUrl = `http://127.0.0.1:${port}`;
	let output = '';
	const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/serve.ts', inject('appBuild')], {
		cwd: path.resolve(import.meta.dirname, '../..'),
		env: { ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', ORIGIN: baseUrl, DATABASE_URL: adminUrl, DATA_DIR: dataDir, DEMO_REGION: 'off', DATABASE_POOL_SIZE: '4', LOG_LEVEL: 'warn', TZ: 'Asia/Tokyo', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout!.on('data', (c) => (output += c));
	child.stderr!.on('data', (c) => (output += c));
	const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
	const deadline = Date.now() + 60_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`the app exited early:\n${output}`);
		try {
			if ((await fetch(`${baseUrl}/healthz`)).ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) throw new Error(`the app did not start:\n${output}`);
		await new Promise((r) => setTimeout(r, 200));
	}
	return {
		baseUrl,
		dataDir,
		output: () => output,
		async stop() {
			child.kill('SIGTERM');
			await exited;
			rmSync(dataDir, { recursive: true, force: true });
		}
	};
}
