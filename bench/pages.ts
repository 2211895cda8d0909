/**
 * `npm run bench:pages [-- --seconds 4 --concurrency 8 --workers 1 --no-profile --build build
 * --only program,event --no-cache]`: every public page at demo scale (issue 15), each beside the
 * same run's static file. `--only` keeps the pages whose name contains one of the words given
 * (home, search, program, organisation, calendar, event); `--no-cache` starts the app with
 * PUBLIC_CACHE_SECONDS=0, so every request is a cache miss (what a page costs to read and render).
 *
 * The app (`scripts/serve.ts` over a build) runs on its own embedded server in DATA_DIR (default
 * data/bench-pages), which it fills with the demo region on first start (as `npm start` does).
 * Pages: home, `/search?q=こども食堂`, the first program of that search, its organisation,
 * `/calendar`, and the first dated session on the calendar (the event page).
 *
 * Each page gets a fixed time under `concurrency` keep-alive connections (bench/load.ts, the same
 * generator as bench/run.ts), after a warm-up; the static file `/favicon.svg` is measured first
 * and last. Then, unless --no-profile, a CPU profile of the server under the same load, one per
 * page (bench/profiler.ts, preloaded into the server), summarised as CPU ms per request and the
 * top self-time functions and modules. Results: stdout and bench/out/pages.md (profiles in
 * bench/out/profiles/).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { load, percentile, startBenchApp, type BenchApp } from './load';
import { ask, summarise, type CpuProfile } from './profile-summary';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);

const { values: args } = parseArgs({
	options: {
		seconds: { type: 'string', default: '4' },
		'profile-seconds': { type: 'string', default: '3' },
		concurrency: { type: 'string', default: '8' },
		workers: { type: 'string', default: '1' },
		'no-profile': { type: 'boolean', default: false },
		top: { type: 'string', default: '8' },
		/** A build to use as it is (npm run bench passes the one it just made); otherwise this run builds. */
		build: { type: 'string' },
		label: { type: 'string', default: '' },
		only: { type: 'string', default: '' },
		'no-cache': { type: 'boolean', default: false }
	}
});
const seconds = Number(args.seconds);
const profileSeconds = Number(args['profile-seconds']);
const concurrency = Number(args.concurrency);
const workers = Number(args.workers);
const top = Number(args.top);
const only = args.only
	.split(',')
	.map((w) => w.trim())
	.filter(Boolean);
const noCache = args['no-cache'];
const dataDir = path.resolve(process.env.DATA_DIR ?? 'data/bench-pages');
if (dataDir === path.resolve('data')) throw new Error('bench: refusing to use ./data (the demo database); set DATA_DIR elsewhere');

/** The app on its own embedded server in DATA_DIR (never a DATABASE_URL from the environment), with the profiler preloaded when profiling. */
function startApp(buildDir: string, profile: boolean): Promise<BenchApp> {
	return startBenchApp({
		buildDir,
		env: { DATA_DIR: dataDir, WEB_CONCURRENCY: String(workers), ...(noCache ? { PUBLIC_CACHE_SECONDS: '0' } : {}) },
		unset: ['DATABASE_URL', 'DATABASE_APP_URL'],
		preload: profile ? ['./bench/profiler.ts'] : []
	});
}

/** The public pages, their ids found the way a visitor finds them (links in the pages themselves). */
async function pages(base: string): Promise<Array<{ name: string; path: string }>> {
	const html = (p: string) => fetch(base + p).then((r) => r.text());
	const search = '/search?q=' + encodeURIComponent('こども食堂');
	const programId = /href="\/programs\/([0-9a-f-]{36})"/.exec(await html(search))?.[1];
	if (!programId) throw new Error('bench: no program in the search page');
	const organizationId = /href="\/organizations\/([0-9a-f-]{36})"/.exec(await html(`/programs/${programId}`))?.[1];
	if (!organizationId) throw new Error('bench: no organisation link on the program page');
	const eventId = /href="\/events\/([0-9a-f-]{36})"/.exec(await html('/calendar'))?.[1] ?? /href="\/events\/([0-9a-f-]{36})"/.exec(await html('/calendar?view=list'))?.[1];
	if (!eventId) throw new Error('bench: no dated session on the calendar');
	return [
		{ name: 'home', path: '/' },
		{ name: 'search q=こども食堂', path: search },
		{ name: 'program page', path: `/programs/${programId}` },
		{ name: 'organisation page', path: `/organizations/${organizationId}` },
		{ name: 'calendar', path: '/calendar' },
		{ name: 'event page', path: `/events/${eventId}` }
	];
}

interface Row {
	name: string;
	path: string;
	requests: number;
	errors: number;
	rps: number;
	p50: number;
	p95: number;
	kind: 'static' | 'page';
}

