/**
 * `npm run bench:consultations [-- --requests 1000 --concurrency 8]`: consultation messages
 * accepted per second (issue 13), each row beside `GET /healthz` on the same app in the same run:
 *
 * - `POST /api/v1/consultations` from one client network: the `consult` throttle (60 messages an
 *   hour per network, auth/throttle.ts) lets 60 through and answers the rest 429 — measured as it
 *   is, because that is what one network gets;
 * - `POST /api/v1/consultations` from many residents: the app behind a reverse proxy, trusting
 *   `X-Forwarded-For` (`ADDRESS_HEADER=x-forwarded-for`, `XFF_DEPTH=1`, the documented set-up in
 *   README.md and docs/security.md), each request from its own address, so the throttle counts
 *   each resident on their own (it still runs: one counter upsert per message);
 * - `POST /api/v1/line/webhook`: one signed delivery per request (HMAC-SHA256 of the raw body with
 *   the channel secret, base64), one text message from its own LINE user, a unique
 *   `webhookEventId`; the app answers to a local fake of the Messaging API started here (200 to
 *   reply and push, every call counted). The webhook answers 200 once the event is stored, and
 *   sends the reply afterwards, so the run also waits until every reply has reached the fake and
 *   reports that rate too.
 *
 * Messages are the triage's labelled set (src/lib/server/consultations/triage/labelled: realistic
 * crisis and ordinary texts, figurative speech, negations), drawn at random with `--crisis` of
 * them crisis texts (default 0.25), each wrapped in varied ordinary sentences so no two are alike.
 * Triage runs on every one; the urgent answers (hotlines) are counted.
 *
 * The database is its own: an embedded server in a temporary folder (or a new database on
 * BENCH_DATABASE_URL's server), the demo region loaded and a secretariat admin made (the network's
 * one window, where messages without an organisation go); dropped at the end. The app is
 * `scripts/serve.ts` over a build made by this run. Results: stdout and bench/out/consultations.md.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { startEmbeddedPostgres } from '../src/lib/server/db/embedded';
import { createDatabaseIfMissing, dropDatabase, openDatabase, withDatabase, withDefaultUser } from '../src/lib/server/db';
import { isDirectoryEmpty, loadDemoRegion, localDay } from '../src/lib/server/directory';
import { createUser } from '../src/lib/server/auth';
import { setMembership } from '../src/lib/server/network';
import { runIn, systemScope } from '../src/lib/server/scope';
import { syncAllOccurrences } from '../src/lib/server/events/occurrences';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);

const { values: args } = parseArgs({
	options: {
		requests: { type: 'string', default: '1000' },
		'health-requests': { type: 'string', default: '2000' },
		'one-network-requests': { type: 'string', default: '300' },
		concurrency: { type: 'string', default: '8' },
		crisis: { type: 'string', default: '0.25' },
		seed: { type: 'string', default: '13' },
		/** A build to use as it is (npm run bench passes the one it just made); otherwise this run builds. */
		build: { type: 'string' }
	}
});
const positive = (v: string | undefined, name: string) => {
	const n = Number(v);
	if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
	return n;
};
const REQUESTS = positive(args.requests, 'requests');
const HEALTH_REQUESTS = positive(args['health-requests'], 'health-requests');
const ONE_NETWORK_REQUESTS = positive(args['one-network-requests'], 'one-network-requests');
const CONCURRENCY = positive(args.concurrency, 'concurrency');
const CRISIS_SHARE = Number(args.crisis);
if (!(CRISIS_SHARE >= 0 && CRISIS_SHARE <= 1)) throw new Error('--crisis must be between 0 and 1');
const SECRET = `bench-channel-secret-${randomUUID()}`;
const HOTLINE = '0570-064-556'; // こころの健康相談統一ダイヤル: in every crisis answer

// ───────────────────────────────────────────────────────────── messages

/** A small deterministic generator (mulberry32), so a seed gives the same messages. */
function random(seed: number) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

interface Labelled {
	text: string;
	crisis: boolean;
}
const labelled: Labelled[] = ['tuning', 'heldout'].flatMap((name) => (JSON.parse(readFileSync(path.join(root, 'src/lib/server/consultations/triage/labelled', `${name}.json`), 'utf8')) as { items: Labelled[] }).items);
const crisisTexts = labelled.filter((m) => m.crisis).map((m) => m.text);
const ordinaryTexts = labelled.filter((m) => !m.crisis).map((m) => m.text);

