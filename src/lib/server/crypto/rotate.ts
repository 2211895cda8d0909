/**
 * `npm run keys:rotate`: a new data key becomes active, every registered column's values sealed
 * with older keys are re-sealed with it (in batches, one transaction each, so a crash resumes where
 * it stopped), data keys still wrapped by a previous master key are re-wrapped, and old data keys
 * are retired and deleted once no value names them.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../db';
import { asSystem } from '../db/tenant';
import { encryptionKeys } from './schema';
import { ENCRYPTED_COLUMNS } from './registry';
import { createDataKey, masterKeys, resetKeyCache, seal, unwrapWith } from './keys';
import { decryptText, encryptText, keyIdOf, type SealContext } from './index';

export interface RotationReport {
	newKeyId: string;
	reencrypted: Record<string, number>;
	rewrapped: number;
	retired: string[];
}

const BATCH = 500;

export async function rotateKeys(db: Db): Promise<RotationReport> {
	resetKeyCache();
	const { current, previous } = masterKeys();
	// Data keys wrapped by the previous master key are re-wrapped first, so everything stays readable.
	let rewrapped = 0;
	const keys = await db.select().from(encryptionKeys);
	for (const row of keys) {
		if (row.masterKeyId === current.id) continue;
		if (!previous || row.masterKeyId !== previous.id) throw new Error(`data key ${row.id} is wrapped by master key ${row.masterKeyId}, which is not configured`);
		const key = unwrapWith(previous, row);
		await db
			.update(encryptionKeys)
			.set({ wrappedKey: seal(current.key, key, `data-key:${row.id}`), masterKeyId: current.id })
			.where(sql`${encryptionKeys.id} = ${row.id}`);
		rewrapped++;
	}
	resetKeyCache();
	const fresh = await createDataKey(db);
	await db.update(encryptionKeys).set({ retiredAt: new Date() }).where(sql`${encryptionKeys.id} <> ${fresh.id} and ${encryptionKeys.retiredAt} is null`);

	const reencrypted: Record<string, number> = {};
	for (const column of ENCRYPTED_COLUMNS) {
		const name = `${column.table}.${column.column}`;
		reencrypted[name] = 0;
		const table = sql.identifier(column.table);
		const value = sql.identifier(column.column);
		const id = sql.identifier(column.idColumn);
		const org = column.organizationColumn ? sql`${sql.identifier(column.organizationColumn)}::text` : sql`null::text`;
		for (;;) {
			const done = await asSystem(db, async (tx) => {
				const rows = await tx.execute<{ id: string; value: string; org: string | null }>(
					sql`select ${id}::text as id, ${value} as value, ${org} as org from ${table}
						where ${value} like 'enc:v1:%' and ${value} not like ${`enc:v1:${fresh.id}:%`}
						order by ${id} limit ${BATCH} for update`
				);
				for (const row of rows.rows) {
					const context: SealContext = { table: column.table, column: column.column, rowId: row.id, organizationId: row.org };
					const plain = await decryptText(tx, row.value, context);
					const next = await encryptText(tx, plain, context);
					if (keyIdOf(next) !== fresh.id) throw new Error('rotation raced with another rotation; run it again');
					await tx.execute(sql`update ${table} set ${value} = ${next} where ${id}::text = ${row.id}`);
				}
				return rows.rows.length;
			});
			reencrypted[name] += done;
			if (done < BATCH) break;
		}
	}

	// A retired key can go once no registered column names it any more.
	const retired: string[] = [];
	for (const row of await db.select({ id: encryptionKeys.id }).from(encryptionKeys).where(sql`${encryptionKeys.retiredAt} is not null`)) {
		let used = false;
		for (const column of ENCRYPTED_COLUMNS) {
			const hit = await asSystem(db, (tx) =>
				tx.execute(sql`select 1 from ${sql.identifier(column.table)} where ${sql.identifier(column.column)} like ${`enc:v1:${row.id}:%`} limit 1`)
			);
			used ||= hit.rows.length > 0;
		}
		if (!used) {
			await db.delete(encryptionKeys).where(sql`${encryptionKeys.id} = ${row.id}`);
			retired.push(row.id);
		}
	}
	return { newKeyId: fresh.id, reencrypted, rewrapped, retired };
}
