/**
 * `npm run bench:overload [-- --connections 200 --seconds 15]`: a burst larger than the machine
 * can serve, on the demo region, against two servers over the same build and database in the
 * same run:
 * - `adapter-node`: adapter-node's own `build/index.js` (no admission control: every request
 *   waits its turn inside the app) — the server before issue 11;
 * - `serve.ts`: the production server (`scripts/serve.ts`, bounded concurrency and queue, 503 +
 *   Retry-After beyond it, health checks and static files outside the queue).
 * For each: /healthz alone (the baseline), then N keep-alive connections sending
 * `/search?q=こども食堂` as fast as they are answered while one more connection probes /healthz
 * every 100 ms. Prints the health probe's latency under the burst as a ratio of its idle latency,
 * the searches answered, the shed ones and how fast each kind was answered.
 *
 * The database is an embedded server in a temporary folder (or BENCH_DATABASE_URL), loaded with the
 * demo region by the app's own start-up. Results: stdout and bench/out/overload.md.
 */
import { execFileSync, spawn } from 'node:child_process';
import http from 'node:http';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbeddedPostgres } from '../src/lib/server/db/embedded';
import { createDatabaseIfMissing, dropDatabase, withDatabase, withDefaultUser } from '../src/lib/server/db';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);

const { values: args } = parseArgs({
	options: {
		connections: { type: 'string', default: '200' },
		seconds: { type: 'string', default: '15' },
		query: { type: 'string', default: 'こども食堂' }
	}
});
const CONNECTIONS = Number(args.connections);
const SECONDS = Number(args.seconds);
const SEARCH = `/search?q=${encodeURIComponent(args.query!)}`;

const buildDir = path.join(root, '.bench-build', 'overload');
console.log('bench:overload: building the app (vite build) …');
execFileSync(process.execPath, [path.join('node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
	stdio: 'inherit',
	env: { ...process.env, NODE_ENV: 'production', TSUNAGU_BUILD_OUT: buildDir, TSUNAGU_KIT_OUT: path.join(root, '.bench-build', 'overload-kit') }
});

function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const s = createServer().listen(0, '127.0.0.1', () => {
			const p = (s.address() as { port: number }).port;
			s.close(() => resolve(p));
		});
	});
}

