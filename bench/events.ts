/**
 * `npm run bench:events [-- --visits 10000000 --checkins 2000 --concurrency 8]`: the two issue-4
 * benchmarks, each beside a baseline measured in the same run.
 *
 * 1. The attendance report (participation/figures.ts) for the region, one organisation and one
 *    program over `--visits` generated visits (default 10 million, two years, the demo region's
 *    programs, 30 % anonymous taps, people who come back), beside a plain
 *    `count(*), sum(people)` over the same rows.
 * 2. Check-ins per second through `POST /api/v1/orgs/{org}/checkins` on the built app (a new card
 *    each request, a signed-in staff session), beside `GET /healthz` on the same app and a plain
 *    `insert into visits` through a pool, at the same concurrency.
 *
 * The database is its own (embedded server in DATA_DIR, default $TMPDIR/tsunagu-bench-events, or
 * BENCH_DATABASE_URL); the demo region is loaded into it once. Results on stdout.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from '../src/lib/server/db';
import { isDirectoryEmpty, loadDemoRegion, localDay } from '../src/lib/server/directory';
import { syncAllOccurrences } from '../src/lib/server/events/occurrences';
import { attendanceFigures } from '../src/lib/server/participation/figures';
import { issueCard } from '../src/lib/server/participation/cards';
import { createSession, createUser } from '../src/lib/server/auth';
import { setMembership } from '../src/lib/server/network';
import { runIn, systemScope } from '../src/lib/server/scope';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
const { values: args } = parseArgs({
	options: {
		visits: { type: 'string', default: '10000000' },
		checkins: { type: 'string', default: '2000' },
		concurrency: { type: 'string', default: '8' },
		repeat: { type: 'string', default: '3' }
	}
});
const VISITS = Number(args.visits);
const CHECKINS = Number(args.checkins);
const CONCURRENCY = Number(args.concurrency);
const REPEAT = Number(args.repeat);

// Measure the code as it is now, not a build left from an earlier commit.
console.log('bench:events: building the app (vite build) …');
execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function timed<T>(fn: () => Promise<T>): Promise<number> {
	const t0 = performance.now();
	await fn();
	return performance.now() - t0;
}
async function medianMs(fn: () => Promise<unknown>): Promise<number> {
	await fn(); // warm
	const runs: number[] = [];
	for (let i = 0; i < REPEAT; i++) runs.push(await timed(fn));
	return median(runs);
}

const database: Database = await openDatabase({ databaseUrl: process.env.BENCH_DATABASE_URL || undefined, dataDir: path.resolve(process.env.DATA_DIR ?? path.join(os.tmpdir(), 'tsunagu-bench-events')), poolSize: CONCURRENCY + 2 });
const today = localDay(new Date());
const owner = new pg.Client({ connectionString: database.adminUrl });
await owner.connect();
try {
	if (await isDirectoryEmpty(database.db)) await loadDemoRegion(systemScope(database.db, 'bench'), today);
	await syncAllOccurrences(systemScope(database.db, 'bench:occurrences'), today);
	const programs = (await owner.query<{ id: string; org: string }>(`select id, organization_id as org from programs order by id`)).rows;

	// ── 1. the attendance report over generated visits ──────────────────────────────────────
	const have = (await owner.query<{ n: string }>(`select count(*) as n from visits where client_key like 'bench-%'`)).rows[0].n;
	if (Number(have) !== VISITS) {
		console.log(`bench:events: generating ${VISITS.toLocaleString()} visits …`);
		const started = Date.now();
		await owner.query(`truncate visits`);
		await owner.query(`create temporary table bench_programs as select row_number() over (order by id) - 1 as i, id, organization_id from programs`);
		const count = programs.length;
		// Row g is program g mod P, on day (g div P) mod 730 before today, the k-th visitor of that
		// day (k = g div 730P). Each program has 2,000 regulars and visitor k on day d is regular
		// (k + 37d) mod 2000, so a person comes back every few weeks and no (program, day, person)
		// repeats — every generated row is inserted. 30 % are anonymous taps.
		for (let done = 0; done < VISITS; done += 1_000_000) {
			const n = Math.min(1_000_000, VISITS - done);
			await owner.query(
				`insert into visits (organization_id, program_id, day, counted_at, source, person_key, people, age_band, gender, first_visit, client_key)
				select p.organization_id, p.id, x.day, x.day + time '10:00', case when g % 10 < 3 then 'tap' else 'card' end,
					case when g % 10 < 3 then null else 'card:' || p.i || '-' || ((x.k + 37 * x.d) % 2000) end,
					case when g % 23 = 0 then 3 else 1 end,
					(array['under_10','10s','20s','30s','40s','50s','60s','70s','80s','90s_plus','not_given'])[1 + g % 11],
					(array['female','male','other','not_given'])[1 + g % 4],
					case when g % 10 < 3 then g % 7 = 0 else null end,
					'bench-' || g
				from generate_series($1::bigint, $2::bigint) g
				join bench_programs p on p.i = g % $3
				cross join lateral (select ((g / $3) % 730)::int as d, g / ($3 * 730) as k) r
				cross join lateral (select r.d, r.k, current_date - r.d as day) x`,
				[done, done + n - 1, count]
			);
			process.stdout.write('.');
		}
		await owner.query('vacuum analyze visits');
		console.log(`\nbench:events: generated in ${((Date.now() - started) / 1000).toFixed(0)} s`);
	}
	const total = (await owner.query<{ n: string }>(`select count(*) as n from visits`)).rows[0].n;
	const from = localDay(new Date(Date.now() - 730 * 86_400_000));
	const bigOrg = (await owner.query<{ org: string }>(`select organization_id as org from programs group by 1 order by count(*) desc limit 1`)).rows[0].org;
	const scopes = [
		{ name: 'region (every program)', programIds: programs.map((p) => p.id), organizationId: undefined },
		{ name: 'one organisation', programIds: programs.filter((p) => p.org === bigOrg).map((p) => p.id), organizationId: bigOrg },
		{ name: 'one program', programIds: [programs[0].id], organizationId: programs[0].org }
	];
	const rows: string[] = [];
	for (const s of scopes) {
		const report = await medianMs(() => runIn(systemScope(database.db, 'bench'), (tx) => attendanceFigures(tx, { organizationId: s.organizationId, programIds: s.programIds, from, to: today, weeks: 4, today })));
		const plain = await medianMs(() => runIn(systemScope(database.db, 'bench'), (tx) => tx.execute(sql`select count(*), sum(people) from visits where program_id = any(${`{${s.programIds.join(',')}}`}::uuid[]) and day between ${from}::date and ${today}::date`)));
		rows.push(`| ${s.name} | ${s.programIds.length} | ${report.toFixed(0)} ms | ${plain.toFixed(0)} ms | ${(report / plain).toFixed(1)}× |`);
	}
	console.log(`\n### Attendance report over ${Number(total).toLocaleString()} visits (median of ${REPEAT})\n`);
	console.log('| scope | programs | report | baseline count(*), sum(people) | report / baseline |\n|---|---|---|---|---|');
	console.log(rows.join('\n'));

	// ── 2. check-ins per second over HTTP ──────────────────────────────────────────────────────
	const org = bigOrg;
	const program = programs.find((p) => p.org === org)!.id;
	const occurrence = (await owner.query<{ id: string }>(`insert into occurrences (organization_id, program_id, day, starts_at) values ($1, $2, $3::date, now()) returning id`, [org, program, today])).rows[0].id;
	const email = `bench-${Date.now()}@example.org`;
	const userId = await runIn(systemScope(database.db, 'bench'), async (tx) => {
		const id = await createUser(tx, email, 'ベンチ', 'bench password long enough');
		await setMembership(tx, org, id, 'staff', null);
		return id;
	});
	const token = await createSession(database.db, userId, true, { ip: '127.0.0.1', userAgent: 'bench' });
	console.log(`\nbench:events: issuing ${CHECKINS.toLocaleString()} cards …`);
	const codes: string[] = [];
	const bench = systemScope(database.db, 'bench');
	for (let i = 0; i < CHECKINS; i++) {
		const card = await issueCard(bench, { organizationIds: [org], ageBand: null, gender: null });
		if (!card.ok) throw new Error(`bench: the card was refused (${card.reason})`);
		codes.push(card.value.code);
	}

	const port = await new Promise<number>((resolve) => {
		const s = createServer().listen(0, '127.0.0.1', () => {
			const p = (s.address() as { port: number }).port;
			s.close(() => resolve(p));
		});
	});
	const app = spawn(process.execPath, ['--import', 'tsx', 'scripts/serve.ts', 'build'], {
		env: { ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', ORIGIN: `http://127.0.0.1:${port}`, DATABASE_URL: database.adminUrl, DEMO_REGION: 'off', LOG_LEVEL: 'warn' },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	const base = `http://127.0.0.1:${port}`;
	for (let i = 0; i < 240; i++) {
		if (
			await fetch(`${base}/healthz`).then(
				(r) => r.ok,
				() => false
			)
		)
			break;
		await new Promise((r) => setTimeout(r, 250));
	}
	const load = async (n: number, one: (i: number) => Promise<boolean>) => {
		let next = 0;
		let errors = 0;
		const t0 = performance.now();
		await Promise.all(
			Array.from({ length: CONCURRENCY }, async () => {
				while (next < n) if (!(await one(next++))) errors++;
			})
		);
		const seconds = (performance.now() - t0) / 1000;
		return { rps: n / seconds, errors };
	};
	const headers = { 'content-type': 'application/json', cookie: `tsunagu_session=${token}` };
	await load(50, async () => (await fetch(`${base}/healthz`)).ok); // warm-up
	const health = await load(CHECKINS, async () => (await fetch(`${base}/healthz`)).ok);
	const checkins = await load(CHECKINS, async (i) => (await fetch(`${base}/api/v1/orgs/${org}/checkins`, { method: 'POST', headers, body: JSON.stringify({ occurrenceId: occurrence, code: codes[i] }) })).status === 201);
	// The baseline gets its own pool of CONCURRENCY connections, as the app has.
	const plainPool = new pg.Pool({ connectionString: database.adminUrl, max: CONCURRENCY });
	const insert = await load(CHECKINS, async () => {
		const r = await plainPool.query(`insert into visits (organization_id, program_id, day, counted_at, source, people) values ($1, $2, $3::date, now(), 'tap', 1)`, [org, program, today]);
		return r.rowCount === 1;
	});
	await plainPool.end();
	app.kill('SIGTERM');
	console.log(`\n### Check-ins over HTTP (${CHECKINS.toLocaleString()} requests, ${CONCURRENCY} concurrent)\n`);
	console.log('| what | per second | errors | check-ins / this |\n|---|---|---|---|');
	console.log(`| POST /api/v1/orgs/{org}/checkins (a new card each) | ${checkins.rps.toFixed(0)} | ${checkins.errors} | 1.00 |`);
	console.log(`| GET /healthz (same app) | ${health.rps.toFixed(0)} | ${health.errors} | ${(checkins.rps / health.rps).toFixed(2)} |`);
	console.log(`| plain insert into visits (pool, no HTTP) | ${insert.rps.toFixed(0)} | ${insert.errors} | ${(checkins.rps / insert.rps).toFixed(2)} |`);
	console.log(`\nMachine: ${os.availableParallelism()} vCPU ${os.cpus()[0]?.model ?? ''}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, PostgreSQL ${(await owner.query('show server_version')).rows[0].server_version}`);
} finally {
	await owner.end();
	await database.close();
}
