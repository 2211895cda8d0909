/**
 * Two-step verification over HTTP against the built app, as a browser without JavaScript uses it:
 * the setup key is the server's and stays the same across reloads, a secret posted by the client
 * is ignored, a refused code during enrolment says what to check, new recovery codes need the
 * password, and the code field at login takes letters (recovery codes) on a phone.
 */
import { describe, expect, it } from 'vitest';
import { Secret, TOTP } from 'otpauth';
import { useApp } from '../../../../tests/helpers/app';
import { makeAccount } from '../../../../tests/helpers/people';
import { createSession } from '$lib/server/auth';
import { setMembership } from '$lib/server/network';
import { makeOrganization } from '../../../../tests/helpers/factories';
import { setUp } from '../../../../tests/helpers/contexts';

const app = useApp();
let counter = 0;
const PASSWORD = 'a long enough passphrase';

/** A new account with a signed-in session (fully signed in, or waiting for its second factor). */
async function person(mfaPassed = true) {
	const email = `twofa-${++counter}@example.org`;
	const userId = await makeAccount(app.database.db, { email, password: PASSWORD });
	const token = await createSession(app.database.db, userId, mfaPassed, { ip: '192.0.2.20', userAgent: 'vitest' });
	return { userId, email, token };
}

const get = (token: string, path: string) => app.get(path, token);
const post = (token: string, path: string, entries: Array<[string, string]>) => app.post(path, entries, token);
const textOf = async (response: Response) => (await response.text()).replace(/<!--.*?-->/g, '');

/** The setup key the page shows, without its spaces. */
function keyIn(html: string): string {
	const match = /<code[^>]*>([A-Z2-7 ]{16,})<\/code>/.exec(html);
	if (!match) throw new Error('no setup key on the page');
	return match[1].replace(/\s/g, '');
}
const codeFor = (key: string) => new TOTP({ secret: Secret.fromBase32(key) }).generate();
const recoveryCodesIn = (html: string) => [...html.matchAll(/<ul class="codes">(.*?)<\/ul>/gs)].flatMap((m) => [...m[1].matchAll(/<li>([^<]+)<\/li>/g)].map((c) => c[1]));

async function auditActions(userId: string, prefix: string): Promise<string[]> {
	const { rows } = await app.admin.query<{ action: string }>(`select action from audit_events where entity_id = $1 and action like $2 order by id`, [userId, `${prefix}%`]);
	return rows.map((r) => r.action);
}

async function enrolled() {
	const who = await person();
	const key = keyIn(await textOf(await get(who.token, '/account/2fa')));
	// Posts the key back as the earlier form did; the server now ignores it.
	const response = await post(who.token, '/account/2fa?/enable', [
		['secret', key],
		['code', codeFor(key)]
	]);
	expect(response.status).toBe(200);
	const codes = recoveryCodesIn(await textOf(response));
	expect(codes).toHaveLength(10);
	return { ...who, key, codes };
}

describe('enrolment', () => {
	it('shows the same setup key at every reload until enrolment ends, and that key turns 2FA on', async () => {
		const who = await person();
		const first = keyIn(await textOf(await get(who.token, '/account/2fa')));
		const second = keyIn(await textOf(await get(who.token, '/account/2fa')));
		expect(second).toBe(first);
		const response = await post(who.token, '/account/2fa?/enable', [['code', codeFor(first)]]);
		expect(response.status).toBe(200);
		expect(recoveryCodesIn(await textOf(response))).toHaveLength(10);
		expect(await textOf(await get(who.token, '/account/2fa'))).toContain('2段階認証は有効です。');
		expect(await auditActions(who.userId, 'account.mfa')).toEqual(['account.mfa_key_created', 'account.mfa_enable']);
	});

	it('ignores a secret posted by the client: only the key the server keeps can turn 2FA on', async () => {
		const who = await person();
		const key = keyIn(await textOf(await get(who.token, '/account/2fa')));
		const chosen = new Secret({ size: 20 }).base32;
		const forged = await post(who.token, '/account/2fa?/enable', [
			['secret', chosen],
			['code', codeFor(chosen)]
		]);
		expect(forged.status).toBe(400);
		const after = await textOf(await get(who.token, '/account/2fa'));
		expect(after).not.toContain('2段階認証は有効です。');
		expect(keyIn(after)).toBe(key);
		expect(after).not.toContain(`name="secret"`);
		const real = await post(who.token, '/account/2fa?/enable', [
			['secret', chosen],
			['code', codeFor(key)]
		]);
		expect(real.status).toBe(200);
	});

	it('says what to check when a code is refused, and keeps showing the same key', async () => {
		const who = await person();
		const key = keyIn(await textOf(await get(who.token, '/account/2fa')));
		const wrong = codeFor(key) === '123456' ? '654321' : '123456';
		const response = await post(who.token, '/account/2fa?/enable', [['code', wrong]]);
		expect(response.status).toBe(400);
		const html = await textOf(response);
		expect(html).toMatch(/<p class="alert" role="alert">確認コードが正しくない[^<]*時計[^<]*設定キー[^<]*<\/p>/);
		expect(keyIn(html)).toBe(key);
		const empty = await post(who.token, '/account/2fa?/enable', [['code', '']]);
		expect(empty.status).toBe(400);
	});

	it('makes a new key only when asked; the old key then no longer works', async () => {
		const who = await person();
		const old = keyIn(await textOf(await get(who.token, '/account/2fa')));
		const response = await post(who.token, '/account/2fa?/newKey', []);
		expect(response.status).toBe(200);
		const html = await textOf(response);
		const fresh = keyIn(html);
		expect(fresh).not.toBe(old);
		expect(html).toContain('新しい設定キーを作りました');
		expect(keyIn(await textOf(await get(who.token, '/account/2fa')))).toBe(fresh);
		expect((await post(who.token, '/account/2fa?/enable', [['code', codeFor(old)]])).status).toBe(400);
		expect((await post(who.token, '/account/2fa?/enable', [['code', codeFor(fresh)]])).status).toBe(200);
		expect(await auditActions(who.userId, 'account.mfa')).toEqual(['account.mfa_key_created', 'account.mfa_key_replaced', 'account.mfa_enable']);
		// Once enrolled, there is no pending key to replace.
		expect((await post(who.token, '/account/2fa?/newKey', [])).status).toBe(400);
	});
});

