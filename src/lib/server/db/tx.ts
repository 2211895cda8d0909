/**
 * The database handles, told apart by the compiler. Drizzle's own handle type stays in this file:
 * no module can take "any handle" by accident, it names which of the three it needs.
 *
 * - `Tx<C>`: a transaction that already carries a row-level security context of kind C (set by
 *   `withAccess`). Modules get one from the scope (`runIn`, `runAcross`); `withAccess` itself is
 *   called only by the scope module and by platform tools that run as the system (`asSystem`).
 *   Functions that read private rows or write take one, of the narrowest kind their callers use.
 * - `Pool`: the connection pool itself — anything that is not such a transaction. Functions that
 *   open their own transaction (`withAccess`, the data keys' own transactions) take one.
 * - `Reader`: either, for reads the policies allow to everyone (the public directory, open data)
 *   that run both straight on a request's pool and inside a scoped transaction.
 *
 * A pool is refused where a scoped transaction is expected (it lacks the brand), and a scoped
 * transaction is refused where a pool is expected (a nested `withAccess` used to fail only at run
 * time: "must not be nested").
 */
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';

/**
 * A Drizzle handle without a schema object: queries name their module's tables directly, and the
 * platform's database layer knows no module (the relational `db.query.*` API is not used).
 * Not exported: a module says which handle it needs (`Tx`, `Pool` or `Reader`).
 */
type Handle = NodePgDatabase;

/**
 * The context a transaction carries: an organisation's staff (`organization`), the secretariat's
 * network-wide standing (`secretariat`), the platform acting for no one (`system`: jobs, and the
 * residents' bearer links, which have no identity of their own in the policies), or one
 * organisation's rows read on behalf of another party for a stated purpose (`crossing`), or one
 * person's own rows as they act on their own account (`account`: only `app.user_id`).
 */
export type ContextKind = 'organization' | 'secretariat' | 'system' | 'crossing' | 'account';

declare const txBrand: unique symbol;

export type Tx<C extends ContextKind = ContextKind> = Handle & { readonly [txBrand]: C };

/** The pool: a handle that is not a scoped transaction. The runtime's database is one. */
export type Pool = Handle & { readonly [txBrand]?: never };

/**
 * Either handle, for reads row-level security allows to everyone (the directory, open data) and for
 * the data keys (encryption_keys, outside row-level security): the public pages run them on the
 * pool, and operations run the same reads, and seal values, inside their scoped transaction. Never
 * for private rows: on the pool they would see nothing.
 */
export type Reader = Pool | Tx;
