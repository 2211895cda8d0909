/**
 * Key rotation (`npm run keys:rotate`):
 *
 * 1. data keys still wrapped by the previous master key are re-wrapped with the current one;
 * 2. a new data key becomes active and the others are retired — unless an earlier run left retired
 *    keys behind (it crashed, or some values could not be read): then that run is finished with
 *    its key, so running again is always safe;
 * 3. every value in every registered column that names another key is re-sealed with the active
 *    key, in batches (one transaction each, rows locked, as the system context so row-level
 *    security shows every row); a value that does not decrypt is reported and left as it is;
 * 4. retired keys that no value names any more are deleted. The check runs with the key table
 *    locked against transactions that sealed a value with a retired key and have not committed.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Pool } from '../db';
import { asSystem } from '../db';
import { encryptionKeys } from './schema';
import { ENCRYPTED_COLUMNS, type EncryptedColumn } from './registry';
import { resetKeyCache, rewrapDataKeys, startNewDataKey, unfinishedRotation } from './keys';
import { decryptText, sealWith, DecryptionError, type SealContext } from './envelope';

export interface RotateOptions {
	/** Rows per transaction (default 500). */
	batchSize?: number;
	/** Called after each committed batch. */
	onProgress?: (progress: { column: string; reencrypted: number }) => void | Promise<void>;
	/** The columns to walk (default: ENCRYPTED_COLUMNS). */
	columns?: readonly EncryptedColumn[];
}

export interface RotationReport {
	/** The data key every value is sealed with now. */
	activeKeyId: string;
	/** True when this run finished an earlier, unfinished rotation instead of starting one. */
	resumed: boolean;
	/** Data keys re-wrapped from the previous master key to the current one. */
	rewrapped: number;
	/** Values re-sealed, per `table.column`. */
	reencrypted: Record<string, number>;
	/** Values that do not decrypt where they are (altered or moved): left as they are. */
	failed: { column: string; rowId: string; reason: string }[];
	/** Values in registered columns that are not encrypted at all, per `table.column`. */
	unsealed: Record<string, number>;
	/** Old data keys deleted (no value names them any more). */
	removed: string[];
	/** Retired data keys still named by some value; the next run tries again. */
	kept: string[];
}

const DEFAULT_BATCH = 500;
const PREFIX = 'enc:v1:';

interface Target {
	name: string;
	column: EncryptedColumn;
	table: SQL;
	value: SQL;
	id: SQL;
	org: SQL;
}

function target(column: EncryptedColumn): Target {
	return {
		name: `${column.table}.${column.column}`,
		column,
		table: sql`${sql.identifier(column.table)}`,
		value: sql`${sql.identifier(column.column)}`,
		id: sql`${sql.identifier(column.idColumn)}`,
		org: column.organizationColumn ? sql`${sql.identifier(column.organizationColumn)}::text` : sql`null::text`
	};
}

export async function rotateKeys(db: Pool, options: RotateOptions = {}): Promise<RotationReport> {
	const batchSize = options.batchSize ?? DEFAULT_BATCH;
	const targets = (options.columns ?? ENCRYPTED_COLUMNS).map(target);
	resetKeyCache(); // read the master keys as they are configured now

	const rewrapped = await rewrapDataKeys(db);
	const unfinished = await unfinishedRotation(db);
	const active = unfinished ?? (await startNewDataKey(db));
	const activePrefix = `${PREFIX}${active.id}:`;

	const reencrypted: Record<string, number> = {};
	const unsealed: Record<string, number> = {};
	const failed: RotationReport['failed'] = [];
	for (const t of targets) {
		reencrypted[t.name] = 0;
		let after: string | null = null;
		for (;;) {
			const batch: { count: number; last: string | null } = await asSystem(db, async (tx) => {
				const rows = await tx.execute<{ id: string; value: string; org: string | null }>(sql`
					select ${t.id}::text as id, ${t.value} as value, ${t.org} as org from ${t.table}
					where starts_with(${t.value}, ${PREFIX}) and not starts_with(${t.value}, ${activePrefix})
						${after === null ? sql`` : sql`and ${t.id} > ${after}`}
					order by ${t.id} limit ${batchSize} for update`);
				let count = 0;
				for (const row of rows.rows) {
					const context: SealContext = { table: t.column.table, column: t.column.column, rowId: row.id, organizationId: row.org };
					let plain: string;
					try {
						plain = await decryptText(tx, row.value, context);
					} catch (error) {
						if (!(error instanceof DecryptionError)) throw error;
						failed.push({ column: t.name, rowId: row.id, reason: error.message });
						continue;
					}
					await tx.execute(sql`update ${t.table} set ${t.value} = ${sealWith(active, plain, context)} where ${t.id} = ${row.id}`);
					count++;
				}
				return { count, last: rows.rows.length ? rows.rows[rows.rows.length - 1].id : null };
			});
			reencrypted[t.name] += batch.count;
			if (batch.last === null) break;
			after = batch.last;
			await options.onProgress?.({ column: t.name, reencrypted: reencrypted[t.name] });
		}
		const plain = await asSystem(db, (tx) => tx.execute<{ n: number }>(sql`select count(*)::int as n from ${t.table} where ${t.value} is not null and not starts_with(${t.value}, ${PREFIX})`));
		unsealed[t.name] = plain.rows[0].n;
	}

	const { removed, kept } = await asSystem(db, async (tx) => {
		// EXCLUSIVE waits for every open transaction that locked a key row (encryptText does) and
		// holds new ones off until this check is done.
		await tx.execute(sql`lock table ${encryptionKeys} in exclusive mode`);
		const retired = (
			await tx
				.select({ id: encryptionKeys.id })
				.from(encryptionKeys)
				.where(sql`${encryptionKeys.retiredAt} is not null`)
		).map((r) => r.id);
		const used = new Set<string>();
		if (retired.length) {
			const ids = sql.join(
				retired.map((id) => sql`${id}`),
				sql`, `
			);
			for (const t of targets) {
				const hits = await tx.execute<{ key_id: string }>(sql`select distinct split_part(${t.value}, ':', 3) as key_id from ${t.table} where starts_with(${t.value}, ${PREFIX}) and split_part(${t.value}, ':', 3) in (${ids})`);
				for (const hit of hits.rows) used.add(hit.key_id);
			}
		}
		const removed = retired.filter((id) => !used.has(id));
		for (const id of removed) await tx.delete(encryptionKeys).where(sql`${encryptionKeys.id} = ${id}`);
		return { removed, kept: retired.filter((id) => used.has(id)) };
	});

	return { activeKeyId: active.id, resumed: unfinished !== null, rewrapped, reencrypted, failed, unsealed, removed, kept };
}
