/**
 * Accounts: login (password, then the second factor), password reset by e-mail, password change,
 * and e-mailed links (invitations, resets).
 *
 * Two contexts, each in the type: lookups by address and by token run before anyone is known, as
 * the platform (`beforeSignIn`, ./system.ts: a `Tx<'system'>`); everything a person does to their
 * own account takes their `AccountScope` — from the session (the guard's `requireAccount`), or
 * minted here once this module has identified the person by what stands in for a session (a reset
 * link, the pending session between password and second factor). Each operation opens its own
 * transaction, writes its own audit record as that transaction's last write, and answers an
 * expected refusal as a value.
 */
import { and, eq, gt, gte, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../db';
import { recordAudit, type AuditOrigin } from '../audit';
import { emailTokens, sessions, users, type TokenPurpose } from './schema';
import { hashPassword, verifyPassword } from './password';
import { isTokenShaped, newToken, normalizeEmail, tokenDigest } from './tokens';
import { createSession, deleteSession, deleteUserSessions, type ClientInfo } from './sessions';
import { confirmTotpEnrolment, disableTotp, pendingTotpSecret, recoveryCodeStatus, renewTotpSecret, replaceRecoveryCodes, verifyTotp, useRecoveryCode } from './totp';
import { ok, refused, runIn, type AccountScope, type Ok, type Pool, type Refused, type Result, type SignedInScope } from '../scope';
// By design (like the guard): the module that checks a reset link or a pending session mints the
// account scope of the person it identified; scope/index.ts exports no mint function.
import { mintAccountScope } from '../scope/scope';
import { beforeSignIn } from './system';
import type { Throttle } from './throttle';

export const INVITATION_LIFETIME_MS = 7 * 24 * 3600_000;
export const RESET_LIFETIME_MS = 60 * 60_000;

/** A throttled step: the seconds until the next attempt is let through. */
export type Throttled = Refused<'throttled', { retryAfter: number }>;

/** Past the password: fully signed in, or a pending session that still needs the second factor. */
export type LoginResult = Ok<{ step: 'signed_in' | 'second_factor'; token: string; userId: string }> | Refused<'invalid'> | Throttled;

const origin = (client: ClientInfo, actorUserId: string | null = null): AuditOrigin => ({ actorUserId, ip: client.ip, userAgent: client.userAgent });

/** The client behind a scope (for throttling): the request's address and agent. */
const clientOf = (scope: AccountScope): ClientInfo => ({ ip: scope.origin.ip ?? '', userAgent: scope.origin.userAgent ?? '' });

/**
 * Step one: address and password. The same answer, after the same work, whether the address is
 * unknown, the password wrong or the account disabled.
 */
export async function logIn(pool: Pool, throttle: Throttle, email: string, password: string, client: ClientInfo): Promise<LoginResult> {
	const address = normalizeEmail(email);
	// Taken before the password is checked, so parallel guesses cannot all slip under the limit.
	const attempt = await throttle.attemptLogin(address, client.ip);
	if (!attempt.allowed) {
		await beforeSignIn(pool, 'login', (tx) => recordAudit(tx, origin(client), { action: 'session.login_throttled', entityType: 'user' }));
		return refused('throttled', { retryAfter: attempt.retryAfter });
	}
	const user = await beforeSignIn(pool, 'login', async (tx) => {
		const [row] = await tx.select({ id: users.id, passwordHash: users.passwordHash, totpEnabledAt: users.totpEnabledAt, disabledAt: users.disabledAt }).from(users).where(eq(users.email, address));
		return row;
	});
	const matches = await verifyPassword(user?.passwordHash ?? null, password);
	if (!matches || !user || user.disabledAt) {
		await beforeSignIn(pool, 'login', (tx) => recordAudit(tx, origin(client, user?.id ?? null), { action: 'session.login_failed', entityType: 'user', entityId: user?.id ?? null }));
		return refused('invalid');
	}
	await attempt.succeeded();
	// Whichever way the attempt got through, an enrolled second factor is still asked for.
	const secondFactor = user.totpEnabledAt !== null;
	const token = await createSession(pool, user.id, !secondFactor, client);
	await beforeSignIn(pool, 'login', async (tx) => {
		if (!secondFactor) await tx.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, user.id));
		await recordAudit(tx, origin(client, user.id), { action: secondFactor ? 'session.password_passed' : 'session.login', entityType: 'user', entityId: user.id });
	});
	return ok({ step: secondFactor ? 'second_factor' : 'signed_in', token, userId: user.id });
}

