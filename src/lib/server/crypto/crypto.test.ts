/** Envelope encryption: the master key file, binding, tampering, wrong keys, rotation and keys:rotate. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { eq, isNull, sql } from 'drizzle-orm';
import { testDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../db';
import { asSystem } from '../db/tenant';
import { users } from '../auth/schema';
import { encryptionKeys } from './schema';
import { startNewDataKey } from './keys';
import { decryptText, encryptText, isSealed, keyIdOf, loadMasterKeys, resetKeyCache, rotateKeys, DecryptionError, KeyError, type SealContext } from './index';

let database: Database;
const keyDir = mkdtempSync(path.join(tmpdir(), 'tsunagu-keys-'));
const saved = Object.fromEntries(['TSUNAGU_MASTER_KEY', 'TSUNAGU_MASTER_KEY_PREVIOUS', 'MASTER_KEY_FILE'].map((name) => [name, process.env[name]]));
const masterA = randomBytes(32).toString('base64');
const masterB = randomBytes(32).toString('base64');

function setEnv(name: string, value: string | undefined) {
	if (value === undefined) delete process.env[name];
	else process.env[name] = value;
}

/** Configure the master key(s) as an operator would, and forget what this process had loaded. */
function useMaster(current: string | undefined, previous?: string, file = path.join(keyDir, 'unused', 'master.key')) {
	setEnv('TSUNAGU_MASTER_KEY', current);
	setEnv('TSUNAGU_MASTER_KEY_PREVIOUS', previous);
	setEnv('MASTER_KEY_FILE', file);
	resetKeyCache();
}

const row = (rowId: string): SealContext => ({ table: 'users', column: 'totp_secret', rowId });

async function userWithSecret(secret: string): Promise<string> {
	return asSystem(database.db, async (tx) => {
		const email = `${randomBytes(6).toString('hex')}@example.org`;
		const [user] = await tx.insert(users).values({ email, displayName: '暗号 テスト', passwordHash: 'x' }).returning({ id: users.id });
		await tx
			.update(users)
			.set({ totpSecret: await encryptText(tx, secret, row(user.id)) })
			.where(eq(users.id, user.id));
		return user.id;
	});
}

const sealedOf = async (id: string) => (await asSystem(database.db, (tx) => tx.select({ v: users.totpSecret }).from(users).where(eq(users.id, id))))[0].v!;
const setSealed = (id: string, value: string | null) => asSystem(database.db, (tx) => tx.update(users).set({ totpSecret: value }).where(eq(users.id, id)));
const keyRows = () => database.db.select().from(encryptionKeys);
const activeKeyIds = async () => (await database.db.select({ id: encryptionKeys.id }).from(encryptionKeys).where(isNull(encryptionKeys.retiredAt))).map((r) => r.id);

beforeAll(async () => {
	database = await testDatabase();
});
// Every test starts from an installation without data keys or encrypted values, under master key A.
beforeEach(async () => {
	await asSystem(database.db, (tx) => tx.update(users).set({ totpSecret: null }));
	await database.db.delete(encryptionKeys);
	useMaster(masterA);
});
afterAll(async () => {
	for (const [name, value] of Object.entries(saved)) setEnv(name, value);
	resetKeyCache();
	rmSync(keyDir, { recursive: true, force: true });
	await database.close();
});

