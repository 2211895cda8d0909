/**
 * Time-based one-time passwords (RFC 6238) with otpauth, and one-time recovery codes. The TOTP
 * secret is made by the server and stored envelope-encrypted (crypto/), bound to the user's row:
 * while enrolling in totp_pending_secret, then in totp_secret; the last accepted time step is
 * kept so the same code cannot be replayed.
 */
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../db';
import { encryptText, decryptText, DecryptionError, KeyError } from '../crypto';
import { log } from '../log';
import { recoveryCodes, users } from './schema';
import { tokenDigest } from './tokens';

const ISSUER = 'つなぐ tsunagu';
const PERIOD = 30;
export const RECOVERY_CODE_COUNT = 10;

const sealContext = (userId: string) => ({ table: 'users', column: 'totp_secret', rowId: userId });
const pendingContext = (userId: string) => ({ table: 'users', column: 'totp_pending_secret', rowId: userId });
const codeKeyContext = (userId: string) => ({ table: 'users', column: 'recovery_code_key', rowId: userId });

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

/**
 * The key shown while the person enrols, kept sealed on their row so a reload (after copying it
 * into the app) shows the same one. Made on first use; one that no longer decrypts is replaced.
 * Null once TOTP is on.
 */
export async function pendingTotpSecret(tx: Tx<'account'>, userId: string): Promise<{ secret: string; created: boolean } | null> {
	// FOR UPDATE: two tabs opening the page at once see the same key, not two.
	const [row] = await tx.select({ sealed: users.totpPendingSecret, enabledAt: users.totpEnabledAt }).from(users).where(eq(users.id, userId)).for('update');
	// Already enrolled (also: the page reloading right after the enrolling request): no key to show.
	if (!row || row.enabledAt) return null;
	if (row.sealed) {
		try {
			return { secret: await decryptText(tx, row.sealed, pendingContext(userId)), created: false };
		} catch (error) {
			if (!(error instanceof DecryptionError)) throw error;
			log.warn('totp_pending_secret_unreadable', { userId, reason: error.message });
		}
	}
	return { secret: await renewTotpSecret(tx, userId), created: true };
}

/** A new enrolment key, replacing the pending one (the person asked for it). */
export async function renewTotpSecret(tx: Tx<'account'>, userId: string): Promise<string> {
	const secret = newTotpSecret();
	const sealed = await encryptText(tx, secret, pendingContext(userId));
	// Never once TOTP is on: a pending key then would be a second way in waiting to be confirmed.
	await tx
		.update(users)
		.set({ totpPendingSecret: sealed, updatedAt: new Date() })
		.where(and(eq(users.id, userId), isNull(users.totpEnabledAt)));
	return secret;
}

/**
 * Finish enrolment with a code from the app, checked against the key the server keeps (never one
 * sent by the browser). Returns fresh recovery codes, or null when the code does not match.
 */
export async function confirmTotpEnrolment(tx: Tx<'account'>, userId: string, email: string, code: string, now = Date.now()): Promise<string[] | null> {
	const [row] = await tx.select({ sealed: users.totpPendingSecret }).from(users).where(eq(users.id, userId)).for('update');
	if (!row?.sealed) return null;
	let secret: string;
	try {
		secret = await decryptText(tx, row.sealed, pendingContext(userId));
	} catch (error) {
		if (!(error instanceof DecryptionError)) throw error;
		return null;
	}
	const step = matchingStep(secret, email, code, now);
	return step === null ? null : enableTotp(tx, userId, secret, step);
}

/** Turn TOTP on after the person proved their app shows the right code. Returns fresh recovery codes. */
export async function enableTotp(tx: Tx<'account'>, userId: string, secret: string, step: number): Promise<string[]> {
	const sealed = await encryptText(tx, secret, sealContext(userId));
	await tx.update(users).set({ totpSecret: sealed, totpPendingSecret: null, totpEnabledAt: new Date(), totpLastStep: step, updatedAt: new Date() }).where(eq(users.id, userId));
	return replaceRecoveryCodes(tx, userId);
}

