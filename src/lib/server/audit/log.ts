import type { Db } from '../db';
import type { AuditEntry, AuditOrigin } from './index';

/** Placeholder until the hash chain lands (audit module work in progress). */
export async function recordAudit(tx: Db, origin: AuditOrigin, entry: AuditEntry): Promise<void> {
	void tx;
	void origin;
	void entry;
}
