/**
 * `npm run bench [-- --programs 20000 --concurrency 8 --requests 500 --explain --finder-only]`: finder search
 * over HTTP against the built app at national scale, next to a static page in the same run.
 *
 * For each database target — the embedded server (DATA_DIR, default data/scale, database
 * tsunagu_scale) and, when BENCH_EXTERNAL_URL is set, an external server (database tsunagu_bench)
 * — it makes sure the synthetic region (bench/generate.ts) is there at the requested size, starts
 * the production server (`scripts/serve.ts` around build/handler.js) pointed at it (DATABASE_URL, DEMO_REGION=off), and measures a bounded load
 * on loopback: a fixed number of requests at a fixed concurrency, with a time cap.
 *
 * The embedded server is started here (the same `startEmbeddedPostgres` the app uses, same
 * settings) and the app reaches it through DATABASE_URL over its Unix socket, so the app's
 * embedded database name ('tsunagu') does not matter and ./data is never touched.
 *
 * Results: a Markdown table on stdout and in bench/out/latest.md.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { createDatabaseIfMissing, openDatabase, withDatabase, withDefaultUser, type Database } from '../src/lib/server/db';
import { parseFinderParams } from '../src/lib/server/directory/finder-query';
import { searchPrograms } from '../src/lib/server/directory/finder/index';
import { localDay } from '../src/lib/server/directory/schedule';
import { generateRegion, rebuildUpcomingDates, sizesFor } from './generate';
import { load, percentile, startBenchApp, type BenchApp } from './load';
import { occurrencesStale, syncAllOccurrences } from '../src/lib/server/events/occurrences';
import { systemScope } from '../src/lib/server/scope';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);

const { values: args } = parseArgs({
	options: {
		programs: { type: 'string' },
		orgs: { type: 'string' },
		locations: { type: 'string' },
		seed: { type: 'string', default: '1' },
		concurrency: { type: 'string', default: '8' },
		requests: { type: 'string', default: '500' },
		'static-requests': { type: 'string', default: '5000' },
		seconds: { type: 'string', default: '60' },
		serial: { type: 'string', default: '20' },
		targets: { type: 'string', default: 'embedded,external' },
		explain: { type: 'boolean', default: false },
		/** Only the finder: without it the consultations benchmark (bench/consultations.ts) follows, over the same build. */
		'finder-only': { type: 'boolean', default: false },
		/** A build to measure as it is (e.g. one of an older commit, for a before/after); otherwise this run builds. */
		build: { type: 'string' }
	}
});
const positive = (v: string | undefined, name: string) => {
	if (v === undefined) return undefined;
	const n = Number(v);
	if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
	return n;
};
const sizes = sizesFor({ programs: positive(args.programs, 'programs'), organizations: positive(args.orgs, 'orgs'), locations: positive(args.locations, 'locations') });
const seed = Number(args.seed);
const concurrency = positive(args.concurrency, 'concurrency')!;
const searchRequests = positive(args.requests, 'requests')!;
const staticRequests = positive(args['static-requests'], 'static-requests')!;
const capMs = positive(args.seconds, 'seconds')! * 1000;
const serialRequests = positive(args.serial, 'serial')!;
const wanted = new Set(args.targets!.split(',').map((t) => t.trim()));

/** Representative finder searches (the brief's five). */
const QUERIES: Array<{ name: string; params: string }> = [
	{ name: 'q=こども食堂', params: 'q=こども食堂' },
	{ name: 'q=不登校 & prefecture=東京都', params: 'q=不登校&prefecture=東京都' },
	{ name: 'life_stage=senior & when=next7', params: 'life_stage=senior&when=next7' },
	{ name: 'q=相談 & sort=next', params: 'q=相談&sort=next' },
	{ name: 'near=札幌市 & sort=distance & free=1', params: 'near=札幌市&sort=distance&free=1' }
];

const GOAL_P95_MS = 50;
const GOAL_RATIO = 0.25;

// ───────────────────────────────────────────────────────────── machine