const percentile = (values: number[], q: number) => {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

/** One GET on a keep-alive agent: status and milliseconds. */
function get(agent: http.Agent, base: string, urlPath: string): Promise<{ status: number; ms: number }> {
	const started = performance.now();
	return new Promise((resolve) => {
		const req = http.get(`${base}${urlPath}`, { agent }, (res) => {
			res.resume();
			res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
		});
		req.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
	});
}

async function startServer(command: string[], databaseUrl: string, dataDir: string) {
	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, command, {
		env: { ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', ORIGIN: base, DATABASE_URL: databaseUrl, DATA_DIR: dataDir, LOG_LEVEL: 'warn', TZ: 'Asia/Tokyo' },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	for (let i = 0; ; i++) {
		if (child.exitCode !== null) throw new Error('bench:overload: the app exited during start-up');
		if (
			await fetch(`${base}/healthz`).then(
				(r) => r.ok,
				() => false
			)
		)
			break;
		if (i > 1200) throw new Error('bench:overload: the app did not start');
		await new Promise((r) => setTimeout(r, 250));
	}
	return {
		base,
		async stop() {
			child.kill('SIGTERM');
			await exited;
		}
	};
}

interface Figures {
	server: string;
	idleHealthP50: number;
	healthP50: number;
	healthP95: number;
	healthMax: number;
	healthFailed: number;
	searchOk: number;
	searchOkP50: number;
	searchOkP99: number;
	shed: number;
	shedP50: number;
	otherErrors: number;
}

async function measure(server: string, base: string): Promise<Figures> {
	const probeAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
	// Warm-up: pages compiled, pool connections open, caches filled.
	const warm = new http.Agent({ keepAlive: true, maxSockets: 8 });
	await Promise.all(Array.from({ length: 40 }, () => get(warm, base, SEARCH)));
	warm.destroy();
	const idle: number[] = [];
	for (let i = 0; i < 100; i++) idle.push((await get(probeAgent, base, '/healthz')).ms);

	const loadAgent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
	const until = performance.now() + SECONDS * 1000;
	const ok: number[] = [];
	const shed: number[] = [];
	let otherErrors = 0;
	const workers = Array.from({ length: CONNECTIONS }, async () => {
		while (performance.now() < until) {
			const r = await get(loadAgent, base, SEARCH);
			if (r.status === 200) ok.push(r.ms);
			else if (r.status === 503) {
				shed.push(r.ms);
				// A person who reloads after a second (sooner than Retry-After asks): the burst stays a burst.
				await new Promise((res) => setTimeout(res, 1000));
			} else otherErrors++;
		}
	});
	const health: number[] = [];
	let healthFailed = 0;
	const probe = (async () => {
		while (performance.now() < until) {
			const r = await get(probeAgent, base, '/healthz');
			if (r.status === 200) health.push(r.ms);
			else healthFailed++;
			await new Promise((res) => setTimeout(res, 100));
		}
	})();
	await Promise.all([...workers, probe]);
	loadAgent.destroy();
	probeAgent.destroy();
	return {
		server,
		idleHealthP50: percentile(idle, 0.5),
		healthP50: percentile(health, 0.5),
		healthP95: percentile(health, 0.95),
		healthMax: Math.max(...health),
		healthFailed,
		searchOk: ok.length,
		searchOkP50: percentile(ok, 0.5),
		searchOkP99: percentile(ok, 0.99),
		shed: shed.length,
		shedP50: percentile(shed, 0.5),
		otherErrors
	};
}

const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '–');

const workDir = mkdtempSync(path.join(os.tmpdir(), 'tsunagu-overload-'));
// The embedded server runs as `postgres` when we are root: it must pass through this folder.
chmodSync(workDir, 0o711);
let stopDatabase = async () => {};
let serverUrl: string;
if (process.env.BENCH_DATABASE_URL) {
	serverUrl = withDefaultUser(process.env.BENCH_DATABASE_URL);
} else {
	const embedded = await startEmbeddedPostgres(path.join(workDir, 'pg'));
	serverUrl = embedded.adminUrl;
	stopDatabase = () => embedded.stop();
}
const databaseName = `tsunagu_overload_${process.pid}`;
await createDatabaseIfMissing(serverUrl, databaseName);
const databaseUrl = withDatabase(serverUrl, databaseName);

const results: Figures[] = [];
try {
	for (const [name, command] of [
		['adapter-node', [path.join(buildDir, 'index.js')]],
		['serve.ts', ['--import', 'tsx', 'scripts/serve.ts', buildDir]]
	] as const) {
		const dataDir = path.join(workDir, name);
		mkdirSync(dataDir, { recursive: true });
		const app = await startServer([...command], databaseUrl, dataDir);
		try {
			console.log(`bench:overload: ${name}: ${CONNECTIONS} connections for ${SECONDS} s …`);
			results.push(await measure(name, app.base));
		} finally {
			await app.stop();
		}
	}
} finally {
	await dropDatabase(serverUrl, databaseName).catch(() => {});
	await stopDatabase();
	rmSync(workDir, { recursive: true, force: true });
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const lines = [
	`Burst: ${CONNECTIONS} keep-alive connections on \`${decodeURIComponent(SEARCH)}\` for ${SECONDS} s, /healthz probed every 100 ms on its own connection. Demo region, ${process.env.BENCH_DATABASE_URL ? 'external' : 'embedded'} PostgreSQL, ${os.availableParallelism()} × ${cpu}, Node ${process.version}.`,
	'',
	'| server | /healthz idle p50 | /healthz under burst p50 / p95 / max (× idle p50) | probes failed | searches answered 200 | their p50 / p99 | shed 503 | answered in p50 | other errors |',
	'|---|---|---|---|---|---|---|---|---|',
	...results.map(
		(r) =>
			`| ${r.server} | ${fmt(r.idleHealthP50)} ms | ${fmt(r.healthP50)} / ${fmt(r.healthP95)} / ${fmt(r.healthMax)} ms (${fmt(r.healthP50 / r.idleHealthP50, 0)}× / ${fmt(r.healthP95 / r.idleHealthP50, 0)}×) | ${r.healthFailed} | ${r.searchOk} (${fmt(r.searchOk / SECONDS)}/s) | ${fmt(r.searchOkP50, 0)} / ${fmt(r.searchOkP99, 0)} ms | ${r.shed} | ${fmt(r.shedP50)} ms | ${r.otherErrors} |`
	)
];
console.log(lines.join('\n'));
mkdirSync(path.join(root, 'bench', 'out'), { recursive: true });
writeFileSync(path.join(root, 'bench', 'out', 'overload.md'), lines.join('\n') + '\n');
