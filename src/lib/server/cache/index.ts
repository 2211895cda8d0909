/**
 * A per-process cache of public reads (published programs, organisations, the calendar, rendered
 * public pages for anonymous visitors), dropped whenever published data changes.
 *
 * Invalidation: migration 0016 fires `pg_notify('tsunagu_public_changed', <table>)` once per
 * statement on every public table (organizations, locations, programs, program_locations,
 * program_partners, schedules, program_upcoming_dates, taxonomy_terms, occurrences,
 * registrations), delivered at commit to every listening connection. Each process keeps one
 * dedicated connection LISTENing on that channel (`startPublicCacheListener`); every notification
 * empties the whole cache. Until that connection listens — at start-up, and after it is lost,
 * while it reconnects — nothing is cached, so a process never serves what it could not hear
 * change.
 *
 * Time: entries also expire after a short TTL (PUBLIC_CACHE_SECONDS, default 30; 0 turns the cache
 * off), since pages depend on the clock too (the next date, "today", registration open/closed).
 *
 * A read that started before a notification does not store its answer (the generation moved), and
 * concurrent misses for one key share one read.
 *
 * Size: at most MAX_ENTRIES entries and MAX_SIZE of the sizes their writers declare (the rendered
 * pages' and API answers' text): every distinct query string is a new entry, and an HSDS page of
 * 100 fully nested services is about a megabyte, so a count alone would not bound the memory.
 */
import pg from 'pg';
import { log } from '../log';

export const PUBLIC_CHANNEL = 'tsunagu_public_changed';
const MAX_ENTRIES = 5000;
/** Bytes, roughly: a writer declares twice its text's length (V8 keeps Japanese text two bytes a character). */
export const MAX_SIZE = 128 * 2 ** 20;

interface Entry {
	expires: number;
	value: unknown;
	size: number;
}

let ttlMs = 30_000;
let listening = false;
/** Moves on every drop: a read that began in an older generation is not stored. */
let generation = 0;
const entries = new Map<string, Entry>();
/** The declared sizes of the entries kept. */
let size = 0;
const pending = new Map<string, { generation: number; promise: Promise<unknown> }>();
const stats = { hits: 0, misses: 0, drops: 0 };
/** Told of every change heard (the changed table), and of `null` when changes may have been missed (listening again). */
const changeListeners = new Set<(table: string | null) => void>();

/**
 * Follow changes to public data beyond this cache (the open-data exports regenerate on them).
 * Returns the function that stops following.
 */
export function onPublicChange(listener: (table: string | null) => void): () => void {
	changeListeners.add(listener);
	return () => changeListeners.delete(listener);
}

function tellListeners(table: string | null) {
	for (const listener of changeListeners) {
		try {
			listener(table);
		} catch (error) {
			log.error('public_change_listener_failed', { message: (error as Error).message });
		}
	}
}

/** PUBLIC_CACHE_SECONDS: how long a cached public read may be served (default 30; 0: no cache). */
export function publicCacheTtlMs(env: NodeJS.ProcessEnv = process.env): number {
	const raw = env.PUBLIC_CACHE_SECONDS;
	if (raw === undefined || raw === '') return 30_000;
	const seconds = Number(raw);
	if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`PUBLIC_CACHE_SECONDS must be a number of seconds (0 turns the cache off), not "${raw}"`);
	return seconds * 1000;
}

/** Whether anything may be cached now: the process hears changes and the cache is on. */
export function publicCacheActive(): boolean {
	return listening && ttlMs > 0;
}

/** Empty the cache (a notification, a lost listener, shutdown). */
export function dropPublicCache(reason = 'changed') {
	generation++;
	entries.clear();
	size = 0;
	pending.clear();
	stats.drops++;
	if (reason !== 'changed') log.debug('public_cache_dropped', { reason });
}

export function publicCacheStats() {
	return { ...stats, entries: entries.size, size, listening, generation };
}

/** A token taken before a read; `putPublic` stores the answer only if nothing changed since. */
export function publicCacheToken(): number | null {
	return publicCacheActive() ? generation : null;
}

