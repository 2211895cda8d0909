/**
 * Brute-force throttling for login, second factor and password reset, per account and per client
 * network, with counters in PostgreSQL (rate-limiter-flexible's Postgres store, table
 * auth_throttle) so every app process shares them. Failures count; a success clears the
 * account's counter. The account key is a digest of the typed address whether or not an account
 * exists, so the answer never tells which addresses are registered.
 */
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type pg from 'pg';
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';

export type ThrottleScope = 'login' | 'mfa' | 'reset' | 'join' | 'register' | 'link' | 'card';

interface Rule {
	points: number;
	duration: number; // seconds
	blockDuration: number; // seconds
}

const RULES: Record<ThrottleScope, { account: Rule; network: Rule }> = {
	login: { account: { points: 5, duration: 15 * 60, blockDuration: 15 * 60 }, network: { points: 30, duration: 15 * 60, blockDuration: 15 * 60 } },
	mfa: { account: { points: 5, duration: 15 * 60, blockDuration: 15 * 60 }, network: { points: 30, duration: 15 * 60, blockDuration: 15 * 60 } },
	reset: { account: { points: 3, duration: 60 * 60, blockDuration: 60 * 60 }, network: { points: 10, duration: 60 * 60, blockDuration: 60 * 60 } },
	// Applications to join: a few per address and network an hour keeps the secretariat's list clean.
	join: { account: { points: 3, duration: 60 * 60, blockDuration: 60 * 60 }, network: { points: 5, duration: 60 * 60, blockDuration: 60 * 60 } },
	// Registrations without an account: every submission counts, per contact and per network (a
	// family registers for several dates; a script filling a session does not).
	register: { account: { points: 10, duration: 60 * 60, blockDuration: 60 * 60 }, network: { points: 30, duration: 60 * 60, blockDuration: 60 * 60 } },
	// Guessing residents' bearer links (registration, card): wrong links count per network.
	link: { account: { points: 20, duration: 15 * 60, blockDuration: 15 * 60 }, network: { points: 20, duration: 15 * 60, blockDuration: 15 * 60 } },
	// Participation cards issued per network.
	card: { account: { points: 10, duration: 60 * 60, blockDuration: 60 * 60 }, network: { points: 10, duration: 60 * 60, blockDuration: 60 * 60 } }
};

/** One IPv4 address, or an IPv6 /64 (one household or phone network usually owns a whole /64). */
export function networkOf(ip: string): string {
	if (isIP(ip) === 6) {
		const mapped = ip.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i);
		if (mapped) return mapped[1];
		const [head] = ip.split('%');
		const groups = head.includes('::') ? expandV6(head) : head.split(':');
		return groups.slice(0, 4).join(':') + '::/64';
	}
	return ip;
}

function expandV6(address: string): string[] {
	const [left, right] = address.split('::');
	const l = left ? left.split(':') : [];
	const r = right ? right.split(':') : [];
	return [...l, ...Array(8 - l.length - r.length).fill('0'), ...r];
}

const digest = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 32);

export interface ThrottleVerdict {
	allowed: boolean;
	/** Seconds until another try is allowed, when not. */
	retryAfter: number;
}

export class Throttle {
	private limiters = new Map<string, RateLimiterPostgres>();

	constructor(private pool: pg.Pool) {}

	private limiter(scope: ThrottleScope, kind: 'account' | 'network'): RateLimiterPostgres {
		const name = `${scope}:${kind}`;
		let limiter = this.limiters.get(name);
		if (!limiter) {
			const rule = RULES[scope][kind];
			limiter = new RateLimiterPostgres({
				storeClient: this.pool,
				storeType: 'pool',
				tableName: 'auth_throttle',
				tableCreated: true, // created by the migrations: the app's role may not create tables
				keyPrefix: name,
				points: rule.points,
				duration: rule.duration,
				blockDuration: rule.blockDuration
			});
			this.limiters.set(name, limiter);
		}
		return limiter;
	}

	private keys(account: string, ip: string) {
		return { account: digest(account), network: digest(networkOf(ip)) };
	}

	/** May another attempt be made now? Does not count one. */
	async check(scope: ThrottleScope, account: string, ip: string): Promise<ThrottleVerdict> {
		const keys = this.keys(account, ip);
		let retryAfter = 0;
		for (const kind of ['account', 'network'] as const) {
			const limiter = this.limiter(scope, kind);
			const state = await limiter.get(keys[kind]);
			if (state && state.consumedPoints >= RULES[scope][kind].points) retryAfter = Math.max(retryAfter, Math.ceil(state.msBeforeNext / 1000));
		}
		return { allowed: retryAfter === 0, retryAfter };
	}

	/** Count a failed attempt against the account and the network. */
	async fail(scope: ThrottleScope, account: string, ip: string): Promise<void> {
		const keys = this.keys(account, ip);
		for (const kind of ['account', 'network'] as const) {
			await this.limiter(scope, kind)
				.consume(keys[kind])
				.catch((error) => {
					// Over the limit: the limiter has started the block; anything else is a real failure.
					if (!(error instanceof RateLimiterRes)) throw error;
				});
		}
	}

	/** A success clears the account's counter (not the network's). */
	async succeed(scope: ThrottleScope, account: string): Promise<void> {
		await this.limiter(scope, 'account').delete(digest(account));
	}
}
