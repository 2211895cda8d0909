/**
 * The login and reset-request forms as a browser without JavaScript posts them: a wrong password
 * and an unknown address get the same 400, the sixth guess at one account a 429 with the wait in
 * minutes; the right password signs in (or goes on to the second factor when one is enrolled); a
 * reset request answers the same for any address until the fourth in an hour, which gets a 429.
 */
import { describe, expect, it } from 'vitest';
import { useApp } from '../../../tests/helpers/app';
import { makeAccount } from '../../../tests/helpers/people';

const app = useApp();
const { post } = app;
const PASSWORD = 'a long enough passphrase';
let counter = 0;

async function person(secondFactor = false) {
	const email = `login-${++counter}@example.org`;
	const userId = await makeAccount(app.database.db, { email, password: PASSWORD, secondFactor });
	return { userId, email };
}

const logIn = (email: string, password: string, next = '/account') =>
	post(`/login?next=${encodeURIComponent(next)}`, [
		['email', email],
		['password', password]
	]);

describe('the login form', () => {
	it('answers a wrong password and an unknown address with the same 400 and sets no session', async () => {
		const me = await person();
		for (const response of [await logIn(me.email, 'not the password at all'), await logIn('nobody-at-all@example.org', 'not the password at all')]) {
			expect(response.status).toBe(400);
			expect(await response.text()).toContain('メールアドレスまたはパスワードが正しくありません。');
			expect(response.headers.get('set-cookie') ?? '').not.toContain('tsunagu_session=');
		}
	});

	it('signs in with the right password and goes to next; with a second factor, to its page first', async () => {
		const plain = await person();
		const signedIn = await logIn(plain.email, PASSWORD);
		expect(signedIn.status).toBe(303);
		expect(signedIn.headers.get('location')).toBe('/account');
		expect(signedIn.headers.get('set-cookie')).toContain('tsunagu_session=');
		const enrolled = await person(true);
		const pending = await logIn(enrolled.email, PASSWORD);
		expect(pending.status).toBe(303);
		expect(pending.headers.get('location')).toBe(`/login/2fa?next=${encodeURIComponent('/account')}`);
		expect(pending.headers.get('set-cookie')).toContain('tsunagu_session=');
	});

	it('refuses the sixth guess at one account with 429 and the wait, even with the right password', async () => {
		const me = await person();
		for (let i = 0; i < 5; i++) expect((await logIn(me.email, `guess number ${i}!!`)).status).toBe(400);
		const blocked = await logIn(me.email, PASSWORD);
		expect(blocked.status).toBe(429);
		expect(await blocked.text()).toMatch(/試行回数が多すぎます。安全のため、約\d+分たってからもう一度お試しください。/);
	});
});

describe('the reset request form', () => {
	it('asks again for something that is no address (400), sending nothing', async () => {
		const response = await post('/reset', [['email', '  not an address ']]);
		expect(response.status).toBe(400);
		const page = await response.text();
		expect(page).toContain('メールアドレスの形(例: name@example.jp)で入力してください。');
		expect(page).toContain('value="not an address"');
	});

	it('answers the same for a known and an unknown address, and 429 at the fourth request in an hour', async () => {
		const me = await person();
		const ask = (email: string) => post('/reset', [['email', email]]);
		const unknown = await ask('nobody-here-either@example.org');
		expect(unknown.status).toBe(200);
		const statuses = [];
		for (let i = 0; i < 4; i++) statuses.push((await ask(me.email)).status);
		expect(statuses).toEqual([200, 200, 200, 429]);
		const throttled = await ask(me.email);
		expect(await throttled.text()).toMatch(/約\d+分たってから/);
	});
});