// Ordinary sentences around the labelled text: how people open and close a message. None of them
// is a crisis phrase (checked below against the triage itself, through the answers counted).
const OPENINGS = ['', '', 'こんばんは。', 'はじめて相談します。', 'すみません、', '夜遅くにごめんなさい。', '中学2年です。', '高校生です。', '40代の母親です。', '一人暮らしの70代です。', '仕事のあとに書いています。', 'うまく書けないけど、'];
const CLOSINGS = ['', '', '', 'よろしくお願いします。', '話を聞いてほしいです。', 'どうしたらいいですか。', '返事はいつでも大丈夫です。', '長くなってすみません。', '誰にも言っていません。', 'LINEのほうが話しやすいです。'];

function messages(count: number, seed: number): Array<{ text: string; crisis: boolean }> {
	const next = random(seed);
	const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)];
	return Array.from({ length: count }, () => {
		const crisis = next() < CRISIS_SHARE;
		const text = [pick(OPENINGS), pick(crisis ? crisisTexts : ordinaryTexts), pick(CLOSINGS)].filter(Boolean).join('');
		return { text, crisis };
	});
}

// ───────────────────────────────────────────────────────────── machine, commit

function machine(): string {
	const cpus = os.cpus();
	return `${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length} (availableParallelism ${os.availableParallelism()}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()} ${os.arch()}, Node ${process.version}`;
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

// ───────────────────────────────────────────────────────────── the fake LINE platform

/** The Messaging API, locally: 200 to reply and push, and a count of what was sent. */
function fakeLine() {
	const seen = { replies: 0, pushes: 0, withHotlines: 0, other: 0 };
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			let messages: unknown[] = [];
			try {
				messages = (JSON.parse(raw || '{}') as { messages?: unknown[] }).messages ?? [];
			} catch {
				// counted as other below
			}
			if (req.url === '/v2/bot/message/reply') seen.replies++;
			else if (req.url === '/v2/bot/message/push') seen.pushes++;
			else seen.other++;
			if (raw.includes(HOTLINE)) seen.withHotlines++;
			res.writeHead(200, { 'content-type': 'application/json', 'x-line-request-id': randomUUID() });
			res.end(JSON.stringify({ sentMessages: messages.map((_, i) => ({ id: String(1000 + i), quoteToken: 'q' })) }));
		});
	});
	return { seen, server };
}

// ───────────────────────────────────────────────────────────── load

const fmt = (n: number | undefined, d = 1) => (n !== undefined && Number.isFinite(n) ? n.toFixed(d) : '–');
const percentile = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] : NaN);

interface Row {
	name: string;
	sent: number;
	/** Answers with the status that means "accepted" (200/201). */
	accepted: number;
	statuses: Record<string, number>;
	seconds: number;
	/** Accepted per second (the figure asked for). */
	acceptedPerSecond: number;
	/** Every answer per second, whatever its status. */
	answeredPerSecond: number;
	p50: number;
	p95: number;
	/** p50 per status, ms (the throttled row answers 201 and 429 at very different costs). */
	p50ByStatus: Record<string, number>;
	urgent?: number;
	/** Accepted only up to the throttle's limit: accepted/s is not a rate this source can keep up. */
	throttled?: boolean;
	note?: string;
}

/** `n` requests, CONCURRENCY at a time on keep-alive connections; `one(i)` sends request i and returns its status. */
async function load(name: string, n: number, okStatus: number, one: (i: number) => Promise<{ status: number; urgent?: boolean }>): Promise<Row> {
	const latencies: number[] = [];
	const byStatus: Record<string, number[]> = {};
	const statuses: Record<string, number> = {};
	let next = 0;
	let accepted = 0;
	let urgent = 0;
	const started = performance.now();
	await Promise.all(
		Array.from({ length: CONCURRENCY }, async () => {
			while (next < n) {
				const i = next++;
				const t0 = performance.now();
				let status: number;
				try {
					const r = await one(i);
					status = r.status;
					if (r.urgent) urgent++;
				} catch {
					status = 0;
				}
				latencies.push(performance.now() - t0);
				(byStatus[status] ??= []).push(performance.now() - t0);
				statuses[status] = (statuses[status] ?? 0) + 1;
				if (status === okStatus) accepted++;
			}
		})
	);
	const seconds = (performance.now() - started) / 1000;
	latencies.sort((a, b) => a - b);
	const row: Row = {
		name,
		sent: n,
		accepted,
		statuses,
		seconds,
		acceptedPerSecond: accepted / seconds,
		answeredPerSecond: n / seconds,
		p50: percentile(latencies, 0.5),
		p95: percentile(latencies, 0.95),
		p50ByStatus: Object.fromEntries(
			Object.entries(byStatus).map(([k, v]) => [
				k,
				percentile(
					v.sort((a, b) => a - b),
					0.5
				)
			])
		),
		urgent
	};
	console.log(`bench:consultations: ${name}: ${accepted}/${n} accepted in ${seconds.toFixed(1)} s (${row.acceptedPerSecond.toFixed(1)}/s), statuses ${JSON.stringify(statuses)}, p50 ${row.p50.toFixed(1)} ms, p95 ${row.p95.toFixed(1)} ms`);
	return row;
}

