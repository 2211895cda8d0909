/**
 * What the bench runs share: the app under load (`startBenchApp`, the production server on a free
 * port) and the load generator: `requests` GETs, `concurrency` at a time on keep-alive connections
 * (fetch/undici), after a warm-up, stopping at a time cap.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}

export interface BenchApp {
	base: string;
	child: ChildProcess;
	stop(): Promise<void>;
}

export interface BenchAppOptions {
	/** The build scripts/serve.ts serves (adapter-node's output). */
	buildDir: string;
	/** The run's own variables over the common ones (its DATA_DIR, database, workers, cache). */
	env: NodeJS.ProcessEnv;
	/** Inherited variables the run must not pass on (a DATABASE_URL meant for something else). */
	unset?: string[];
	/** Modules node preloads into the server (the CPU profiler), with an IPC channel to talk to them. */
	preload?: string[];
}

/**
 * The production server (`tsx scripts/serve.ts <build>`) on a free loopback port, as the bench
 * runs measure it: NODE_ENV=production, a 1 MB body limit, 128 KiB headers (long search URLs),
 * then the run's own environment; resolved once /healthz answers (up to 300 s: a first start may
 * load a region), rejected with the server's last output if it exits or never gets there.
 */
export async function startBenchApp(options: BenchAppOptions): Promise<BenchApp> {
	// BENCH_PORT: a port of one's own on a shared machine (one app at a time); otherwise a free one.
	const port = process.env.BENCH_PORT ? Number(process.env.BENCH_PORT) : await freePort();
	const base = `http://127.0.0.1:${port}`;
	const env: NodeJS.ProcessEnv = {
		...process.env,
		NODE_ENV: 'production',
		PORT: String(port),
		HOST: '127.0.0.1',
		ORIGIN: base,
		BODY_SIZE_LIMIT: '1M',
		NODE_OPTIONS: '--max-http-header-size=131072',
		...options.env
	};
	for (const name of options.unset ?? []) delete env[name];
	const preload = (options.preload ?? []).flatMap((module) => ['--import', module]);
	const child = spawn(process.execPath, ['--import', 'tsx', ...preload, 'scripts/serve.ts', options.buildDir], { env, stdio: ['ignore', 'ignore', 'pipe', ...(preload.length ? (['ipc'] as const) : [])] });
	let stderr = '';
	child.stderr!.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const deadline = Date.now() + 300_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`bench: the app exited (${child.exitCode}) during start-up:\n${stderr}`);
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`bench: the app did not become healthy in 300 s:\n${stderr}`);
		}
		const ok = await fetch(`${base}/healthz`).then(
			(r) => r.ok,
			() => false
		);
		if (ok) break;
		await new Promise((r) => setTimeout(r, 250));
	}
	return {
		base,
		child,
		async stop() {
			if (child.exitCode !== null) return;
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
			await exited;
			clearTimeout(timer);
		}
	};
}

export interface LoadResult {
	latencies: number[];
	errors: number;
	seconds: number;
	capped: boolean;
	firstBody: string | null;
}

export function percentile(sorted: number[], q: number): number {
	if (!sorted.length) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** `url`: one address for every request, or the address of the i-th request (counted from 0, warm-up included). */
export async function load(url: string | ((i: number) => string), options: { requests: number; warmup: number; concurrency: number; capMs: number }): Promise<LoadResult> {
	const { requests, warmup, concurrency, capMs } = options;
	let sent = 0;
	const once = async () => {
		const response = await fetch(typeof url === 'string' ? url : url(sent++));
		const body = await response.text();
		if (!response.ok) throw new Error(`HTTP ${response.status}: ${body.slice(0, 200)}`);
		return body;
	};
	let firstBody: string | null = null;
	let lastError = '';
	for (let i = 0; i < warmup; i += concurrency) {
		await Promise.all(
			Array.from({ length: Math.min(concurrency, warmup - i) }, () =>
				once().then(
					(b) => (firstBody ??= b),
					(e) => (lastError = String(e))
				)
			)
		);
	}
	const named = typeof url === 'string' ? url : url(0);
	if (firstBody === null && warmup > 0) throw new Error(`bench: ${named} failed during warm-up: ${lastError}`);
	const latencies: number[] = [];
	let errors = 0;
	let issued = 0;
	let capped = false;
	const started = performance.now();
	const deadline = started + capMs;
	const worker = async () => {
		while (issued < requests) {
			if (performance.now() > deadline) {
				capped = true;
				return;
			}
			issued++;
			const t0 = performance.now();
			try {
				await once();
				latencies.push(performance.now() - t0);
			} catch (error) {
				errors++;
				lastError = String(error);
			}
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	const seconds = (performance.now() - started) / 1000;
	if (errors) console.log(`bench: ${errors} errors on ${named}, last: ${lastError}`);
	return { latencies, errors, seconds, capped, firstBody };
}

/**
 * The address `url` spelled the i-th way: the same request to the app (the same parsed path and
 * query) in different bytes, so that a cache keyed on the address misses every time. The bits of
 * `i` pick which characters of the query are spelled otherwise: an ASCII letter or digit as its
 * percent-escape, a percent-escape's hex letter in lower case; past the 2^(such characters)
 * spellings, empty pairs (`&`, which a query parser skips) are appended, one more each round.
 */
export function spelledApart(url: string, i: number): string {
	const at = url.indexOf('?');
	if (at < 0) throw new Error(`bench: ${url} has no query to spell apart`);
	const query = url.slice(at + 1);
	let bit = 0;
	let out = '';
	for (let k = 0; k < query.length; k++) {
		const c = query[k];
		if (c === '%') {
			// Its two hex digits: a letter may go lower case.
			out += '%';
			for (const h of query.slice(k + 1, k + 3)) out += /[A-F]/.test(h) ? ((i >> bit++) & 1 ? h.toLowerCase() : h) : h;
			k += 2;
		} else if (/[A-Za-z0-9]/.test(c)) out += (i >> bit++) & 1 ? `%${c.charCodeAt(0).toString(16).toUpperCase()}` : c;
		else out += c;
	}
	return `${url.slice(0, at)}?${out}${'&'.repeat(Math.floor(i / 2 ** Math.min(bit, 30)))}`;
}
