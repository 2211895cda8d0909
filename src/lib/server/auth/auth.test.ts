/** Accounts, sessions, the second factor and throttling, against a test database. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import pg from 'pg';
import { Secret, TOTP } from 'otpauth';
import { testDatabase } from '../../../../tests/helpers/db';
import { makeOrganization } from '../../../../tests/helpers/factories';
import type { Database } from '../db';
import { asSystem } from '../db/tenant';
import type { Tx } from '../db';
import { onOwnAccount } from '../../../../tests/helpers/contexts';
import { setMembership } from '../network';
import { recoveryCodes, sessions, users } from './schema';
import { mintAccountScope, mintSignedInScope } from '../scope/scope';
import { systemScope } from '../scope';
import {
	completeSecondFactor,
	confirmEnrolment,
	confirmTotpEnrolment,
	enrolmentKey,
	newRecoveryCodes,
	turnOffTotp,
	createSession,
	createUser,
	deleteUserSessions,
	enableTotp,
	logIn,
	matchingStep,
	newTotpSecret,
	passwordProblem,
	pendingTotpSecret,
	recoveryCodeStatus,
	renewTotpSecret,
	replaceRecoveryCodes,
	tokenDigest,
	useRecoveryCode,
	requestPasswordReset,
	resetPassword,
	resolveSession,
	Throttle,
	purgeExpiredSessions,
	networkOf,
	IDLE_TIMEOUT_MS,
	ABSOLUTE_LIFETIME_MS
} from './index';

let database: Database;
let throttle: Throttle;
let counter = 0;
const PASSWORD = 'a long enough passphrase';
// Each test gets its own client network, so throttling in one test does not leak into another.
const client = () => ({ ip: `198.51.100.${++counter}`, userAgent: 'vitest' });

async function newUser(email: string, password = PASSWORD) {
	return asSystem(database.db, (tx) => createUser(tx, email, 'テスト', password));
}

/** The person on their own account, as the guard makes it from a session (here: from a client). */
const accountOf = (userId: string, from: { ip: string; userAgent: string } = client()) => mintAccountScope(database.db, userId, null, { actorUserId: userId, ip: from.ip, userAgent: from.userAgent });

const codeAt = (secret: string, email: string, timestamp: number) => new TOTP({ issuer: 'つなぐ tsunagu', label: email, secret: Secret.fromBase32(secret) }).generate({ timestamp });

beforeAll(async () => {
	database = await testDatabase();
	throttle = new Throttle(database.pool);
});
afterAll(() => database.close());

