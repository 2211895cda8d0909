/**
 * The key hierarchy of envelope encryption.
 *
 * - The **master key** (key-encryption key) never enters the database: TSUNAGU_MASTER_KEY (32 bytes,
 *   base64 or base64url), else the key file MASTER_KEY_FILE, default DATA_DIR/keys/master.key. A
 *   fresh install creates the file (mode 600, folder 700) on first use. Its id is a fingerprint, so
 *   a wrong key is named as such instead of surfacing as a failed decryption. During a master-key
 *   rotation the old key is the *previous* key: TSUNAGU_MASTER_KEY_PREVIOUS or `<file>.previous`.
 * - **Data keys** are random 32-byte AES-256-GCM keys, stored in `encryption_keys` wrapped by the
 *   master key (AES-256-GCM, the key id as associated data). One is active (retired_at null); new
 *   values are sealed with it and name it. Unwrapped data keys stay in this process's memory.
 *
 * Random 96-bit nonces allow about 2^32 encryptions per key (NIST SP 800-38D, 8.3). One encryption
 * is one value written; a regional network writes a few thousand notes a day, far below the cap.
 * `npm run keys:rotate` starts a new data key; the README asks for it yearly.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { and, desc, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Pool, Reader } from '../db';

/** What the key helpers use of a handle: the caller's, or the transaction that creates a key. */
type KeyStore = Pick<Reader, 'select' | 'insert'>;
import { encryptionKeys } from './schema';
import { log } from '../log';

/** A problem with keys or their configuration (not with one value): wrong or missing master key. */
export class KeyError extends Error {
	override name = 'KeyError';
}

export interface MasterKey {
	id: string;
	key: Buffer;
}

export interface MasterKeys {
	current: MasterKey;
	previous: MasterKey | null;
	/** Where the current key came from, for messages. */
	source: string;
}

/** A short fingerprint: lets the platform say "wrong master key" instead of failing to decrypt. */
export function masterKeyId(key: Buffer): string {
	return createHash('sha256').update('tsunagu-master-key').update(key).digest('hex').slice(0, 16);
}

function decodeKey(text: string, source: string): Buffer {
	const trimmed = text.trim();
	// Node's base64 decoder reads both alphabets (+/ and -_) and skips anything else; refuse that.
	const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : Buffer.alloc(0);
	if (key.length !== 32) throw new KeyError(`${source} must hold 32 bytes in base64 or base64url (it holds ${key.length} readable bytes)`);
	return key;
}

export function masterKeyFile(env: NodeJS.ProcessEnv = process.env): string {
	return path.resolve(env.MASTER_KEY_FILE || path.join(env.DATA_DIR || 'data', 'keys', 'master.key'));
}

export const previousKeyFile = (file: string) => `${file}.previous`;

function readKeyFile(file: string): MasterKey {
	const mode = statSync(file).mode & 0o777;
	if (mode & 0o077) log.warn('master_key_file_readable_by_others', { file, mode: mode.toString(8), hint: 'chmod 600' });
	const key = decodeKey(readFileSync(file, 'utf8'), file);
	return { id: masterKeyId(key), key };
}

/**
 * Write a new random master key file: mode 600, in a folder of mode 700 when this creates it,
 * flushed to disk before it is used. If another process wrote one first, that one is returned.
 */