/** Signed in: the new session's token. */
export type SecondFactorResult = Ok<{ token: string }> | Refused<'invalid'> | Throttled;

/**
 * Step two: a code from the authenticator app or a recovery code, for the pending session (`userId`
 * and `pendingSessionId` as `resolveSession` read them from the cookie). The code is checked in
 * the person's own account scope. Success replaces the pending session with a new one (a new id
 * once fully signed in).
 */
export async function completeSecondFactor(pool: Pool, throttle: Throttle, pendingSessionId: string, userId: string, code: string, client: ClientInfo): Promise<SecondFactorResult> {
	const attempt = await throttle.attempt('mfa', userId, client.ip);
	if (!attempt.allowed) return refused('throttled', { retryAfter: attempt.retryAfter });
	const account = mintAccountScope(pool, userId, pendingSessionId, origin(client, userId));
	const passed = await runIn(account, async (tx) => {
		const trimmed = code.trim();
		const ok = /^[\d\s]{6,8}$/.test(trimmed) ? await verifyTotp(tx, userId, trimmed) : await useRecoveryCode(tx, userId, trimmed);
		if (ok) await tx.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, userId));
		await recordAudit(tx, account.origin, { action: ok ? 'session.login' : 'session.second_factor_failed', entityType: 'user', entityId: userId, changedFields: ok && !/^[\d\s]+$/.test(trimmed) ? ['recovery_code'] : [] });
		return ok;
	});
	if (!passed) return refused('invalid');
	await attempt.succeeded();
	await deleteSession(pool, pendingSessionId);
	const token = await createSession(pool, userId, true, client);
	return ok({ token });
}

/** An e-mailed link: stored as a digest, single use, with an expiry. */
export async function createEmailToken(tx: Tx<'organization' | 'secretariat' | 'system'>, purpose: TokenPurpose, fields: { email: string; userId?: string | null; organizationId?: string | null; role?: string | null; createdBy?: string | null }, lifetimeMs: number): Promise<string> {
	const token = newToken();
	await tx.insert(emailTokens).values({
		id: tokenDigest(token),
		purpose,
		email: normalizeEmail(fields.email),
		userId: fields.userId ?? null,
		organizationId: fields.organizationId ?? null,
		role: fields.role ?? null,
		createdBy: fields.createdBy ?? null,
		expiresAt: new Date(Date.now() + lifetimeMs)
	});
	return token;
}

export type EmailTokenRow = typeof emailTokens.$inferSelect;

/** A usable (unused, unexpired) token of `purpose`, or null. Runs as the platform: no one is signed in. */
export async function findEmailToken(pool: Pool, purpose: TokenPurpose, token: string): Promise<EmailTokenRow | null> {
	if (!isTokenShaped(token)) return null;
	return beforeSignIn(pool, 'link', (tx) => usableEmailToken(tx, purpose, token));
}

async function usableEmailToken(tx: Tx<'system'>, purpose: TokenPurpose, token: string): Promise<EmailTokenRow | null> {
	const [row] = await tx
		.select()
		.from(emailTokens)
		.where(and(eq(emailTokens.id, tokenDigest(token)), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, new Date())));
	return row ?? null;
}

/** Mark a token used inside `tx`; false if someone else used it first. */
export async function consumeEmailToken(tx: Tx<'system'>, id: string): Promise<boolean> {
	const used = await tx
		.update(emailTokens)
		.set({ usedAt: new Date() })
		.where(and(eq(emailTokens.id, id), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, new Date())))
		.returning({ id: emailTokens.id });
	return used.length === 1;
}

/** The account with this address, if any (an invitation's link asks). Runs as the platform. */
export async function userIdByEmail(pool: Pool, email: string): Promise<string | null> {
	return beforeSignIn(pool, 'link', async (tx) => {
		const [row] = await tx
			.select({ id: users.id })
			.from(users)
			.where(eq(users.email, normalizeEmail(email)));
		return row?.id ?? null;
	});
}

/** Create an account (from an accepted invitation). Runs in the caller's platform transaction. */
export async function createUser(tx: Tx<'system'>, email: string, displayName: string, password: string): Promise<string> {
	const [row] = await tx
		.insert(users)
		.values({ email: normalizeEmail(email), displayName: displayName.trim(), passwordHash: await hashPassword(password) })
		.returning({ id: users.id });
	return row.id;
}

