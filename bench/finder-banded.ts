/**
 * `npx tsx bench/finder-banded.ts [-- --runs 21]`: the statement time of a search near a place
 * (order `banded`) with the relevance tier and, in the same run and interleaved, the same
 * statement with the tier made a constant (`0 as tier`: the order before the tier, a same-run
 * baseline), at demo scale on a fresh embedded server in a temporary folder (migrated, demo
 * region loaded as the test setup does). Prints min / median of the main statement (the one that
 * reads `matched`) for each search; `select 1` beside them. No HTTP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDatabase } from '../src/lib/server/db';
import { loadDemoRegion } from '../src/lib/server/directory';
import { parseFinderParams } from '../src/lib/server/directory/finder-query';
import { searchPrograms } from '../src/lib/server/directory/finder/index';
import { localDay } from '../src/lib/server/directory/schedule';
import { systemScope } from '../src/lib/server/scope';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '21' } } });
const runs = Number(args.runs);
const QUERIES = ['q=こども食堂&near=荒川区', 'q=居場所&near=札幌市', 'q=相談&near=東京都&radius=30', 'near=札幌市&sort=relevance'];

const TIER = /select \*, \(score < 0\.5 \* max\(score\) over \(partition by for_residents\)\)::int as tier from matched/;
let baseline = false;
const times: number[] = [];
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...a: unknown[]) {
	const config = a[0] as string | { text: string; values?: unknown[] };
	const text = typeof config === 'string' ? config : config.text;
	const main = text.includes('with matched as materialized');
	if (main && typeof config !== 'string') {
		if (!TIER.test(text)) throw new Error('the banded statement no longer has the tier this bench replaces');
		if (baseline) a[0] = { ...config, text: text.replace(TIER, 'select *, 0 as tier from matched') };
	}
	const start = performance.now();
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	const result = (originalQuery as any).apply(this, a);
	if (main && result && typeof result.then === 'function') return result.then((r: unknown) => (times.push(performance.now() - start), r));
	return result;
} as typeof pg.Client.prototype.query;

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const f = (n: number) => n.toFixed(2);

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tsunagu-bench-banded-'));
const database = await openDatabase({ dataDir, databaseName: 'tsunagu_banded' });
try {
	const now = new Date();
	const clock = { now, today: localDay(now) };
	await loadDemoRegion(systemScope(database.db, 'bench-banded'), clock.today);
	const count = (await database.pool.query<{ n: number }>('select count(*)::int as n from programs')).rows[0].n;
	console.log(
		`${os.cpus()[0]?.model} × ${os.cpus().length}, load average ${os
			.loadavg()
			.map((l) => l.toFixed(2))
			.join(', ')}; ${count} programs; ${runs} runs each, interleaved`
	);
	const one: number[] = [];
	for (let i = 0; i < runs; i++) {
		const s = performance.now();
		await database.pool.query('select 1');
		one.push(performance.now() - s);
	}
	console.log(`select 1: min ${f(Math.min(...one))} / median ${f(median(one))} ms`);
	for (const q of QUERIES) {
		const parsed = parseFinderParams(new URLSearchParams(q));
		if (!parsed.ok) throw new Error(`bad query ${q}`);
		const query = parsed.query;
		const run = async (asBefore: boolean) => {
			baseline = asBefore;
			times.length = 0;
			const result = await searchPrograms(database.db, query, clock);
			if (result.order !== 'banded') throw new Error(`${q}: order ${result.order}`);
			return { ms: times[0], ids: result.items.map((i) => i.id) };
		};
		await run(false); // warm
		await run(true);
		const [tier, before]: number[][] = [[], []];
		let moved = 0;
		for (let i = 0; i < runs; i++) {
			const a = await run(false);
			const b = await run(true);
			tier.push(a.ms);
			before.push(b.ms);
			if (i === 0) moved = a.ids.filter((id, k) => b.ids[k] !== id).length;
		}
		console.log(`${q}: with tier min ${f(Math.min(...tier))} / median ${f(median(tier))} ms; constant tier (before) min ${f(Math.min(...before))} / median ${f(median(before))} ms; ratio of medians ${(median(tier) / median(before)).toFixed(2)}; ${moved} of the first page's places differ`);
	}
} finally {
	await database.close();
	rmSync(dataDir, { recursive: true, force: true });
}