function machine(): string[] {
	const cpus = os.cpus();
	return [`CPU: ${cpus[0]?.model ?? 'unknown'} × ${cpus.length} (os.availableParallelism ${os.availableParallelism()})`, `Memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`, `OS: ${os.type()} ${os.release()} (${os.arch()})`, `Node: ${process.version}`];
}

function gitCommit(): string {
	try {
		const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
		const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim();
		return dirty ? `${head} (with uncommitted changes)` : head;
	} catch {
		return 'unknown';
	}
}

// ───────────────────────────────────────────────────────────── database targets

interface Target {
	name: string;
	label: string;
	database: Database;
	/** Owner connection string, handed to the app as DATABASE_URL. */
	url: string;
	version: string;
}

async function openTarget(name: string): Promise<Target> {
	let database: Database;
	let label: string;
	if (name === 'embedded') {
		const dataDir = path.resolve(process.env.DATA_DIR ?? 'data/scale');
		if (dataDir === path.resolve('data')) throw new Error('bench: refusing to use ./data (the demo database); set DATA_DIR elsewhere');
		database = await openDatabase({ dataDir, databaseName: 'tsunagu_scale' });
		label = `embedded server (${path.relative(root, dataDir) || dataDir}), database tsunagu_scale`;
	} else {
		const server = withDefaultUser(process.env.BENCH_EXTERNAL_URL!);
		await createDatabaseIfMissing(server, 'tsunagu_bench');
		const url = withDatabase(server, 'tsunagu_bench');
		database = await openDatabase({ databaseUrl: url });
		const u = new URL(url);
		label = `external server ${u.host}, database tsunagu_bench`;
	}
	const version = (await database.pool.query<{ v: string }>('select version() as v')).rows[0].v;
	return { name, label, database, url: database.adminUrl, version };
}

/** Generate the region when the target does not hold one of the requested size; keep dates current. */
async function ensureRegion(target: Target): Promise<Record<string, number>> {
	const pool = new pg.Pool({ connectionString: target.url, max: 2 });
	const db = drizzle(pool);
	try {
		const count = async () => {
			// Generated organisations only: the app adds its own at start-up (the network secretariat,
			// src/lib/server/network/bootstrap.ts), which made every run after the first regenerate.
			const r = await pool.query(`select (select count(*) from organizations where slug like 'scale-%')::int as organizations, (select count(*) from programs)::int as programs,
				(select count(*) from locations)::int as locations, (select count(*) from program_upcoming_dates)::int as upcoming_dates`);
			return r.rows[0] as Record<string, number>;
		};
		let counts = await count();
		const same = counts.organizations === sizes.organizations && counts.programs === sizes.programs && counts.locations === sizes.locations;
		if (!same) {
			console.log(`bench[${target.name}]: database holds ${counts.programs} programs; generating ${sizes.programs} (seed ${seed}) …`);
			const report = await generateRegion(db, sizes, seed, { log: (line) => console.log(`bench[${target.name}]:${line}`) });
			console.log(`bench[${target.name}]: generated in ${report.seconds.total} s ${JSON.stringify(report.seconds)}`);
			counts = await count();
		} else {
			const today = localDay(new Date(), 'Asia/Tokyo');
			const stale = await pool.query(`select exists (select 1 from program_upcoming_dates where day < $1::date) or not exists (select 1 from program_upcoming_dates) as stale`, [today]);
			if (stale.rows[0].stale) {
				// The app would otherwise rebuild them at start-up, one rule at a time.
				console.log(`bench[${target.name}]: rolling upcoming dates forward to ${today} …`);
				await db.transaction((tx) => rebuildUpcomingDates(tx, today));
				await pool.query('vacuum (analyze) program_upcoming_dates');
				counts = await count();
			}
		}
		// Dated sessions (events module) likewise: the app would sync them in the background at
		// start-up, and that work would run beside the measured requests.
		const today = localDay(new Date(), 'Asia/Tokyo');
		if (await occurrencesStale(db, today)) {
			console.log(`bench[${target.name}]: materialising occurrences to ${today} + 180 days …`);
			const started = Date.now();
			const synced = await syncAllOccurrences(systemScope(db, 'bench:occurrences'), today, 2000);
			await pool.query('vacuum (analyze) occurrences');
			console.log(`bench[${target.name}]: ${synced.inserted} occurrences in ${((Date.now() - started) / 1000).toFixed(1)} s`);
		}
		return counts;
	} finally {
		await pool.end();
	}
}

