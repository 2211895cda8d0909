/** Random tokens for cookies and e-mailed links; only their SHA-256 digests are stored. */
import { createHash, randomBytes } from 'node:crypto';

/**
 * 32 bytes from the CSPRNG: 256 bits, 43 characters of base64url. Bearer links (a resident's
 * registration or card) are nothing but this, so guessing one must stay hopeless without any
 * throttle: at a billion guesses a second against a million live links, about 10^54 years.
 */
export const TOKEN_BYTES = 32;
export const TOKEN_LENGTH = 43;

export function newToken(): string {
	return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** Could this be one of our tokens? Anything else is not looked up at all. */
export function isTokenShaped(token: string): boolean {
	return token.length === TOKEN_LENGTH && /^[A-Za-z0-9_-]+$/.test(token);
}

export function tokenDigest(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

/** Addresses are compared trimmed and lower-cased (the local part is case-insensitive in practice). */
export function normalizeEmail(email: string): string {
	return email.normalize('NFKC').trim().toLowerCase();
}
