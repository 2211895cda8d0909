/**
 * Brute-force throttling, with counters in PostgreSQL (rate-limiter-flexible's Postgres store,
 * table auth_throttle) so every app process shares them.
 *
 * An attempt is taken from its counters BEFORE the work it guards (checking a password or a code,
 * sending a mail, issuing a card): `consume` is one atomic upsert, so parallel requests each get
 * their own count and no more than the limit are ever evaluated. A success gives its attempt back.
 * Account keys are digests of the typed address whether or not an account exists, so the answer
 * never tells which addresses are registered. See docs/security.md "Throttling".
 */
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type pg from 'pg';
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { database } from '../db';

export type ThrottleScope = 'login' | 'mfa' | 'reauth' | 'reset' | 'join' | 'register' | 'link' | 'card' | 'consult';
/** Scopes counted per account (or contact) and per network. */
export type AccountScope = 'mfa' | 'reauth' | 'reset' | 'join' | 'register';
/** Scopes counted per client network only: nobody else's guessing can refuse a resident. */
export type NetworkScope = 'link' | 'card' | 'consult';

/**
 * network: one client network, all accounts. account: one account (or contact), all networks.
 * pair: one account from one network. ceiling: one account, attempts let through while its own
 * counter is spent (see `attemptLogin`).
 */
type CounterKind = 'network' | 'account' | 'pair' | 'ceiling';

interface Rule {
	points: number;
	duration: number; // seconds
	blockDuration: number; // seconds
}

const rule = (points: number, minutes: number): Rule => ({ points, duration: minutes * 60, blockDuration: minutes * 60 });

export const RULES = {
	login: { network: rule(30, 15), pair: rule(5, 15), account: rule(5, 15), ceiling: rule(10, 60) },
	mfa: { network: rule(30, 15), account: rule(5, 15) },
	// The password typed again by a signed-in person (new password, recovery codes, 2FA off): a
	// stolen session must not become a way to guess the password.
	reauth: { network: rule(30, 15), account: rule(5, 15) },
	reset: { network: rule(10, 60), account: rule(3, 60) },
	// Applications to join: a few per address and network an hour keeps the secretariat's list clean.
	join: { network: rule(5, 60), account: rule(3, 60) },
	// Registrations without an account: every submission counts, per contact and per network (a
	// family registers for several dates; a script filling a session does not).
	register: { network: rule(30, 60), account: rule(10, 60) },
	// Wrong guesses of residents' bearer links (registration, card), per network.
	link: { network: rule(20, 15) },
	// Participation cards issued per network.
	card: { network: rule(10, 60) },
	// Consultation messages without an account (new threads and the person's follow-ups), per
	// network: generous, since a person in distress may write many short messages.
	consult: { network: rule(60, 60) }
} as const satisfies Record<ThrottleScope, Partial<Record<CounterKind, Rule>>>;

/** How long a network where an account's password was right counts as that account's own. */
const KNOWN_NETWORK_SECONDS = 30 * 24 * 3600;

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

/** An attempt that was let through: call `succeeded` when the guarded work turned out right. */
export interface Attempt extends ThrottleVerdict {
	succeeded(): Promise<void>;
}

interface Taken {
	kind: CounterKind;
	key: string;
	/** Count after this attempt (1 = the counter was empty before it). */
	consumed: number;
}

export class Throttle {
	private limiters = new Map<string, RateLimiterPostgres>();

	constructor(private pool: pg.Pool) {}

	private limiter(scope: ThrottleScope, kind: CounterKind | 'known'): RateLimiterPostgres {
		const name = `${scope}:${kind}`;
		let limiter = this.limiters.get(name);
		if (!limiter) {
			const rules = RULES[scope] as Partial<Record<CounterKind, Rule>>;
			const r = kind === 'known' ? { points: 1, duration: KNOWN_NETWORK_SECONDS, blockDuration: 0 } : rules[kind];
			if (!r) throw new Error(`no ${kind} counter for ${scope}`);
			limiter = new RateLimiterPostgres({
				storeClient: this.pool,
				storeType: 'pool',
				tableName: 'auth_throttle',
				tableCreated: true, // created by the migrations: the app's role may not create tables
				keyPrefix: name,
				points: r.points,
				duration: r.duration,
				blockDuration: r.blockDuration
			});
			this.limiters.set(name, limiter);
		}
		return limiter;
	}

