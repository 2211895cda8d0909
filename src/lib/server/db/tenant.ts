/**
 * The access context of a transaction, read by the row-level security policies (drizzle/0006).
 * Every query on a private table runs inside `withAccess`: the context is set with
 * set_config(..., true), which is SET LOCAL — it ends with the transaction, so a pooled connection
 * never carries one request's organisations into the next.
 */
import { sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Db } from './index';
import type { Pool } from './tx';
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

export async function withAccess<T>(db: Pool, context: AccessContext, fn: (tx: Db) => Promise<T>): Promise<T> {
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
		return fn(tx as unknown as Db);
	});
}

export const asSystem = <T>(db: Pool, fn: (tx: Db) => Promise<T>) => withAccess(db, SYSTEM, fn);
