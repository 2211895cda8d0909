/**
 * The audit module's door. `recordAudit` appends one event to the hash-chained log inside the
 * caller's transaction, so the event commits or rolls back with the change it describes. Call it
 * as the transaction's last write: it holds the chain's head until the transaction ends.
 * `verifyAuditChain` proves the chain (npm run audit:verify); the rest serves the viewers.
 */
export interface AuditOrigin {
	actorUserId?: string | null;
	ip?: string | null;
	userAgent?: string | null;
	requestId?: string | null;
}

export interface AuditEntry {
	/** What happened, as module.verb: program.update, member.invite, session.login_failed … */
	action: string;
	organizationId?: string | null;
	entityType?: string | null;
	entityId?: string | null;
	/** Names of the changed fields, never their values. */
	changedFields?: readonly string[];
}

export { recordAudit, AuditEntryError } from './log';
export { verifyAuditChain, type AuditChainReport, type ChainBreak } from './verify';
export { canonicalAuditRow, auditRowHash, GENESIS_HASH, type ChainedRow } from './chain';
export { listAuditEvents, parseAuditQuery, noAuditNames, AUDIT_PAGE_SIZE, AUDIT_EXPORT_LIMIT, type AuditNamer, type AuditNames, type AuditNameRequest, type AuditFilters, type AuditPageRequest, type AuditEventView, type AuditEventPage, type AuditQueryError, type ParsedAuditQuery } from './query';
export { auditEventsCsv, csvCell, csvDocument, AUDIT_CSV_COLUMNS, type AuditCsvColumn } from './csv';
export { auditPageData, auditCsvResponse, actionLabel, type AuditLog, type AuditPageData, type AuditRowView } from './viewer';