// ───────────────────────────────────────────────────────────── the app

/** The app on the target's database (DATABASE_URL, the demo region off), its files in DATA_DIR (default data/scale). */
function startApp(target: Target): Promise<BenchApp> {
	return startBenchApp({
		buildDir,
		// OPENDATA_EXPORT_QUIET_SECONDS: the open-data bulk files are otherwise made 10 s after
		// start-up, and at 100,000 programs that run held a core and stalled requests for up to 24 s
		// under the measured load before failing (bench/RESULTS.md "Finder API CPU profile").
		env: { DATABASE_URL: target.url, DATA_DIR: path.resolve(process.env.DATA_DIR ?? 'data/scale'), DEMO_REGION: 'off', OPENDATA_EXPORT_QUIET_SECONDS: '3600' },
		unset: ['DATABASE_APP_URL']
	});
}

// ───────────────────────────────────────────────────────────── load

interface Result {
	name: string;
	path: string;
	requests: number;
	errors: number;
	seconds: number;
	rps: number;
	p50: number;
	p95: number;
	p99: number;
	/** Median latency with one request at a time. */
	serialP50: number;
	capped: boolean;
	total: number | null;
	kind: 'static' | 'health' | 'search';
}

/** `requests` GETs, `concurrency` at a time on keep-alive connections (bench/load.ts), stopping at the cap. */
const loadAt = (url: string, requests: number, warmup: number) => load(url, { requests, warmup, concurrency, capMs });

async function measure(base: string, name: string, urlPath: string, kind: Result['kind']): Promise<Result> {
	const requests = kind === 'search' ? searchRequests : staticRequests;
	// Warm-up: one round per connection for searches (some take seconds at this scale), more for static.
	const warmup = kind === 'search' ? Math.min(concurrency, requests) : Math.min(500, requests);
	const r = await loadAt(base + urlPath, requests, warmup);
	const sorted = [...r.latencies].sort((a, b) => a - b);
	// The same request alone (one at a time): its own cost, without queueing behind the other seven.
	const serial: number[] = [];
	const serialDeadline = performance.now() + 20_000;
	for (let i = 0; i < serialRequests && performance.now() < serialDeadline; i++) {
		const t0 = performance.now();
		const response = await fetch(base + urlPath);
		await response.arrayBuffer();
		if (response.ok) serial.push(performance.now() - t0);
	}
	serial.sort((a, b) => a - b);
	let total: number | null = null;
	if (kind === 'search' && r.firstBody) {
		try {
			const body = JSON.parse(r.firstBody) as { total_items?: number };
			total = body.total_items ?? null;
		} catch {
			total = null; // the HTML page
		}
	}
	const result: Result = {
		name,
		path: urlPath,
		requests: r.latencies.length,
		errors: r.errors,
		seconds: r.seconds,
		rps: r.latencies.length / r.seconds,
		p50: percentile(sorted, 0.5),
		p95: percentile(sorted, 0.95),
		p99: percentile(sorted, 0.99),
		serialP50: percentile(serial, 0.5),
		capped: r.capped,
		total,
		kind
	};
	console.log(
		`bench:   ${name.padEnd(40)} ${result.rps.toFixed(1).padStart(8)} req/s  p50 ${result.p50.toFixed(1)}  p95 ${result.p95.toFixed(1)}  p99 ${result.p99.toFixed(1)} ms, alone p50 ${result.serialP50.toFixed(1)} ms  (${result.requests} in ${result.seconds.toFixed(1)} s${result.capped ? ', capped' : ''}${total !== null ? `, ${total} results` : ''})`
	);
	return result;
}

