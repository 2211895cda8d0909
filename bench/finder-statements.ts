/**
 * `npx tsx bench/finder-statements.ts [-- --runs 7 --explain]`: the five national-scale searches
 * of bench/run.ts, each run `--runs` times through `searchPrograms` (what the pages and the API
 * call), no HTTP: the time of the whole call and of each SQL statement it sends, min / median.
 * Beside them, as a same-run baseline, `select 1` and a primary-key read of one program.
 *
 * Target: DATABASE_URL (an external server, e.g. …/tsunagu_bench), else the embedded server in
 * DATA_DIR (default data/scale, database tsunagu_scale). The region must be there (npm run gen:scale).
 * `--now <ISO instant>` fixes the clock (the next dates, hence the order, move with it), so that
 * two builds' pages can be compared. With --explain, each statement of each search's last run is replayed under
 * EXPLAIN (ANALYZE, BUFFERS) into bench/out/finder-explain.md (not committed).
 *
 * `--base <dir>`: a same-run baseline of another build's code — `<dir>` holds that build's `src`
 * (e.g. `git archive <commit> src | tar -x -C bench/out/base`; under bench/out so that its imports
 * find node_modules). Each run then calls the base's searchPrograms and this tree's alternately,
 * one after the other, and the bench fails unless both give the same total (and 「1,000件以上」),
 * the same page (ids in order) and the same distances. `--check` adds searches that are only
 * compared, not timed (other places, radii, words near a place, audience=all, page 2).
 * `--also 'q1,q2'` times more searches (query strings, comma-separated) after the five.
 * `--truth`: for each relevance search (words, no place, sort by relevance), the page is also
 * compared with the true one — every match scored and sorted (score, next date, title), slow — and
 * the bench says for each build whether its page is that one. The base and this tree may then
 * give different pages (not different totals).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDatabase } from '../src/lib/server/db';
import { parseFinderParams } from '../src/lib/server/directory/finder-query';
import { searchPrograms } from '../src/lib/server/directory/finder/index';
import { localDay } from '../src/lib/server/directory/schedule';
import { filters, nextOccurrenceKey } from '../src/lib/server/directory/finder/filters';
import { textMatch } from '../src/lib/server/directory/finder/text';
import type { FinderQuery } from '../src/lib/server/directory/finder-query';
import { sql } from 'drizzle-orm';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);

const { values: args } = parseArgs({
	options: {
		runs: { type: 'string', default: '7' },
		explain: { type: 'boolean', default: false },
		only: { type: 'string' },
		now: { type: 'string' },
		base: { type: 'string' },
		check: { type: 'boolean', default: false },
		also: { type: 'string' },
		truth: { type: 'boolean', default: false }
	}
});
const runs = Number(args.runs);

const QUERIES = ['q=こども食堂', 'q=不登校&prefecture=東京都', 'life_stage=senior&when=next7', 'q=相談&sort=next', 'near=札幌市&sort=distance&free=1'].concat(args.also ? args.also.split(',') : []).filter((q) => !args.only || q.includes(args.only));
// Compared with the base only (--base --check): the places' other paths.
const CHECKS = [
	'near=札幌市&sort=distance',
	'near=札幌市&radius=5&sort=distance&page=2',
	'near=札幌市&radius=30&sort=distance&free=1',
	'near=札幌市&radius=pref&sort=distance&free=1',
	'q=こども食堂&near=荒川区',
	'q=相談&near=東京都&radius=30',
	'q=居場所&near=札幌市&audience=all',
	'near=荒川区&sort=next',
	'lat=35.7&lng=139.7&radius=5&sort=distance',
	'q=相談&sort=next&page=3',
	'q=不登校 親の会&sort=next',
	// Relevance over more than 1,000 matches (with --truth, each build's page against the true one).
	'q=こども食堂&page=2',
	'q=こども食堂&per_page=100&page=3',
	'q=不登校',
	'q=居場所&free=1',
	'q=子育て 相談',
	'q=高齢者 サロン',
	'q=ひきこもり',
	'q=こども食堂&prefecture=大阪府'
];
type Search = typeof searchPrograms;
const baseSearch: Search | null = args.base ? (await import(path.resolve(args.base, 'src/lib/server/directory/finder/index.ts'))).searchPrograms : null;
/** What must not change between builds: total, its bound, the page's ids in order and distances. */
const answer = (r: Awaited<ReturnType<Search>>) => JSON.stringify([r.total, r.totalIsLowerBound, r.items.map((x) => [x.id, x.distanceKm, x.place?.name ?? null])]);

