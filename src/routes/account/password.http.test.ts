/**
 * The three forms that set a password (account, reset link, invitation) read it through one zod
 * pair: a weak or mistyped new password is refused with the Japanese message beside the field, and
 * nothing changes; a good one is taken. Over HTTP against the built app, as a browser without
 * JavaScript posts them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useApp } from '../../../tests/helpers/app';
import { makeAccount } from '../../../tests/helpers/people';
import { passwordHashOf } from '../../../tests/helpers/rows';
import { createSession, logIn, requestPasswordReset, Throttle } from '$lib/server/auth';

const app = useApp();
let throttle: Throttle;
let counter = 0;
const PASSWORD = 'a long enough passphrase';
const client = () => ({ ip: `192.0.2.${++counter}`, userAgent: 'vitest' });

beforeAll(() => {
	throttle = new Throttle(app.database.pool);
});

async function person() {
	const email = `pw-${++counter}@example.org`;
	const userId = await makeAccount(app.database.db, { email, password: PASSWORD });
	const token = await createSession(app.database.db, userId, true, client());
	return { userId, email, token };
}

const { post } = app;
const hashOf = (userId: string) => passwordHashOf(app.database.db, userId);

describe('the account password form', () => {
	it('refuses a short new password and a mismatched confirmation with their messages, and changes nothing', async () => {
		const me = await person();
		const before = await hashOf(me.userId);
		const short = await post(
			'/account?/password',
			[
				['current', PASSWORD],
				['next', 'short'],
				['confirm', 'short']
			],
			me.token
		);
		expect(short.status).toBe(400);
		expect(await short.text()).toContain('12文字以上にしてください。');
		const mismatch = await post(
			'/account?/password',
			[
				['current', PASSWORD],
				['next', '朝の公園で猫と三回会った日'],
				['confirm', '朝の公園で猫と二回会った日']
			],
			me.token
		);
		expect(mismatch.status).toBe(400);
		expect(await mismatch.text()).toContain('確認のパスワードが一致しません。');
		expect(await hashOf(me.userId)).toBe(before);
	});

	it('takes a good new password with the right current one', async () => {
		const me = await person();
		const changed = await post(
			'/account?/password',
			[
				['current', PASSWORD],
				['next', '朝の公園で猫と三回会った日'],
				['confirm', '朝の公園で猫と三回会った日']
			],
			me.token
		);
		expect(changed.status).toBe(303);
		expect(await logIn(app.database.db, throttle, me.email, '朝の公園で猫と三回会った日', client())).toMatchObject({ ok: true, value: { step: 'signed_in' } });
	});
});

describe('the reset link form', () => {
	async function resetLink() {
		const me = await person();
		const requested = await requestPasswordReset(app.database.db, throttle, me.email, client());
		if (!requested.ok || !requested.value.token) throw new Error('no reset token');
		return { ...me, path: `/reset/${requested.value.token}` };
	}

	it('refuses a common password and a mismatch, keeping the old password and the link', async () => {
		const me = await resetLink();
		const common = await post(me.path, [
			['password', 'password1234'],
			['confirm', 'password1234']
		]);
		expect(common.status).toBe(400);
		expect(await common.text()).toContain('よく使われる・推測されやすいパスワードです。');
		const mismatch = await post(me.path, [
			['password', '朝の公園で猫と三回会った日'],
			['confirm', 'ちがう']
		]);
		expect(mismatch.status).toBe(400);
		expect(await mismatch.text()).toContain('確認のパスワードが一致しません。');
		expect(await logIn(app.database.db, throttle, me.email, PASSWORD, client())).toMatchObject({ ok: true, value: { step: 'signed_in' } });
		// The link still works for a good password.
		const done = await post(me.path, [
			['password', '朝の公園で猫と三回会った日'],
			['confirm', '朝の公園で猫と三回会った日']
		]);
		expect(done.status).toBe(303);
		expect(done.headers.get('location')).toBe('/login?reset=1');
		expect(await logIn(app.database.db, throttle, me.email, '朝の公園で猫と三回会った日', client())).toMatchObject({ ok: true, value: { step: 'signed_in' } });
	});
});