	/**
	 * Take one attempt from each counter in order (each take is one atomic upsert) and stop at the
	 * first that is spent, so a refused request never costs the counters after it.
	 */
	private async take(scope: ThrottleScope, counters: [CounterKind, string][]): Promise<{ retryAfter: number; taken: Taken[] }> {
		const taken: Taken[] = [];
		for (const [kind, key] of counters) {
			try {
				const res = await this.limiter(scope, kind).consume(key);
				taken.push({ kind, key, consumed: res.consumedPoints });
			} catch (error) {
				// Over the limit; anything else is a real failure.
				if (!(error instanceof RateLimiterRes)) throw error;
				return { retryAfter: Math.max(1, Math.ceil(error.msBeforeNext / 1000)), taken };
			}
		}
		return { retryAfter: 0, taken };
	}

	private allowed(scope: ThrottleScope, taken: Taken[], onSuccess: () => Promise<void> = async () => {}): Attempt {
		return {
			allowed: true,
			retryAfter: 0,
			succeeded: async () => {
				// Give back what this attempt took: only failures stay counted.
				for (const t of taken) await this.giveBack(scope, t);
				await onSuccess();
			}
		};
	}

	/** One attempt back, in one statement; never below zero, never into a window that has ended. */
	private async giveBack(scope: ThrottleScope, taken: Taken): Promise<void> {
		await this.pool.query('update auth_throttle set points = points - 1 where key = $1 and points > 0 and expire > $2', [this.limiter(scope, taken.kind).getKey(taken.key), Date.now()]);
	}

	private static refused(retryAfter: number): Attempt {
		return { allowed: false, retryAfter, succeeded: async () => {} };
	}

	/** One attempt against an account (or contact) from a network: the network's counter first. */
	async attempt(scope: AccountScope, account: string, ip: string): Promise<Attempt> {
		const { retryAfter, taken } = await this.take(scope, [
			['network', digest(networkOf(ip))],
			['account', digest(account)]
		]);
		return retryAfter ? Throttle.refused(retryAfter) : this.allowed(scope, taken);
	}

	/** One attempt counted against the caller's network alone. */
	async attemptFromNetwork(scope: NetworkScope, ip: string): Promise<ThrottleVerdict> {
		const { retryAfter } = await this.take(scope, [['network', digest(networkOf(ip))]]);
		return { allowed: retryAfter === 0, retryAfter };
	}

	/**
	 * A password attempt. Counted per network (30, spraying), per account and network (5), and per
	 * account (5). When the account's own counter is spent — someone is guessing — the attempt still
	 * goes on to the password check (and then the second factor) if it comes from a network where
	 * this account's password was right before (30 days), or from a network with no failed or
	 * pending login at all, the latter taking from a per-account ceiling (10 an hour). So five
	 * requests cannot lock a person out, and guessing from many networks stays bounded: per account
	 * at most 5 per 15 minutes plus 10 an hour, plus 5 per 15 minutes from each of the person's own
	 * networks.
	 */
	async attemptLogin(account: string, ip: string): Promise<Attempt> {
		const pairKey = digest(`${account}\n${networkOf(ip)}`);
		const accountKey = digest(account);
		const first = await this.take('login', [
			['network', digest(networkOf(ip))],
			['pair', pairKey]
		]);
		if (first.retryAfter) return Throttle.refused(first.retryAfter);
		const remember = () =>
			this.limiter('login', 'known')
				.set(pairKey, 1, KNOWN_NETWORK_SECONDS)
				.then(() => undefined);

		const own = await this.take('login', [['account', accountKey]]);
		if (!own.retryAfter) return this.allowed('login', [...first.taken, ...own.taken], remember);

		// Someone is guessing at this account.
		if (await this.limiter('login', 'known').get(pairKey)) return this.allowed('login', first.taken, remember);
		const networkWasClean = first.taken[0].consumed === 1;
		if (networkWasClean) {
			const ceiling = await this.take('login', [['ceiling', accountKey]]);
			if (!ceiling.retryAfter) return this.allowed('login', [...first.taken, ...ceiling.taken], remember);
			return Throttle.refused(Math.max(own.retryAfter, ceiling.retryAfter));
		}
		return Throttle.refused(own.retryAfter);
	}
}

const throttles = new WeakMap<pg.Pool, Throttle>();

/** The process's throttle: its counters live in the process's database, shared by every process. */
export function throttle(): Throttle {
	const current = database();
	if (!current) throw new Error('database not opened');
	let found = throttles.get(current.pool);
	if (!found) throttles.set(current.pool, (found = new Throttle(current.pool)));
	return found;
}