export function createMasterKeyFile(file: string): MasterKey {
	const dir = path.dirname(file);
	// Only the key folder is private: DATA_DIR itself must stay reachable by the database server.
	mkdirSync(path.dirname(dir), { recursive: true });
	try {
		mkdirSync(dir, { mode: 0o700 });
		chmodSync(dir, 0o700);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
	}
	const key = randomBytes(32);
	const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
	const fd = openSync(temporary, 'wx', 0o600);
	try {
		writeSync(fd, key.toString('base64') + '\n');
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
	chmodSync(temporary, 0o600);
	try {
		linkSync(temporary, file); // atomic, and fails if the file appeared meanwhile
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		return readKeyFile(file);
	} finally {
		unlinkSync(temporary);
	}
	const dirFd = openSync(dir, 'r');
	try {
		fsyncSync(dirFd);
	} finally {
		closeSync(dirFd);
	}
	return { id: masterKeyId(key), key };
}

/** The configured master keys, or null when neither TSUNAGU_MASTER_KEY nor the key file exists. */
export function loadMasterKeys(env: NodeJS.ProcessEnv = process.env): MasterKeys | null {
	const file = masterKeyFile(env);
	let current: MasterKey;
	let source: string;
	if (env.TSUNAGU_MASTER_KEY) {
		const key = decodeKey(env.TSUNAGU_MASTER_KEY, 'TSUNAGU_MASTER_KEY');
		current = { id: masterKeyId(key), key };
		source = 'TSUNAGU_MASTER_KEY';
	} else if (existsSync(file)) {
		current = readKeyFile(file);
		source = file;
	} else {
		return null;
	}
	let previous: MasterKey | null = null;
	if (env.TSUNAGU_MASTER_KEY_PREVIOUS) {
		const key = decodeKey(env.TSUNAGU_MASTER_KEY_PREVIOUS, 'TSUNAGU_MASTER_KEY_PREVIOUS');
		previous = { id: masterKeyId(key), key };
	} else if (!env.TSUNAGU_MASTER_KEY && existsSync(previousKeyFile(file))) {
		previous = readKeyFile(previousKeyFile(file));
	}
	return { current, previous, source };
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
	if (raw.length < 28) throw new Error('sealed value too short');
	const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12), { authTagLength: 16 });
	decipher.setAAD(Buffer.from(aad, 'utf8'));
	decipher.setAuthTag(raw.subarray(12, 28));
	return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
}

export interface DataKey {
	id: string;
	key: Buffer;
}

type KeyRow = typeof encryptionKeys.$inferSelect;

let masters: MasterKeys | null = null;
const unwrapped = new Map<string, Buffer>();

/** Forget the master keys and unwrapped data keys of this process; the next use reads them again. */
export function resetKeyCache(): void {
	masters = null;
	unwrapped.clear();
}

/**
 * The master keys, created on first use — but only while the database holds no data key: a key
 * file missing beside wrapped data keys means a restore without its key, and a new key would
 * only hide that.
 */
export async function masterKeys(db: KeyStore): Promise<MasterKeys> {
	if (masters) return masters;
	const loaded = loadMasterKeys();
	if (loaded) return (masters = loaded);
	const file = masterKeyFile();
	const [wrapped] = await db.select({ id: encryptionKeys.id, masterKeyId: encryptionKeys.masterKeyId }).from(encryptionKeys).limit(1);
	if (wrapped) {
		throw new KeyError(`no master key: TSUNAGU_MASTER_KEY is not set and ${file} does not exist, but the database holds data keys wrapped by master key ${wrapped.masterKeyId}; restore that key file from its backup (or set TSUNAGU_MASTER_KEY)`);
	}
	const current = createMasterKeyFile(file);
	log.warn('master_key_created', { file, masterKeyId: current.id, hint: 'back this file up now, separately from database backups (see README, Encryption keys)' });
	return (masters = { current, previous: null, source: file });
}

/** The master key with this id: the current or the previous one, read again once if neither. */
async function masterFor(db: KeyStore, row: KeyRow): Promise<MasterKey> {
	const find = (m: MasterKeys) => (m.current.id === row.masterKeyId ? m.current : m.previous?.id === row.masterKeyId ? m.previous : null);
	let m = await masterKeys(db);
	let found = find(m);
	if (!found) {
		// Another process (keys:rotate --new-master-key) may have replaced the key file.
		masters = null;
		m = await masterKeys(db);
		found = find(m);
	}
	if (!found) throw mismatch(row, m);
	return found;
}

function mismatch(row: KeyRow, m: MasterKeys): KeyError {
	const configured = m.previous ? `${m.current.id} (${m.source}) and previous ${m.previous.id}` : `${m.current.id} (${m.source})`;
	return new KeyError(`the master key does not match the one that wrapped data key ${row.id}: it was wrapped by master key ${row.masterKeyId}, the configured key is ${configured}; point TSUNAGU_MASTER_KEY or MASTER_KEY_FILE at the right key`);
}

const wrapContext = (dataKeyId: string) => `data-key:${dataKeyId}`;

export function wrapDataKey(master: MasterKey, id: string, key: Buffer): string {
	return seal(master.key, key, wrapContext(id));
}

