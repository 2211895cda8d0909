/**
 * Throttles under concurrency (ASVS 2.2.1): attempts sent at once are counted before the work, so
 * no more than the limit are ever evaluated; and the per-account lockout with its known- and
 * clean-network paths (docs/security.md "Throttling").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret, TOTP } from 'otpauth';
import { testDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../db';
import { asSystem } from '../db/tenant';
import { onOwnAccount } from '../../../../tests/helpers/contexts';
import { mintAccountScope } from '../scope/scope';
import pg from 'pg';
import { completeSecondFactor, confirmPassword, createUser, enableTotp, logIn, requestPasswordReset, matchingStep, newTotpSecret, resolveSession, Throttle } from './index';
import { isTokenShaped, newToken, TOKEN_BYTES } from './tokens';

let database: Database;
let throttle: Throttle;
let counter = 0;
const PASSWORD = 'a long enough passphrase';
// A fresh client network per call (never used before in this file: a "clean" network).
const fresh = () => ({ ip: `10.${Math.floor(++counter / 250)}.${counter % 250}.1`, userAgent: 'vitest' });
// The limits as documented (docs/security.md "Throttling"): 5 per account (and per account and
// network), 10 more from clean networks an hour.
const ACCOUNT = 5;
const CEILING = 10;
const wrong = (i: number) => `not the password ${i}!!`;

async function newUser(email: string) {
	return asSystem(database.db, (tx) => createUser(tx, email, 'テスト', PASSWORD));
}

const codeAt = (secret: string, email: string, timestamp: number) => new TOTP({ issuer: 'つなぐ tsunagu', label: email, secret: Secret.fromBase32(secret) }).generate({ timestamp });

async function enrolled(email: string) {
	const id = await newUser(email);
	const secret = newTotpSecret();
	const now = Date.now();
	const step = matchingStep(secret, email, codeAt(secret, email, now), now)!;
	await onOwnAccount(database.db, id, (tx) => enableTotp(tx, id, secret, step - 2));
	return { id, secret };
}

/** How many answers were refused for `reason`. */
const count = (answers: ReadonlyArray<{ ok: boolean; reason?: string }>, reason: string) => answers.filter((a) => !a.ok && a.reason === reason).length;
/** How many answers got through (signed in, on to the second factor, a reset accepted). */
const passed = (answers: ReadonlyArray<{ ok: boolean }>) => answers.filter((a) => a.ok).length;

/** Spend an account's own counter (5 wrong passwords from one network). */
async function underAttack(email: string, from = fresh()) {
	for (let i = 0; i < ACCOUNT; i++) expect(await logIn(database.db, throttle, email, wrong(i), from)).toMatchObject({ ok: false, reason: 'invalid' });
	return from;
}

beforeAll(async () => {
	database = await testDatabase();
	throttle = new Throttle(database.pool);
});
afterAll(() => database.close());

