/**
 * The log as CSV (RFC 4180: CRLF lines, fields with a comma, quote or line break in double quotes,
 * quotes doubled), UTF-8 with a byte-order mark so that Excel in Japan reads it as UTF-8 rather
 * than Shift_JIS. A cell that a spreadsheet would run as a formula (=, +, -, @, or a tab or CR
 * first) gets a leading apostrophe: user agents and entity ids come from outside.
 */
import type { AuditEventView } from './query';

export const AUDIT_CSV_COLUMNS = ['id', 'at', 'actor_user_id', 'actor_name', 'organization_id', 'organization_name', 'action', 'entity_type', 'entity_id', 'changed_fields', 'ip', 'user_agent', 'request_id', 'prev_hash', 'hash'] as const;
export type AuditCsvColumn = (typeof AUDIT_CSV_COLUMNS)[number];

const BOM = '\uFEFF';

export function csvCell(value: string | number | null | undefined): string {
	if (value === null || value === undefined) return '';
	let text = String(value);
	if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function cells(row: AuditEventView): Record<AuditCsvColumn, string | number | null> {
	return {
		id: row.id,
		at: row.atTokyo,
		actor_user_id: row.actorUserId,
		actor_name: row.actorName,
		organization_id: row.organizationId,
		organization_name: row.organizationName,
		action: row.action,
		entity_type: row.entityType,
		entity_id: row.entityId,
		changed_fields: row.changedFields.join(' '),
		ip: row.ip,
		user_agent: row.userAgent,
		request_id: row.requestId,
		prev_hash: row.prevHash,
		hash: row.hash
	};
}

/** A whole CSV file from its rows: a BOM (so that Excel reads the Japanese), CRLF line ends. */
export function csvDocument(rows: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>): string {
	return BOM + rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** The whole file: BOM, a header row (the column names, or `labels` for them), one line per event. */
export function auditEventsCsv(rows: readonly AuditEventView[], labels?: Partial<Record<AuditCsvColumn, string>>): string {
	const header = AUDIT_CSV_COLUMNS.map((c) => labels?.[c] ?? c);
	const line = (values: ReturnType<typeof cells>) => AUDIT_CSV_COLUMNS.map((c) => values[c]);
	return csvDocument([header, ...rows.map((row) => line(cells(row)))]);
}