/**
 * The true relevance page (--truth): every match scored and sorted, as (score, next date, title) —
 * the order's own keys, so that two programs alike in all three may come in either order.
 */
async function truePage(query: FinderQuery, clock: { now: Date; today: string }, ids: string[]): Promise<{ want: string; got: string } | null> {
	const text = textMatch(query.q);
	if (!text || query.lat !== undefined || query.near || (query.sort && query.sort !== 'relevance') || query.when || query.audience === 'all') return null;
	const where = sql.join([...filters(query, clock), text.where], sql` and `);
	const keys = sql`(${text.score})::float8 as score, ${nextOccurrenceKey(clock.now)} as key, p.title`;
	const want = await database.db.execute<{ id: string; score: number; key: string | null; title: string }>(sql`select p.id, ${keys} from programs p where ${where} order by 2 desc, 3 asc nulls last, 4 limit ${query.per_page} offset ${(query.page - 1) * query.per_page}`);
	const got = await database.db.execute<{ id: string; score: number; key: string | null; title: string }>(sql`select p.id, ${keys} from programs p where p.id = any(${`{${ids.join(',')}}`}::uuid[])`);
	const byId = new Map(got.rows.map((r) => [r.id, r]));
	const show = (r: { score: number; key: string | null; title: string } | undefined) => (r ? `${r.score}|${r.key === null ? '-' : new Date(r.key).toISOString()}|${r.title}` : 'missing');
	return { want: want.rows.map(show).join('\n'), got: ids.map((id) => show(byId.get(id))).join('\n') };
}

/** "is it", or how many of the page's places hold what the true page holds there. */
function verdict(truth: { want: string; got: string } | null): string {
	if (!truth) return '–';
	if (truth.want === truth.got) return 'is it';
	const [want, got] = [truth.want.split('\n'), truth.got.split('\n')];
	const shown = new Set(got);
	return `is NOT it (${want.filter((w, i) => got[i] === w).length} of ${want.length} places alike, ${want.filter((w) => shown.has(w)).length} of its results shown)`;
}

// Every statement's time, as the client sees it (pg's Client.query, which drizzle calls).
interface Timed {
	text: string;
	values: unknown[];
	ms: number;
}
const timed: Timed[] = [];
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...a: unknown[]) {
	const config = a[0] as string | { text: string; values?: unknown[] };
	const text = typeof config === 'string' ? config : config.text;
	const values = ((typeof config === 'string' ? undefined : config.values) ?? (typeof a[1] === 'function' ? undefined : a[1])) as unknown[] | undefined;
	const start = performance.now();
	const last = a.length - 1;
	if (typeof a[last] === 'function') {
		// pg.Pool.query passes a callback.
		const callback = a[last] as (err: unknown, r: unknown) => void;
		a[last] = (err: unknown, r: unknown) => {
			timed.push({ text, values: values ?? [], ms: performance.now() - start });
			callback(err, r);
		};
	}
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	const result = (originalQuery as any).apply(this, a);
	if (result && typeof result.then === 'function') {
		return result.then((r: unknown) => {
			timed.push({ text, values: values ?? [], ms: performance.now() - start });
			return r;
		});
	}
	return result;
} as typeof pg.Client.prototype.query;