// ───────────────────────────────────────────────────────────── EXPLAIN

async function explainAll(target: Target): Promise<string> {
	const captured: Array<{ query: string; params: unknown[] }> = [];
	const pool = new pg.Pool({ connectionString: target.url, max: 2 });
	const db = drizzle(pool, { logger: { logQuery: (query, params) => captured.push({ query, params }) } });
	const out: string[] = [];
	try {
		for (const q of QUERIES) {
			const parsed = parseFinderParams(new URLSearchParams(q.params));
			if (!parsed.ok) throw new Error(`bad query ${q.params}`);
			const now = new Date();
			captured.length = 0;
			await searchPrograms(db, parsed.query, { now, today: localDay(now, 'Asia/Tokyo') });
			// Replay what the search ran, in one transaction: its `set local` settings apply, the
			// queries are explained, and nothing is kept.
			const statements = captured.filter((s) => !/^\s*(begin|commit|rollback)\b/i.test(s.query));
			const client = await pool.connect();
			try {
				await client.query('begin');
				for (const [i, s] of statements.entries()) {
					if (/^\s*set\b/i.test(s.query)) {
						await client.query(s.query, s.params as unknown[]);
						continue;
					}
					const plan = await client.query(`explain (analyze, buffers) ${s.query}`, s.params as unknown[]);
					out.push(`#### ${q.name} — statement ${i + 1} of ${statements.length}\n\n\`\`\`\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}\n\`\`\`\n`);
				}
			} finally {
				await client.query('rollback');
				client.release();
			}
		}
	} finally {
		await pool.end();
	}
	return out.join('\n');
}

// ───────────────────────────────────────────────────────────── report

function fmt(n: number, digits = 1): string {
	return Number.isFinite(n) ? n.toFixed(digits) : '–';
}

function table(results: Result[], staticRps: number): string {
	const lines = ['| endpoint | requests | errors | req/s | p50 ms | p95 ms | p99 ms | alone p50 ms | vs static | results | p95 ≤ 50 ms | ≥ 25 % of static |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|:---:|'];
	for (const r of results) {
		const ratio = r.rps / staticRps;
		const search = r.kind === 'search';
		lines.push(
			`| ${r.name}${r.capped ? ' (time cap)' : ''} | ${r.requests} | ${r.errors} | ${fmt(r.rps)} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${fmt(r.serialP50)} | ${(ratio * 100).toFixed(1)} % | ${r.total ?? ''} | ${search ? (r.p95 <= GOAL_P95_MS ? 'yes' : '**no**') : ''} | ${search ? (ratio >= GOAL_RATIO ? 'yes' : '**no**') : ''} |`
		);
	}
	return lines.join('\n');
}