/** Accepted: the link's token, or null when there is nothing to send. */
export type ResetRequestResult = Ok<{ token: string | null }> | Throttled;

/**
 * Ask for a reset link. The answer is the same for unknown addresses (token null: nothing to send);
 * the caller sends the mail in the background so timing does not tell either.
 */
export async function requestPasswordReset(pool: Pool, throttle: Throttle, email: string, client: ClientInfo): Promise<ResetRequestResult> {
	const address = normalizeEmail(email);
	// Every request counts, successful or not (never given back): the limit is on mail sent to an address.
	const attempt = await throttle.attempt('reset', address, client.ip);
	if (!attempt.allowed) return refused('throttled', { retryAfter: attempt.retryAfter });
	const token = await beforeSignIn(pool, 'reset', async (tx) => {
		const [user] = await tx.select({ id: users.id, disabledAt: users.disabledAt }).from(users).where(eq(users.email, address));
		const made = !user || user.disabledAt ? null : await createEmailToken(tx, 'password_reset', { email: address, userId: user.id }, RESET_LIFETIME_MS);
		await recordAudit(tx, origin(client, null), { action: 'account.reset_requested', entityType: 'user', entityId: user?.id ?? null });
		return made;
	});
	return ok({ token });
}

/**
 * Set a new password from a reset link; every session of the account ends. The link is used up
 * and the password set as the platform (the link is the only proof, and it must be spent in the
 * same transaction); the sessions end in the account's scope, which the link identified.
 */
export async function resetPassword(pool: Pool, token: string, password: string, client: ClientInfo): Promise<boolean> {
	const row = await findEmailToken(pool, 'password_reset', token);
	if (!row?.userId) return false;
	const userId = row.userId;
	const passwordHash = await hashPassword(password);
	const done = await beforeSignIn(pool, 'reset', async (tx) => {
		if (!(await consumeEmailToken(tx, row.id))) return false;
		await tx.update(users).set({ passwordHash, passwordChangedAt: new Date(), updatedAt: new Date() }).where(eq(users.id, userId));
		await recordAudit(tx, origin(client, userId), { action: 'account.password_reset', entityType: 'user', entityId: userId, changedFields: ['password'] });
		return true;
	});
	if (done) await deleteUserSessions(mintAccountScope(pool, userId, null, origin(client, userId)));
	return done;
}

/** The password typed again: confirmed, wrong, or not checked at all because of too many tries. */
export type PasswordCheck = Ok<void> | Refused<'wrong'> | Throttled;

/**
 * A signed-in person types their password again before a sensitive change. Throttled like a login
 * (the attempt is taken before the check), so a stolen session cannot be used to guess it.
 */
export async function confirmPassword(scope: AccountScope, throttle: Throttle, password: string): Promise<PasswordCheck> {
	const attempt = await throttle.attempt('reauth', scope.userId, clientOf(scope).ip);
	if (!attempt.allowed) return refused('throttled', { retryAfter: attempt.retryAfter });
	const stored = await runIn(scope, async (tx) => (await tx.select({ hash: users.passwordHash }).from(users).where(eq(users.id, scope.userId)))[0]?.hash ?? null);
	if (!password || !(await verifyPassword(stored, password))) return refused('wrong');
	await attempt.succeeded();
	return ok();
}

export type PasswordChangeResult = PasswordCheck;

/** Change one's own password (the current one is asked again); the person's other sessions end. */
export async function changePassword(scope: AccountScope, throttle: Throttle, current: string, next: string): Promise<PasswordChangeResult> {
	const check = await confirmPassword(scope, throttle, current);
	if (!check.ok) return check;
	const passwordHash = await hashPassword(next);
	await runIn(scope, async (tx) => {
		await tx.update(users).set({ passwordHash, passwordChangedAt: new Date(), updatedAt: new Date() }).where(eq(users.id, scope.userId));
		await recordAudit(tx, scope.origin, { action: 'account.password_change', entityType: 'user', entityId: scope.userId, changedFields: ['password'] });
	});
	await deleteUserSessions(scope, scope.sessionId ?? undefined);
	return ok();
}

export async function updateDisplayName(scope: AccountScope, displayName: string): Promise<void> {
	await runIn(scope, async (tx) => {
		await tx.update(users).set({ displayName: displayName.trim(), updatedAt: new Date() }).where(eq(users.id, scope.userId));
		await recordAudit(tx, scope.origin, { action: 'account.update', entityType: 'user', entityId: scope.userId, changedFields: ['display_name'] });
	});
}

