/**
 * The access context of a transaction, read by the row-level security policies (drizzle/0006).
 * Every query on a private table runs inside `withAccess`: the context is set with
 * set_config(..., true), which is SET LOCAL — it ends with the transaction, so a pooled connection
 * never carries one request's organisations into the next.
 */
import { sql } from 'drizzle-orm';
import { PgTransaction, type PgTransactionConfig } from 'drizzle-orm/pg-core';
import type { Pool, Tx } from './tx';
import { UUID } from '../boundary';

export interface AccessContext {
	/** The signed-in person, if any. */
	userId?: string | null;
	/** The organisations the person acts for. */
	organizationIds?: readonly string[];
	/** Network-wide standing of the secretariat (事務局). */
	secretariat?: boolean;
	/** Platform jobs that act for no one (demo loading, nightly refresh, session lookup). */
	system?: boolean;
}

export const ANONYMOUS: AccessContext = Object.freeze({});
export const SYSTEM: AccessContext = Object.freeze({ system: true });

/** One transaction with `context`; the callback's handle is a `Tx` (some context). The scope
 * (scope/scope.ts) narrows it to the kind its context is; only it and platform tools call this. */
export async function withAccess<T>(db: Pool, context: AccessContext, fn: (tx: Tx) => Promise<T>, config?: PgTransactionConfig): Promise<T> {
	// A nested call would run inside the outer transaction and leave its context behind there.
	if (db instanceof PgTransaction) throw new Error('withAccess must not be nested in a transaction');
	const organizationIds = context.organizationIds ?? [];
	if (organizationIds.some((id) => !UUID.test(id)) || (context.userId && !UUID.test(context.userId))) throw new Error('invalid access context');
	return db.transaction(async (tx) => {
		await tx.execute(sql`select
			set_config('app.user_id', ${context.userId ?? ''}, true),
			set_config('app.org_ids', ${organizationIds.length ? `{${organizationIds.join(',')}}` : ''}, true),
			set_config('app.secretariat', ${context.secretariat ? 'on' : ''}, true),
			set_config('app.system', ${context.system ? 'on' : ''}, true)`);
		return fn(tx as unknown as Tx);
	}, config);
}

/** A transaction in the system context: it is the one place besides the scope that says so. */
export const asSystem = <T>(db: Pool, fn: (tx: Tx<'system'>) => Promise<T>) => withAccess(db, SYSTEM, (tx) => fn(tx as Tx<'system'>));