describe('passwords', () => {
	it('asks for 12 or more characters and refuses common ones; Japanese and spaces are fine', () => {
		expect(passwordProblem('short')).toBe('too_short');
		expect(passwordProblem('password1234')).toBe('too_common');
		expect(passwordProblem('aaaaaaaaaaaaaaa')).toBe('too_common');
		expect(passwordProblem('朝の公園で猫と三回会った日')).toBeNull();
		expect(passwordProblem('x'.repeat(129))).toBe('too_long');
	});
	it('stores argon2id hashes, never the password', async () => {
		const id = await newUser('hash@example.org');
		const [row] = await asSystem(database.db, (tx) => tx.select({ hash: users.passwordHash }).from(users).where(eq(users.id, id)));
		expect(row.hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
		expect(row.hash).not.toContain(PASSWORD);
	});
});

describe('login', () => {
	it('signs in with the right password, case-insensitively on the address, with a new session each time', async () => {
		await newUser('login@example.org');
		const first = await logIn(database.db, throttle, ' Login@Example.org ', PASSWORD, client());
		const second = await logIn(database.db, throttle, 'login@example.org', PASSWORD, client());
		expect(first).toMatchObject({ ok: true, value: { step: 'signed_in' } });
		expect(second).toMatchObject({ ok: true, value: { step: 'signed_in' } });
		if (!first.ok || !second.ok) return;
		expect(first.value.token).not.toBe(second.value.token);
		expect((await resolveSession(database.db, first.value.token)).kind).toBe('active');
	});

	it('answers the same for a wrong password and an unknown address', async () => {
		await newUser('known@example.org');
		const wrong = await logIn(database.db, throttle, 'known@example.org', 'not the password at all', client());
		const unknown = await logIn(database.db, throttle, 'nobody@example.org', 'not the password at all', client());
		expect(wrong).toEqual({ ok: false, reason: 'invalid' });
		expect(unknown).toEqual({ ok: false, reason: 'invalid' });
	});

	it('blocks an account after 5 failures from a network, even with the right password, and an unknown address alike', async () => {
		await newUser('target@example.org');
		const from = client();
		for (let i = 0; i < 5; i++) {
			expect(await logIn(database.db, throttle, 'target@example.org', `guess number ${i}!!`, from)).toMatchObject({ ok: false, reason: 'invalid' });
			expect(await logIn(database.db, throttle, 'ghost@example.org', `guess number ${i}!!`, from)).toMatchObject({ ok: false, reason: 'invalid' });
		}
		const blocked = await logIn(database.db, throttle, 'target@example.org', PASSWORD, from);
		expect(blocked).toMatchObject({ ok: false, reason: 'throttled' });
		if (!blocked.ok && blocked.reason === 'throttled') expect(blocked.retryAfter).toBeGreaterThan(60);
		expect(await logIn(database.db, throttle, 'ghost@example.org', PASSWORD, from)).toMatchObject({ ok: false, reason: 'throttled' });
		// Another account is not affected by the block of this one. (Other networks: throttle.test.ts.)
		await newUser('bystander@example.org');
		expect(await logIn(database.db, throttle, 'bystander@example.org', PASSWORD, client())).toMatchObject({ ok: true, value: { step: 'signed_in' } });
	});

	it('blocks a client network after 30 failures across many addresses', async () => {
		const from = { ip: '203.0.113.77', userAgent: 'vitest' };
		for (let i = 0; i < 30; i++) await logIn(database.db, throttle, `spray${i}@example.org`, 'wrong password!!', from);
		await newUser('sprayed@example.org');
		expect(await logIn(database.db, throttle, 'sprayed@example.org', PASSWORD, from)).toMatchObject({ ok: false, reason: 'throttled' });
		expect(await logIn(database.db, throttle, 'sprayed@example.org', PASSWORD, client())).toMatchObject({ ok: true, value: { step: 'signed_in' } });
	});

	it('treats an IPv6 /64 as one network', () => {
		expect(networkOf('2001:db8:1:2:aaaa::1')).toBe(networkOf('2001:db8:1:2:bbbb::9'));
		expect(networkOf('2001:db8:1:3::1')).not.toBe(networkOf('2001:db8:1:2::1'));
		expect(networkOf('::ffff:192.0.2.1')).toBe('192.0.2.1');
	});
});

describe('sessions', () => {
	it('end after 30 idle minutes and after 12 hours however active, and are deleted then', async () => {
		const id = await newUser('idle@example.org');
		const start = new Date('2026-11-23T00:00:00Z');
		const token = await createSession(database.db, id, true, client(), start);
		expect((await resolveSession(database.db, token, new Date(start.getTime() + IDLE_TIMEOUT_MS - 1000))).kind).toBe('active');
		expect((await resolveSession(database.db, token, new Date(start.getTime() + 2 * IDLE_TIMEOUT_MS))).kind).toBe('none');
		expect((await resolveSession(database.db, token, start)).kind).toBe('none'); // deleted, not just refused

		const busy = await createSession(database.db, id, true, client(), start);
		let now = start.getTime();
		while (now < start.getTime() + ABSOLUTE_LIFETIME_MS - IDLE_TIMEOUT_MS) {
			now += IDLE_TIMEOUT_MS - 60_000;
			expect((await resolveSession(database.db, busy, new Date(now))).kind).toBe('active');
		}
		expect((await resolveSession(database.db, busy, new Date(start.getTime() + ABSOLUTE_LIFETIME_MS + 1000))).kind).toBe('none');
	});

	it('that ended without being used again are purged by the housekeeping job, and live ones stay', async () => {
		const id = await newUser('purge@example.org');
		const long = new Date(Date.now() - 2 * IDLE_TIMEOUT_MS);
		await createSession(database.db, id, true, client(), long);
		const live = await createSession(database.db, id, true, client());
		const count = async () => (await asSystem(database.db, (tx) => tx.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, id)))).length;
		expect(await count()).toBe(2);
		await purgeExpiredSessions(systemScope(database.db, 'test'));
		expect(await count()).toBe(1);
		expect((await resolveSession(database.db, live)).kind).toBe('active');
	});

	it('are stored as digests: the token in the cookie is not in the database', async () => {
		const id = await newUser('digest@example.org');
		const token = await createSession(database.db, id, true, client());
		const rows = await asSystem(database.db, (tx) => tx.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, id)));
		expect(rows).toHaveLength(1);
		expect(rows[0].id).not.toBe(token);
		expect(rows[0].id).toMatch(/^[0-9a-f]{64}$/);
	});

	it('"log out everywhere" ends every session of the person and nobody else\'s', async () => {
		const me = await newUser('everywhere@example.org');
		const someone = await newUser('someone@example.org');
		const a = await createSession(database.db, me, true, client());
		const b = await createSession(database.db, me, true, client());
		const theirs = await createSession(database.db, someone, true, client());
		expect(await deleteUserSessions(accountOf(me))).toBe(2);
		expect((await resolveSession(database.db, a)).kind).toBe('none');
		expect((await resolveSession(database.db, b)).kind).toBe('none');
		expect((await resolveSession(database.db, theirs)).kind).toBe('active');
	});

	it('says when a role needs a second factor that is not set up', async () => {
		const id = await newUser('counsellor@example.org');
		const org = await makeOrganization(database.db);
		await asSystem(database.db, (tx) => setMembership(tx, org, id, 'counsellor', null));
		const state = await resolveSession(database.db, await createSession(database.db, id, true, client()));
		expect(state.kind).toBe('active');
		if (state.kind === 'active') expect(state.actor).toMatchObject({ mfaRequired: true, mfaEnrolled: false, secretariat: false });
	});
});