function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const s = createServer().listen(0, '127.0.0.1', () => {
			const p = (s.address() as { port: number }).port;
			s.close(() => resolve(p));
		});
	});
}

// ───────────────────────────────────────────────────────────── run

const buildDir = args.build ? path.resolve(args.build) : path.join(root, '.bench-build', 'consultations');
if (!args.build) {
	// Measure the code as it is now, not a build left from an earlier commit.
	console.log('bench:consultations: building the app (vite build) …');
	execFileSync(process.execPath, [path.join('node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
		stdio: 'inherit',
		env: { ...process.env, NODE_ENV: 'production', TSUNAGU_BUILD_OUT: buildDir, TSUNAGU_KIT_OUT: path.join(root, '.bench-build', 'consultations-kit') }
	});
}

const loadBefore = os.loadavg()[0];
const workDir = mkdtempSync(path.join(os.tmpdir(), 'tsunagu-bench-consult-'));
chmodSync(workDir, 0o711); // the embedded server runs as `postgres` when we are root
let stopServer = async () => {};
let serverUrl: string;
if (process.env.BENCH_DATABASE_URL) serverUrl = withDefaultUser(process.env.BENCH_DATABASE_URL);
else {
	const embedded = await startEmbeddedPostgres(path.join(workDir, 'pg'));
	serverUrl = embedded.adminUrl;
	stopServer = () => embedded.stop();
}
const databaseName = `tsunagu_consult_${process.pid}`;
await createDatabaseIfMissing(serverUrl, databaseName);
const databaseUrl = withDatabase(serverUrl, databaseName);
const fake = fakeLine();
let app: { base: string; stop(): Promise<void> } | null = null;
const rows: Row[] = [];
/** What the run found beside the rows, filled in as it goes. */
const found = { postgresVersion: '', drain: { seconds: 0, replies: 0, perSecond: 0 }, hotlineReplies: 0, crisisSent: 0 };
try {
	const database = await openDatabase({ databaseUrl, poolSize: 2 });
	try {
		found.postgresVersion = (await database.pool.query<{ v: string }>(`select current_setting('server_version') as v`)).rows[0].v;
		const today = localDay(new Date());
		if (await isDirectoryEmpty(database.db)) await loadDemoRegion(systemScope(database.db, 'bench'), today);
		// The app would otherwise materialise the sessions in the background beside the measured requests.
		await syncAllOccurrences(systemScope(database.db, 'bench:occurrences'), today);
		// The network's one window: the organisation where the first secretariat admin holds the role.
		const window = (await database.db.execute<{ id: string }>(sql`select id from organizations where slug = 's003-arakawa-shakyo'`)).rows[0].id;
		await runIn(systemScope(database.db, 'bench'), async (tx) => {
			const id = await createUser(tx, `bench-secretariat-${process.pid}@example.org`, '事務局', 'bench password long enough');
			await setMembership(tx, window, id, 'secretariat_admin', null);
		});
	} finally {
		await database.close();
	}

	await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
	const linePort = (fake.server.address() as { port: number }).port;
	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	const dataDir = path.join(workDir, 'app');
	mkdirSync(dataDir, { recursive: true });
	const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/serve.ts', buildDir], {
		env: {
			...process.env,
			NODE_ENV: 'production',
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: base,
			DATABASE_URL: databaseUrl,
			DATA_DIR: dataDir,
			DEMO_REGION: 'off',
			LOG_LEVEL: 'warn',
			TZ: 'Asia/Tokyo',
			// Behind a reverse proxy (README.md, docs/security.md): the client's address from X-Forwarded-For.
			ADDRESS_HEADER: 'x-forwarded-for',
			XFF_DEPTH: '1',
			LINE_CHANNEL_SECRET: SECRET,
			LINE_CHANNEL_ACCESS_TOKEN: 'bench-access-token',
			LINE_API_BASE: `http://127.0.0.1:${linePort}`
		},
		stdio: ['ignore', 'ignore', 'inherit']
	});
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	app = {
		base,
		async stop() {
			if (child.exitCode !== null) return;
			child.kill('SIGTERM');
			await exited;
		}
	};
	for (let i = 0; ; i++) {
		if (child.exitCode !== null) throw new Error('bench:consultations: the app exited during start-up');
		if (
			await fetch(`${base}/healthz`).then(
				(r) => r.ok,
				() => false
			)
		)
			break;
		if (i > 1200) throw new Error('bench:consultations: the app did not start');
		await new Promise((r) => setTimeout(r, 250));
	}

	// Every request from its own address (documentation ranges are avoided: 10.0.0.0/8, one per resident).
	const address = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
	const api = (text: string, from: string) =>
		fetch(`${base}/api/v1/consultations`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': from }, body: JSON.stringify({ message: text }) }).then(async (r) => {
			const body = (await r.json()) as { urgent?: boolean };
			return { status: r.status, urgent: body.urgent === true };
		});
	const destination = `U${randomUUID().replaceAll('-', '')}`;
	const webhook = (text: string) => {
		const raw = JSON.stringify({
			destination,
			events: [
				{
					type: 'message',
					message: { type: 'text', id: String(Math.floor(Math.random() * 1e17)), quoteToken: randomUUID(), text },
					webhookEventId: randomUUID().replaceAll('-', '').toUpperCase().slice(0, 26),
					deliveryContext: { isRedelivery: false },
					timestamp: Date.now(),
					source: { type: 'user', userId: `U${randomUUID().replaceAll('-', '')}` },
					replyToken: randomUUID().replaceAll('-', ''),
					mode: 'active'
				}
			]
		});
		const signature = createHmac('sha256', SECRET).update(raw).digest('base64');
		return fetch(`${base}/api/v1/line/webhook`, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'LineBotWebhook/2.0', 'x-line-signature': signature }, body: raw }).then(async (r) => {
			await r.arrayBuffer();
			return { status: r.status };
		});
	};
	const health = () =>
		fetch(`${base}/healthz`).then(async (r) => {
			await r.arrayBuffer();
			return { status: r.status };
		});

	// Warm-up on addresses and users the measured rows do not use.
	const warm = messages(40, Number(args.seed) + 1);
	// As the measured rows: CONCURRENCY at a time (more would meet the server's admission limit, 503).
	const warmApi = await load('warm-up POST /api/v1/consultations', 20, 201, (i) => api(warm[i].text, `10.255.0.${i}`));
	const warmLine = await load('warm-up POST /api/v1/line/webhook', 20, 200, (i) => webhook(warm[20 + i].text));
	if (warmApi.accepted !== 20 || warmLine.accepted !== 20) throw new Error('bench:consultations: the warm-up was not accepted');
	await load('warm-up /healthz', 200, 200, health);
	const warmDeadline = performance.now() + 60_000;
	while (fake.seen.replies + fake.seen.pushes < 20) {
		if (performance.now() > warmDeadline) throw new Error(`bench:consultations: the app sent ${JSON.stringify(fake.seen)} to the fake LINE after 20 warm-up messages`);
		await new Promise((r) => setTimeout(r, 50));
	}
	const warmReplies = { ...fake.seen };

	rows.push(await load('GET /healthz (baseline, one DB round trip)', HEALTH_REQUESTS, 200, health));
	const web = messages(REQUESTS, Number(args.seed));
	found.crisisSent += web.filter((m) => m.crisis).length;
	const manyRow = await load('POST /api/v1/consultations — each request from its own address', REQUESTS, 201, (i) => api(web[i].text, address(i)));
	manyRow.note = `${manyRow.urgent} of ${REQUESTS} answered urgent with the hotlines (${web.filter((m) => m.crisis).length} crisis texts sent)`;
	rows.push(manyRow);
	const oneNetwork = messages(ONE_NETWORK_REQUESTS, Number(args.seed) + 2);
	const oneRow = await load('POST /api/v1/consultations — all from one address (throttled)', ONE_NETWORK_REQUESTS, 201, (i) => api(oneNetwork[i].text, '10.254.0.1'));
	oneRow.throttled = true;
	oneRow.note = `the \`consult\` throttle (60 messages an hour per network): ${oneRow.statuses['201'] ?? 0} accepted (p50 ${fmt(oneRow.p50ByStatus['201'])} ms), then ${oneRow.statuses['429'] ?? 0} refused 429 with Retry-After (p50 ${fmt(oneRow.p50ByStatus['429'])} ms). Sustained, one network gets 60 an hour (0.017/s): the ${fmt(oneRow.acceptedPerSecond)}/s over this row is the first 60 in a burst, not a rate it can keep`;
	rows.push(oneRow);

	const line = messages(REQUESTS, Number(args.seed) + 3);
	found.crisisSent += line.filter((m) => m.crisis).length;
	const lineStarted = performance.now();
	const lineRow = await load('POST /api/v1/line/webhook — one signed text message, its own LINE user', REQUESTS, 200, (i) => webhook(line[i].text));
	// The replies go out after each 200: wait until the fake has them all.
	const expected = warmReplies.replies + warmReplies.pushes + REQUESTS;
	const deadline = performance.now() + 120_000;
	while (fake.seen.replies + fake.seen.pushes < expected && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
	const sentNow = fake.seen.replies + fake.seen.pushes - warmReplies.replies - warmReplies.pushes;
	const drainSeconds = (performance.now() - lineStarted) / 1000;
	found.drain = { seconds: drainSeconds, replies: sentNow, perSecond: sentNow / drainSeconds };
	found.hotlineReplies = fake.seen.withHotlines - warmReplies.withHotlines;
	lineRow.note = `replies received by the fake LINE: ${sentNow} of ${REQUESTS} (${fake.seen.replies - warmReplies.replies} by reply token, ${fake.seen.pushes - warmReplies.pushes} by push), ${found.hotlineReplies} of them with the hotlines (${line.filter((m) => m.crisis).length} crisis texts sent); the last one ${drainSeconds.toFixed(1)} s after the first request: ${found.drain.perSecond.toFixed(1)} messages answered per second`;
	rows.push(lineRow);
	rows.push(await load('GET /healthz again (end of run)', HEALTH_REQUESTS, 200, health));
} finally {
	await app?.stop().catch(() => {});
	await new Promise((resolve) => fake.server.close(resolve));
	await dropDatabase(serverUrl, databaseName).catch(() => {});
	await stopServer();
	rmSync(workDir, { recursive: true, force: true });
}

