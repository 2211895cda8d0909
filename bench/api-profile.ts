/**
 * `npx tsx bench/api-profile.ts --build build [--build /tmp/base-build …] [--rounds 2 --seconds 6
 * --profile-seconds 4 --concurrency 8]` with DATABASE_URL set to a generated region (issue 15,
 * national scale): where a finder API request (`/api/v1/programs?…`, the five searches of
 * bench/run.ts) spends CPU under load.
 *
 * For each build given (several alternate, round by round, so old and new meet the same machine),
 * the app (`scripts/serve.ts <build>`, one worker, DEMO_REGION=off) runs against the database with
 * bench/profiler.ts preloaded. The static file `/favicon.svg` first and last, and each search for
 * `seconds` under `concurrency` keep-alive connections (bench/load.ts): req/s, p50, p95, and the
 * CPU the app process, the database's backends (processes titled with its name, from /proc) and
 * this client used in that window, per request. Then, per search, a CPU profile of the app under
 * the same load (`profile-seconds`): CPU ms per request from the samples, the top self-time
 * functions and modules, and the app's own functions by inclusive time. The first answer of each
 * search is hashed, so builds can be checked for giving the same bytes (the next-date order moves
 * with the clock: compare runs of the same minute). Results: stdout and bench/out/api-profile.md.
 *
 * `--cache on,miss,off` (default `on`): how the public cache meets each search, each a variant with
 * its own app and static rows. `on`: one URL repeated, as residents repeating a search meet it —
 * after the first request every answer is the cache's. `miss`: the cache on, each request's URL
 * spelled apart (bench/load.ts `spelledApart`: the same query, other bytes), so every request reads
 * and stores, what a new search costs. `off`: PUBLIC_CACHE_SECONDS=0, no cache at all.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { load, percentile, spelledApart, startBenchApp, type BenchApp } from './load';
import { ask, moduleOf, profilerNodes, summarise, type CpuProfile } from './profile-summary';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);

const { values: args } = parseArgs({
	options: {
		build: { type: 'string', multiple: true, default: ['build'] },
		rounds: { type: 'string', default: '1' },
		seconds: { type: 'string', default: '6' },
		'profile-seconds': { type: 'string', default: '4' },
		concurrency: { type: 'string', default: '8' },
		top: { type: 'string', default: '10' },
		'no-profile': { type: 'boolean', default: false },
		cache: { type: 'string', default: 'on' },
		only: { type: 'string', default: '' }
	}
});
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('bench: set DATABASE_URL to the region to search (e.g. postgres://postgres@127.0.0.1:5432/tsunagu_bench)');
const databaseName = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
const seconds = Number(args.seconds);
const profileSeconds = Number(args['profile-seconds']);
const concurrency = Number(args.concurrency);
const rounds = Number(args.rounds);
const top = Number(args.top);
const CACHE_MODES = ['on', 'miss', 'off'] as const;
type CacheMode = (typeof CACHE_MODES)[number];
const cacheModes = args.cache!.split(',').map((m) => m.trim()) as CacheMode[];
for (const m of cacheModes) if (!CACHE_MODES.includes(m)) throw new Error(`bench: --cache takes on, miss, off (comma-separated), not "${m}"`);

/** The five searches of bench/run.ts. */
const QUERIES = [
	{ name: 'q=こども食堂', params: 'q=こども食堂' },
	{ name: 'q=不登校 & prefecture=東京都', params: 'q=不登校&prefecture=東京都' },
	{ name: 'life_stage=senior & when=next7', params: 'life_stage=senior&when=next7' },
	{ name: 'q=相談 & sort=next', params: 'q=相談&sort=next' },
	{ name: 'near=札幌市 & sort=distance & free=1', params: 'near=札幌市&sort=distance&free=1' }
].filter((q) => !args.only || args.only.split(',').some((w) => q.name.includes(w.trim())));

// ───────────────────────────────────────────────────────────── CPU from /proc

const TICK_MS = 10; // USER_HZ is 100 on Linux

function ticksOf(pid: number | string): number {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return Number(fields[11]) + Number(fields[12]); // utime, stime
	} catch {
		return 0;
	}
}

/** CPU ticks of every PostgreSQL backend serving `databaseName` (its process title names the database). */
function databaseTicks(): Map<string, number> {
	const ticks = new Map<string, number>();
	for (const pid of readdirSync('/proc')) {
		if (!/^\d+$/.test(pid)) continue;
		try {
			const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
			if (cmdline.startsWith('postgres:') && cmdline.includes(` ${databaseName} `)) ticks.set(pid, ticksOf(pid));
		} catch {
			/* gone */
		}
	}
	return ticks;
}