describe('master key', () => {
	it('a fresh install creates a private key file on first use, flushed and reused', async () => {
		const file = path.join(keyDir, 'fresh', 'keys', 'master.key');
		useMaster(undefined, undefined, file);
		const sealed = await encryptText(database.db, '初回', row('r1'));
		expect(statSync(file).mode & 0o777).toBe(0o600);
		expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
		expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toHaveLength(32);
		const [key] = await keyRows();
		expect(key.masterKeyId).toBe(loadMasterKeys()!.current.id);
		// Another process (a cleared cache) reads the same file and opens the value.
		resetKeyCache();
		expect(await decryptText(database.db, sealed, row('r1'))).toBe('初回');
		expect(loadMasterKeys()!.current.id).toBe(key.masterKeyId);
	});

	it('does not invent a new master key when the database already holds data keys (a restore without its key)', async () => {
		await encryptText(database.db, 'x', row('r1'));
		const file = path.join(keyDir, 'restored', 'master.key');
		useMaster(undefined, undefined, file);
		await expect(encryptText(database.db, 'y', row('r2'))).rejects.toThrow(/no master key.*restore that key file/);
		expect(existsSync(file)).toBe(false);
	});

	it('refuses a master key that is not 32 bytes, and reads base64url as well as base64', async () => {
		useMaster(randomBytes(16).toString('base64'));
		await expect(encryptText(database.db, 'x', row('r1'))).rejects.toBeInstanceOf(KeyError);
		useMaster('not a key at all, just some text to see what happens!!');
		await expect(encryptText(database.db, 'x', row('r1'))).rejects.toThrow(/32 bytes/);
		useMaster(masterA);
		const sealed = await encryptText(database.db, 'x', row('r1'));
		useMaster(Buffer.from(masterA, 'base64').toString('base64url'));
		expect(await decryptText(database.db, sealed, row('r1'))).toBe('x');
	});

	it('names a wrong master key as such, for reading and for writing, and creates nothing', async () => {
		const sealed = await encryptText(database.db, 'secret', row('r1'));
		const keyId = keyIdOf(sealed);
		useMaster(masterB);
		const reading = decryptText(database.db, sealed, row('r1'));
		await expect(reading).rejects.toBeInstanceOf(KeyError);
		await expect(reading).rejects.toThrow(`the master key does not match the one that wrapped data key ${keyId}`);
		await expect(encryptText(database.db, 'more', row('r2'))).rejects.toThrow(/does not match/);
		expect((await keyRows()).map((k) => k.id)).toEqual([keyId]);
	});
});

describe('sealing', () => {
	it('round-trips Japanese text; the value names its data key, hides the text and never repeats', async () => {
		for (const text of ['死にたいと書かれたメッセージ — 相談メモ（要配慮）', '', '🙂 ｶﾀｶﾅ 𠮷野家', '長文'.repeat(5000)]) {
			const sealed = await encryptText(database.db, text, row('11111111-1111-4111-8111-111111111111'));
			expect(isSealed(sealed)).toBe(true);
			expect(sealed).toMatch(/^enc:v1:[A-Za-z0-9]+:[A-Za-z0-9_-]+$/);
			expect(await decryptText(database.db, sealed, row('11111111-1111-4111-8111-111111111111'))).toBe(text);
			// A fresh nonce each time: the same text never seals the same way twice.
			expect(await encryptText(database.db, text, row('11111111-1111-4111-8111-111111111111'))).not.toBe(sealed);
		}
		expect(await activeKeyIds()).toHaveLength(1);
	});

	it('refuses a value moved to another row, column, table or organisation', async () => {
		const context = { table: 'notes', column: 'body', rowId: 'a', organizationId: 'org-1' };
		const sealed = await encryptText(database.db, 'メモ', context);
		expect(await decryptText(database.db, sealed, context)).toBe('メモ');
		for (const moved of [
			{ ...context, rowId: 'b' },
			{ ...context, column: 'title' },
			{ ...context, table: 'messages' },
			{ ...context, organizationId: 'org-2' },
			{ ...context, organizationId: null },
			{ ...context, rowId: 'a", "x' }
		]) {
			await expect(decryptText(database.db, sealed, moved)).rejects.toBeInstanceOf(DecryptionError);
		}
		const unowned = await encryptText(database.db, 'メモ', { ...context, organizationId: undefined });
		expect(await decryptText(database.db, unowned, { ...context, organizationId: null })).toBe('メモ');
		await expect(decryptText(database.db, unowned, context)).rejects.toThrow(/moved from another row, column or organisation/);
	});

	it('refuses a value altered anywhere: nonce, tag, ciphertext, length, or the key it names', async () => {
		const sealed = await encryptText(database.db, '相談内容', row('r1'));
		const [, , keyId, body] = sealed.split(':');
		const raw = Buffer.from(body, 'base64url');
		const variant = (bytes: Buffer, id = keyId) => `enc:v1:${id}:${bytes.toString('base64url')}`;
		const flipped = (at: number) => {
			const copy = Buffer.from(raw);
			copy[at] ^= 0x01;
			return variant(copy);
		};
		for (const altered of [flipped(0), flipped(11), flipped(12), flipped(27), flipped(28), flipped(raw.length - 1), variant(raw.subarray(0, raw.length - 1)), variant(Buffer.concat([raw, Buffer.from([0])]))]) {
			await expect(decryptText(database.db, altered, row('r1'))).rejects.toBeInstanceOf(DecryptionError);
		}
		const other = await startNewDataKey(database.db);
		await expect(decryptText(database.db, variant(raw, other.id), row('r1'))).rejects.toBeInstanceOf(DecryptionError);
		expect(await decryptText(database.db, sealed, row('r1'))).toBe('相談内容');
	});

	it('says which data key is unknown, and refuses what is not a sealed value', async () => {
		const sealed = await encryptText(database.db, 'x', row('r1'));
		const unknown = sealed.replace(/^enc:v1:[A-Za-z0-9]+:/, 'enc:v1:knotakey:');
		await expect(decryptText(database.db, unknown, row('r1'))).rejects.toBeInstanceOf(DecryptionError);
		await expect(decryptText(database.db, unknown, row('r1'))).rejects.toThrow(/data key knotakey, which does not exist/);
		for (const value of ['JBSWY3DPEHPK3PXP', 'enc:v1:', 'enc:v1:k1', 'enc:v1:k1:AAAA', `enc:v2:${sealed.slice(7)}`, `${sealed} `]) {
			expect(isSealed(value)).toBe(false);
			await expect(decryptText(database.db, value, row('r1'))).rejects.toBeInstanceOf(DecryptionError);
		}
		expect(isSealed(null)).toBe(false);
		expect(isSealed(sealed)).toBe(true);
	});

	it('needs a table, column and row id to bind the value to', async () => {
		await expect(encryptText(database.db, 'x', { table: 'users', column: 'totp_secret', rowId: '' })).rejects.toBeInstanceOf(TypeError);
		expect(await keyRows()).toHaveLength(0);
	});
});