async function measure(base: string, name: string, urlPath: string, kind: Row['kind']): Promise<Row> {
	const r = await load(base + urlPath, { requests: 1e9, warmup: 40, concurrency, capMs: seconds * 1000 });
	const sorted = [...r.latencies].sort((a, b) => a - b);
	const row: Row = { name, path: urlPath, requests: r.latencies.length, errors: r.errors, rps: r.latencies.length / r.seconds, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), kind };
	console.log(`bench:   ${name.padEnd(24)} ${row.rps.toFixed(1).padStart(8)} req/s  p50 ${row.p50.toFixed(1)}  p95 ${row.p95.toFixed(1)} ms  (${row.requests}${row.errors ? `, ${row.errors} errors` : ''})`);
	return row;
}

// ───────────────────────────────────────────────────────────── run

let buildDir = args.build;
if (!buildDir) {
	console.log('bench: building the app (vite build) …');
	execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
	buildDir = 'build';
}
const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');
const profile = !args['no-profile'] && workers === 1;
console.log(`bench: public pages at demo scale (DATA_DIR ${path.relative(root, dataDir)}, ${workers} worker${workers > 1 ? 's' : ''}) …`);
const app = await startApp(buildDir, profile);
const out: string[] = [];
try {
	const list = (await pages(app.base)).filter((p) => only.length === 0 || only.some((w) => p.name.includes(w)));
	if (list.length === 0) throw new Error(`bench: no page matches --only ${args.only}`);
	const rows: Row[] = [];
	const loadBefore = os.loadavg();
	rows.push(await measure(app.base, 'static: /favicon.svg', '/favicon.svg', 'static'));
	for (const p of list) rows.push(await measure(app.base, p.name, p.path, 'page'));
	rows.push(await measure(app.base, 'static again', '/favicon.svg', 'static'));
	const loadAfter = os.loadavg();
	const statics = rows.filter((r) => r.kind === 'static');
	const staticRps = statics.reduce((n, r) => n + r.rps, 0) / statics.length;
	out.push(
		`### Public pages at demo scale${args.label ? ` — ${args.label}` : ''} (${new Date().toISOString().slice(0, 16)}Z, ${workers} worker${workers > 1 ? 's' : ''}${noCache ? ', public cache off: every request a miss' : ''})`,
		'',
		`Load: ${concurrency} keep-alive connections, ${seconds} s per row after 40 warm-up requests. Machine load average (1 min) ${loadBefore[0].toFixed(2)} before, ${loadAfter[0].toFixed(2)} after; ${os.cpus().length} cores. Static baseline ${fmt(staticRps)} req/s (mean of the two static rows).`,
		'',
		'| page | path | requests | errors | req/s | p50 ms | p95 ms | vs static | ≥ 25 % |',
		'|---|---|---:|---:|---:|---:|---:|---:|:---:|',
		...rows.map(
			(r) => `| ${r.name} | \`${r.path.length > 40 ? r.path.slice(0, 40) + '…' : r.path}\` | ${r.requests} | ${r.errors} | ${fmt(r.rps)} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${((r.rps / staticRps) * 100).toFixed(1)} % | ${r.kind === 'page' ? (r.rps / staticRps >= 0.25 ? 'yes' : '**no**') : ''} |`
		),
		''
	);
	if (profile) {
		mkdirSync('bench/out/profiles', { recursive: true });
		out.push('CPU profiles (server process, sampled every 200 µs under the same load): CPU ms per request, then the top self-time functions and modules (share of non-idle samples).', '');
		for (const p of list) {
			const file = path.resolve(`bench/out/profiles/${p.name.replace(/[^a-z]+/gi, '-')}.cpuprofile`);
			await ask(app.child, { profile: 'start' }, 'profiling');
			const r = await load(app.base + p.path, { requests: 1e9, warmup: 0, concurrency, capMs: profileSeconds * 1000 });
			await ask(app.child, { profile: 'stop', file }, 'profiled');
			const s = summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, r.latencies.length, top);
			console.log(`bench: profile ${p.name}: ${s.cpuMsPerRequest.toFixed(2)} CPU ms/request`);
			out.push(`<details><summary>${p.name}: ${s.cpuMsPerRequest.toFixed(2)} CPU ms per request (${r.latencies.length} requests)</summary>`, '', 'Functions (self time):', '', ...s.functions.map((l) => `- ${l}`), '', 'Modules:', '', ...s.modules.map((l) => `- ${l}`), '', '</details>', '');
		}
	}
} finally {
	await app.stop();
}
const report = out.join('\n');
console.log('\n' + report);
mkdirSync('bench/out', { recursive: true });
writeFileSync('bench/out/pages.md', report + '\n');
console.log('bench: written to bench/out/pages.md');
