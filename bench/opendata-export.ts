/**
 * `flock /work/wt/bench.lock npx tsx bench/opendata-export.ts [--port 3110 --idle-seconds 10]` with
 * DATABASE_URL set to a copy of the national region (issue 15: 100,000 programs; a copy, because
 * the run writes the bulk files and changes the licence — never tsunagu_bench itself; it is
 * migrated like the app does at start-up).
 *
 * The open-data bulk export (regenerateExports) at national scale, in this process, beside what a
 * visitor meets meanwhile: a small HTTP server in this process (standing for the app's main thread)
 * is asked every 50 ms by a child process, which records each answer's latency. Phases, one after
 * another in the same run:
 *   - idle (the same-run baseline): nothing but the probe;
 *   - first: nothing stored yet (one reading of the directory, both files written);
 *   - unchanged: the same directory again, as every start-up checks it (since drizzle/0027: the
 *     record of changes and the stored renderer, not the directory; before: one reading);
 *   - unchanged, new build: what a check cost before 0027, and what the first start of a new build
 *     costs (one reading, nothing written, ETag stays);
 *   - changed: after one program's title changes (two readings, both files written);
 *   - unchanged after it (the check again);
 *   - idle again.
 * `--before`: the phases the code before 0027 has (first, unchanged), for a same-run comparison
 * from a copy of that code (it has no build to pass).
 * For each: wall time, this process's CPU, the event loop's delay (max and p99, perf_hooks), the
 * probe's latencies (max, p99, p50, answers), garbage collection (the longest pause, the total),
 * the RSS sampled every 100 ms and the process's peak RSS so far, and the files' sizes. Results: stdout (a markdown table). `--first-only`: the first
 * export alone (for the code before issue 15's fix, which fails there).
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import os from 'node:os';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDatabase } from '../src/lib/server/db';
import { exportsList, regenerateExports } from '../src/lib/server/opendata';

const { values: args } = parseArgs({ options: { port: { type: 'string', default: '3110' }, 'idle-seconds': { type: 'string', default: '10' }, 'first-only': { type: 'boolean', default: false }, before: { type: 'boolean', default: false } } });
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl || /\/tsunagu_bench(\?|$)/.test(databaseUrl)) throw new Error('bench: set DATABASE_URL to a copy of the national region (not tsunagu_bench: the run writes the bulk files and changes the licence)');
const port = Number(args.port);
const idleMs = Number(args['idle-seconds']) * 1000;
const ORIGIN = 'https://tsunagu.example';

const database = await openDatabase({ databaseUrl, poolSize: 4 });
const admin = new pg.Client({ connectionString: databaseUrl });
await admin.connect();
const [{ programs, organizations }] = (await admin.query<{ programs: number; organizations: number }>('select (select count(*)::int from programs where published) as programs, (select count(*)::int from organizations where published) as organizations')).rows;

// ── the probe: a request every 50 ms from another process, answered by this one's event loop
const server = createServer((_, response) => response.end('ok'));
await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
const probeScript = `
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
let stop = false;
process.stdin.on('data', () => (stop = true));
process.stdin.resume();
function ask() {
	if (stop) return process.exit(0);
	const start = Date.now();
	http.get({ host: '127.0.0.1', port: ${port}, path: '/healthz', agent }, (res) => {
		res.resume();
		res.on('end', () => { process.stdout.write(start + ' ' + (Date.now() - start) + '\\n'); setTimeout(ask, 50); });
	}).on('error', () => setTimeout(ask, 50));
}
ask();`;
const probe = spawn(process.execPath, ['-e', probeScript], { stdio: ['pipe', 'pipe', 'inherit'] });
const answers: Array<{ at: number; ms: number }> = [];
let rest = '';
probe.stdout.on('data', (data: Buffer) => {
	const lines = (rest + data.toString()).split('\n');
	rest = lines.pop()!;
	for (const line of lines) {
		const [at, ms] = line.split(' ').map(Number);
		answers.push({ at, ms });
	}
});

const percentile = (values: number[], p: number) => {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

// Garbage collection pauses (the main thread stops for them too).
let gcLongest = 0;
let gcTotal = 0;
new PerformanceObserver((list) => {
	for (const entry of list.getEntries()) {
		gcLongest = Math.max(gcLongest, entry.duration);
		gcTotal += entry.duration;
	}
}).observe({ entryTypes: ['gc'] });

interface Phase {
	name: string;
	seconds: number;
	cpuSeconds: number;
	loopMax: number;
	loopP99: number;
	probeMax: number;
	probeP99: number;
	probeP50: number;
	answers: number;
	rssPeak: number;
	processPeak: number;
	gcLongest: number;
	gcTotal: number;
	outcome: string;
}
const phases: Phase[] = [];

async function phase(name: string, work: () => Promise<string>) {
	const loop = monitorEventLoopDelay({ resolution: 10 });
	let rssPeak = process.memoryUsage().rss;
	const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 100);
	const cpu = process.cpuUsage();
	gcLongest = 0;
	gcTotal = 0;
	const start = Date.now();
	loop.enable();
	let outcome: string;
	try {
		outcome = await work();
	} catch (error) {
		outcome = `failed: ${(error as Error).message.slice(0, 120)}`;
	}
	loop.disable();
	const end = Date.now();
	clearInterval(sampler);
	rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
	const used = process.cpuUsage(cpu);
	// Let the last answers of the phase arrive before they are counted.
	await new Promise((resolve) => setTimeout(resolve, 300));
	const during = answers.filter((a) => a.at >= start && a.at < end).map((a) => a.ms);
	const result: Phase = {
		name,
		seconds: (end - start) / 1000,
		cpuSeconds: (used.user + used.system) / 1e6,
		loopMax: loop.max / 1e6,
		loopP99: loop.percentile(99) / 1e6,
		probeMax: Math.max(...during),
		probeP99: percentile(during, 99),
		probeP50: percentile(during, 50),
		answers: during.length,
		rssPeak: mb(rssPeak),
		processPeak: Math.round(process.resourceUsage().maxRSS / 1024),
		gcLongest,
		gcTotal,
		outcome
	};
	phases.push(result);
	console.error(`${name}: ${JSON.stringify(result)}`);
}

const idle = () => new Promise<string>((resolve) => setTimeout(() => resolve('—'), idleMs));
const files = async () => (await exportsList(database.db)).map((f) => `${f.name} ${mb(f.bytes)} MB`).join(', ');
const regenerate = async (build?: string) => {
	// The code before 0027 takes no build (a fourth argument it ignores).
	const written = await (regenerateExports as (...a: unknown[]) => Promise<string[]>)(database, ORIGIN, () => new Date(), build);
	return written.length ? `written: ${await files()}` : 'nothing written';
};

const loadBefore = (await import('node:fs')).readFileSync('/proc/loadavg', 'utf8').trim();
await admin.query('delete from opendata_exports');
await admin.query(`do $$ begin if to_regclass('opendata_export_chunks') is not null then delete from opendata_export_chunks; end if; end $$`);
await admin.query('delete from opendata_settings');
await new Promise((resolve) => setTimeout(resolve, 1000));
await phase('idle', idle);
await phase('first (none stored)', () => regenerate());
if (args.before) await phase('unchanged', () => regenerate());
else if (!args['first-only']) {
	await phase('unchanged (the start-up check)', () => regenerate());
	await phase('unchanged, new build (one reading)', () => regenerate('bench-new-build'));
	await admin.query(`update programs set title = title || '(改)' where id = (select p.id from programs p join organizations o on o.id = p.organization_id where p.published and o.published order by p.id limit 1)`);
	await phase('changed (one program)', () => regenerate('bench-new-build'));
	await phase('unchanged after it', () => regenerate('bench-new-build'));
}
await phase('idle again', idle);
const loadAfter = (await import('node:fs')).readFileSync('/proc/loadavg', 'utf8').trim();
await admin.query('delete from opendata_settings');

probe.stdin.write('stop\n');
server.close();
await admin.end();
await database.close();

const base = phases[0];
const ratio = (value: number, of: number) => (of > 0 ? ` (${(value / of).toFixed(1)}×)` : '');
console.log(`\n${os.cpus().length} × ${os.cpus()[0].model}, ${mb(os.totalmem())} MB; Node ${process.version}; ${programs} published programs, ${organizations} organisations; load average before ${loadBefore}, after ${loadAfter}\n`);
console.log('| phase | s | CPU s | loop delay max / p99 ms | probe max / p99 / p50 ms (answers) | GC longest / total ms | RSS peak MB (process peak) | outcome |');
console.log('|---|---:|---:|---:|---:|---:|---:|---|');
for (const p of phases) {
	console.log(
		`| ${p.name} | ${p.seconds.toFixed(p.seconds < 1 ? 3 : 1)} | ${p.cpuSeconds.toFixed(p.cpuSeconds < 1 ? 3 : 1)} | ${p.loopMax.toFixed(0)}${p === base ? '' : ratio(p.loopMax, base.loopMax)} / ${p.loopP99.toFixed(0)} | ${p.answers === 0 ? '— (0: shorter than one probe)' : `${p.probeMax}${p === base ? '' : ratio(p.probeMax, base.probeMax)} / ${p.probeP99} / ${p.probeP50} (${p.answers})`} | ${p.gcLongest.toFixed(0)} / ${p.gcTotal.toFixed(0)} | ${p.rssPeak} (${p.processPeak}) | ${p.outcome} |`
	);
}
process.exit(0);