/** Log out: the session the person acts from ends, recorded. */
export async function logOut(scope: AccountScope): Promise<void> {
	await runIn(scope, async (tx) => {
		if (scope.sessionId) await tx.delete(sessions).where(and(eq(sessions.id, scope.sessionId), eq(sessions.userId, scope.userId)));
		await recordAudit(tx, scope.origin, { action: 'session.logout', entityType: 'user', entityId: scope.userId });
	});
}

/** "Log out everywhere": every session of the account, this one included, recorded. */
export async function logOutEverywhere(scope: AccountScope): Promise<number> {
	return runIn(scope, async (tx) => {
		const ended = await tx.delete(sessions).where(eq(sessions.userId, scope.userId)).returning({ id: sessions.id });
		await recordAudit(tx, scope.origin, { action: 'session.logout_everywhere', entityType: 'user', entityId: scope.userId });
		return ended.length;
	});
}

/*
 * The second factor, as the person sets it up on their own account (/account/2fa). Each operation
 * opens its own transaction in the person's account scope and writes its own audit record, as the
 * transaction's last write; an expected refusal is a value.
 */

/** Unused recovery codes, and how many are of the old short format. */
export async function secondFactorStatus(scope: AccountScope): Promise<{ remaining: number; legacy: number }> {
	return runIn(scope, (tx) => recoveryCodeStatus(tx, scope.userId));
}

/**
 * The key to show while the person enrols: the server's, the same until enrolment ends or they ask
 * for a new one; made (and recorded) on first use. Null once TOTP is on (also: enrolment finished
 * in this very request).
 */
export async function enrolmentKey(scope: AccountScope): Promise<string | null> {
	return runIn(scope, async (tx) => {
		const pending = await pendingTotpSecret(tx, scope.userId);
		if (pending?.created) await recordAudit(tx, scope.origin, { action: 'account.mfa_key_created', entityType: 'user', entityId: scope.userId, changedFields: ['totp_pending_secret'] });
		return pending?.secret ?? null;
	});
}

/** A new enrolment key, replacing the pending one (the person asked for it). */
export async function newEnrolmentKey(scope: AccountScope): Promise<Ok<void>> {
	await runIn(scope, async (tx) => {
		await renewTotpSecret(tx, scope.userId);
		await recordAudit(tx, scope.origin, { action: 'account.mfa_key_replaced', entityType: 'user', entityId: scope.userId, changedFields: ['totp_pending_secret'] });
	});
	return ok();
}

/**
 * Finish enrolment with a code from the app (full-width digits allowed), checked against the key
 * the server keeps: fresh recovery codes, recorded; or `invalid_code`, which changes and records
 * nothing. `email` labels the key in the app.
 */
export async function confirmEnrolment(scope: AccountScope, email: string, code: string, now = Date.now()): Promise<Result<string[], 'invalid_code'>> {
	const codes = await runIn(scope, async (tx) => {
		const fresh = await confirmTotpEnrolment(tx, scope.userId, email, code.normalize('NFKC'), now);
		if (fresh) await recordAudit(tx, scope.origin, { action: 'account.mfa_enable', entityType: 'user', entityId: scope.userId, changedFields: ['totp_secret'] });
		return fresh;
	});
	return codes ? ok(codes) : refused('invalid_code');
}

export type PasswordRefusal = Refused<'missing' | 'wrong'> | Throttled;

/**
 * New recovery codes end the old ones, so whoever holds the session must also know the password
 * (ASVS 3.7.1). A missing or wrong password changes nothing and is recorded
 * (`account.recovery_codes_refused`); a throttled attempt is neither checked nor recorded.
 */
export async function newRecoveryCodes(scope: AccountScope, throttle: Throttle, password: string): Promise<Ok<string[]> | PasswordRefusal> {
	const check = password ? await confirmPassword(scope, throttle, password) : refused('missing');
	if (!check.ok && check.reason === 'throttled') return check;
	return runIn(scope, async (tx) => {
		if (!check.ok) {
			await recordAudit(tx, scope.origin, { action: 'account.recovery_codes_refused', entityType: 'user', entityId: scope.userId });
			return refused(check.reason);
		}
		const fresh = await replaceRecoveryCodes(tx, scope.userId);
		await recordAudit(tx, scope.origin, { action: 'account.recovery_codes', entityType: 'user', entityId: scope.userId, changedFields: ['recovery_codes'] });
		return ok(fresh);
	});
}

