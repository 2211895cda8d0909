/**
 * Sealing and opening one value. A sealed value reads `enc:v1:<data key id>:<base64url(iv | tag |
 * ciphertext)>` (12-byte random nonce, 16-byte GCM tag). The table, column, row id and organisation
 * are the associated data: a value copied to another row, column, table or organisation, or
 * altered in any byte, does not open.
 */
import type { Reader } from '../db';
import { activeDataKey, dataKeyById, open, seal, type DataKey } from './keys';

/** Where a value lives; bound into the ciphertext. */
export interface SealContext {
	table: string;
	column: string;
	rowId: string;
	organizationId?: string | null;
}

/** This value cannot be read: altered, moved, malformed, or naming a data key that no longer exists. */
export class DecryptionError extends Error {
	override name = 'DecryptionError';
}

const PREFIX = 'enc:v1:';
const SEALED = /^enc:v1:([A-Za-z0-9]+):([A-Za-z0-9_-]{38,})$/;

export function isSealed(value: unknown): value is string {
	return typeof value === 'string' && SEALED.test(value);
}

function boundTo(context: SealContext): string {
	const { table, column, rowId } = context;
	if (![table, column, rowId].every((part) => typeof part === 'string' && part.length > 0)) {
		throw new TypeError('a sealed value needs its table, column and row id (seal after the row has its id)');
	}
	return JSON.stringify([table, column, rowId, context.organizationId ?? null]);
}

/** Seal with a given data key (rotation); everyone else uses encryptText. */
export function sealWith(key: DataKey, plaintext: string, context: SealContext): string {
	return `${PREFIX}${key.id}:${seal(key.key, Buffer.from(plaintext, 'utf8'), boundTo(context))}`;
}

/**
 * Seal `plaintext` for the row it will be stored in. Pass the transaction that stores the value:
 * it then holds the data key against deletion by a concurrent keys:rotate until it commits.
 */
export async function encryptText(db: Reader, plaintext: string, context: SealContext): Promise<string> {
	const aad = boundTo(context);
	const key = await activeDataKey(db);
	return `${PREFIX}${key.id}:${seal(key.key, Buffer.from(plaintext, 'utf8'), aad)}`;
}

/** The data key a sealed value names. */
export function keyIdOf(sealed: string): string {
	const match = SEALED.exec(sealed);
	if (!match) throw new DecryptionError('not an encrypted value (expected enc:v1:<key id>:<data>)');
	return match[1];
}

/**
 * Open a sealed value stored at `context`. A value that was altered, moved, or names an unknown
 * data key throws DecryptionError; a wrong master key throws KeyError (a configuration problem,
 * not a problem of this value).
 */
export async function decryptText(db: Reader, sealed: string, context: SealContext): Promise<string> {
	const aad = boundTo(context);
	const match = SEALED.exec(sealed);
	if (!match) throw new DecryptionError('not an encrypted value (expected enc:v1:<key id>:<data>)');
	const [, keyId, body] = match;
	const key = await dataKeyById(db, keyId);
	if (!key) throw new DecryptionError(`the value names data key ${keyId}, which does not exist (removed by a key rotation after this value was copied, or from another installation)`);
	let plain: Buffer;
	try {
		plain = open(key, body, aad);
	} catch {
		throw new DecryptionError(`the value does not decrypt as ${context.table}.${context.column} of row ${context.rowId}: it was altered, or moved from another row, column or organisation`);
	}
	return plain.toString('utf8');
}
