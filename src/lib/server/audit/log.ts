/**
 * Appending to the audit log. The chain head (audit_chain, one row) is locked first, so appends
 * are serialised: each new row names the hash of the row committed before it, and ids grow in
 * chain order. The lock is held until the caller's transaction ends, so record the event as the
 * transaction's last write — it keeps the wait short for everyone else and the lock order simple.
 */
import { sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Tx } from '../db';
import type { AuditEntry, AuditOrigin } from './index';
import { AT_FORMAT, auditRowHash, type ChainedRow } from './chain';
import { UUID } from '../boundary';

export const ACTION_PATTERN = /^[a-z_]+\.[a-z_]+$/;
const ENTITY_TYPE = /^[a-z_]{1,64}$/;
/** A column or property name (snake_case or camelCase, dotted for nested ones) — never a value. */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62}){0,3}$/;
/* eslint-disable no-control-regex -- finding control characters is the point */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
const HAS_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/* eslint-enable no-control-regex */

export const LIMITS = { action: 100, entityId: 200, fields: 100, ip: 64, userAgent: 512, requestId: 128 } as const;

/** A programming error in what a caller asked to record (the caller's transaction fails with it). */
export class AuditEntryError extends Error {
	constructor(message: string) {
		super(`audit entry rejected: ${message}`);
		this.name = 'AuditEntryError';
	}
}

/**
 * Free text from the request (address, agent, request id): made storable exactly as hashed —
 * well-formed Unicode without control characters (PostgreSQL refuses NUL), cut at a code point.
 */
function clip(value: string | null | undefined, max: number): string | null {
	if (value === null || value === undefined) return null;
	let clean = value.toWellFormed().replace(CONTROLS, '');
	if (clean.length > max) clean = clean.slice(0, /[\uD800-\uDBFF]/.test(clean[max - 1]) ? max - 1 : max);
	return clean || null;
}

function uuidOrNull(value: string | null | undefined, what: string): string | null {
	if (value === null || value === undefined || value === '') return null;
	if (!UUID.test(value)) throw new AuditEntryError(`${what} is not a UUID`);
	// PostgreSQL returns uuids in lower case; hash what the verifier will read back.
	return value.toLowerCase();
}

/** The row to append, checked and normalised: everything but its id, time and hashes. */
export function auditRowFor(origin: AuditOrigin, entry: AuditEntry): Omit<ChainedRow, 'id' | 'at'> {
	const { action } = entry;
	if (typeof action !== 'string' || action.length > LIMITS.action || !ACTION_PATTERN.test(action)) {
		throw new AuditEntryError('action must look like module.verb (lower case and underscores)');
	}
	if (entry.entityType != null && !ENTITY_TYPE.test(entry.entityType)) throw new AuditEntryError('entityType must be lower case and underscores');
	let entityId: string | null = null;
	if (entry.entityId != null && entry.entityId !== '') {
		entityId = String(entry.entityId).toWellFormed();
		if (entityId.length > LIMITS.entityId || HAS_CONTROL.test(entityId)) throw new AuditEntryError('entityId is too long or has control characters');
	}
	const fields = entry.changedFields ?? [];
	if (fields.length > LIMITS.fields) throw new AuditEntryError('too many changed fields');
	for (const field of fields) {
		// Names only: anything with spaces, @, digits first, punctuation … is probably a value.
		if (typeof field !== 'string' || !FIELD_NAME.test(field)) throw new AuditEntryError('changedFields must hold field names, not values');
	}
	return {
		actorUserId: uuidOrNull(origin.actorUserId, 'actorUserId'),
		organizationId: uuidOrNull(entry.organizationId, 'organizationId'),
		action,
		entityType: entry.entityType || null,
		entityId,
		changedFields: [...new Set(fields)],
		ip: clip(origin.ip, LIMITS.ip),
		userAgent: clip(origin.userAgent, LIMITS.userAgent),
		requestId: clip(origin.requestId, LIMITS.requestId)
	};
}

/** Append one event to the chain, inside the caller's transaction (see the door, ./index.ts). */
export async function recordAudit(tx: Tx, origin: AuditOrigin, entry: AuditEntry): Promise<void> {
	// Outside a transaction the head's lock would end with the first statement and appends race.
	if (!(tx instanceof PgTransaction)) throw new AuditEntryError('recordAudit must run inside a transaction (withAccess / asSystem)');
	const fields = auditRowFor(origin, entry);

	const head = await tx.execute<{ last_hash: string }>(sql`select last_hash from audit_chain where id = 1 for update`);
	if (head.rows.length !== 1) throw new Error('audit chain head is missing (migration 0006 inserts it)');
	const prevHash = head.rows[0].last_hash;

	// Only now, holding the head: the id and time, so both grow in chain order. The time is the
	// database's, in the exact form it will be read back (microseconds, which a JS Date lacks).
	const next = await tx.execute<{ id: string; at: string }>(sql`select nextval(pg_get_serial_sequence('audit_events', 'id'))::text as id, to_char(clock_timestamp() at time zone 'UTC', ${AT_FORMAT}) as at`);
	const row: ChainedRow = { id: next.rows[0].id, at: next.rows[0].at, ...fields };
	const hash = auditRowHash(prevHash, row);

	// No RETURNING: it would make the row pass the read policy too, which a person's own
	// organisation-less events (logins) do not.
	await tx.execute(sql`with appended as (
		insert into audit_events (id, at, actor_user_id, organization_id, action, entity_type, entity_id, changed_fields, ip, user_agent, request_id, prev_hash, hash)
		overriding system value
		values (${row.id}::bigint, ${row.at}::timestamptz, ${row.actorUserId}::uuid, ${row.organizationId}::uuid, ${row.action}, ${row.entityType}, ${row.entityId},
			${sql.param([...row.changedFields])}::text[], ${row.ip}, ${row.userAgent}, ${row.requestId}, ${prevHash}, ${hash})
	)
	update audit_chain set last_id = ${row.id}::bigint, last_hash = ${hash} where id = 1`);
}