function cpuWindow(appPid: number) {
	const app0 = ticksOf(appPid);
	const db0 = databaseTicks();
	const client0 = process.cpuUsage();
	return () => {
		const app = (ticksOf(appPid) - app0) * TICK_MS;
		let db = 0;
		for (const [pid, t] of databaseTicks()) db += (t - (db0.get(pid) ?? 0)) * TICK_MS;
		const c = process.cpuUsage(client0);
		return { app, db, client: (c.user + c.system) / 1000 };
	};
}

// ───────────────────────────────────────────────────────────── the app's own functions, inclusive

/** Inclusive time of the app's own functions (the build's server chunks), share of non-idle samples. */
function inclusiveAppFunctions(profile: CpuProfile, limit: number): string[] {
	const parent = new Map<number, number>();
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	for (const n of profile.nodes as Array<CpuProfile['nodes'][number] & { children?: number[] }>) for (const c of n.children ?? []) parent.set(c, n.id);
	const total = new Map<string, number>();
	const profiler = profilerNodes(profile);
	let busy = 0;
	profile.samples.forEach((id, i) => {
		const us = profile.timeDeltas[i] ?? 0;
		if (byId.get(id)?.callFrame.functionName === '(idle)' || profiler.has(id)) return;
		busy += us;
		const seen = new Set<string>();
		for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
			const f = byId.get(at)!.callFrame;
			const m = moduleOf(f.url);
			if (!m.startsWith('app ') || !f.functionName) continue;
			const key = `${f.functionName} (${m}:${f.lineNumber + 1})`;
			if (seen.has(key)) continue;
			seen.add(key);
			total.set(key, (total.get(key) ?? 0) + us);
		}
	});
	return [...total]
		.sort((a, b) => b[1] - a[1])
		.slice(0, limit)
		.map(([k, us]) => `${((us / busy) * 100).toFixed(1)} % ${k}`);
}

// ───────────────────────────────────────────────────────────── run

interface Row {
	build: string;
	round: number;
	name: string;
	rps: number;
	p50: number;
	p95: number;
	requests: number;
	errors: number;
	cpu: { app: number; db: number; client: number };
	hash: string | null;
}

const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '–');

async function measure(app: BenchApp, build: string, round: number, name: string, urlPath: string, spell = false): Promise<Row> {
	// Every request of the row (warm-up included) a new spelling when asked; the first is the plain URL.
	let next = 0;
	const url = spell ? () => spelledApart(app.base + urlPath, next++) : app.base + urlPath;
	// Warm-up, then the window whose CPU is counted.
	const warm = await load(url, { requests: concurrency * 2, warmup: concurrency, concurrency, capMs: 20_000 });
	const done = cpuWindow(app.child.pid!);
	const r = await load(url, { requests: 1e9, warmup: 0, concurrency, capMs: seconds * 1000 });
	const cpu = done();
	const sorted = [...r.latencies].sort((a, b) => a - b);
	const n = Math.max(1, r.latencies.length);
	const row: Row = {
		build,
		round,
		name,
		rps: r.latencies.length / r.seconds,
		p50: percentile(sorted, 0.5),
		p95: percentile(sorted, 0.95),
		requests: r.latencies.length,
		errors: r.errors,
		cpu: { app: cpu.app / n, db: cpu.db / n, client: cpu.client / n },
		hash: warm.firstBody ? createHash('sha256').update(warm.firstBody).digest('hex').slice(0, 12) : null
	};
	console.log(
		`bench[${build} #${round}]: ${name.padEnd(36)} ${fmt(row.rps).padStart(7)} req/s  p50 ${fmt(row.p50)}  p95 ${fmt(row.p95)} ms  CPU/req app ${fmt(row.cpu.app, 2)} db ${fmt(row.cpu.db, 2)} client ${fmt(row.cpu.client, 2)} ms  (${row.requests}${row.errors ? `, ${row.errors} errors` : ''}) ${row.hash ?? ''}`
	);
	return row;
}

