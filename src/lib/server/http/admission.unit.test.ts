import { describe, expect, it } from 'vitest';
import { Admission, admissionLimitsFrom } from './admission';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('admission control', () => {
	it('admits up to the concurrency, queues up to the queue limit, sheds the rest at once', async () => {
		const admission = new Admission({ concurrency: 2, queue: 1, queueTimeoutMs: 10_000 });
		const first = await admission.enter();
		const second = await admission.enter();
		expect(first).toBeTypeOf('function');
		expect(second).toBeTypeOf('function');
		let thirdAdmitted = false;
		const third = admission.enter().then((r) => ((thirdAdmitted = r !== null), r));
		await tick();
		expect(admission.queued).toBe(1);
		expect(thirdAdmitted).toBe(false);
		// The queue is full: the fourth is shed without waiting.
		expect(await admission.enter()).toBeNull();
		expect(admission.shed).toBe(1);
		// A slot freed goes to the oldest waiter.
		first!();
		const release = await third;
		expect(thirdAdmitted).toBe(true);
		expect(admission.active).toBe(2);
		expect(admission.queued).toBe(0);
		second!();
		release!();
		expect(admission.active).toBe(0);
	});

	it('sheds a request that waited longer than the queue timeout', async () => {
		const admission = new Admission({ concurrency: 1, queue: 5, queueTimeoutMs: 20 });
		const held = await admission.enter();
		const started = Date.now();
		expect(await admission.enter()).toBeNull();
		expect(Date.now() - started).toBeGreaterThanOrEqual(15);
		expect(admission.queued).toBe(0);
		held!();
		expect(admission.active).toBe(0);
	});

	it('counts a release once, however often it is called', async () => {
		const admission = new Admission({ concurrency: 1, queue: 0, queueTimeoutMs: 0 });
		const release = await admission.enter();
		release!();
		release!();
		expect(admission.active).toBe(0);
		const again = await admission.enter();
		expect(again).toBeTypeOf('function');
		expect(await admission.enter()).toBeNull();
	});

	it('takes its limits from the environment, sized to the pool by default, and refuses nonsense', () => {
		expect(admissionLimitsFrom({ DATABASE_POOL_SIZE: '10' })).toEqual({ concurrency: 10, queue: 50, queueTimeoutMs: 3000 });
		expect(admissionLimitsFrom({ MAX_CONCURRENT_REQUESTS: '4', MAX_QUEUED_REQUESTS: '0', QUEUE_TIMEOUT_MS: '500' })).toEqual({ concurrency: 4, queue: 0, queueTimeoutMs: 500 });
		expect(() => admissionLimitsFrom({ MAX_QUEUED_REQUESTS: 'many' })).toThrow(/MAX_QUEUED_REQUESTS/);
	});
});