export function getPublic<T>(key: string): T | undefined {
	if (!publicCacheActive()) return undefined;
	const entry = entries.get(key);
	if (!entry) return undefined;
	if (entry.expires <= Date.now()) {
		forget(key);
		return undefined;
	}
	stats.hits++;
	return entry.value as T;
}

function forget(key: string) {
	const entry = entries.get(key);
	if (!entry) return;
	entries.delete(key);
	size -= entry.size;
}

/** Keep `value` for `key` unless published data changed since `token`; `bytes`: its size, roughly (for MAX_SIZE). */
export function putPublic(key: string, value: unknown, token: number | null, bytes = 0) {
	if (token === null || token !== generation || !publicCacheActive() || bytes > MAX_SIZE) return;
	forget(key);
	// The oldest stored first (Map keeps insertion order): enough for a bound, not a true LRU.
	while (entries.size > 0 && (entries.size >= MAX_ENTRIES || size + bytes > MAX_SIZE)) forget(entries.keys().next().value!);
	entries.set(key, { expires: Date.now() + ttlMs, value, size: bytes });
	size += bytes;
}

/** The cached answer of `read` for `key`, or a fresh one (stored when the cache is active). */
export async function cachedPublic<T>(key: string, read: () => Promise<T>): Promise<T> {
	const hit = getPublic<T>(key);
	if (hit !== undefined) return hit;
	const token = publicCacheToken();
	if (token === null) return read();
	const shared = pending.get(key);
	if (shared && shared.generation === token) return shared.promise as Promise<T>;
	stats.misses++;
	const promise = read();
	pending.set(key, { generation: token, promise });
	try {
		const value = await promise;
		putPublic(key, value, token);
		return value;
	} finally {
		if (pending.get(key)?.promise === promise) pending.delete(key);
	}
}

export interface PublicCacheListener {
	/** Resolves once the connection listens (the first time). */
	ready: Promise<void>;
	stop(): Promise<void>;
}

/**
 * Keep one connection LISTENing on the public channel with `config` (the app pool's settings);
 * reconnect after an error. The cache is active only while it listens.
 */
export function startPublicCacheListener(config: pg.ClientConfig, env: NodeJS.ProcessEnv = process.env): PublicCacheListener {
	ttlMs = publicCacheTtlMs(env);
	let stopped = false;
	let client: pg.Client | null = null;
	let retry: NodeJS.Timeout | undefined;
	let attempt = 0;
	let resolveReady!: () => void;
	const ready = new Promise<void>((r) => (resolveReady = r));

	const lost = (why: string) => {
		if (listening) log.warn('public_cache_listener_lost', { message: why });
		listening = false;
		dropPublicCache('listener_lost');
		const old = client;
		client = null;
		old?.removeAllListeners();
		old?.on('error', () => undefined);
		old?.end().catch(() => undefined);
		if (stopped) return;
		clearTimeout(retry);
		// 0.5 s, 1 s, 2 s … up to 30 s between attempts.
		retry = setTimeout(connect, Math.min(30_000, 500 * 2 ** Math.min(attempt++, 6)));
		retry.unref();
	};

	const connect = async () => {
		if (stopped) return;
		const c = new pg.Client({ ...config, keepAlive: true });
		client = c;
		c.on('error', (error) => lost(error.message));
		c.on('end', () => client === c && lost('connection ended'));
		c.on('notification', (message) => {
			if (message.channel !== PUBLIC_CHANNEL) return;
			dropPublicCache();
			tellListeners(message.payload ?? null);
		});
		try {
			await c.connect();
			await c.query(`LISTEN ${PUBLIC_CHANNEL}`);
			if (stopped || client !== c) return;
			// Whatever changed while nobody listened is unknown: start empty.
			dropPublicCache('listening');
			listening = true;
			attempt = 0;
			resolveReady();
			tellListeners(null);
		} catch (error) {
			if (client === c) lost((error as Error).message);
		}
	};
	void connect();

	return {
		ready,
		async stop() {
			stopped = true;
			clearTimeout(retry);
			listening = false;
			dropPublicCache('stopped');
			const c = client;
			client = null;
			c?.removeAllListeners();
			c?.on('error', () => undefined);
			await c?.end().catch(() => undefined);
		}
	};
}
