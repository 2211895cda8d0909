/**
 * The hash chain itself, with no database: what a row is hashed from, and how.
 *
 * hash = hex(SHA-256(prev_hash ‖ canonical)), UTF-8, where prev_hash is the previous row's hash
 * (64 zeros before the first row) and canonical is the JSON array
 *
 *   [id, at, actor_user_id, organization_id, action, entity_type, entity_id, changed_fields,
 *    ip, user_agent, request_id]
 *
 * with id as a decimal string, at as UTC with six fractional digits ("2025-04-01T00:00:00.123456Z",
 * exactly as PostgreSQL's to_char renders the stored timestamptz), absent values as null and
 * changed_fields as an array of strings. The id is part of the hash: a row cannot be renumbered or
 * moved, and the head's last_id names the row the chain must end on. Both the writer and the
 * verifier build the row with `canonicalAuditRow`, so there is one definition to keep in step.
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** PostgreSQL's rendering of a stored `at`, the form the hash covers (µs, UTC). */
export const AT_FORMAT = `YYYY-MM-DD"T"HH24:MI:SS.US"Z"`;

/** One row as hashed: every column but prev_hash and hash. */
export interface ChainedRow {
	id: string;
	at: string;
	actorUserId: string | null;
	organizationId: string | null;
	action: string;
	entityType: string | null;
	entityId: string | null;
	changedFields: readonly string[];
	ip: string | null;
	userAgent: string | null;
	requestId: string | null;
}

export function canonicalAuditRow(row: ChainedRow): string {
	return JSON.stringify([row.id, row.at, row.actorUserId, row.organizationId, row.action, row.entityType, row.entityId, [...row.changedFields], row.ip, row.userAgent, row.requestId]);
}

export function auditRowHash(prevHash: string, row: ChainedRow): string {
	return createHash('sha256')
		.update(prevHash + canonicalAuditRow(row), 'utf8')
		.digest('hex');
}