describe('attempts sent at once', () => {
	it('evaluates at most 5 of 30 wrong passwords typed again by a signed-in person (a stolen session)', async () => {
		const id = await newUser('reauth@example.org');
		const from = fresh();
		const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => confirmPassword(mintAccountScope(database.db, id, null, from), throttle, wrong(i))));
		expect(count(outcomes, 'wrong')).toBeGreaterThan(0);
		expect(count(outcomes, 'wrong')).toBeLessThanOrEqual(ACCOUNT);
		expect(count(outcomes, 'throttled')).toBe(30 - count(outcomes, 'wrong'));
		// The right password is refused too while the counter is spent.
		expect(await confirmPassword(mintAccountScope(database.db, id, null, fresh()), throttle, PASSWORD)).toMatchObject({ ok: false, reason: 'throttled' });
	}, 60_000);

	it('sends at most 3 reset links of 20 requested at once for one address', async () => {
		await newUser('reset-burst@example.org');
		const outcomes = await Promise.all(Array.from({ length: 20 }, () => requestPasswordReset(database.db, throttle, 'reset-burst@example.org', fresh())));
		const links = outcomes.filter((o) => o.ok && o.value.token !== null).length;
		expect(links).toBeGreaterThan(0);
		expect(links).toBeLessThanOrEqual(3);
		expect(count(outcomes, 'throttled')).toBe(20 - passed(outcomes));
	}, 60_000);

	it('gives the attempt back when the password typed again is right', async () => {
		const id = await newUser('reauth-ok@example.org');
		const from = fresh();
		for (let i = 0; i < ACCOUNT + 3; i++) expect((await confirmPassword(mintAccountScope(database.db, id, null, from), throttle, PASSWORD)).ok).toBe(true);
	});

	it('evaluates at most 5 of 60 wrong passwords for one account from one network', async () => {
		await newUser('parallel@example.org');
		const from = fresh();
		const outcomes = await Promise.all(Array.from({ length: 60 }, (_, i) => logIn(database.db, throttle, 'parallel@example.org', wrong(i), from)));
		expect(count(outcomes, 'invalid')).toBeGreaterThan(0);
		expect(count(outcomes, 'invalid')).toBeLessThanOrEqual(ACCOUNT);
		expect(count(outcomes, 'throttled')).toBe(60 - count(outcomes, 'invalid'));
	}, 60_000);

	it('does not sign in with the right password sent among 39 wrong ones from one network', async () => {
		await newUser('needle@example.org');
		const from = fresh();
		const attempts = [...Array.from({ length: 39 }, (_, i) => wrong(i)), PASSWORD];
		const outcomes = await Promise.all(attempts.map((password) => logIn(database.db, throttle, 'needle@example.org', password, from)));
		expect(passed(outcomes)).toBe(0);
		expect(count(outcomes, 'invalid')).toBeLessThanOrEqual(ACCOUNT);
	}, 60_000);

	it('bounds 60 wrong passwords for one account from 60 networks: its own 5 plus the ceiling of 10', async () => {
		await newUser('distributed@example.org');
		const outcomes = await Promise.all(Array.from({ length: 60 }, (_, i) => logIn(database.db, throttle, 'distributed@example.org', wrong(i), fresh())));
		expect(count(outcomes, 'invalid')).toBeGreaterThan(0);
		expect(count(outcomes, 'invalid')).toBeLessThanOrEqual(ACCOUNT + CEILING);
	}, 60_000);

	it('evaluates at most 5 of 100 wrong codes sent at once on one pending session', async () => {
		const { id, secret } = await enrolled('parallel-totp@example.org');
		const from = fresh();
		const login = await logIn(database.db, throttle, 'parallel-totp@example.org', PASSWORD, from);
		if (!login.ok || login.value.step !== 'second_factor') throw new Error(JSON.stringify(login));
		const pending = await resolveSession(database.db, login.value.token);
		if (pending.kind !== 'pending_mfa') throw new Error(pending.kind);
		// Codes that are surely wrong: none of the ones valid around now.
		const now = Date.now();
		const valid = new Set([-60_000, -30_000, 0, 30_000, 60_000].map((d) => codeAt(secret, 'parallel-totp@example.org', now + d)));
		const codes: string[] = [];
		for (let n = 100000; codes.length < 100; n += 7919) if (!valid.has(String(n))) codes.push(String(n));
		const outcomes = await Promise.all(codes.map((code) => completeSecondFactor(database.db, throttle, pending.sessionId, id, code, from)));
		expect(count(outcomes, 'invalid')).toBeGreaterThan(0);
		expect(count(outcomes, 'invalid')).toBeLessThanOrEqual(ACCOUNT);
		expect(passed(outcomes)).toBe(0);
		// Each evaluated code left its audit row; refused ones did not get that far.
		const admin = new pg.Client({ connectionString: database.adminUrl });
		await admin.connect();
		const failed = await admin.query(`select count(*)::int as n from audit_events where action = 'session.second_factor_failed' and entity_id = $1`, [id]);
		await admin.end();
		expect(failed.rows[0].n).toBe(count(outcomes, 'invalid'));
	}, 60_000);
});

