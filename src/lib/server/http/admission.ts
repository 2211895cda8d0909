/**
 * Admission control for the HTTP server: at most `concurrency` requests inside the app at once,
 * at most `queue` more waiting (each for at most `queueTimeoutMs`), and anything beyond is shed
 * at once. Under a burst larger than the machine can serve, an unbounded queue makes every
 * request slow (and health checks time out, so a load balancer takes the process out); a bounded
 * one keeps the requests it admits fast and tells the rest to come back (503 + Retry-After).
 */

export interface AdmissionLimits {
	/** Requests inside the app at once. */
	concurrency: number;
	/** Requests waiting for a slot; beyond this, shed immediately. */
	queue: number;
	/** How long a request may wait for a slot before it is shed. */
	queueTimeoutMs: number;
}

export type Release = () => void;

interface Waiter {
	admit: (release: Release) => void;
	timer: NodeJS.Timeout;
}

export class Admission {
	private inside = 0;
	private readonly waiting: Waiter[] = [];
	/** Requests shed since start (for logs and tests). */
	shed = 0;

	constructor(readonly limits: AdmissionLimits) {
		if (!(limits.concurrency >= 1) || !(limits.queue >= 0) || !(limits.queueTimeoutMs >= 0)) throw new Error(`invalid admission limits: ${JSON.stringify(limits)}`);
	}

	get active(): number {
		return this.inside;
	}

	get queued(): number {
		return this.waiting.length;
	}

	/** A release function once admitted, or null when the request is shed (queue full or waited too long). */
	enter(): Promise<Release | null> {
		if (this.inside < this.limits.concurrency) {
			this.inside++;
			return Promise.resolve(this.releaser());
		}
		if (this.waiting.length >= this.limits.queue) {
			this.shed++;
			return Promise.resolve(null);
		}
		return new Promise((resolve) => {
			const waiter: Waiter = {
				admit: resolve,
				timer: setTimeout(() => {
					const index = this.waiting.indexOf(waiter);
					if (index >= 0) this.waiting.splice(index, 1);
					this.shed++;
					resolve(null);
				}, this.limits.queueTimeoutMs)
			};
			this.waiting.push(waiter);
		});
	}

	/** Releasing twice is harmless: a response can end and its socket close. */
	private releaser(): Release {
		let released = false;
		return () => {
			if (released) return;
			released = true;
			const next = this.waiting.shift();
			if (next) {
				// The slot passes straight to the oldest waiter: `inside` stays the same.
				clearTimeout(next.timer);
				next.admit(this.releaser());
			} else {
				this.inside--;
			}
		};
	}
}

/**
 * Limits from the environment. Defaults are sized to the database pool: a request mostly waits on
 * it, and more requests inside than connections only lengthen the event loop's turns, which is
 * what makes health checks slow under a burst (bench/overload.ts, bench/RESULTS.md).
 */
export function admissionLimitsFrom(env: NodeJS.ProcessEnv): AdmissionLimits {
	const pool = Number(env.DATABASE_POOL_SIZE || 10);
	const number = (name: string, fallback: number) => {
		const value = env[name];
		if (value === undefined || value === '') return fallback;
		const parsed = Number(value);
		if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`${name} must be a non-negative number, got ${JSON.stringify(value)}`);
		return parsed;
	};
	return {
		concurrency: Math.max(1, number('MAX_CONCURRENT_REQUESTS', pool)),
		queue: number('MAX_QUEUED_REQUESTS', pool * 5),
		queueTimeoutMs: number('QUEUE_TIMEOUT_MS', 3000)
	};
}
