/**
 * Transactions for tests that call a module's lower-level functions without a scope. Those take a
 * `Tx` of the kind their callers hold (`Tx<'account'>`, `Tx<'organization'>`, …); `withAccess` only
 * knows its transaction carries some context, so these say which — the one place tests cast it.
 */
import { withAccess, type Pool, type Tx } from '../../src/lib/server/db';
import { runIn, systemScope } from '../../src/lib/server/scope';

/** A person's own context (only `app.user_id`), as their account scope runs. */
export function onOwnAccount<T>(db: Pool, userId: string, fn: (tx: Tx<'account'>) => Promise<T>): Promise<T> {
	return withAccess(db, { userId }, (tx) => fn(tx as Tx<'account'>));
}

/** Staff of these organisations (signed in as `userId`, if given), as an organisation's scope runs. */
export function inOrganizations<T>(db: Pool, organizationIds: readonly string[], fn: (tx: Tx<'organization'>) => Promise<T>, userId?: string): Promise<T> {
	return withAccess(db, { userId, organizationIds }, (tx) => fn(tx as Tx<'organization'>));
}

/**
 * The system context doing staff's work: the factories set up rows through the staff functions
 * (saveProgram, createOneOff, …), which take an organisation's transaction. The system context
 * sees and writes every organisation's rows, so the functions behave as for that organisation.
 */
export function setUpAsStaff<T>(db: Pool, fn: (tx: Tx<'organization'>) => Promise<T>): Promise<T> {
	return setUp(db, (tx) => fn(tx as unknown as Tx<'organization'>));
}

/**
 * Set-up and read-back as the platform: the same door its own jobs use (a `SystemScope`), not the
 * database's lower-level `asSystem`, so tests hold no way in that the app code does not.
 */
export function setUp<T>(db: Pool, fn: (tx: Tx<'system'>) => Promise<T>): Promise<T> {
	return runIn(systemScope(db, 'tests'), fn);
}