describe('two-factor login', () => {
	async function enrolled(email: string) {
		const id = await newUser(email);
		const secret = newTotpSecret();
		const now = Date.now();
		const step = matchingStep(secret, email, codeAt(secret, email, now), now)!;
		const recovery = await onOwnAccount(database.db, id, (tx) => enableTotp(tx, id, secret, step - 2));
		return { id, secret, recovery };
	}

	it('asks for the code after the password; the pending session is not signed in; success issues a new session', async () => {
		const { id, secret } = await enrolled('totp@example.org');
		const first = await logIn(database.db, throttle, 'totp@example.org', PASSWORD, client());
		expect(first).toMatchObject({ ok: true, value: { step: 'second_factor' } });
		if (!first.ok) return;
		const pending = await resolveSession(database.db, first.value.token);
		expect(pending.kind).toBe('pending_mfa');
		if (pending.kind !== 'pending_mfa') return;
		const wrong = await completeSecondFactor(database.db, throttle, pending.sessionId, id, '000000', client());
		expect(wrong).toEqual({ ok: false, reason: 'invalid' });
		const code = codeAt(secret, 'totp@example.org', Date.now());
		const done = await completeSecondFactor(database.db, throttle, pending.sessionId, id, code, client());
		expect(done.ok).toBe(true);
		if (!done.ok) return;
		expect(done.value.token).not.toBe(first.value.token);
		expect((await resolveSession(database.db, first.value.token)).kind).toBe('none');
		expect((await resolveSession(database.db, done.value.token)).kind).toBe('active');

		// The same code cannot be used again (ASVS 2.8.4).
		const again = await logIn(database.db, throttle, 'totp@example.org', PASSWORD, client());
		if (!again.ok || again.value.step !== 'second_factor') throw new Error(JSON.stringify(again));
		const pendingAgain = await resolveSession(database.db, again.value.token);
		if (pendingAgain.kind !== 'pending_mfa') throw new Error(pendingAgain.kind);
		expect(await completeSecondFactor(database.db, throttle, pendingAgain.sessionId, id, code, client())).toMatchObject({ ok: false, reason: 'invalid' });
	});

	it('accepts each recovery code once', async () => {
		const { id, recovery } = await enrolled('recovery@example.org');
		expect(recovery).toHaveLength(10);
		const attempt = async (code: string) => {
			const step = await logIn(database.db, throttle, 'recovery@example.org', PASSWORD, client());
			if (!step.ok || step.value.step !== 'second_factor') throw new Error(JSON.stringify(step));
			const pending = await resolveSession(database.db, step.value.token);
			if (pending.kind !== 'pending_mfa') throw new Error(pending.kind);
			const done = await completeSecondFactor(database.db, throttle, pending.sessionId, id, code, client());
			return done.ok ? 'signed_in' : done.reason;
		};
		expect(await attempt(recovery[0].toUpperCase())).toBe('signed_in');
		expect(await attempt(recovery[0])).toBe('invalid');
		expect(await attempt(recovery[1])).toBe('signed_in');
	});

	it('keeps the TOTP secret encrypted in the database', async () => {
		const { id, secret } = await enrolled('sealed@example.org');
		const [row] = await asSystem(database.db, (tx) => tx.select({ sealed: users.totpSecret }).from(users).where(eq(users.id, id)));
		expect(row.sealed).toBeTruthy();
		expect(row.sealed).not.toContain(secret);
	});
});

