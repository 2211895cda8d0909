/**
 * The built app (tests/setup/build.ts) as a real HTTP server on a free port, against one test
 * database: the same code path as `npm start` with DATABASE_URL (scripts/serve.ts, bundled once
 * by the global setup so that each start runs plain JavaScript).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import type { Database } from '../../src/lib/server/db';
import { testDatabase } from './db';
import { seedCast, type Cast } from './people';

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
	// QUEUE_TIMEOUT_MS: a request waits for one of the 4 slots rather than be shed after the default
	// 3 s on a loaded machine (the matrix asks for a flyer PDF as every principal at once); shedding
	// itself is tested with its own limits (server.test, openapi.test).
	const child: ChildProcess = spawn(process.execPath, [inject('appServer'), inject('appBuild')], {
		cwd: path.resolve(import.meta.dirname, '../..'),
		env: { ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', ORIGIN: baseUrl, DATABASE_URL: adminUrl, DATA_DIR: dataDir, DEMO_REGION: 'off', DATABASE_POOL_SIZE: '4', QUEUE_TIMEOUT_MS: '30000', LOG_LEVEL: 'warn', TZ: 'Asia/Tokyo', ...env },
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

/** A form body as the tests write it: pairs, a record (an array value repeats the field), or ready params. */
export type FormBody = URLSearchParams | Array<[string, string]> | Record<string, string | string[]>;

function formOf(body: FormBody): URLSearchParams {
	if (body instanceof URLSearchParams) return body;
	const params = new URLSearchParams();
	for (const [k, v] of Array.isArray(body) ? body : Object.entries(body)) for (const one of [v].flat()) params.append(k, one);
	return params;
}

export interface UseAppOptions {
	/** The app's environment over startApp's defaults; a function is called after `before` (for what set-up makes, e.g. a fake server's port). */
	env?: Record<string, string> | (() => Record<string, string>);
	/** The people of tests/helpers/people.ts, made with this tag (in e-mail addresses); none without it. */
	seed?: string;
	/** Set-up on the database before the app starts (what its start-up should already find). */
	before?: (app: AppUnderTest) => Promise<void>;
	/** Headers every get/post of this file sends, over `accept: text/html`. */
	headers?: Record<string, string>;
}

/** Requests to a running app as the tests make them. */
export interface AppClient {
	/** The session cookie header for a token (none for no token). */
	cookie(token?: string): Record<string, string>;
	/** GET a path, with the session of `token`, not following redirects. */
	get(path: string, token?: string, headers?: Record<string, string>): Promise<Response>;
	/** POST a form to a path (same origin), with the session of `token`, not following redirects. */
	post(path: string, body: FormBody, token?: string, headers?: Record<string, string>): Promise<Response>;
}

/**
 * get/post for the app at `baseUrl` (read at each request), sending `headers` over `accept: text/html`:
 * useApp's own, and a second start of the built app for a test that needs one with another environment.
 */
export function clientOf(baseUrl: () => string, headers: Record<string, string> = {}): AppClient {
	const cookie = (token?: string): Record<string, string> => (token ? { cookie: `tsunagu_session=${token}` } : {});
	return {
		cookie,
		get: (path, token, extra = {}) => fetch(baseUrl() + path, { redirect: 'manual', headers: { accept: 'text/html', ...headers, ...cookie(token), ...extra } }),
		post: (path, body, token, extra = {}) =>
			fetch(baseUrl() + path, {
				method: 'POST',
				redirect: 'manual',
				headers: { accept: 'text/html', ...headers, 'content-type': 'application/x-www-form-urlencoded', origin: baseUrl(), ...cookie(token), ...extra },
				body: formOf(body).toString()
			})
	};
}

export interface AppUnderTest extends AppClient {
	readonly baseUrl: string;
	readonly database: Database;
	/** The database's owner (past row-level security), for looking at and placing rows. */
	readonly admin: pg.Client;
	/** The people, when `seed` was given. */
	readonly cast: Cast;
	readonly running: RunningApp;
}

/**
 * One test file's app: a private database (tests/helpers/db.ts), its owner's client, the cast of
 * people if asked, and the built app started on it — in beforeAll, stopped and dropped in afterAll.
 * The fields are there from beforeAll on.
 */
export function useApp(options: UseAppOptions = {}): AppUnderTest {
	let database: Database | undefined;
	let admin: pg.Client | undefined;
	let cast: Cast | undefined;
	let running: RunningApp | undefined;
	const ready = <T>(value: T | undefined, what: string): T => {
		if (value === undefined) throw new Error(`useApp: no ${what} yet (it is there from beforeAll on)`);
		return value;
	};
	const app: AppUnderTest = {
		...clientOf(() => app.baseUrl, options.headers),
		get baseUrl() {
			return ready(running, 'app').baseUrl;
		},
		get database() {
			return ready(database, 'database');
		},
		get admin() {
			return ready(admin, 'admin client');
		},
		get cast() {
			return ready(cast, 'cast (useApp({ seed }))');
		},
		get running() {
			return ready(running, 'app');
		}
	};
	beforeAll(async () => {
		database = await testDatabase();
		admin = new pg.Client({ connectionString: database.adminUrl });
		await admin.connect();
		if (options.seed !== undefined) cast = await seedCast(database, options.seed);
		await options.before?.(app);
		running = await startApp(database.adminUrl, typeof options.env === 'function' ? options.env() : options.env);
	}, 120_000);
	afterAll(async () => {
		await running?.stop();
		await admin?.end();
		await database?.close();
	});
	return app;
}
