/**
 * The production HTTP server around the built app (`build/handler.js` from adapter-node), in place
 * of adapter-node's own `build/index.js`, for two things that one cannot add from inside
 * SvelteKit:
 * - security headers on every response, the static files under /_app/ included (adapter-node
 *   serves those before hooks.server.ts runs);
 * - admission control (src/lib/server/http/admission.ts): a bounded number of requests inside
 *   the app and a bounded queue; beyond it a quick 503 with Retry-After. Health checks and static
 *   files skip the queue, so a load balancer still sees a live process during a burst.
 * Shutdown is as adapter-node's: on SIGTERM/SIGINT stop accepting, finish open requests, then emit
 * `sveltekit:shutdown` (hooks.server.ts closes the database on it).
 *
 * Several workers (WEB_CONCURRENCY or WORKERS, default 1): with n > 1 this process becomes the
 * primary of a node:cluster and forks n workers that share the port, each a whole app (its own
 * pool, its own public cache and listener). The primary starts the embedded PostgreSQL server once
 * (when DATABASE_URL is unset) and hands it to the workers as DATABASE_URL; it serves nothing
 * itself. Start-up and timer jobs already run once across processes (src/lib/server/jobs.ts
 * advisory locks), so n workers behave as n processes behind a load balancer. A worker that dies
 * is replaced; SIGTERM/SIGINT reach every worker, which finish their requests, then the primary
 * stops the database.
 *
 * Run by `npm start` (scripts/start.ts); directly: `tsx scripts/serve.ts [build folder]`.
 */
import cluster from 'node:cluster';
import http from 'node:http';
import { existsSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Admission, admissionLimitsFrom } from '../src/lib/server/http/admission';
import { DEFAULT_BODY_SIZE_LIMIT } from '../src/lib/server/http/body-limit';
import { pickLocale, translate } from '../src/lib/i18n';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, next?: () => void) => void;

/** Headers every response carries; SvelteKit's own (stricter) CSP replaces this one on pages. */
const BASELINE_HEADERS: Record<string, string> = {
	'x-content-type-options': 'nosniff',
	'x-frame-options': 'DENY',
	'content-security-policy': "frame-ancestors 'none'",
	'referrer-policy': 'strict-origin-when-cross-origin'
};

/** Seconds a shed client is asked to wait. Short: residents should not be told "15 minutes". */
const RETRY_AFTER_SECONDS = 5;

/** Paths served from files (sirv): cheap, so they never wait behind app requests. */
function staticPaths(buildDir: string): Set<string> {
	const paths = new Set<string>();
	for (const folder of ['client', 'prerendered']) {
		const root = path.join(buildDir, folder);
		if (!existsSync(root)) continue;
		const walk = (dir: string) => {
			for (const name of readdirSync(dir)) {
				const full = path.join(dir, name);
				if (statSync(full).isDirectory()) walk(full);
				else paths.add('/' + path.relative(root, full).split(path.sep).join('/'));
			}
		};
		walk(root);
	}
	return paths;
}

function pathnameOf(url: string | undefined): string {
	const raw = (url ?? '/').split('?')[0];
	try {
		return decodeURIComponent(raw);
	} catch {
		return raw;
	}
}

function shed(req: http.IncomingMessage, res: http.ServerResponse) {
	const locale = pickLocale(undefined, req.headers['accept-language'] ?? null);
	const message = translate(locale, 'server.busy');
	const api = pathnameOf(req.url).startsWith('/api/');
	const body = api
		? JSON.stringify({ error: { code: 'overloaded', message, details: [] } })
		: // Someone may have come in a crisis: the hotlines are on this page too, as on every page.
			`<!doctype html><html lang="${locale}"><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${translate(locale, 'app.name')}</title><p>${message}</p><p>${translate(locale, 'footer.crisis')}: ${translate(locale, 'footer.crisisLines')}</p></html>`;
	res.writeHead(503, {
		'retry-after': String(RETRY_AFTER_SECONDS),
		'cache-control': 'no-store',
		'content-type': api ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8'
	});
	res.end(body);
}

/** WEB_CONCURRENCY (or WORKERS): how many app processes serve the port; `auto` is one per core. */
export function workersFrom(env: NodeJS.ProcessEnv = process.env): number {
	const raw = (env.WEB_CONCURRENCY || env.WORKERS || '1').trim();
	if (raw === 'auto') return os.availableParallelism();
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`WEB_CONCURRENCY must be a whole number from 1 to 64 or "auto", not "${raw}"`);
	return n;
}