export function unwrapWith(master: MasterKey, row: KeyRow): Buffer {
	try {
		return open(master.key, row.wrappedKey, wrapContext(row.id));
	} catch {
		throw new KeyError(`data key ${row.id} does not unwrap with master key ${master.id}: its stored form was altered`);
	}
}

async function keyOf(db: KeyStore, row: KeyRow): Promise<Buffer> {
	let key = unwrapped.get(row.id);
	if (!key) {
		key = unwrapWith(await masterFor(db, row), row);
		unwrapped.set(row.id, key);
	}
	return key;
}

/** A data key by id, unwrapped; null when no such key exists. */
export async function dataKeyById(db: KeyStore, id: string): Promise<Buffer | null> {
	const cached = unwrapped.get(id);
	if (cached) return cached;
	const [row] = await db.select().from(encryptionKeys).where(eq(encryptionKeys.id, id));
	return row ? keyOf(db, row) : null;
}

/** Serialises creating data keys, so there is one active key even when processes start together. */
const CREATE_LOCK = 727172;

async function insertDataKey(tx: KeyStore): Promise<DataKey> {
	const { current } = await masterKeys(tx);
	const id = `k${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
	const key = randomBytes(32);
	await tx.insert(encryptionKeys).values({ id, wrappedKey: wrapDataKey(current, id, key), masterKeyId: current.id });
	unwrapped.set(id, key);
	return { id, key };
}

/**
 * The active key row, locked FOR KEY SHARE: inside the caller's transaction this holds off
 * keys:rotate from deleting the key until the value sealed with it is committed and visible.
 */
async function activeRow(db: KeyStore): Promise<KeyRow | undefined> {
	const [row] = await db.select().from(encryptionKeys).where(isNull(encryptionKeys.retiredAt)).orderBy(desc(encryptionKeys.createdAt), desc(encryptionKeys.id)).limit(1).for('key share');
	return row;
}

/** The key new values are sealed with; created on first use. */
export async function activeDataKey(db: Reader): Promise<DataKey> {
	const row = await activeRow(db);
	if (row) return { id: row.id, key: await keyOf(db, row) };
	return db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(${CREATE_LOCK})`);
		const again = await activeRow(tx);
		if (again) return { id: again.id, key: await keyOf(tx, again) };
		return insertDataKey(tx);
	});
}

/** Make a new data key the active one and retire every other (one transaction). */
export async function startNewDataKey(db: Pool): Promise<DataKey> {
	return db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(${CREATE_LOCK})`);
		const fresh = await insertDataKey(tx);
		await tx
			.update(encryptionKeys)
			.set({ retiredAt: sql`now()` })
			.where(and(isNull(encryptionKeys.retiredAt), ne(encryptionKeys.id, fresh.id)));
		return fresh;
	});
}

/** The active key if a rotation left retired keys behind (it did not finish); else null. */
export async function unfinishedRotation(db: Pool): Promise<DataKey | null> {
	return db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(${CREATE_LOCK})`);
		const [retired] = await tx
			.select({ id: encryptionKeys.id })
			.from(encryptionKeys)
			.where(sql`${encryptionKeys.retiredAt} is not null`)
			.limit(1);
		const active = await activeRow(tx);
		if (!retired || !active) return null;
		return { id: active.id, key: await keyOf(tx, active) };
	});
}

/**
 * Re-wrap every data key still wrapped by the previous master key with the current one. A key
 * wrapped by neither stops everything with the "does not match" error.
 */
export async function rewrapDataKeys(db: Pool): Promise<number> {
	const m = await masterKeys(db);
	let rewrapped = 0;
	for (const row of await db.select().from(encryptionKeys).where(ne(encryptionKeys.masterKeyId, m.current.id))) {
		if (m.previous?.id !== row.masterKeyId) throw mismatch(row, m);
		const key = unwrapWith(m.previous, row);
		const done = await db
			.update(encryptionKeys)
			.set({ wrappedKey: wrapDataKey(m.current, row.id, key), masterKeyId: m.current.id })
			.where(and(eq(encryptionKeys.id, row.id), eq(encryptionKeys.masterKeyId, row.masterKeyId)))
			.returning({ id: encryptionKeys.id });
		rewrapped += done.length;
	}
	return rewrapped;
}
