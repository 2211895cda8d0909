/**
 * Envelope encryption for sensitive free text (AES-256-GCM). A sealed value reads
 * `enc:v1:<data key id>:<base64url(iv | tag | ciphertext)>`; the table, column, row id and
 * organisation are authenticated with it, so a value copied to another row, column or
 * organisation does not decrypt. Node's own crypto does the work: no library is needed.
 */
import type { Db } from '../db';
import { activeDataKey, dataKeyById, open, seal, KeyError } from './keys';

export { KeyError, resetKeyCache, masterKeyFile, loadMasterKeys } from './keys';
export { ENCRYPTED_COLUMNS, type EncryptedColumn } from './registry';
export { rotateKeys, type RotationReport } from './rotate';

export interface SealContext {
	table: string;
	column: string;
	rowId: string;
	organizationId?: string | null;
}

export class DecryptionError extends Error {}

const PREFIX = 'enc:v1:';

export function isSealed(value: unknown): value is string {
	return typeof value === 'string' && value.startsWith(PREFIX);
}

export function boundTo(context: SealContext): string {
	return JSON.stringify([context.table, context.column, context.rowId, context.organizationId ?? null]);
}

export async function encryptText(db: Db, plaintext: string, context: SealContext): Promise<string> {
	const key = await activeDataKey(db);
	return `${PREFIX}${key.id}:${seal(key.key, Buffer.from(plaintext, 'utf8'), boundTo(context))}`;
}

/** The data key a sealed value names. */
export function keyIdOf(sealed: string): string {
	if (!isSealed(sealed)) throw new DecryptionError('not an encrypted value');
	return sealed.slice(PREFIX.length, sealed.indexOf(':', PREFIX.length));
}

export async function decryptText(db: Db, sealed: string, context: SealContext): Promise<string> {
	const keyId = keyIdOf(sealed);
	const body = sealed.slice(PREFIX.length + keyId.length + 1);
	let key: Buffer;
	try {
		key = await dataKeyById(db, keyId);
	} catch (error) {
		if (error instanceof KeyError) throw new DecryptionError(error.message);
		throw error;
	}
	try {
		return open(key, body, boundTo(context)).toString('utf8');
	} catch {
		throw new DecryptionError(`the value does not decrypt for ${context.table}.${context.column} of this row (altered, or moved from elsewhere)`);
	}
}