/** The cluster's primary: the database (embedded, when no DATABASE_URL) once, then n workers. */
async function primary(workers: number, env: NodeJS.ProcessEnv): Promise<null> {
	let stopDatabase: (() => Promise<void>) | null = null;
	const workerEnv: NodeJS.ProcessEnv = {};
	if (!env.DATABASE_URL) {
		const { startEmbeddedPostgres } = await import('../src/lib/server/db/embedded');
		const { createDatabaseIfMissing, withDatabase } = await import('../src/lib/server/db');
		const embedded = await startEmbeddedPostgres(path.resolve(env.DATA_DIR || 'data'));
		await createDatabaseIfMissing(embedded.adminUrl, 'tsunagu');
		workerEnv.DATABASE_URL = withDatabase(embedded.adminUrl, 'tsunagu');
		stopDatabase = () => embedded.stop();
	}
	let stopping = false;
	const fork = () => cluster.fork(workerEnv);
	cluster.on('exit', (worker, code, signal) => {
		if (stopping) return;
		console.error(JSON.stringify({ level: 'error', event: 'worker_exited', pid: worker.process.pid, code, signal }));
		setTimeout(() => !stopping && fork(), 1000).unref();
	});
	for (let i = 0; i < workers; i++) fork();
	const shutdown = async (signal: NodeJS.Signals) => {
		if (stopping) return;
		stopping = true;
		const alive = Object.values(cluster.workers ?? {}).filter((w) => w && !w.isDead());
		// Workers finish their requests within SHUTDOWN_TIMEOUT; one still there after is ended.
		setTimeout(() => alive.forEach((w) => w!.isDead() || w!.process.kill('SIGKILL')), (Number(env.SHUTDOWN_TIMEOUT || 30) + 15) * 1000).unref();
		await Promise.all(
			alive.map(
				(w) =>
					new Promise<void>((resolve) => {
						w!.once('exit', () => resolve());
						w!.process.kill(signal);
					})
			)
		);
		await stopDatabase?.().catch((error: Error) => console.error(JSON.stringify({ level: 'error', event: 'shutdown_failed', message: error.message })));
		process.exit(0);
	};
	process.on('SIGTERM', () => void shutdown('SIGTERM'));
	process.on('SIGINT', () => void shutdown('SIGINT'));
	// Ready when every worker listens.
	await new Promise<void>((resolve) => {
		let listening = 0;
		cluster.on('listening', () => ++listening === workers && resolve());
	});
	console.log(`tsunagu: ${workers} workers (pid ${process.pid} is the primary)`);
	return null;
}

export interface Served {
	server: http.Server;
	admission: Admission;
}

export async function serve(buildDir: string, env: NodeJS.ProcessEnv = process.env): Promise<Served | null> {
	const workers = workersFrom(env);
	if (workers > 1 && cluster.isPrimary) return primary(workers, env);
	// A worker's channel to the primary must not keep it alive once its server and pool are closed.
	if (cluster.isWorker) process.channel?.unref();
	const admission = new Admission(admissionLimitsFrom(env));
	const files = staticPaths(buildDir);
	// adapter-node reads its body limit when the handler is imported (its own default is 512K,
	// below the spreadsheet upload's limit): one default for `npm start`, a direct run and tests.
	process.env.BODY_SIZE_LIMIT ??= env.BODY_SIZE_LIMIT ?? DEFAULT_BODY_SIZE_LIMIT;
	// Importing the handler starts the platform (hooks `init`: database, migrations, timers).
	const { handler } = (await import(pathToFileURL(path.join(buildDir, 'handler.js')).href)) as { handler: Handler };

	const server = http.createServer((req, res) => {
		for (const [name, value] of Object.entries(BASELINE_HEADERS)) res.setHeader(name, value);
		const pathname = pathnameOf(req.url);
		if (pathname === '/healthz' || pathname.startsWith('/_app/') || files.has(pathname)) {
			handler(req, res);
			return;
		}
		// A client may hang up while it waits: its response closes before it is admitted, and the
		// slot it is then given must go straight back, or it is lost for good.
		let closed = false;
		res.once('close', () => (closed = true));
		admission.enter().then((release) => {
			if (!release) return shed(req, res);
			if (closed || res.destroyed) return release();
			res.once('close', release);
			handler(req, res);
		});
	});
	const keepAlive = Number(env.KEEP_ALIVE_TIMEOUT);
	if (keepAlive > 0) server.keepAliveTimeout = keepAlive * 1000;
	const headersTimeout = Number(env.HEADERS_TIMEOUT);
	if (headersTimeout > 0) server.headersTimeout = headersTimeout * 1000;

	const shutdownTimeout = Number(env.SHUTDOWN_TIMEOUT || 30);
	let stopping: NodeJS.Timeout | undefined;
	const shutdown = (reason: string) => {
		if (stopping) return;
		server.closeIdleConnections();
		server.close((error) => {
			if (error) return;
			clearTimeout(stopping);
			process.emit('sveltekit:shutdown' as never, reason as never);
		});
		// Requests still open after the grace period are cut; keep-alive sockets end as they go idle.
		stopping = setTimeout(() => server.closeAllConnections(), shutdownTimeout * 1000);
		server.on('request', (_req, res) => res.once('close', () => server.closeIdleConnections()));
	};
	process.on('SIGTERM', () => shutdown('SIGTERM'));
	process.on('SIGINT', () => shutdown('SIGINT'));

	// HOST: all interfaces by default (a container or a LAN install); 127.0.0.1 behind a local proxy.
	const host = env.HOST || '0.0.0.0';
	const port = Number(env.PORT || 3000);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => resolve());
	});
	console.log(`Listening on http://${host.includes(':') ? `[${host}]` : host}:${port}`);
	return { server, admission };
}

// Run directly: `tsx scripts/serve.ts [build folder]`.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
	await serve(path.resolve(process.argv[2] || 'build'));
}