describe('the enrolment key', () => {
	it('is made and kept by the server, sealed, the same at each reload until enrolment or a new key is asked for', async () => {
		const id = await newUser('pending@example.org');
		const inContext = <T>(fn: (tx: Tx<'account'>) => Promise<T>) => onOwnAccount(database.db, id, fn);
		const first = (await inContext((tx) => pendingTotpSecret(tx, id)))!;
		expect(first.created).toBe(true);
		expect(first.secret).toMatch(/^[A-Z2-7]{32}$/);
		expect(await inContext((tx) => pendingTotpSecret(tx, id))).toEqual({ secret: first.secret, created: false });
		const [row] = await asSystem(database.db, (tx) => tx.select({ pending: users.totpPendingSecret, enabled: users.totpEnabledAt }).from(users).where(eq(users.id, id)));
		expect(row.pending).toMatch(/^enc:v1:/);
		expect(row.pending).not.toContain(first.secret);
		expect(row.enabled).toBeNull();

		const renewed = await inContext((tx) => renewTotpSecret(tx, id));
		expect(renewed).not.toBe(first.secret);
		expect((await inContext((tx) => pendingTotpSecret(tx, id)))?.secret).toBe(renewed);
		const now = Date.now();
		expect(await inContext((tx) => confirmTotpEnrolment(tx, id, 'pending@example.org', codeAt(first.secret, 'pending@example.org', now), now))).toBeNull();
		const codes = await inContext((tx) => confirmTotpEnrolment(tx, id, 'pending@example.org', codeAt(renewed, 'pending@example.org', now), now));
		expect(codes).toHaveLength(10);
		const [after] = await asSystem(database.db, (tx) => tx.select({ pending: users.totpPendingSecret, secret: users.totpSecret, enabled: users.totpEnabledAt }).from(users).where(eq(users.id, id)));
		expect(after.pending).toBeNull();
		expect(after.secret).toMatch(/^enc:v1:/);
		expect(after.enabled).not.toBeNull();
		// Once enrolled there is no key to show, and none is made.
		expect(await inContext((tx) => pendingTotpSecret(tx, id))).toBeNull();
	});
});

