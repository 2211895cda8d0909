/** Random tokens for cookies and e-mailed links; only their SHA-256 digests are stored. */
import { createHash, randomBytes } from 'node:crypto';

export function newToken(): string {
	return randomBytes(32).toString('base64url');
}

export function tokenDigest(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

/** Addresses are compared trimmed and lower-cased (the local part is case-insensitive in practice). */
export function normalizeEmail(email: string): string {
	return email.normalize('NFKC').trim().toLowerCase();
}
