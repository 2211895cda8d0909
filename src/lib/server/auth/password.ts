/**
 * Passwords: argon2id through @node-rs/argon2 with its defaults (m=19 MiB, t=2, p=1 — the OWASP
 * minimum for argon2id). A login for an unknown address verifies against a dummy hash, so the
 * answer takes as long as for a real account.
 */
import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

// Common choices that pass a length rule; the full breached-password check needs a network call.
const TOO_COMMON = new Set(['password1234', '123456789012', 'qwertyuiopas', 'passwordpassword', 'aaaaaaaaaaaa', 'tsunagutsunagu', 'abcdefghijkl', '111111111111']);

export type PasswordProblem = 'too_short' | 'too_long' | 'too_common';

/** ASVS 2.1: at least 12 characters, at most 128, any characters (spaces, Japanese) allowed. */
export function passwordProblem(password: string): PasswordProblem | null {
	const length = [...password].length;
	if (length < PASSWORD_MIN_LENGTH) return 'too_short';
	if (length > PASSWORD_MAX_LENGTH) return 'too_long';
	if (TOO_COMMON.has(password.toLowerCase()) || new Set(password).size < 4) return 'too_common';
	return null;
}

/**
 * A new password typed twice, as every form that sets one reads it (account, reset, invitation).
 * Messages are i18n keys; the mismatch is reported only once the password itself is acceptable.
 */
export const newPasswordPair = z
	.object({
		password: z.string().superRefine((password, ctx) => {
			const problem = passwordProblem(password);
			if (problem) ctx.addIssue({ code: 'custom', message: `auth.password.${problem}` });
		}),
		confirm: z.string()
	})
	.refine((f) => passwordProblem(f.password) !== null || f.password === f.confirm, { path: ['confirm'], message: 'auth.password.mismatch', when: () => true });

export function hashPassword(password: string): Promise<string> {
	return hash(password.normalize('NFKC'));
}

let dummy: Promise<string> | undefined;

/** Verify `password` against `stored`, or spend the same time on a dummy hash when there is none. */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
	const normalized = password.normalize('NFKC').slice(0, PASSWORD_MAX_LENGTH * 4);
	if (!stored) {
		dummy ??= hash('tsunagu-dummy-password');
		await verify(await dummy, normalized).catch(() => false);
		return false;
	}
	return verify(stored, normalized).catch(() => false);
}