describe('the second-factor operations of /account/2fa', () => {
	async function auditActions(userId: string): Promise<string[]> {
		const admin = new pg.Client({ connectionString: database.adminUrl });
		await admin.connect();
		try {
			const { rows } = await admin.query<{ action: string }>(`select action from audit_events where entity_id = $1 order by id`, [userId]);
			return rows.map((r) => r.action);
		} finally {
			await admin.end();
		}
	}
	const stateOf = async (id: string) => (await asSystem(database.db, (tx) => tx.select({ pending: users.totpPendingSecret, secret: users.totpSecret, enabled: users.totpEnabledAt }).from(users).where(eq(users.id, id))))[0];

	it('confirming enrolment with a wrong code is refused, changes nothing and records nothing; the right code (full-width too) turns TOTP on, recorded', async () => {
		const email = 'confirm-op@example.org';
		const id = await newUser(email);
		const key = (await enrolmentKey(accountOf(id)))!;
		expect(key).toMatch(/^[A-Z2-7]{32}$/);
		const before = await stateOf(id);
		const now = Date.now();
		const right = codeAt(key, email, now);
		const wrong = String((Number(right) + 500_000) % 1_000_000).padStart(6, '0');

		expect(await confirmEnrolment(accountOf(id), email, wrong, now)).toEqual({ ok: false, reason: 'invalid_code' });
		expect(await stateOf(id)).toEqual(before);
		expect(await auditActions(id)).toEqual(['account.mfa_key_created']);
		// The same key is still the one to enrol with, and showing it again records nothing new.
		expect(await enrolmentKey(accountOf(id))).toBe(key);

		const fullWidth = right.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
		const confirmed = await confirmEnrolment(accountOf(id), email, fullWidth, now);
		expect(confirmed.ok && confirmed.value).toHaveLength(10);
		const after = await stateOf(id);
		expect(after.pending).toBeNull();
		expect(after.enabled).not.toBeNull();
		expect(await auditActions(id)).toEqual(['account.mfa_key_created', 'account.mfa_enable']);
		expect(await enrolmentKey(accountOf(id))).toBeNull();
	});

	it('new recovery codes need the password: missing or wrong, the old codes stay and the refusal is recorded', async () => {
		const id = await newUser('codes-op@example.org');
		const old = await onOwnAccount(database.db, id, (tx) => replaceRecoveryCodes(tx, id));
		expect(await newRecoveryCodes(accountOf(id), throttle, '')).toEqual({ ok: false, reason: 'missing' });
		expect(await newRecoveryCodes(accountOf(id), throttle, 'not the password at all')).toEqual({ ok: false, reason: 'wrong' });
		expect(await auditActions(id)).toEqual(['account.recovery_codes_refused', 'account.recovery_codes_refused']);
		expect(await onOwnAccount(database.db, id, (tx) => useRecoveryCode(tx, id, old[0]))).toBe(true);

		const fresh = await newRecoveryCodes(accountOf(id), throttle, PASSWORD);
		expect(fresh.ok && fresh.value).toHaveLength(10);
		expect(await onOwnAccount(database.db, id, (tx) => useRecoveryCode(tx, id, old[1]))).toBe(false);
		expect((await auditActions(id)).at(-1)).toBe('account.recovery_codes');
	});

	// Turning the second factor off.
	/** A signed-in person with TOTP on, whose roles do or do not require it. */
	async function signedInWithTotp(email: string, mfaRequired: boolean) {
		const id = await newUser(email);
		await onOwnAccount(database.db, id, (tx) => enableTotp(tx, id, newTotpSecret(), 1));
		const actor = { userId: id, email, displayName: 'テスト', sessionId: 's', memberships: [], secretariat: false, mfaRequired, mfaEnrolled: true };
		return { id, scope: mintSignedInScope(database.db, actor, { ip: client().ip, userAgent: 'vitest' }) };
	}
	const totpOn = async (id: string) => (await asSystem(database.db, (tx) => tx.select({ on: users.totpEnabledAt }).from(users).where(eq(users.id, id))))[0].on !== null;

	it('is refused to a person whose role requires it, even with the right password, and changes and records nothing', async () => {
		const { id, scope } = await signedInWithTotp('totp-required@example.org', true);
		expect(await turnOffTotp(scope, throttle, PASSWORD)).toEqual({ ok: false, reason: 'required' });
		expect(await totpOn(id)).toBe(true);
		expect(await auditActions(id)).toEqual([]);
	});

	it('needs the password otherwise, then turns it off and records it', async () => {
		const { id, scope } = await signedInWithTotp('totp-optional@example.org', false);
		expect(await turnOffTotp(scope, throttle, 'not the password at all')).toEqual({ ok: false, reason: 'wrong' });
		expect(await totpOn(id)).toBe(true);
		expect(await turnOffTotp(scope, throttle, PASSWORD)).toEqual({ ok: true, value: undefined });
		expect(await totpOn(id)).toBe(false);
		expect((await auditActions(id)).at(-1)).toBe('account.mfa_disable');
	});
});

