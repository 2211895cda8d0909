/** Envelope encryption: binding, tampering, wrong keys, and rotation of data and master keys. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { testDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../db';
import { asSystem } from '../db/tenant';
import { users } from '../auth/schema';
import { encryptionKeys } from './schema';
import { decryptText, encryptText, isSealed, keyIdOf, resetKeyCache, rotateKeys, DecryptionError, loadMasterKeys } from './index';

let database: Database;
const keyDir = mkdtempSync(path.join(tmpdir(), 'tsunagu-keys-'));
const saved = { key: process.env.TSUNAGU_MASTER_KEY, previous: process.env.TSUNAGU_MASTER_KEY_PREVIOUS, file: process.env.MASTER_KEY_FILE };
const masterA = randomBytes(32).toString('base64');
const masterB = randomBytes(32).toString('base64');

function useMaster(current: string | undefined, previous?: string) {
	if (current) process.env.TSUNAGU_MASTER_KEY = current;
	else delete process.env.TSUNAGU_MASTER_KEY;
	if (previous) process.env.TSUNAGU_MASTER_KEY_PREVIOUS = previous;
	else delete process.env.TSUNAGU_MASTER_KEY_PREVIOUS;
	resetKeyCache();
}

const row = (rowId: string) => ({ table: 'users', column: 'totp_secret', rowId });

beforeAll(async () => {
	database = await testDatabase();
	process.env.MASTER_KEY_FILE = path.join(keyDir, 'master.key');
});
afterEach(() => useMaster(masterA));
afterAll(async () => {
	for (const [name, value] of [['TSUNAGU_MASTER_KEY', saved.key], ['TSUNAGU_MASTER_KEY_PREVIOUS', saved.previous], ['MASTER_KEY_FILE', saved.file]] as const) {
		if (value === undefined) delete process.env[name];
		else process.env[name] = value;
	}
	resetKeyCache();
	rmSync(keyDir, { recursive: true, force: true });
	await database.close();
});

describe('envelope encryption', () => {
	it('creates a private master key file on first use when none is configured', () => {
		useMaster(undefined);
		const { current } = loadMasterKeys();
		const file = path.join(keyDir, 'master.key');
		expect(statSync(file).mode & 0o777).toBe(0o600);
		expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toHaveLength(32);
		expect(loadMasterKeys().current.id).toBe(current.id);
	});

	it('round-trips Japanese text; the sealed value names its data key and hides the text', async () => {
		useMaster(masterA);
		const text = '死にたいと書かれたメッセージ — 相談メモ';
		const sealed = await encryptText(database.db, text, row('11111111-1111-4111-8111-111111111111'));
		expect(isSealed(sealed)).toBe(true);
		expect(sealed).toMatch(/^enc:v1:k[0-9a-z]+:[A-Za-z0-9_-]+$/);
		expect(sealed).not.toContain('相談');
		expect(await decryptText(database.db, sealed, row('11111111-1111-4111-8111-111111111111'))).toBe(text);
		// A fresh nonce each time: the same text never seals the same way twice.
		expect(await encryptText(database.db, text, row('11111111-1111-4111-8111-111111111111'))).not.toBe(sealed);
	});

	it('refuses a value moved to another row, column or organisation, or altered', async () => {
		useMaster(masterA);
		const context = { table: 'notes', column: 'body', rowId: 'a', organizationId: 'org-1' };
		const sealed = await encryptText(database.db, 'メモ', context);
		await expect(decryptText(database.db, sealed, { ...context, rowId: 'b' })).rejects.toBeInstanceOf(DecryptionError);
		await expect(decryptText(database.db, sealed, { ...context, column: 'title' })).rejects.toBeInstanceOf(DecryptionError);
		await expect(decryptText(database.db, sealed, { ...context, organizationId: 'org-2' })).rejects.toBeInstanceOf(DecryptionError);
		const flipped = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'B' : 'A') + sealed.slice(-1);
		await expect(decryptText(database.db, flipped, context)).rejects.toBeInstanceOf(DecryptionError);
		await expect(decryptText(database.db, 'enc:v1:knotakey:AAAA', context)).rejects.toThrow(/unknown data key/);
	});

	it('says clearly when the master key is not the one that wrapped the data key', async () => {
		useMaster(masterA);
		const sealed = await encryptText(database.db, 'secret', row('22222222-2222-4222-8222-222222222222'));
		useMaster(masterB);
		await expect(decryptText(database.db, sealed, row('22222222-2222-4222-8222-222222222222'))).rejects.toThrow(/master key/);
	});
});

describe('rotation', () => {
	async function userWithSecret(email: string, secret: string) {
		return asSystem(database.db, async (tx) => {
			const [user] = await tx.insert(users).values({ email, displayName: 'x', passwordHash: 'x' }).returning({ id: users.id });
			await tx.update(users).set({ totpSecret: await encryptText(tx, secret, row(user.id)) }).where(eq(users.id, user.id));
			return user.id;
		});
	}
	const sealedOf = async (id: string) => (await asSystem(database.db, (tx) => tx.select({ v: users.totpSecret }).from(users).where(eq(users.id, id))))[0].v!;

	it('re-encrypts every registered value with a new data key and removes the old keys', async () => {
		useMaster(masterA);
		const ids = [await userWithSecret('rot1@example.org', 'JBSWY3DPEHPK3PXP'), await userWithSecret('rot2@example.org', 'KRSXG5CTMVRXEZLU')];
		const before = await Promise.all(ids.map(sealedOf));
		const report = await rotateKeys(database.db);
		expect(report.reencrypted['users.totp_secret']).toBeGreaterThanOrEqual(2);
		for (const [i, id] of ids.entries()) {
			const after = await sealedOf(id);
			expect(keyIdOf(after)).toBe(report.newKeyId);
			expect(after).not.toBe(before[i]);
			expect(await decryptText(database.db, after, row(id))).toBe(i === 0 ? 'JBSWY3DPEHPK3PXP' : 'KRSXG5CTMVRXEZLU');
		}
		expect(report.retired).toContain(keyIdOf(before[0]));
		const keys = await database.db.select().from(encryptionKeys);
		expect(keys.filter((k) => k.retiredAt === null).map((k) => k.id)).toEqual([report.newKeyId]);
		// Run again: idempotent.
		const again = await rotateKeys(database.db);
		expect(again.reencrypted['users.totp_secret']).toBeGreaterThanOrEqual(2);
	});

	it('moves everything to a new master key, reading the old one as the previous key', async () => {
		useMaster(masterA);
		const id = await userWithSecret('rot3@example.org', 'GEZDGNBVGY3TQOJQ');
		useMaster(masterB, masterA);
		const report = await rotateKeys(database.db);
		expect(report.rewrapped).toBeGreaterThan(0);
		useMaster(masterB);
		expect(await decryptText(database.db, await sealedOf(id), row(id))).toBe('GEZDGNBVGY3TQOJQ');
		const wrappers = await database.db.execute<{ n: number }>(sql`select count(distinct master_key_id)::int as n from encryption_keys`);
		expect(wrappers.rows[0].n).toBe(1);
	});
});
