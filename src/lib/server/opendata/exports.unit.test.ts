/** The exports' debounce: a burst of changes is one run, a change during a run runs once more after it, stop ends it. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { exportRegenerator } from './exports';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('exportRegenerator', () => {
	it('runs once after a burst has been quiet for quietMs', async () => {
		let runs = 0;
		const r = exportRegenerator(async () => void runs++, { quietMs: 100, maxWaitMs: 1000 });
		for (let i = 0; i < 5; i++) {
			r.changed();
			await vi.advanceTimersByTimeAsync(50);
		}
		expect(runs).toBe(0);
		await vi.advanceTimersByTimeAsync(100);
		expect(runs).toBe(1);
		await r.stop();
	});

	it('a burst that never goes quiet still runs after maxWaitMs', async () => {
		let runs = 0;
		const r = exportRegenerator(async () => void runs++, { quietMs: 100, maxWaitMs: 300 });
		for (let i = 0; i < 8; i++) {
			r.changed();
			await vi.advanceTimersByTimeAsync(50);
		}
		expect(runs).toBe(1);
		await r.stop();
	});

	it('a change during a run makes one more run after it; now() shares a run going', async () => {
		let runs = 0;
		let release!: () => void;
		const r = exportRegenerator(
			() => {
				runs++;
				return new Promise<void>((resolve) => (release = resolve));
			},
			{ quietMs: 10, maxWaitMs: 100 }
		);
		const first = r.now();
		const shared = r.now();
		expect(runs).toBe(1);
		r.changed();
		await vi.advanceTimersByTimeAsync(20);
		expect(runs).toBe(1);
		release();
		await first;
		await shared;
		await vi.advanceTimersByTimeAsync(20);
		expect(runs).toBe(2);
		release();
		await r.stop();
		r.changed();
		await vi.advanceTimersByTimeAsync(50);
		expect(runs).toBe(2);
	});

	it('a failed run is logged, not thrown, and the next change runs again', async () => {
		let runs = 0;
		const r = exportRegenerator(
			async () => {
				runs++;
				throw new Error('database gone');
			},
			{ quietMs: 10, maxWaitMs: 100 }
		);
		await r.now();
		r.changed();
		await vi.advanceTimersByTimeAsync(20);
		expect(runs).toBe(2);
		await r.stop();
	});
});
