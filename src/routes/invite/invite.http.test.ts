/**
 * The invitation link's form as a browser without JavaScript posts it: a new person's name and
 * password are refused field by field (400, the link still usable); right, the account is made and
 * signed in; an address that already has an account is sent to sign in, whatever the fields hold.
 */
import { describe, expect, it } from 'vitest';
import { useApp } from '../../../tests/helpers/app';
import { makeOrganization } from '../../../tests/helpers/factories';
import { makeAccount } from '../../../tests/helpers/people';
import { setUp } from '../../../tests/helpers/contexts';
import { createInvitation } from '../../lib/server/network/invitations';

const app = useApp();
const { post } = app;

async function invitation(email: string) {
	const organizationId = await makeOrganization(app.database.db);
	return setUp(app.database.db, (tx) => createInvitation(tx, { actorUserId: null, ip: '192.0.2.1', userAgent: 'vitest' }, { organizationId, email, role: 'volunteer' }));
}

describe('the invitation form', () => {
	it("refuses a new person's blank name, short password and mismatch beside each field; the link still works after", async () => {
		const token = await invitation('invite-new@example.org');
		const refused = await post(`/invite/${token}`, { displayName: ' ', password: 'short', confirm: 'other' });
		expect(refused.status).toBe(400);
		const page = await refused.text();
		expect(page).toContain('入力してください');
		expect(page).toContain('12文字以上');
		const mismatch = await post(`/invite/${token}`, { displayName: '新人', password: 'a long enough passphrase', confirm: 'a long enough passphrase!' });
		expect(mismatch.status).toBe(400);
		expect(await mismatch.text()).toContain('パスワードが一致しません');
		const joined = await post(`/invite/${token}`, { displayName: '新人', password: 'a long enough passphrase', confirm: 'a long enough passphrase' });
		expect(joined.status).toBe(303);
		expect(joined.headers.get('location')).toBe('/staff');
		expect(joined.headers.get('set-cookie')).toContain('tsunagu_session=');
	});

	it('sends an address that has an account to sign in first, without reading the fields', async () => {
		await makeAccount(app.database.db, { email: 'invite-existing@example.org', password: 'a long enough passphrase' });
		const token = await invitation('invite-existing@example.org');
		const response = await post(`/invite/${token}`, { displayName: '', password: '', confirm: '' });
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe(`/login?next=${encodeURIComponent(`/invite/${token}`)}`);
	});
});