describe('recovery codes', () => {
	const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'; // no 0/o, 1/l/i
	const normalized = (code: string) => code.replace(/-/g, '');

	async function withCodes(email: string) {
		const id = await newUser(email);
		const codes = await onOwnAccount(database.db, id, (tx) => replaceRecoveryCodes(tx, id));
		return { id, codes };
	}
	const use = (id: string, code: string) => onOwnAccount(database.db, id, (tx) => useRecoveryCode(tx, id, code));

	it('carry at least 80 bits each, in groups of four, without look-alike characters', async () => {
		const { codes } = await withCodes('codes-format@example.org');
		expect(codes).toHaveLength(10);
		expect(new Set(codes).size).toBe(10);
		for (const code of codes) {
			expect(code).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4})+$/);
			const symbols = normalized(code);
			expect([...symbols].every((c) => ALPHABET.includes(c))).toBe(true);
			expect(symbols.length * Math.log2(ALPHABET.length)).toBeGreaterThanOrEqual(80);
		}
	});

	it('are stored as keyed digests: a leaked table does not let anyone test guesses with a plain hash', async () => {
		const { id, codes } = await withCodes('codes-keyed@example.org');
		const rows = await asSystem(database.db, (tx) => tx.select({ hash: recoveryCodes.codeHash }).from(recoveryCodes).where(eq(recoveryCodes.userId, id)));
		expect(rows).toHaveLength(10);
		const plain = new Set(codes.flatMap((c) => [tokenDigest(c), tokenDigest(normalized(c))]));
		for (const { hash } of rows) {
			expect(plain.has(hash)).toBe(false);
			expect(codes.some((c) => hash.includes(normalized(c)))).toBe(false);
		}
		// The same codes for another person give other digests (the key is per person).
		const other = await newUser('codes-keyed-2@example.org');
		await asSystem(database.db, (tx) => tx.insert(recoveryCodes).values(rows.map((r) => ({ userId: other, codeHash: r.hash }))));
		expect(await use(other, codes[0])).toBe(false);
	});

	it('are accepted in capitals, with spaces or no hyphens, and in full-width letters; each once', async () => {
		const { id, codes } = await withCodes('codes-loose@example.org');
		const fullWidth = (s: string) => s.replace(/[a-z0-9]/g, (c) => String.fromCharCode(c.toUpperCase().charCodeAt(0) + 0xfee0));
		expect(await use(id, ` ${codes[0].toUpperCase()} `)).toBe(true);
		expect(await use(id, codes[0])).toBe(false);
		expect(await use(id, codes[1].replace(/-/g, ' '))).toBe(true);
		expect(await use(id, normalized(codes[2]))).toBe(true);
		expect(await use(id, fullWidth(codes[3]).replace(/-/g, 'ー'))).toBe(true);
		expect(await use(id, codes[4].slice(0, -1) + (codes[4].endsWith('a') ? 'b' : 'a'))).toBe(false);
		expect(await use(id, '')).toBe(false);
		expect(await onOwnAccount(database.db, id, (tx) => recoveryCodeStatus(tx, id))).toEqual({ remaining: 6, legacy: 0 });
	});

	it('of the old short format keep working once until new codes are made, and are counted as old', async () => {
		const id = await newUser('codes-legacy@example.org');
		await asSystem(database.db, (tx) => tx.update(users).set({ totpEnabledAt: new Date() }).where(eq(users.id, id)));
		await asSystem(database.db, (tx) => tx.insert(recoveryCodes).values(['4k7m9qx2', 'abcd2345'].map((c) => ({ userId: id, codeHash: tokenDigest(c) }))));
		const status = () => onOwnAccount(database.db, id, (tx) => recoveryCodeStatus(tx, id));
		expect(await status()).toEqual({ remaining: 2, legacy: 2 });
		expect(await use(id, '4K7M-9QX2')).toBe(true);
		expect(await use(id, '4k7m-9qx2')).toBe(false);
		expect(await status()).toEqual({ remaining: 1, legacy: 1 });
		await onOwnAccount(database.db, id, (tx) => replaceRecoveryCodes(tx, id));
		expect(await use(id, 'abcd-2345')).toBe(false);
		expect(await status()).toEqual({ remaining: 10, legacy: 0 });
	});
});

