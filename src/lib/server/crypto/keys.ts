/**
 * Key hierarchy for envelope encryption. A master key (KEK) from TSUNAGU_MASTER_KEY or a key file
 * never enters the database; it wraps random data keys (DEKs) stored in `encryption_keys`. Values
 * are sealed with the active data key and name it, so keys can be rotated without downtime.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db';
import { encryptionKeys } from './schema';
import { log } from '../log';

export class KeyError extends Error {}

export interface MasterKey {
	id: string;
	key: Buffer;
}

/** A short fingerprint: lets the platform say "wrong master key" instead of failing to decrypt. */
export function masterKeyId(key: Buffer): string {
	return createHash('sha256').update('tsunagu-master-key').update(key).digest('hex').slice(0, 16);
}

function decodeKey(text: string, source: string): Buffer {
	const key = Buffer.from(text.trim(), text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
	if (key.length !== 32) throw new KeyError(`${source} must hold 32 bytes in base64 (it holds ${key.length})`);
	return key;
}

export function masterKeyFile(env: NodeJS.ProcessEnv = process.env): string {
	return path.resolve(env.MASTER_KEY_FILE || path.join(env.DATA_DIR || 'data', 'keys', 'master.key'));
}

/** Write a new random master key file (mode 600 in a 700 folder). */
export function createMasterKeyFile(file: string): MasterKey {
	mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
	const key = randomBytes(32);
	writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
	chmodSync(file, 0o600);
	return { id: masterKeyId(key), key };
}

/**
 * The current master key, and a previous one during a master-key rotation. Without either the
 * environment or the file, a key file is created on first use (a fresh install).
 */
export function loadMasterKeys(env: NodeJS.ProcessEnv = process.env): { current: MasterKey; previous: MasterKey | null } {
	let current: MasterKey;
	if (env.TSUNAGU_MASTER_KEY) {
		const key = decodeKey(env.TSUNAGU_MASTER_KEY, 'TSUNAGU_MASTER_KEY');
		current = { id: masterKeyId(key), key };
	} else {
		const file = masterKeyFile(env);
		if (existsSync(file)) {
			const key = decodeKey(readFileSync(file, 'utf8'), file);
			current = { id: masterKeyId(key), key };
		} else {
			current = createMasterKeyFile(file);
			log.warn('master_key_created', { file, hint: 'back this file up separately from the database (see README)' });
		}
	}
	let previous: MasterKey | null = null;
	const previousText = env.TSUNAGU_MASTER_KEY_PREVIOUS || (existsSync(masterKeyFile(env) + '.previous') ? readFileSync(masterKeyFile(env) + '.previous', 'utf8') : '');
	if (previousText) {
		const key = decodeKey(previousText, 'the previous master key');
		previous = { id: masterKeyId(key), key };
	}
	return { current, previous };
}

/** AES-256-GCM: base64url(iv | tag | ciphertext), bound to `aad`. */
export function seal(key: Buffer, plaintext: Buffer, aad: string): string {
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', key, iv);
	cipher.setAAD(Buffer.from(aad, 'utf8'));
	const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
	return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The inverse of seal; throws when the key, the data or the binding is not the one sealed. */
export function open(key: Buffer, sealed: string, aad: string): Buffer {
	const raw = Buffer.from(sealed, 'base64url');
	if (raw.length < 28) throw new KeyError('sealed value too short');
	const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
	decipher.setAAD(Buffer.from(aad, 'utf8'));
	decipher.setAuthTag(raw.subarray(12, 28));
	return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
}

export interface DataKey {
	id: string;
	key: Buffer;
}

/**
 * Data keys of this process, unwrapped once. Tied to the master keys they were loaded with;
 * `resetKeyCache` forgets them (tests, rotation).
 */
let masters: ReturnType<typeof loadMasterKeys> | null = null;
const unwrapped = new Map<string, Buffer>();

export function resetKeyCache(): void {
	masters = null;
	unwrapped.clear();
}

export function masterKeys() {
	masters ??= loadMasterKeys();
	return masters;
}

export function unwrapWith(master: MasterKey, row: { id: string; wrappedKey: string; masterKeyId: string }): Buffer {
	if (row.masterKeyId !== master.id) throw new KeyError(`the master key (${master.id}) is not the one that wrapped data key ${row.id} (${row.masterKeyId})`);
	return open(master.key, row.wrappedKey, `data-key:${row.id}`);
}

function masterFor(masterId: string): MasterKey {
	const { current, previous } = masterKeys();
	if (current.id === masterId) return current;
	if (previous?.id === masterId) return previous;
	throw new KeyError(`no master key with id ${masterId} is configured (current: ${current.id}); is TSUNAGU_MASTER_KEY or the key file the right one?`);
}

export async function dataKeyById(db: Db, id: string): Promise<Buffer> {
	const cached = unwrapped.get(id);
	if (cached) return cached;
	const [row] = await db.select().from(encryptionKeys).where(eq(encryptionKeys.id, id));
	if (!row) throw new KeyError(`unknown data key ${id}`);
	const key = unwrapWith(masterFor(row.masterKeyId), row);
	unwrapped.set(id, key);
	return key;
}

export async function createDataKey(db: Db): Promise<DataKey> {
	const { current } = masterKeys();
	const id = `k${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
	const key = randomBytes(32);
	await db.insert(encryptionKeys).values({ id, wrappedKey: seal(current.key, key, `data-key:${id}`), masterKeyId: current.id });
	unwrapped.set(id, key);
	return { id, key };
}

/** The key new values are sealed with; created on first use. */
export async function activeDataKey(db: Db): Promise<DataKey> {
	const [row] = await db.select().from(encryptionKeys).where(isNull(encryptionKeys.retiredAt)).orderBy(desc(encryptionKeys.createdAt)).limit(1);
	if (!row) return createDataKey(db);
	return { id: row.id, key: await dataKeyById(db, row.id) };
}