describe('rotation', () => {
	it('re-encrypts every registered value with a new data key in batches and deletes the old key', async () => {
		const secrets = ['JBSWY3DPEHPK3PXP', 'KRSXG5CTMVRXEZLU', 'GEZDGNBVGY3TQOJQ'];
		const ids = [];
		for (const secret of secrets) ids.push(await userWithSecret(secret));
		const before = await Promise.all(ids.map(sealedOf));
		const oldKey = keyIdOf(before[0]);
		const progress: number[] = [];
		const report = await rotateKeys(database.db, { batchSize: 2, onProgress: (p) => void progress.push(p.reencrypted) });
		expect(report).toMatchObject({ resumed: false, rewrapped: 0, failed: [], removed: [oldKey], kept: [], reencrypted: { 'users.totp_secret': 3 }, unsealed: { 'users.totp_secret': 0 } });
		expect(progress).toEqual([2, 3]);
		expect(report.activeKeyId).not.toBe(oldKey);
		for (const [i, id] of ids.entries()) {
			const after = await sealedOf(id);
			expect(keyIdOf(after)).toBe(report.activeKeyId);
			expect(await decryptText(database.db, after, row(id))).toBe(secrets[i]);
		}
		expect((await keyRows()).map((k) => k.id)).toEqual([report.activeKeyId]);
		// New values use the new key, also in a process that had the old one cached.
		expect(keyIdOf(await encryptText(database.db, 'x', row('r1')))).toBe(report.activeKeyId);
		// Running it again starts another rotation.
		const again = await rotateKeys(database.db);
		expect(again).toMatchObject({ resumed: false, removed: [report.activeKeyId], reencrypted: { 'users.totp_secret': 3 } });
	});

	it('after a crash half-way, the next run finishes with the same key', async () => {
		const ids = [await userWithSecret('AAAA'), await userWithSecret('BBBB'), await userWithSecret('CCCC')];
		const oldKey = keyIdOf(await sealedOf(ids[0]));
		await expect(
			rotateKeys(database.db, {
				batchSize: 1,
				onProgress: () => {
					throw new Error('power cut');
				}
			})
		).rejects.toThrow('power cut');
		const [midKey] = await activeKeyIds();
		const keyIds = await Promise.all(ids.map(async (id) => keyIdOf(await sealedOf(id))));
		expect(keyIds.filter((k) => k === midKey)).toHaveLength(1);
		expect(keyIds.filter((k) => k === oldKey)).toHaveLength(2);

		const report = await rotateKeys(database.db, { batchSize: 1 });
		expect(report).toMatchObject({ resumed: true, activeKeyId: midKey, reencrypted: { 'users.totp_secret': 2 }, removed: [oldKey], kept: [] });
		for (const [i, id] of ids.entries()) expect(await decryptText(database.db, await sealedOf(id), row(id))).toBe(['AAAA', 'BBBB', 'CCCC'][i]);
		expect((await keyRows()).map((k) => k.id)).toEqual([midKey]);
	});

	it('reports a value that does not decrypt, keeps its key, and finishes once it is cleared', async () => {
		const good = await userWithSecret('GOOD');
		const bad = await userWithSecret('BAD');
		await setSealed(bad, await sealedOf(good)); // moved from another row
		const oldKey = keyIdOf(await sealedOf(good));
		const report = await rotateKeys(database.db);
		expect(report.failed).toEqual([{ column: 'users.totp_secret', rowId: bad, reason: expect.stringMatching(/moved/) }]);
		expect(report).toMatchObject({ reencrypted: { 'users.totp_secret': 1 }, removed: [], kept: [oldKey] });
		expect(await decryptText(database.db, await sealedOf(good), row(good))).toBe('GOOD');

		await setSealed(bad, null);
		const again = await rotateKeys(database.db);
		expect(again).toMatchObject({ resumed: true, activeKeyId: report.activeKeyId, failed: [], removed: [oldKey], kept: [] });
	});

	it('counts values stored in clear in a registered column', async () => {
		const id = await userWithSecret('x');
		await setSealed(id, 'JBSWY3DPEHPK3PXP');
		const report = await rotateKeys(database.db);
		// Every registered column is counted; only the one written in clear has a non-zero count.
		expect(report.unsealed['users.totp_secret']).toBe(1);
		expect(Object.entries(report.unsealed).filter(([column, n]) => column !== 'users.totp_secret' && n !== 0)).toEqual([]);
	});

	it('keeps a retired key while a transaction that sealed a value with it is still open', async () => {
		const oldKey = keyIdOf(await encryptText(database.db, 'warm-up', row('r0')));
		let release!: () => void;
		const gate = new Promise<void>((resolve) => (release = resolve));
		let signalSealed!: () => void;
		const sealedInWriter = new Promise<void>((resolve) => (signalSealed = resolve));
		const writer = asSystem(database.db, async (tx) => {
			const [user] = await tx.insert(users).values({ email: 'late-writer@example.org', displayName: 'x', passwordHash: 'x' }).returning({ id: users.id });
			const value = await encryptText(tx, 'LATE', row(user.id));
			signalSealed();
			await gate;
			await tx.update(users).set({ totpSecret: value }).where(eq(users.id, user.id));
			return { id: user.id, value };
		});
		await sealedInWriter;
		const rotation = rotateKeys(database.db);
		let waiting = false;
		for (let i = 0; i < 100 && !waiting; i++) {
			const locks = await database.db.execute<{ n: number }>(sql`select count(*)::int as n from pg_locks where not granted and relation = 'encryption_keys'::regclass`);
			waiting = locks.rows[0].n > 0;
			if (!waiting) await new Promise((resolve) => setTimeout(resolve, 50));
		}
		release();
		const { id, value } = await writer;
		const report = await rotation;
		expect(waiting).toBe(true);
		expect(keyIdOf(value)).toBe(oldKey);
		expect(report.kept).toEqual([oldKey]);
		expect(await decryptText(database.db, await sealedOf(id), row(id))).toBe('LATE');
		const again = await rotateKeys(database.db);
		expect(again).toMatchObject({ resumed: true, removed: [oldKey], reencrypted: { 'users.totp_secret': 1 } });
		expect(await decryptText(database.db, await sealedOf(id), row(id))).toBe('LATE');
	});

	it('moves every data key to a new master key when the old one is configured as previous', async () => {
		const id = await userWithSecret('GEZDGNBVGY3TQOJQ');
		const before = await keyRows();
		useMaster(masterB);
		await expect(rotateKeys(database.db)).rejects.toThrow(/the master key does not match the one that wrapped data key/);
		expect(await keyRows()).toEqual(before);

		useMaster(masterB, masterA);
		const report = await rotateKeys(database.db);
		expect(report.rewrapped).toBe(1);
		useMaster(masterB);
		const idB = loadMasterKeys()!.current.id;
		expect(await decryptText(database.db, await sealedOf(id), row(id))).toBe('GEZDGNBVGY3TQOJQ');
		expect((await keyRows()).map((k) => k.masterKeyId)).toEqual([idB]);
	});
});