// Database CPU (with --base): ticks (10 ms) of the PostgreSQL backends serving this database, read
// from /proc around each call and summed per build — coarse per call, fair over many runs.
const databaseName = process.env.DATABASE_URL ? new URL(process.env.DATABASE_URL).pathname.slice(1) : null;
function databaseTicks(): number {
	if (!databaseName) return 0;
	let ticks = 0;
	for (const pid of readdirSync('/proc')) {
		if (!/^\d+$/.test(pid)) continue;
		try {
			const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
			if (!cmdline.startsWith('postgres: ') || !cmdline.includes(` ${databaseName} `)) continue;
			const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			ticks += Number(fields[11]) + Number(fields[12]);
		} catch {
			/* gone */
		}
	}
	return ticks;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const min = (xs: number[]) => Math.min(...xs);
const f = (n: number) => n.toFixed(1);

const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir: path.resolve(process.env.DATA_DIR ?? 'data/scale'), databaseName: 'tsunagu_scale' });
const adminPool = new pg.Pool({ connectionString: database.adminUrl, max: 2 });
const lines: string[] = [];
const explain: string[] = [];
try {
	const version = (await database.pool.query<{ v: string }>('select version() as v')).rows[0].v;
	const count = (await database.pool.query<{ n: number }>('select count(*)::int as n from programs')).rows[0].n;
	const load = os
		.loadavg()
		.map((l) => l.toFixed(2))
		.join(', ');
	lines.push(`${new Date().toISOString()} — ${version.split(',')[0]}, ${count} programs, load average ${load}, ${runs} runs each (min / median ms)`);
	// A fixed --now (an ISO instant) makes runs of two builds comparable page for page.
	const now = args.now ? new Date(args.now) : new Date();
	const clock = { now, today: localDay(now, 'Asia/Tokyo') };
	// Baseline: a round trip, and one program by primary key.
	const base: Record<string, number[]> = { 'select 1': [], 'one program by id': [] };
	const anyId = (await database.pool.query<{ id: string }>('select id from programs limit 1')).rows[0].id;
	for (let i = 0; i < runs; i++) {
		let t = performance.now();
		await database.pool.query('select 1');
		base['select 1'].push(performance.now() - t);
		t = performance.now();
		await database.pool.query('select * from programs where id = $1', [anyId]);
		base['one program by id'].push(performance.now() - t);
	}
	for (const [name, xs] of Object.entries(base)) lines.push(`baseline ${name}: ${f(min(xs))} / ${f(median(xs))}`);

	if (baseSearch && args.check) {
		for (const q of CHECKS) {
			const parsed = parseFinderParams(new URLSearchParams(q));
			if (!parsed.ok) throw new Error(`bad query ${q}`);
			const [before, after] = [await baseSearch(database.db, parsed.query, clock), await searchPrograms(database.db, parsed.query, clock)];
			const truth = args.truth
				? await truePage(
						parsed.query,
						clock,
						after.items.map((x) => x.id)
					)
				: null;
			const baseTruth = args.truth
				? await truePage(
						parsed.query,
						clock,
						before.items.map((x) => x.id)
					)
				: null;
			const exact = truth ? `; the true page: this tree ${verdict(truth)}, base ${verdict(baseTruth)}` : '';
			if (answer(before) !== answer(after)) {
				if (!truth || before.total !== after.total || before.totalIsLowerBound !== after.totalIsLowerBound) throw new Error(`${q}: the base and this tree answer differently`);
				lines.push(`check ${q}: pages differ (total ${after.total}${after.totalIsLowerBound ? '+' : ''} in both)${exact}`);
			} else lines.push(`check ${q}: same answer (total ${after.total}${after.totalIsLowerBound ? '+' : ''}, ${after.items.length} on the page)${exact}`);
		}
	}
	for (const q of QUERIES) {
		const parsed = parseFinderParams(new URLSearchParams(q));
		if (!parsed.ok) throw new Error(`bad query ${q}`);
		let [baseTicks, ticks] = [0, 0];
		const baseWhole: number[] = [];
		const basePerStatement: number[][] = [];
		const whole: number[] = [];
		const perStatement: number[][] = [];
		let names: string[] = [];
		let last: Timed[] = [];
		let total = 0;
		let firstIds = '';
		let differs = false;
		for (let i = 0; i < runs; i++) {
			let baseAnswer = '';
			if (baseSearch) {
				timed.length = 0;
				const ticks0 = databaseTicks();
				const t = performance.now();
				const result = await baseSearch(database.db, parsed.query, clock);
				baseWhole.push(performance.now() - t);
				baseTicks += databaseTicks() - ticks0;
				baseAnswer = answer(result);
				timed.filter((s) => !/^\s*(begin|commit|rollback|set\b)/i.test(s.text)).forEach((s, j) => (basePerStatement[j] ??= []).push(s.ms));
			}
			timed.length = 0;
			const ticks0 = baseSearch ? databaseTicks() : 0;
			const t = performance.now();
			const result = await searchPrograms(database.db, parsed.query, clock);
			whole.push(performance.now() - t);
			if (baseSearch) ticks += databaseTicks() - ticks0;
			total = result.total;
			if (baseSearch && answer(result) !== baseAnswer) {
				// The true page is worked out once (slow: every match scored); reported after the runs.
				const truth =
					!args.truth || differs
						? null
						: await truePage(
								parsed.query,
								clock,
								result.items.map((x) => x.id)
							);
				const [was, now] = [JSON.parse(baseAnswer) as unknown[], JSON.parse(answer(result)) as unknown[]];
				if ((!truth && !differs) || was[0] !== now[0] || was[1] !== now[1]) throw new Error(`${q}: the base and this tree answer differently`);
				differs = true;
			}
			const ids = result.items.map((x) => x.id.slice(0, 8)).join(' ');
			if (i === 0) firstIds = ids;
			else if (ids !== firstIds) throw new Error(`${q}: the page changed between runs`);
			const statements = timed.filter((s) => !/^\s*(begin|commit|rollback|set\b)/i.test(s.text));
			names = statements.map((s) => s.text.trim().slice(0, 30).replace(/\s+/g, ' '));
			statements.forEach((s, j) => (perStatement[j] ??= []).push(s.ms));
			last = [...timed];
		}
		lines.push(`${q}: total ${total}, whole ${f(min(whole))} / ${f(median(whole))}; statements ${perStatement.map((xs, j) => `[${names[j]}…] ${f(min(xs))} / ${f(median(xs))}`).join('; ')}`);
		if (baseSearch) {
			const ratio = (a: number[], b: number[]) => (median(a) / median(b)).toFixed(2);
			lines.push(
				`  base (same answer): whole ${f(min(baseWhole))} / ${f(median(baseWhole))}; statements ${basePerStatement.map((xs) => `${f(min(xs))} / ${f(median(xs))}`).join('; ')}; this tree ÷ base (medians): whole ${ratio(whole, baseWhole)}, first statement ${ratio(perStatement[0], basePerStatement[0])}; database CPU per search ${f((ticks * 10) / runs)} ms, base ${f((baseTicks * 10) / runs)} ms (${(ticks / Math.max(baseTicks, 1)).toFixed(2)})`
			);
		}
		lines.push(`  first page: ${firstIds}`);
		if (args.truth) {
			const truth = await truePage(parsed.query, clock, firstIds ? (await searchPrograms(database.db, parsed.query, clock)).items.map((x) => x.id) : []);
			const baseTruth =
				baseSearch && truth
					? await truePage(
							parsed.query,
							clock,
							(await baseSearch(database.db, parsed.query, clock)).items.map((x) => x.id)
						)
					: null;
			if (truth) lines.push(`  the true page (every match scored): this tree ${verdict(truth)}${baseTruth ? `, base ${verdict(baseTruth)}` : ''}${differs ? ' (the two pages differ)' : ''}`);
		}
		if (args.explain) {
			const client = await adminPool.connect();
			try {
				await client.query('begin');
				let i = 0;
				for (const s of last) {
					if (/^\s*(begin|commit|rollback)\b/i.test(s.text)) continue;
					if (/^\s*set\b/i.test(s.text)) {
						await client.query(s.text, s.values);
						continue;
					}
					const plan = await client.query(`explain (analyze, buffers) ${s.text}`, s.values);
					explain.push(`#### ${q} — statement ${++i}\n\n\`\`\`\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}\n\`\`\`\n`);
				}
			} finally {
				await client.query('rollback');
				client.release();
			}
		}
	}
} finally {
	await adminPool.end();
	await database.close();
}
console.log(lines.join('\n'));
mkdirSync('bench/out', { recursive: true });
writeFileSync('bench/out/finder-statements.txt', lines.join('\n') + '\n', { flag: 'a' });
if (args.explain) writeFileSync('bench/out/finder-explain.md', explain.join('\n'));