const healths = rows.filter((r) => r.name.startsWith('GET /healthz'));
const baseline = healths.reduce((n, r) => n + r.acceptedPerSecond, 0) / healths.length;
const lines = [
	`## Consultation messages accepted per second — ${new Date().toISOString().slice(0, 16)}Z`,
	'',
	`- Load average (1 min) before the run ${loadBefore.toFixed(1)}, after ${os.loadavg()[0].toFixed(1)}: other work on this machine shares the cores.`,
	`- Machine: ${machine()}; PostgreSQL ${found.postgresVersion} (${process.env.BENCH_DATABASE_URL ? 'external server' : 'embedded, default settings'}).`,
	`- App: \`tsx scripts/serve.ts\` over a build of commit ${gitCommit()} made by this run; demo region; ADDRESS_HEADER=x-forwarded-for, XFF_DEPTH=1; LINE channel configured against a local fake Messaging API.`,
	`- Load: ${CONCURRENCY} concurrent keep-alive connections (fetch) on loopback after a warm-up; ${REQUESTS} messages per row (${fmt(CRISIS_SHARE * 100, 0)} % drawn from the crisis texts of the triage's labelled set, the rest from its ordinary and tricky ones, each with varied ordinary openings and closings). Client, app, PostgreSQL and the fake LINE share the machine.`,
	`- Baseline: ${fmt(baseline)} req/s, the mean of the two /healthz rows; "× /healthz" divides accepted per second by it.`,
	'',
	'| what | sent | accepted | statuses | accepted/s | × /healthz | p50 ms | p95 ms |',
	'|---|---:|---:|---|---:|---:|---:|---:|',
	...rows.map(
		(r) =>
			`| ${r.name} | ${r.sent} | ${r.accepted} | ${Object.entries(r.statuses)
				.map(([s, n]) => `${s}: ${n}`)
				.join(', ')} | ${r.throttled ? `(${fmt(r.acceptedPerSecond)}: 60, then 429)` : fmt(r.acceptedPerSecond)} | ${r.throttled ? '–' : fmt(r.acceptedPerSecond / baseline, 3)} | ${fmt(r.p50)} | ${fmt(r.p95)} |`
	),
	'',
	...rows.filter((r) => r.note).map((r) => `- ${r.name}: ${r.note}.`),
	`- LINE end to end (accepted, triaged, answered through the fake): ${fmt(found.drain.perSecond)} messages/s (${found.drain.replies} in ${fmt(found.drain.seconds)} s), ${fmt(found.drain.perSecond / baseline, 3)} × /healthz.`,
	`- Crisis texts sent over both channels: ${found.crisisSent}; hotlines in LINE replies: ${found.hotlineReplies}.`
];
console.log('\n' + lines.join('\n'));
mkdirSync(path.join(root, 'bench', 'out'), { recursive: true });
writeFileSync(path.join(root, 'bench', 'out', 'consultations.md'), lines.join('\n') + '\n');
console.log('bench:consultations: written to bench/out/consultations.md');
