/**
 * The referral pages over HTTP, on the built app: from the thread page's 「この相談からつなぐ」 to
 * the form (the person's consents in force, organisations and programs), a refused form coming
 * back in Japanese with nothing sent, a referral sent with consent; the receiver's lists and page
 * with exactly the shared items (every view recorded), its steps and the outcome required to close;
 * the sender's page without the values; "the person will come themselves". Their pages are checked with axe in the browser suite (tests/e2e/referrals.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { useApp } from '../../../../../../tests/helpers/app';
import { encryptText } from '$lib/server/crypto';
import { runIn, systemScope } from '$lib/server/scope';
import { consents, consentValuesBinding, subjectFor } from '$lib/server/consent';

const app = useApp({ seed: 'referrals-http', headers: { 'accept-language': 'ja' } });

const { get, post } = app;
const counsellor = () => app.cast.people.counsellor.token;
const receiver = () => app.cast.people.staffB.token;
const count = async (sql: string, params: unknown[]) => Number((await app.admin.query(sql, params)).rows[0].count);

async function thread(): Promise<string> {
	const response = await fetch(`${app.baseUrl}/api/v1/consultations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: '週末に話せる場所を探しています', organization_id: app.cast.orgA, nickname: 'あおい', contact: '090-0000-1111' }) });
	expect(response.status).toBe(201);
	return (await response.json()).id;
}

async function consent(threadId: string, values: Record<string, string>): Promise<string> {
	return runIn(systemScope(app.database.db, 'test'), async (tx) => {
		const subjectId = await subjectFor(tx, app.cast.orgA, { kind: 'consultation', id: threadId });
		const id = randomUUID();
		await tx
			.insert(consents)
			.values({ id, subjectId, organizationId: app.cast.orgA, recipientOrganizationId: app.cast.orgB, items: ['name', 'contact'], purpose: 'カフェの紹介', givenVia: 'web', givenAt: new Date(), valuesSealed: await encryptText(tx, JSON.stringify(values), consentValuesBinding(id, app.cast.orgA)) });
		return id;
	});
}

const form = (fields: Record<string, string | string[]>) => {
	const body = new URLSearchParams();
	for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
	return body;
};

let referralPath = '';
let referralId = '';

describe('sending', () => {
	it('starts from the thread page and refers with the person’s consent; a refused form comes back with nothing sent', async () => {
		const t = await thread();
		const consentId = await consent(t, { name: '青井あおい', contact: 'aoi@example.org', reach: 'mail' });
		const threadPage = await (await get(`/staff/orgs/${app.cast.orgA}/consultations/${t}`, counsellor())).text();
		expect(threadPage).toContain(`/staff/orgs/${app.cast.orgA}/referrals/new?thread=${t}`);
		expect(threadPage).toContain('この相談からつなぐ');
		const newPath = `/staff/orgs/${app.cast.orgA}/referrals/new?thread=${t}`;
		const page = await get(newPath, counsellor());
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).toContain('この人の同意');
		expect(html).toContain('カフェの紹介');
		expect(html).toContain(`value="${app.cast.orgB}"`);
		expect(html).not.toContain(`<option value="${app.cast.orgA}"`);
		// The values themselves are not shown on the form.
		expect(html).not.toContain('青井あおい');

		const before = await count('select count(*) from referrals', []);
		const empty = await post(newPath, form({ to: app.cast.orgB, basis: 'consent', consentId }), counsellor());
		expect(empty.status).toBe(400);
		expect(await empty.text()).toContain('伝える項目を1つ以上選んでください。');
		const noReason = await post(newPath, form({ to: app.cast.orgB, basis: 'vital_interest', items: ['name'], reach: 'phone' }), counsellor());
		expect(noReason.status).toBe(400);
		expect(await noReason.text()).toContain('同意なしで伝える理由を10文字以上で書いてください。');
		const notConsented = await post(newPath, form({ to: app.cast.orgB, basis: 'consent', consentId, items: ['name', 'needs'], needs: '話し相手' }), counsellor());
		expect(notConsented.status).toBe(400);
		expect(await notConsented.text()).toContain('同意されていない項目がふくまれています。');
		expect(await count('select count(*) from referrals', [])).toBe(before);

		const sent = await post(newPath, form({ to: app.cast.orgB, basis: 'consent', consentId, items: ['name', 'contact'], followUpOn: '2030-01-10' }), counsellor());
		expect(sent.status).toBe(303);
		const location = sent.headers.get('location')!;
		expect(location).toMatch(new RegExp(`^/staff/orgs/${app.cast.orgA}/referrals/[0-9a-f-]{36}\\?done=sent$`));
		referralId = location.split('/').at(-1)!.split('?')[0];
		referralPath = `/staff/orgs/${app.cast.orgB}/referrals/${referralId}`;
		const mine = await (await get(location, counsellor())).text();
		expect(mine).toContain('紹介を送りました。');
		expect(mine).toContain('送った項目');
		expect(mine).not.toContain('青井あおい');
		expect(mine).not.toContain('aoi@example.org');
	});

	it('answers 404 for another organisation’s thread and 403 to staff who cannot read consultations', async () => {
		const response = await fetch(`${app.baseUrl}/api/v1/consultations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: '相談です', organization_id: app.cast.orgB }) });
		const threadB = (await response.json()).id;
		expect((await get(`/staff/orgs/${app.cast.orgA}/referrals/new?thread=${threadB}`, counsellor())).status).toBe(404);
		expect((await get(`/staff/orgs/${app.cast.orgA}/referrals/new?thread=${threadB}`, app.cast.people.staff.token)).status).toBe(403);
		expect((await get(`/staff/orgs/${app.cast.orgA}/referrals/new`, counsellor())).status).toBe(404);
	});
});

describe('receiving', () => {
	it('lists the referral for the receiver and the sender, shows the receiver exactly the shared items, and records every view', async () => {
		const received = await (await get(`/staff/orgs/${app.cast.orgB}/referrals`, receiver())).text();
		expect(received).toContain(`/staff/orgs/${app.cast.orgB}/referrals/${referralId}`);
		const sent = await (await get(`/staff/orgs/${app.cast.orgA}/referrals`, counsellor())).text();
		expect(sent).toContain(`/staff/orgs/${app.cast.orgA}/referrals/${referralId}`);
		const views = () => count(`select count(*) from audit_events where action = 'referral.view' and entity_id = $1 and organization_id = $2`, [referralId, app.cast.orgB]);
		const before = await views();
		const html = await (await get(referralPath, receiver())).text();
		expect(html).toContain('伝えられた内容');
		expect(html).toContain('青井あおい');
		expect(html).toContain('aoi@example.org');
		// The consent's values, not the thread's.
		expect(html).not.toContain('090-0000-1111');
		expect(html).toContain('受け入れる');
		await get(referralPath, receiver());
		expect(await views()).toBe(before + 2);
		// Another organisation's staff are refused; the sender's path with this id works only for the sender.
		expect((await get(referralPath, app.cast.people.staff.token)).status).toBe(403);
	});

	it('takes steps: accept; closing without an outcome comes back with its message; then closes with one', async () => {
		const accepted = await post(`${referralPath}?/step`, { action: 'accept', note: '' }, receiver());
		expect(accepted.status).toBe(303);
		expect(accepted.headers.get('location')).toBe(`${referralPath}?done=step`);
		const noOutcome = await post(`${referralPath}?/step`, { action: 'close', outcome: '' }, receiver());
		expect(noOutcome.status).toBe(400);
		expect(await noOutcome.text()).toContain('終了するときは、結果を選んでください。');
		const illegal = await post(`${referralPath}?/step`, { action: 'accept' }, receiver());
		expect(illegal.status).toBe(409);
		expect(await illegal.text()).toContain('いまの状況では、この操作はできません。');
		const bySender = await post(`/staff/orgs/${app.cast.orgA}/referrals/${referralId}?/step`, { action: 'first_contact' }, counsellor());
		expect(bySender.status).toBe(400);
		expect(await bySender.text()).toContain('紹介先の団体だけができます');
		expect((await post(`${referralPath}?/step`, { action: 'close', outcome: 'got_help', note: '初回のカフェに来られました' }, receiver())).status).toBe(303);
		const sender = await (await get(`/staff/orgs/${app.cast.orgA}/referrals/${referralId}`, counsellor())).text();
		expect(sender).toContain('支援につながった');
		expect(sender).toContain('初回のカフェに来られました');
		expect(sender).toContain('この紹介は終わっています。');
		expect((await app.admin.query(`select status, outcome from referrals where id = $1`, [referralId])).rows[0]).toEqual({ status: 'closed', outcome: 'got_help' });
	});

	it('tells the receiver not to contact a person who will come themselves', async () => {
		const t = await thread();
		const consentId = await consent(t, { name: '自分で行く人', reach: 'self' });
		const sent = await post(`/staff/orgs/${app.cast.orgA}/referrals/new?thread=${t}`, form({ to: app.cast.orgB, basis: 'consent', consentId, items: ['name'] }), counsellor());
		expect(sent.status).toBe(303);
		const id = sent.headers.get('location')!.split('/').at(-1)!.split('?')[0];
		const html = await (await get(`/staff/orgs/${app.cast.orgB}/referrals/${id}`, receiver())).text();
		expect(html).toContain('ご本人が自分で来ます。こちらから連絡はしないでください。');
	});
});
