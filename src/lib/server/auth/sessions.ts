/**
 * Server-side sessions. The cookie holds a random token; the database holds its digest, the
 * absolute expiry and the last activity. ASVS 3.3.2: idle timeout 30 minutes, absolute 12 hours.
 * A new session (new id) is issued at every login step; logging out deletes the row.
 *
 * Making, reading and ending a session by its token happen before anyone is known: they run in the
 * system context (`beforeSignIn`, ./system.ts), and the housekeeping in the platform's
 * `SystemScope`. What a signed-in person does with their own sessions takes their `AccountScope`.
 * The person's roles come from the standing source the app provides (./standing.ts): auth imports
 * no domain module.
 */
import { and, eq, gt, lt, ne, or, sql } from 'drizzle-orm';
import { runIn, type AccountScope, type Pool, type SystemScope, type Tx } from '../scope';
import { sessions, users } from './schema';
import { newToken, tokenDigest } from './tokens';
import { isSecretariat, requiresMfa, type Actor } from './actor';
import { standingOf } from './standing';
import { beforeSignIn } from './system';

export const IDLE_TIMEOUT_MS = 30 * 60_000;
export const ABSOLUTE_LIFETIME_MS = 12 * 3600_000;
/** Between password and second factor. */
export const PENDING_LIFETIME_MS = 10 * 60_000;
/** Last activity is written at most this often, to spare a write per request. */
const TOUCH_INTERVAL_MS = 60_000;

export interface ClientInfo {
	ip: string;
	userAgent: string;
}

/** A new session for `userId` (a login step, an accepted invitation); the cookie's token. */
export async function createSession(pool: Pool, userId: string, mfaPassed: boolean, client: ClientInfo, now = new Date()): Promise<string> {
	return beforeSignIn(pool, 'session', (tx) => insertSession(tx, userId, mfaPassed, client, now));
}

export async function insertSession(tx: Tx<'system'>, userId: string, mfaPassed: boolean, client: ClientInfo, now = new Date()): Promise<string> {
	const token = newToken();
	const lifetime = mfaPassed ? ABSOLUTE_LIFETIME_MS : PENDING_LIFETIME_MS;
	await tx.insert(sessions).values({
		id: tokenDigest(token),
		userId,
		mfaPassed,
		createdAt: now,
		lastSeenAt: now,
		expiresAt: new Date(now.getTime() + lifetime),
		ip: client.ip.slice(0, 64),
		userAgent: client.userAgent.slice(0, 300)
	});
	return token;
}

export type SessionState = { kind: 'none' } | { kind: 'pending_mfa'; sessionId: string; userId: string } | { kind: 'active'; actor: Actor };

/** The session behind a cookie token: expired or unknown sessions are deleted and read as none. */
export async function resolveSession(pool: Pool, token: string | undefined, now = new Date()): Promise<SessionState> {
	if (!token || token.length > 100) return { kind: 'none' };
	const id = tokenDigest(token);
	return beforeSignIn(pool, 'session', async (tx) => {
		const [row] = await tx
			.select({ session: sessions, user: { id: users.id, email: users.email, displayName: users.displayName, totpEnabledAt: users.totpEnabledAt, disabledAt: users.disabledAt } })
			.from(sessions)
			.innerJoin(users, eq(users.id, sessions.userId))
			.where(eq(sessions.id, id));
		if (!row) return { kind: 'none' };
		const { session, user } = row;
		const idleSince = now.getTime() - session.lastSeenAt.getTime();
		if (session.expiresAt <= now || idleSince > IDLE_TIMEOUT_MS || user.disabledAt) {
			await tx.delete(sessions).where(eq(sessions.id, id));
			return { kind: 'none' };
		}
		if (!session.mfaPassed) return { kind: 'pending_mfa', sessionId: id, userId: user.id };
		if (idleSince > TOUCH_INTERVAL_MS) await tx.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id));
		const roles = (await standingOf(tx, user.id)).sort((a, b) => a.organizationName.localeCompare(b.organizationName, 'ja'));
		const actor: Actor = {
			userId: user.id,
			email: user.email,
			displayName: user.displayName,
			sessionId: id,
			memberships: roles,
			secretariat: isSecretariat(roles),
			mfaRequired: requiresMfa(roles),
			mfaEnrolled: user.totpEnabledAt !== null
		};
		return { kind: 'active', actor };
	});
}

/** End the session with this id (its token's digest), whoever's it is: the cookie named it. */
export async function deleteSession(pool: Pool, sessionId: string): Promise<void> {
	await beforeSignIn(pool, 'session', (tx) => removeSession(tx, sessionId));
}

export async function removeSession(tx: Tx<'system'>, sessionId: string): Promise<void> {
	await tx.delete(sessions).where(eq(sessions.id, sessionId));
}

/** "Log out everywhere": every session of the person, optionally but the current one. */
export async function deleteUserSessions(scope: AccountScope, except?: string): Promise<number> {
	const deleted = await runIn(scope, (tx) =>
		tx
			.delete(sessions)
			.where(except ? and(eq(sessions.userId, scope.userId), ne(sessions.id, except)) : eq(sessions.userId, scope.userId))
			.returning({ id: sessions.id })
	);
	return deleted.length;
}

/** The person's live sessions, most recently used first. */
export async function listUserSessions(scope: AccountScope, now = new Date()) {
	return runIn(scope, (tx) =>
		tx
			.select({ id: sessions.id, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt, ip: sessions.ip, userAgent: sessions.userAgent })
			.from(sessions)
			.where(and(eq(sessions.userId, scope.userId), eq(sessions.mfaPassed, true), gt(sessions.expiresAt, now), gt(sessions.lastSeenAt, new Date(now.getTime() - IDLE_TIMEOUT_MS))))
			.orderBy(sql`${sessions.lastSeenAt} desc`)
	);
}

/** Housekeeping (a timer, runtime.ts): drop sessions past either timeout. */
export async function purgeExpiredSessions(scope: SystemScope, now = new Date()): Promise<void> {
	await runIn(scope, (tx) => tx.delete(sessions).where(or(lt(sessions.expiresAt, now), lt(sessions.lastSeenAt, new Date(now.getTime() - IDLE_TIMEOUT_MS)))));
}