describe('new recovery codes', () => {
	const storedCodes = async (userId: string) => (await app.admin.query<{ h: string }>(`select code_hash as h from recovery_codes where user_id = $1 order by 1`, [userId])).rows.map((r) => r.h);

	it('need the password: missing or wrong, nothing changes and the attempt is recorded', async () => {
		const who = await enrolled();
		const before = await storedCodes(who.userId);
		expect(before).toHaveLength(10);

		const missing = await post(who.token, '/account/2fa?/codes', []);
		expect(missing.status).toBe(400);
		const missingHtml = await textOf(missing);
		expect(missingHtml).toContain('回復コードを作り直すには、現在のパスワードを入力してください。');
		expect(recoveryCodesIn(missingHtml)).toEqual([]);

		const wrong = await post(who.token, '/account/2fa?/codes', [['password', 'not the password at all']]);
		expect(wrong.status).toBe(400);
		const wrongHtml = await textOf(wrong);
		expect(wrongHtml).toContain('パスワードが正しくありません。回復コードは作り直していません');
		expect(recoveryCodesIn(wrongHtml)).toEqual([]);

		expect(await storedCodes(who.userId)).toEqual(before);
		expect(await auditActions(who.userId, 'account.recovery_codes')).toEqual(['account.recovery_codes_refused', 'account.recovery_codes_refused']);

		const right = await post(who.token, '/account/2fa?/codes', [['password', PASSWORD]]);
		expect(right.status).toBe(200);
		const fresh = recoveryCodesIn(await textOf(right));
		expect(fresh).toHaveLength(10);
		expect(fresh.some((c) => who.codes.includes(c))).toBe(false);
		expect(await storedCodes(who.userId)).not.toEqual(before);
		expect(await auditActions(who.userId, 'account.recovery_codes')).toEqual(['account.recovery_codes_refused', 'account.recovery_codes_refused', 'account.recovery_codes']);
	});

	it('the form asks for the current password', async () => {
		const who = await enrolled();
		const html = await textOf(await get(who.token, '/account/2fa'));
		const form = /<form method="POST" action="\?\/codes"[^>]*>(.*?)<\/form>/s.exec(html);
		expect(form?.[1]).toMatch(/<input[^>]*name="password"[^>]*type="password"[^>]*autocomplete="current-password"/);
	});
});

describe('turning it off', () => {
	it('is refused (403, nothing changes) to a role that requires it, even with the password; anyone else turns it off with the password', async () => {
		const counsellor = await enrolled();
		const organizationId = await makeOrganization(app.database.db);
		await setUp(app.database.db, (tx) => setMembership(tx, organizationId, counsellor.userId, 'counsellor', null));
		const refused = await post(counsellor.token, '/account/2fa?/disable', [['password', PASSWORD]]);
		expect(refused.status).toBe(403);
		expect(await textOf(refused)).toContain('あなたの役割では2段階認証をやめることはできません。');
		expect(await textOf(await get(counsellor.token, '/account/2fa'))).toContain('2段階認証は有効です。');
		expect(await auditActions(counsellor.userId, 'account.mfa_disable')).toEqual([]);

		const free = await enrolled();
		const done = await post(free.token, '/account/2fa?/disable', [['password', PASSWORD]]);
		expect(done.status).toBe(303);
		expect(done.headers.get('location')).toBe('/account?changed=mfa');
		expect(await auditActions(free.userId, 'account.mfa_disable')).toEqual(['account.mfa_disable']);
	});
});

describe('the code field at login', () => {
	it('takes letters on a phone (no numeric keypad) and accepts a recovery code typed loosely', async () => {
		const who = await enrolled();
		const pending = await createSession(app.database.db, who.userId, false, { ip: '192.0.2.21', userAgent: 'vitest' });
		const html = await textOf(await get(pending, '/login/2fa'));
		const input = /<input[^>]*name="code"[^>]*>/.exec(html)?.[0] ?? '';
		expect(input).toContain('autocomplete="one-time-code"');
		expect(input).toContain('inputmode="text"');
		expect(input).toContain('autocapitalize="off"');
		expect(input).not.toContain('numeric');
		// Upper case, spaces instead of hyphens, full-width letters as a Japanese keyboard types them.
		const typed = who.codes[0]
			.toUpperCase()
			.replace(/-/g, ' ')
			.replace(/[A-Z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
		const response = await post(pending, '/login/2fa', [['code', typed]]);
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe('/staff');
	});
});