/**
 * Turn TOTP off (its key and recovery codes go), after the password is typed again. `required`: the
 * person's role needs a second factor, so it stays whatever the password (nothing is checked,
 * counted or recorded).
 */
export async function turnOffTotp(scope: SignedInScope, throttle: Throttle, password: string): Promise<Result<void, 'wrong' | 'required'> | Throttled> {
	if (scope.actor.mfaRequired) return refused('required');
	const check = await confirmPassword(scope, throttle, password);
	if (!check.ok) return check;
	await runIn(scope, async (tx) => {
		await disableTotp(tx, scope.userId);
		await recordAudit(tx, scope.origin, { action: 'account.mfa_disable', entityType: 'user', entityId: scope.userId, changedFields: ['totp_secret'] });
	});
	return ok();
}

/** Names and addresses of people, as the caller's context allows (own organisations' members). */
export async function peopleByIds(tx: Tx, ids: readonly string[]) {
	if (ids.length === 0) return new Map<string, { displayName: string; email: string; totpEnabled: boolean }>();
	const rows = await tx
		.select({ id: users.id, displayName: users.displayName, email: users.email, totpEnabledAt: users.totpEnabledAt })
		.from(users)
		.where(sql`${users.id} = any(${`{${ids.join(',')}}`}::uuid[])`);
	return new Map(rows.map((r) => [r.id, { displayName: r.displayName, email: r.email, totpEnabled: r.totpEnabledAt !== null }]));
}

/** The addresses of these people, whoever asks (the public join form mails the secretariat). Runs as the platform. */
export async function emailsOf(pool: Pool, ids: readonly string[]): Promise<string[]> {
	return beforeSignIn(pool, 'addresses', async (tx) => [...(await peopleByIds(tx, ids)).values()].map((p) => p.email));
}

/** Invitations of an organisation not yet accepted (the caller's context decides which show). */
export async function pendingInvitations(tx: Tx<'organization'>, organizationId: string) {
	return tx
		.select({ id: emailTokens.id, email: emailTokens.email, role: emailTokens.role, expiresAt: emailTokens.expiresAt, createdAt: emailTokens.createdAt })
		.from(emailTokens)
		.where(and(eq(emailTokens.organizationId, organizationId), eq(emailTokens.purpose, 'invitation'), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, new Date())))
		.orderBy(emailTokens.createdAt);
}

/** The pending invitation a link's token opens and the account its address already has, in the caller's transaction. */
export async function openInvitation(tx: Tx<'system'>, token: string): Promise<{ row: EmailTokenRow; existingUserId: string | null } | null> {
	if (!isTokenShaped(token)) return null;
	const row = await usableEmailToken(tx, 'invitation', token);
	if (!row) return null;
	const [user] = await tx
		.select({ id: users.id })
		.from(users)
		.where(eq(users.email, normalizeEmail(row.email)));
	return { row, existingUserId: user?.id ?? null };
}

/** End every unused invitation for `role` (a fresh set-up link voids the earlier ones). */
export async function voidInvitationsFor(tx: Tx<'system'>, role: string): Promise<void> {
	await tx
		.update(emailTokens)
		.set({ usedAt: new Date() })
		.where(and(eq(emailTokens.purpose, 'invitation'), eq(emailTokens.role, role), isNull(emailTokens.usedAt)));
}

/** Whether an invitation for `role`, still open, was issued at or after `since`. */
export async function invitationIssuedSince(tx: Tx<'system'>, role: string, since: Date): Promise<boolean> {
	const rows = await tx
		.select({ id: emailTokens.id })
		.from(emailTokens)
		.where(and(eq(emailTokens.purpose, 'invitation'), eq(emailTokens.role, role), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, new Date()), gte(emailTokens.createdAt, since)))
		.limit(1);
	return rows.length > 0;
}

/** Withdraw an invitation of `organizationId`; false when there is no such pending one. */
export async function revokeInvitation(tx: Tx<'organization'>, organizationId: string, id: string): Promise<boolean> {
	const revoked = await tx
		.update(emailTokens)
		.set({ usedAt: new Date() })
		.where(and(eq(emailTokens.id, id), eq(emailTokens.organizationId, organizationId), eq(emailTokens.purpose, 'invitation'), isNull(emailTokens.usedAt)))
		.returning({ id: emailTokens.id });
	return revoked.length === 1;
}
