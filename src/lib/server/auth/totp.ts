/**
 * Time-based one-time passwords (RFC 6238) with otpauth, and one-time recovery codes. The TOTP
 * secret is stored envelope-encrypted (crypto/), bound to the user's row; the last accepted time
 * step is kept so the same code cannot be replayed.
 */
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { randomInt } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db';
import { encryptText, decryptText, DecryptionError, KeyError } from '../crypto';
import { log } from '../log';
import { recoveryCodes, users } from './schema';
import { tokenDigest } from './tokens';

const ISSUER = 'つなぐ tsunagu';
const PERIOD = 30;
export const RECOVERY_CODE_COUNT = 10;

const sealContext = (userId: string) => ({ table: 'users', column: 'totp_secret', rowId: userId });

function totp(secret: string, email: string): TOTP {
	return new TOTP({ issuer: ISSUER, label: email, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: Secret.fromBase32(secret) });
}

export function newTotpSecret(): string {
	return new Secret({ size: 20 }).base32;
}

/** What an authenticator app needs: the otpauth:// URI as a QR code (SVG) and the secret to type. */
export async function enrolmentData(secret: string, email: string) {
	const uri = totp(secret, email).toString();
	const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
	return { uri, qrSvg, secret: secret.replace(/(.{4})/g, '$1 ').trim() };
}

/** The time step a code matches (±1 step for clock drift), or null. */
export function matchingStep(secret: string, email: string, code: string, now = Date.now()): number | null {
	const token = code.replace(/\s/g, '');
	if (!/^\d{6}$/.test(token)) return null;
	const delta = totp(secret, email).validate({ token, timestamp: now, window: 1 });
	return delta === null ? null : Math.floor(now / 1000 / PERIOD) + delta;
}

/** Turn TOTP on after the person proved their app shows the right code. Returns fresh recovery codes. */
export async function enableTotp(tx: Db, userId: string, secret: string, step: number): Promise<string[]> {
	const sealed = await encryptText(tx, secret, sealContext(userId));
	await tx.update(users).set({ totpSecret: sealed, totpEnabledAt: new Date(), totpLastStep: step, updatedAt: new Date() }).where(eq(users.id, userId));
	return replaceRecoveryCodes(tx, userId);
}

export async function disableTotp(tx: Db, userId: string): Promise<void> {
	await tx.update(users).set({ totpSecret: null, totpEnabledAt: null, totpLastStep: null, updatedAt: new Date() }).where(eq(users.id, userId));
	await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
}

/** Check a code at login; accepts each time step once. */
export async function verifyTotp(tx: Db, userId: string, code: string, now = Date.now()): Promise<boolean> {
	const [user] = await tx.select({ email: users.email, secret: users.totpSecret, lastStep: users.totpLastStep }).from(users).where(eq(users.id, userId)).for('update');
	if (!user?.secret) return false;
	let secret: string;
	try {
		secret = await decryptText(tx, user.secret, sealContext(userId));
	} catch (error) {
		// A secret that no longer decrypts (altered row, lost master key) cannot let anyone in; the
		// person can still use a recovery code. The operator must hear about it.
		if (!(error instanceof DecryptionError || error instanceof KeyError)) throw error;
		log.error('totp_secret_unreadable', { userId, reason: error.message });
		return false;
	}
	const step = matchingStep(secret, user.email, code, now);
	if (step === null || (user.lastStep !== null && step <= user.lastStep)) return false;
	await tx.update(users).set({ totpLastStep: step }).where(eq(users.id, userId));
	return true;
}

/** Recovery codes look like 4k7m-9qx2: easy to read aloud, 40 bits each, shown once. */
function newRecoveryCode(): string {
	const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
	const pick = () => Array.from({ length: 4 }, () => alphabet[randomInt(alphabet.length)]).join('');
	return `${pick()}-${pick()}`;
}

const normalizeRecoveryCode = (code: string) => code.trim().toLowerCase().replace(/[^a-z0-9]/g, '');

export async function replaceRecoveryCodes(tx: Db, userId: string): Promise<string[]> {
	const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
	await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
	await tx.insert(recoveryCodes).values(codes.map((code) => ({ userId, codeHash: tokenDigest(normalizeRecoveryCode(code)) })));
	return codes;
}

/** Use up one recovery code; false when unknown or already used. */
export async function useRecoveryCode(tx: Db, userId: string, code: string): Promise<boolean> {
	const normalized = normalizeRecoveryCode(code);
	if (normalized.length !== 8) return false;
	const used = await tx
		.update(recoveryCodes)
		.set({ usedAt: new Date() })
		.where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, tokenDigest(normalized)), isNull(recoveryCodes.usedAt)))
		.returning({ userId: recoveryCodes.userId });
	return used.length === 1;
}

export async function remainingRecoveryCodes(tx: Db, userId: string): Promise<number> {
	const rows = await tx.select({ hash: recoveryCodes.codeHash }).from(recoveryCodes).where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
	return rows.length;
}
