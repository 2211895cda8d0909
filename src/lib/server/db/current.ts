/**
 * The process's one open database: set at start-up (hooks.server.ts `init`, via the app's
 * start-up), cleared on shutdown. Route code reaches the database through the guard's scopes; this
 * is for the guard, the hooks and the platform's own jobs.
 */
import type { Database, Pool } from './index';

let current: Database | null = null;
const listeners = new Set<(database: Database | null) => void>();

/** Make `database` the process's database (null: closed). Services keeping per-database state
 * (the throttle) follow through `onDatabaseChange`. */
export function useDatabase(database: Database | null) {
	current = database;
	for (const listener of listeners) listener(database);
}

export function onDatabaseChange(listener: (database: Database | null) => void) {
	listeners.add(listener);
}

export function db(): Pool {
	if (!current) throw new Error('database not opened');
	return current.db;
}

export function database(): Database | null {
	return current;
}
