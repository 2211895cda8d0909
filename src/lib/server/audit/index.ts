/**
 * The audit module's door. `recordAudit` appends one event to the hash-chained log inside the
 * caller's transaction, so the event commits or rolls back with the change it describes.
 */
import type { Db } from '../db';

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

export { recordAudit } from './log';