async function runTarget(name: string): Promise<string> {
	console.log(`bench[${name}]: opening the database …`);
	const target = await openTarget(name);
	let app: BenchApp | null = null;
	try {
		const counts = await ensureRegion(target);
		// The region is written by the owner connection; the app starts after, with cold caches
		// only for what the warm-up does not touch.
		app = await startApp(target);
		console.log(`bench[${name}]: app up at ${app.base} (pid ${app.child.pid}); ${target.version.split(',')[0]}`);
		const api = await fetch(`${app.base}/api/v1/programs?q=x&per_page=1`).then((r) => r.status);
		const searchPath = api === 200 ? '/api/v1/programs' : '/search';
		const results: Result[] = [];
		results.push(await measure(app.base, 'static: GET /favicon.svg', '/favicon.svg', 'static'));
		results.push(await measure(app.base, 'GET /healthz (one DB round trip)', '/healthz', 'health'));
		for (const q of QUERIES) {
			const params = new URLSearchParams(q.params).toString();
			results.push(await measure(app.base, `${searchPath}?${q.name}`, `${searchPath}?${params}`, 'search'));
		}
		results.push(await measure(app.base, 'static again (end of run)', '/favicon.svg', 'static'));
		await app.stop();
		app = null;
		const statics = results.filter((r) => r.kind === 'static');
		const staticRps = statics.reduce((n, r) => n + r.rps, 0) / statics.length;
		const searches = results.filter((r) => r.kind === 'search');
		const section = [
			`### ${name}: ${target.label}`,
			'',
			`${target.version}`,
			'',
			`Data: ${counts.organizations} organisations, ${counts.programs} programs, ${counts.locations} locations, ${counts.upcoming_dates} upcoming dates.`,
			`Static baseline: ${fmt(staticRps)} req/s (mean of the two static rows; "vs static" divides by it).`,
			'',
			table(results, staticRps),
			'',
			`Goals: p95 ≤ ${GOAL_P95_MS} ms met by ${searches.filter((r) => r.p95 <= GOAL_P95_MS).length}/${searches.length} searches; throughput ≥ ${GOAL_RATIO * 100} % of static met by ${searches.filter((r) => r.rps / staticRps >= GOAL_RATIO).length}/${searches.length}.`,
			''
		];
		if (args.explain) {
			console.log(`bench[${name}]: EXPLAIN (ANALYZE, BUFFERS) of each search …`);
			section.push('<details><summary>EXPLAIN (ANALYZE, BUFFERS)</summary>', '', await explainAll(target), '</details>', '');
		}
		return section.join('\n');
	} finally {
		await app?.stop().catch(() => undefined);
		await target.database.close();
	}
}

// Always measure the code as it is now: a build left from an earlier commit would silently
// benchmark old code.
const buildDir = args.build ?? 'build';
if (!args.build) {
	console.log('bench: building the app (vite build) …');
	execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
}

const sections: string[] = [];
const header = [
	`## tsunagu finder benchmark — ${new Date().toISOString().slice(0, 16)}Z`,
	'',
	...machine().map((l) => `- ${l}`),
	`- Region: ${sizes.organizations} organisations, ${sizes.programs} programs, ${sizes.locations} locations (seed ${seed})`,
	`- Load: ${concurrency} concurrent keep-alive connections (fetch/undici) on loopback; ${searchRequests} requests per search, ${staticRequests} per static row, after a warm-up; time cap ${capMs / 1000} s per row. "alone p50": the median of ${serialRequests} more requests sent one at a time (cap 20 s). Client, app and PostgreSQL share this machine.`,
	`- App: \`tsx scripts/serve.ts ${buildDir}\`, ${args.build ? 'a build given with --build' : `built by this run from commit ${gitCommit()}`} (adapter-node, NODE_ENV=production, default pool of 10, request log on)`,
	// The app inherits PUBLIC_CACHE_SECONDS: with the cache on, every request after a search's first is answered from it.
	`- Public cache: ${process.env.PUBLIC_CACHE_SECONDS === '0' ? 'off (PUBLIC_CACHE_SECONDS=0): every request reads the database, what a new search costs' : 'on: each row repeats one URL, so after its first request the public cache answers (what a repeated search costs, not a new one)'}`,
	''
];
console.log(header.join('\n'));

const targets = ['embedded', 'external'].filter((t) => wanted.has(t));
for (const name of targets) {
	if (name === 'external' && !process.env.BENCH_EXTERNAL_URL) {
		console.log('bench: BENCH_EXTERNAL_URL is not set; skipping the external server');
		continue;
	}
	sections.push(await runTarget(name));
	console.log('\n' + sections[sections.length - 1]);
}

const report = [...header, ...sections].join('\n');
mkdirSync('bench/out', { recursive: true });
writeFileSync('bench/out/latest.md', report + '\n');
console.log('bench: written to bench/out/latest.md');

// Every public page at demo scale with CPU profiles (issue 15), then consultation messages
// accepted per second (issue 13), over the build made above.
if (!args['finder-only']) execFileSync(process.execPath, ['--import', 'tsx', 'bench/pages.ts', '--build', buildDir], { stdio: 'inherit' });
if (!args['finder-only']) execFileSync(process.execPath, ['--import', 'tsx', 'bench/consultations.ts', '--build', buildDir], { stdio: 'inherit' });
