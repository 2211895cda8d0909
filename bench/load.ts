/**
 * The bench's load generator (the same as bench/run.ts's): `requests` GETs, `concurrency` at a
 * time on keep-alive connections (fetch/undici), after a warm-up, stopping at a time cap.
 */
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

export async function load(url: string, options: { requests: number; warmup: number; concurrency: number; capMs: number }): Promise<LoadResult> {
	const { requests, warmup, concurrency, capMs } = options;
	const once = async () => {
		const response = await fetch(url);
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
	if (firstBody === null && warmup > 0) throw new Error(`bench: ${url} failed during warm-up: ${lastError}`);
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
	if (errors) console.log(`bench: ${errors} errors on ${url}, last: ${lastError}`);
	return { latencies, errors, seconds, capped, firstBody };
}