describe('an account someone is guessing at', () => {
	it('refuses the network that has been failing, even with the right password', async () => {
		await newUser('guessed@example.org');
		const attacker = await underAttack('guessed@example.org');
		expect(await logIn(database.db, throttle, 'guessed@example.org', PASSWORD, attacker)).toMatchObject({ ok: false, reason: 'throttled' });
	});

	it('lets the right password from a clean network through to the second factor, which is still asked', async () => {
		const { id, secret } = await enrolled('staff-under-attack@example.org');
		await underAttack('staff-under-attack@example.org');
		const home = fresh();
		const login = await logIn(database.db, throttle, 'staff-under-attack@example.org', PASSWORD, home);
		expect(login).toMatchObject({ ok: true, value: { step: 'second_factor' } });
		if (!login.ok) return;
		const pending = await resolveSession(database.db, login.value.token);
		expect(pending.kind).toBe('pending_mfa');
		if (pending.kind !== 'pending_mfa') return;
		const done = await completeSecondFactor(database.db, throttle, pending.sessionId, id, codeAt(secret, 'staff-under-attack@example.org', Date.now()), home);
		expect(done.ok).toBe(true);
	});

	it('signs in an account without a second factor by its password from a clean network', async () => {
		await newUser('volunteer-under-attack@example.org');
		await underAttack('volunteer-under-attack@example.org');
		expect(await logIn(database.db, throttle, 'volunteer-under-attack@example.org', PASSWORD, fresh())).toMatchObject({ ok: true, value: { step: 'signed_in' } });
	});

	it('does not count a network as clean when it has been failing on other accounts', async () => {
		await newUser('sprayed-at@example.org');
		await underAttack('sprayed-at@example.org');
		const sprayer = fresh();
		expect(await logIn(database.db, throttle, 'someone-else@example.org', wrong(0), sprayer)).toMatchObject({ ok: false, reason: 'invalid' });
		expect(await logIn(database.db, throttle, 'sprayed-at@example.org', PASSWORD, sprayer)).toMatchObject({ ok: false, reason: 'throttled' });
	});

	it("bounds guesses from clean networks by the ceiling, while the person's own network still gets in", async () => {
		await newUser('ceiling@example.org');
		// The person signed in from home before the attack: a known network for 30 days.
		const home = fresh();
		expect(await logIn(database.db, throttle, 'ceiling@example.org', PASSWORD, home)).toMatchObject({ ok: true, value: { step: 'signed_in' } });
		await underAttack('ceiling@example.org');
		const guesses = [];
		for (let i = 0; i < CEILING; i++) guesses.push(await logIn(database.db, throttle, 'ceiling@example.org', wrong(i), fresh()));
		expect(count(guesses, 'invalid')).toBe(CEILING);
		// Ceiling spent: a further clean network is refused, the right password or not.
		expect(await logIn(database.db, throttle, 'ceiling@example.org', wrong(99), fresh())).toMatchObject({ ok: false, reason: 'throttled' });
		expect(await logIn(database.db, throttle, 'ceiling@example.org', PASSWORD, fresh())).toMatchObject({ ok: false, reason: 'throttled' });
		// Home is neither failing nor new: the person is not locked out.
		expect(await logIn(database.db, throttle, 'ceiling@example.org', PASSWORD, home)).toMatchObject({ ok: true, value: { step: 'signed_in' } });
	});

	it('bounds a known network by its own counter of 5', async () => {
		await newUser('known-net@example.org');
		const office = fresh();
		expect(await logIn(database.db, throttle, 'known-net@example.org', PASSWORD, office)).toMatchObject({ ok: true, value: { step: 'signed_in' } });
		await underAttack('known-net@example.org');
		const outcomes = [];
		for (let i = 0; i < 7; i++) {
			const answer = await logIn(database.db, throttle, 'known-net@example.org', wrong(i), office);
			outcomes.push(answer.ok ? answer.value.step : answer.reason);
		}
		expect(outcomes).toEqual(['invalid', 'invalid', 'invalid', 'invalid', 'invalid', 'throttled', 'throttled']);
	});
});

describe('bearer tokens', () => {
	it('carry 256 random bits, and nothing of another shape is looked up', () => {
		expect(TOKEN_BYTES * 8).toBeGreaterThanOrEqual(256);
		const tokens = Array.from({ length: 1000 }, newToken);
		expect(new Set(tokens).size).toBe(1000);
		for (const token of tokens) expect(isTokenShaped(token)).toBe(true);
		// 43 characters of 64 kinds each: 258 bits of room for 256 bits of randomness.
		expect(Buffer.from(tokens[0], 'base64url')).toHaveLength(TOKEN_BYTES);
		expect(isTokenShaped(tokens[0].slice(1))).toBe(false);
		expect(isTokenShaped(tokens[0] + 'a')).toBe(false);
		expect(isTokenShaped(tokens[0].slice(1) + '.')).toBe(false);
	});
});