const rows: Row[] = [];
const profiles: string[] = [];
const loadBefore = os.loadavg();
for (let round = 1; round <= rounds; round++) {
	for (const { dir, mode } of args.build!.flatMap((dir) => cacheModes.map((mode) => ({ dir, mode })))) {
		const label = cacheModes.length > 1 || mode !== 'on' ? `${dir} (cache ${mode})` : dir;
		const app = await startBenchApp({
			buildDir: dir,
			// The open-data bulk files are made 10 s after start-up by default; at 100,000 programs that
			// run holds a core and stalls requests for up to 24 s, then fails (bench/RESULTS.md
			// "Finder API CPU profile"): put off for an hour, past the bench.
			env: { DATABASE_URL: databaseUrl, DATA_DIR: path.resolve(process.env.DATA_DIR ?? 'data/api-profile'), DEMO_REGION: 'off', WEB_CONCURRENCY: '1', OPENDATA_EXPORT_QUIET_SECONDS: '3600', PUBLIC_CACHE_SECONDS: mode === 'off' ? '0' : '30' },
			unset: ['DATABASE_APP_URL'],
			preload: args['no-profile'] ? [] : ['./bench/profiler.ts']
		});
		try {
			console.log(`bench: ${label}, round ${round}, load average ${os.loadavg()[0].toFixed(2)}`);
			rows.push(await measure(app, label, round, 'static: /favicon.svg', '/favicon.svg'));
			for (const q of QUERIES) rows.push(await measure(app, label, round, q.name, `/api/v1/programs?${q.params}`, mode === 'miss'));
			rows.push(await measure(app, label, round, 'static again', '/favicon.svg'));
			if (!args['no-profile'] && round === rounds) {
				mkdirSync('bench/out/profiles', { recursive: true });
				for (const q of QUERIES) {
					const file = path.resolve(`bench/out/profiles/api-${path.basename(dir)}-${mode}-${q.name.replace(/[^a-z]+/gi, '-')}.cpuprofile`);
					await ask(app.child, { profile: 'start' }, 'profiling');
					let next = 0;
					const target = app.base + `/api/v1/programs?${q.params}`;
					const r = await load(mode === 'miss' ? () => spelledApart(target, next++) : target, { requests: 1e9, warmup: 0, concurrency, capMs: profileSeconds * 1000 });
					await ask(app.child, { profile: 'stop', file }, 'profiled');
					const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
					const s = summarise(profile, r.latencies.length, top);
					console.log(`bench[${label}]: profile ${q.name}: ${s.cpuMsPerRequest.toFixed(2)} CPU ms/request`);
					profiles.push(
						`<details><summary>${label} — ${q.name}: ${s.cpuMsPerRequest.toFixed(2)} CPU ms per request (${r.latencies.length} requests in ${profileSeconds} s)</summary>`,
						'',
						'Functions (self time):',
						'',
						...s.functions.map((l) => `- ${l}`),
						'',
						'Modules (self time):',
						'',
						...s.modules.map((l) => `- ${l}`),
						'',
						"The app's own functions (inclusive time):",
						'',
						...inclusiveAppFunctions(profile, top).map((l) => `- ${l}`),
						'',
						'</details>',
						''
					);
				}
			}
		} finally {
			await app.stop();
		}
	}
}
const loadAfter = os.loadavg();

const out: string[] = [
	`### Finder API under load — ${new Date().toISOString().slice(0, 16)}Z, database ${databaseName}`,
	'',
	`${concurrency} keep-alive connections, ${seconds} s per row after a warm-up; ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}; load average (1 min) ${loadBefore[0].toFixed(2)} before, ${loadAfter[0].toFixed(2)} after. CPU per request from /proc over each row's window: the app process, the database's backends, this load generator. "vs static": the same build${cacheModes.length > 1 || cacheModes[0] !== 'on' ? ' (and cache variant)' : ''} and round's mean static rate. Public cache: ${cacheModes.map((m) => ({ on: 'on = one URL repeated (after its first request, the cache answers)', miss: 'miss = the cache on, every request a new spelling of the URL (each read and stored)', off: 'off = PUBLIC_CACHE_SECONDS=0' })[m]).join('; ')}.`,
	'',
	'| build | round | request | req/s | vs static | p50 ms | p95 ms | app CPU ms/req | db CPU ms/req | client CPU ms/req | body |',
	'|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|'
];
for (const r of rows) {
	const statics = rows.filter((s) => s.build === r.build && s.round === r.round && s.name.startsWith('static'));
	const staticRps = statics.reduce((n, s) => n + s.rps, 0) / statics.length;
	out.push(`| ${r.build} | ${r.round} | ${r.name} | ${fmt(r.rps)} | ${fmt((r.rps / staticRps) * 100)} % | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.cpu.app, 2)} | ${fmt(r.cpu.db, 2)} | ${fmt(r.cpu.client, 2)} | ${r.name.startsWith('static') ? '' : (r.hash ?? '')} |`);
}
out.push('', ...profiles);
const report = out.join('\n');
console.log('\n' + report);
mkdirSync('bench/out', { recursive: true });
writeFileSync('bench/out/api-profile.md', report + '\n');
console.log('bench: written to bench/out/api-profile.md');