describe('npm run keys:rotate', () => {
	function run(args: string[], env: Record<string, string | undefined>): Promise<{ code: number | null; out: string }> {
		return new Promise((resolve) => {
			const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/keys-rotate.ts', ...args], {
				env: { ...process.env, DATABASE_URL: database.adminUrl, DATABASE_APP_URL: '', DATA_DIR: keyDir, LOG_LEVEL: 'warn', ...env },
				stdio: ['ignore', 'pipe', 'pipe']
			});
			let out = '';
			child.stdout.on('data', (chunk) => (out += chunk));
			child.stderr.on('data', (chunk) => (out += chunk));
			child.on('close', (code) => resolve({ code, out }));
		});
	}

	it('rotates, says what it did and exits 0; names a wrong master key and exits 1', async () => {
		const id = await userWithSecret('SCRIPT');
		const oldKey = keyIdOf(await sealedOf(id));
		const wrong = await run([], { TSUNAGU_MASTER_KEY: masterB, TSUNAGU_MASTER_KEY_PREVIOUS: undefined });
		expect(wrong.code).toBe(1);
		expect(wrong.out).toContain(`the master key does not match the one that wrapped data key ${oldKey}`);

		const ok = await run([], { TSUNAGU_MASTER_KEY: masterA, TSUNAGU_MASTER_KEY_PREVIOUS: undefined });
		expect(ok.out).toMatch(/new data key k[0-9a-z]+/);
		expect(ok.out).toContain('users.totp_secret: 1 value(s) re-encrypted');
		expect(ok.out).toContain(`old data keys deleted: ${oldKey}`);
		expect(ok.code).toBe(0);
		resetKeyCache();
		expect(await decryptText(database.db, await sealedOf(id), row(id))).toBe('SCRIPT');
	});

	it('--new-master-key replaces the key file, re-wraps the data keys and deletes the old file', async () => {
		const file = path.join(keyDir, 'rotate-file', 'keys', 'master.key');
		useMaster(undefined, undefined, file);
		const id = await userWithSecret('FILEKEY');
		const oldText = readFileSync(file, 'utf8');
		const result = await run(['--new-master-key'], { TSUNAGU_MASTER_KEY: undefined, TSUNAGU_MASTER_KEY_PREVIOUS: undefined, MASTER_KEY_FILE: file });
		expect(result.out).toContain(`BACK UP ${file} NOW`);
		expect(result.code).toBe(0);
		expect(readFileSync(file, 'utf8')).not.toBe(oldText);
		expect(statSync(file).mode & 0o777).toBe(0o600);
		expect(existsSync(`${file}.previous`)).toBe(false);
		resetKeyCache();
		expect(await decryptText(database.db, await sealedOf(id), row(id))).toBe('FILEKEY');
		expect(new Set((await keyRows()).map((k) => k.masterKeyId))).toEqual(new Set([loadMasterKeys()!.current.id]));
	});
});
