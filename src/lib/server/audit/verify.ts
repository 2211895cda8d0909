/**
 * Proving the chain: every row's hash is recomputed from its stored fields, every row must name
 * the hash of the row before it, and the head must name the last row. An edited row fails its own
 * hash; a deleted row breaks the link of the row after it; a deleted tail leaves the head pointing
 * at a row that is gone. (Someone able to rewrite every later row and the head as well can only be
 * caught by comparing the head with a copy kept elsewhere: the verifier reports it for that.)
 */
import { sql } from 'drizzle-orm';
import type { Pool } from '../db';
import { asSystem } from '../db';
import { AT_FORMAT, GENESIS_HASH, auditRowHash } from './chain';

export type ChainBreak = 'hash_mismatch' | 'link_broken' | 'head_mismatch' | 'head_missing';

export interface AuditChainReport {
	ok: boolean;
	/** Rows whose hash and link were checked. */
	checked: number;
	/** The first row that fails (for a deleted tail: the row the head names, now missing). */
	firstBrokenId?: number;
	reason?: ChainBreak;
	/** What the chain ends on, to compare with a copy kept outside the database. */
	head?: { lastId: number; lastHash: string };
}

type StoredRow = {
	id: string;
	at: string;
	actor_user_id: string | null;
	organization_id: string | null;
	action: string;
	entity_type: string | null;
	entity_id: string | null;
	changed_fields: string[];
	ip: string | null;
	user_agent: string | null;
	request_id: string | null;
	prev_hash: string;
	hash: string;
};

async function rowsAfter(db: Pool, afterId: string, limit: number): Promise<StoredRow[]> {
	// The read runs as the platform, so row-level security shows every organisation's rows.
	const result = await asSystem(db, (tx) =>
		tx.execute<StoredRow>(sql`
			select id::text as id, to_char(at at time zone 'UTC', ${AT_FORMAT}) as at, actor_user_id::text as actor_user_id,
				organization_id::text as organization_id, action, entity_type, entity_id, changed_fields, ip, user_agent, request_id, prev_hash, hash
			from audit_events where audit_events.id > ${afterId}::bigint order by audit_events.id limit ${limit}`)
	);
	return result.rows;
}

async function readHead(db: Pool): Promise<{ lastId: string; lastHash: string } | null> {
	const result = await asSystem(db, (tx) => tx.execute<{ last_id: string; last_hash: string }>(sql`select last_id::text as last_id, last_hash from audit_chain where id = 1`));
	const row = result.rows[0];
	return row ? { lastId: row.last_id, lastHash: row.last_hash } : null;
}

async function firstIdAfter(db: Pool, id: string): Promise<number> {
	const result = await asSystem(db, (tx) => tx.execute<{ id: string }>(sql`select min(id)::text as id from audit_events where id > ${id}::bigint`));
	return Number(result.rows[0]?.id ?? id);
}

/** Walk the whole log in id order, in batches, and check it against its head. */
export async function verifyAuditChain(db: Pool, options: { batchSize?: number } = {}): Promise<AuditChainReport> {
	const batchSize = options.batchSize ?? 2000;
	let prevHash = GENESIS_HASH;
	let lastId = '0';
	let checked = 0;
	const broken = (id: string | number, reason: ChainBreak): AuditChainReport => ({ ok: false, checked, firstBrokenId: Number(id), reason });

	for (;;) {
		let rows = await rowsAfter(db, lastId, batchSize);
		if (rows.length === 0) {
			// Appends commit their row and the head together, so a head read after the rows were
			// read names the last of them — or a later row, appended meanwhile, which a new read
			// of the rows then shows.
			const head = await readHead(db);
			if (!head) return broken(lastId, 'head_missing');
			if (head.lastId === lastId) {
				if (head.lastHash !== prevHash) return broken(lastId, 'head_mismatch');
				return { ok: true, checked, head: { lastId: Number(head.lastId), lastHash: head.lastHash } };
			}
			if (BigInt(head.lastId) < BigInt(lastId)) return broken(await firstIdAfter(db, head.lastId), 'head_mismatch');
			rows = await rowsAfter(db, lastId, batchSize);
			if (rows.length === 0) return broken(head.lastId, 'head_mismatch');
		}
		for (const row of rows) {
			if (row.prev_hash !== prevHash) return broken(row.id, 'link_broken');
			const expected = auditRowHash(row.prev_hash, {
				id: row.id,
				at: row.at,
				actorUserId: row.actor_user_id,
				organizationId: row.organization_id,
				action: row.action,
				entityType: row.entity_type,
				entityId: row.entity_id,
				changedFields: row.changed_fields,
				ip: row.ip,
				userAgent: row.user_agent,
				requestId: row.request_id
			});
			if (expected !== row.hash) return broken(row.id, 'hash_mismatch');
			prevHash = row.hash;
			lastId = row.id;
			checked++;
		}
	}
}
