/**
 * The two kinds of database handle, told apart by the compiler. A `Tx<C>` is a transaction that
 * already carries a row-level security context of kind C (set by `withAccess`); only the scope
 * module (src/lib/server/scope) makes one. A `Pool` is the connection pool itself — anything that
 * is not such a transaction. A pool is refused where a scoped transaction is expected (it lacks the
 * brand), and a scoped transaction is refused where a pool is expected (`withAccess`, whose nested
 * call used to fail only at run time: "must not be nested").
 *
 * A `Tx<C>` is still a `Db`, so modules not yet converted (they take `Db`) can be called with one.
 */
import type { Db } from './index';

/**
 * The context a transaction carries: an organisation's staff (`organization`), the secretariat's
 * network-wide standing (`secretariat`), the platform acting for no one (`system`: jobs, and the
 * residents' bearer links, which have no identity of their own in the policies), or one
 * organisation's rows read on behalf of another party for a stated purpose (`crossing`), or one
 * person's own rows as they act on their own account (`account`: only `app.user_id`).
 */
export type ContextKind = 'organization' | 'secretariat' | 'system' | 'crossing' | 'account';

declare const txBrand: unique symbol;

export type Tx<C extends ContextKind = ContextKind> = Db & { readonly [txBrand]: C };

/** The pool: a handle that is not a scoped transaction. Every `Db` the runtime hands out is one. */
export type Pool = Db & { readonly [txBrand]?: never };