export async function disableTotp(tx: Tx<'account'>, userId: string): Promise<void> {
	await tx.update(users).set({ totpSecret: null, totpPendingSecret: null, recoveryCodeKey: null, totpEnabledAt: null, totpLastStep: null, updatedAt: new Date() }).where(eq(users.id, userId));
	await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
}

/** Check a code at login; accepts each time step once. */
export async function verifyTotp(tx: Tx<'account'>, userId: string, code: string, now = Date.now()): Promise<boolean> {
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

/**
 * Recovery codes look like 4k7m-9qx2-hbte-r6wn-3pcz: five groups of four from 31 symbols without
 * look-alikes (no 0/o, 1/l/i), about 99 bits each, shown once.
 */
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const RECOVERY_GROUPS = 5;
const RECOVERY_LENGTH = RECOVERY_GROUPS * 4;
/** The codes made before these: eight symbols, stored as plain SHA-256 digests. */
const LEGACY_LENGTH = 8;
const KEYED = 'h1:';

function newRecoveryCode(): string {
	const pick = () => Array.from({ length: 4 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
	return Array.from({ length: RECOVERY_GROUPS }, pick).join('-');
}

/**
 * What the person meant, whatever the keyboard did: full-width letters and dashes from a Japanese
 * input method (NFKC), capitals, spaces, hyphens and long-vowel marks are all let go.
 */
const normalizeRecoveryCode = (code: string) =>
	code
		.normalize('NFKC')
		.toLowerCase()
		.replace(/[^a-z0-9]/g, '');

const keyedDigest = (key: Buffer, normalized: string) => KEYED + createHmac('sha256', key).update(normalized).digest('hex');

/** The person's recovery-code key, or null when they have none or it no longer decrypts. */
async function recoveryKeyOf(tx: Tx<'account'>, userId: string): Promise<Buffer | null> {
	const [row] = await tx.select({ sealed: users.recoveryCodeKey }).from(users).where(eq(users.id, userId));
	if (!row?.sealed) return null;
	try {
		return Buffer.from(await decryptText(tx, row.sealed, codeKeyContext(userId)), 'base64');
	} catch (error) {
		if (!(error instanceof DecryptionError || error instanceof KeyError)) throw error;
		log.error('recovery_code_key_unreadable', { userId, reason: error.message });
		return null;
	}
}

/** New codes under a new key; every earlier code (old format included) stops working. */
export async function replaceRecoveryCodes(tx: Tx<'account'>, userId: string): Promise<string[]> {
	const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
	const key = randomBytes(32);
	await tx
		.update(users)
		.set({ recoveryCodeKey: await encryptText(tx, key.toString('base64'), codeKeyContext(userId)) })
		.where(eq(users.id, userId));
	await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
	await tx.insert(recoveryCodes).values(codes.map((code) => ({ userId, codeHash: keyedDigest(key, normalizeRecoveryCode(code)) })));
	return codes;
}

/** Use up one recovery code; false when unknown or already used. */
export async function useRecoveryCode(tx: Tx<'account'>, userId: string, code: string): Promise<boolean> {
	const normalized = normalizeRecoveryCode(code);
	let digest: string;
	if (normalized.length === RECOVERY_LENGTH) {
		const key = await recoveryKeyOf(tx, userId);
		if (!key) return false;
		digest = keyedDigest(key, normalized);
	} else if (normalized.length === LEGACY_LENGTH) {
		digest = tokenDigest(normalized);
	} else {
		return false;
	}
	// Found by its digest: an index lookup, not a comparison that leaks how much of a guess matched.
	const used = await tx
		.update(recoveryCodes)
		.set({ usedAt: new Date() })
		.where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, digest), isNull(recoveryCodes.usedAt)))
		.returning({ userId: recoveryCodes.userId });
	return used.length === 1;
}

/** Unused codes, and how many of them are of the old short format (the page asks to replace them). */
export async function recoveryCodeStatus(tx: Tx<'account'>, userId: string): Promise<{ remaining: number; legacy: number }> {
	const rows = await tx
		.select({ hash: recoveryCodes.codeHash })
		.from(recoveryCodes)
		.where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
	return { remaining: rows.length, legacy: rows.filter((r) => !r.hash.startsWith(KEYED)).length };
}