describe('password reset', () => {
	it('gives the same answer for unknown addresses, works once, and ends every session', async () => {
		const id = await newUser('reset@example.org');
		const session = await createSession(database.db, id, true, client());
		const unknown = await requestPasswordReset(database.db, throttle, 'nobody-here@example.org', client());
		expect(unknown).toEqual({ ok: true, value: { token: null } });
		const known = await requestPasswordReset(database.db, throttle, 'reset@example.org', client());
		expect(known.ok).toBe(true);
		if (!known.ok || !known.value.token) throw new Error('no token');
		expect(await resetPassword(database.db, known.value.token, 'a brand new passphrase', client())).toBe(true);
		expect(await resetPassword(database.db, known.value.token, 'yet another passphrase', client())).toBe(false);
		expect((await resolveSession(database.db, session)).kind).toBe('none');
		expect(await logIn(database.db, throttle, 'reset@example.org', 'a brand new passphrase', client())).toMatchObject({ ok: true, value: { step: 'signed_in' } });
		expect(await logIn(database.db, throttle, 'reset@example.org', PASSWORD, client())).toMatchObject({ ok: false, reason: 'invalid' });
	});

	it('sends at most 3 reset mails an hour to one address', async () => {
		await newUser('flood@example.org');
		const answers = [];
		for (let i = 0; i < 4; i++) {
			const answer = await requestPasswordReset(database.db, throttle, 'flood@example.org', client());
			answers.push(answer.ok ? 'accepted' : answer.reason);
		}
		expect(answers).toEqual(['accepted', 'accepted', 'accepted', 'throttled']);
	});
});

describe('a TOTP secret that no longer decrypts', () => {
	it('refuses the code (no 500), so only a recovery code gets the person in', async () => {
		const id = await newUser('broken-totp@example.org');
		const secret = newTotpSecret();
		const now = Date.now();
		const step = matchingStep(secret, 'broken-totp@example.org', codeAt(secret, 'broken-totp@example.org', now), now)!;
		const recovery = await onOwnAccount(database.db, id, (tx) => enableTotp(tx, id, secret, step - 2));
		// The sealed value is moved from another row: authenticated encryption refuses it.
		const other = await newUser('other-row@example.org');
		await asSystem(database.db, async (tx) => {
			const [row] = await tx.select({ v: users.totpSecret }).from(users).where(eq(users.id, id));
			await tx.update(users).set({ totpSecret: row.v, totpEnabledAt: new Date() }).where(eq(users.id, other));
		});
		const login = await logIn(database.db, throttle, 'other-row@example.org', PASSWORD, client());
		if (!login.ok || login.value.step !== 'second_factor') throw new Error(JSON.stringify(login));
		const pending = await resolveSession(database.db, login.value.token);
		if (pending.kind !== 'pending_mfa') throw new Error(pending.kind);
		const result = await completeSecondFactor(database.db, throttle, pending.sessionId, other, codeAt(secret, 'broken-totp@example.org', Date.now()), client());
		expect(result).toEqual({ ok: false, reason: 'invalid' });
		expect(recovery).toHaveLength(10);
	});
});
