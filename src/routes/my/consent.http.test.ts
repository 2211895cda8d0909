/**
 * Consent and わたしの情報 over HTTP, as a counsellor and a person use them without JavaScript: the
 * counsellor asks from the thread page; the person agrees, declines and withdraws on their thread
 * page; わたしの情報 for a thread's and a registration's link; a request to the organisation reaches
 * its admins (a mail with a link, never the words) and its requests page; bad links and bad input.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { useApp } from '../../../tests/helpers/app';
import { makeOccurrence, makeProgram, makeRegistration } from '../../../tests/helpers/factories';
import { readOutbox, type OutboxMessage } from '$lib/server/mail';

let recipient: { id: string; name: string; programId: string; programTitle: string };
let orgAName: string;
let token: string;
let threadId: string;

const app = useApp({
	seed: 'consent-http',
	async before({ database, admin, cast }) {
		// B's program, which the counsellor proposes to pass the person on to.
		const programTitle = 'ひだまりカフェ';
		const programId = await makeProgram(database.db, cast.orgB, { edit: { title: programTitle } });
		const nameOf = async (id: string) => (await admin.query(`select name from organizations where id = $1`, [id])).rows[0].name as string;
		recipient = { id: cast.orgB, name: await nameOf(cast.orgB), programId, programTitle };
		orgAName = await nameOf(cast.orgA);
	}
});
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const consentsOfThread = async () => (await app.admin.query(`select c.* from consents c join data_subjects s on s.id = c.subject_id where s.source_id = $1 order by c.requested_at, c.id`, [threadId])).rows;
const threadPage = () => `/staff/orgs/${app.cast.orgA}/consultations/${threadId}`;

beforeAll(async () => {
	const sent = await app.post('/consult', { message: 'だれかと話したい', nickname: 'ゆき', contact: '090-0000-1111', organizationId: app.cast.orgA });
	token = sent.headers.get('location')!.match(/\/consult\/t\/([A-Za-z0-9_-]{43})/)![1];
	threadId = (await app.admin.query(`select id from consultation_threads where organization_id = $1 order by created_at desc limit 1`, [app.cast.orgA])).rows[0].id;
});

describe('the counsellor asks, the person answers on their thread page', () => {
	it('refuses a proposal without items (400, in Japanese, nothing stored), then asks', async () => {
		const counsellor = app.cast.people.counsellor.token;
		const panel = await (await app.get(threadPage(), counsellor)).text();
		expect(panel).toContain('つなぐための同意');
		expect(panel).toContain(`value="${recipient.id}"`);
		expect(panel).not.toContain(`<option value="${app.cast.orgA}"`);
		const bad = await app.post(threadPage() + '?/consentPropose', { recipientOrganizationId: recipient.id, recipientProgramId: recipient.programId, purpose: 'カフェにつなぐため' }, counsellor);
		expect(bad.status).toBe(400);
		expect(text(await bad.text())).toContain('伝えることを1つ以上選んでください。');
		expect(await consentsOfThread()).toEqual([]);
		const own = await app.post(threadPage() + '?/consentPropose', { recipientOrganizationId: app.cast.orgA, items: ['name'], purpose: 'x' }, counsellor);
		expect(own.status).toBe(400);
		expect(text(await own.text())).toContain('自分の団体には伝えられません');
		const asked = await app.post(threadPage() + '?/consentPropose', { recipientOrganizationId: recipient.id, recipientProgramId: recipient.programId, items: ['name', 'contact'], purpose: 'カフェの活動につなぐため', validUntil: '' }, counsellor);
		expect(asked.status).toBe(303);
		expect(asked.headers.get('location')).toBe(`${threadPage()}?consent=propose#consent`);
		expect((await consentsOfThread()).map((c) => [c.given_at, c.items])).toEqual([[null, ['name', 'contact']]]);
		// Another organisation's staff cannot ask from this thread.
		const other = await app.post(threadPage() + '?/consentPropose', { recipientOrganizationId: recipient.id, items: ['name'], purpose: 'x' }, app.cast.people.adminB.token);
		expect(other.status).toBe(403);
	});

	it('shows the question in plain Japanese; a missing way of being reached comes back (400) with nothing changed; then the person agrees', async () => {
		const html = await (await app.get(`/consult/t/${token}`)).text();
		expect(text(html)).toContain(`${recipient.name}の『${recipient.programTitle}』に、あなたのお名前と連絡先を伝えてもよいですか`);
		expect(html).toContain('連絡はいりません。自分で行きます');
		expect(html).toContain(`href="/my/${token}"`);
		// The person's nickname and contact are filled in for them.
		expect(html).toContain('value="ゆき"');
		const [consent] = await consentsOfThread();
		const bad = await app.post(`/consult/t/${token}/consent?/answer`, { consentId: consent.id, answer: 'give', name: 'ゆき', contact: '090-0000-1111' });
		expect(bad.status).toBe(400);
		expect(text(await bad.text())).toContain('連絡の方法を選んでください。');
		expect((await consentsOfThread())[0].given_at).toBeNull();
		const noName = await app.post(`/consult/t/${token}/consent?/answer`, { consentId: consent.id, answer: 'give', name: '', contact: '090-0000-1111', reach: 'phone' });
		expect(noName.status).toBe(400);
		expect(text(await noName.text())).toContain('お名前を書いてください。');
		const given = await app.post(`/consult/t/${token}/consent?/answer`, { consentId: consent.id, answer: 'give', name: 'ゆき', contact: '090-0000-1111', reach: 'phone' });
		expect(given.status).toBe(303);
		expect(given.headers.get('location')).toBe(`/consult/t/${token}?consent=give#consent`);
		const after = text(await (await app.get(`/consult/t/${token}?consent=give`)).text());
		expect(after).toContain('同意を受け取りました');
		expect(after).toContain('取り消す');
		expect((await consentsOfThread())[0].given_via).toBe('web');
		// The counsellor sees it given.
		expect(text(await (await app.get(threadPage(), app.cast.people.counsellor.token)).text())).toContain('同意しています');
	});

	it('lets the person decline a second question and withdraw the first; a wrong consent id is refused', async () => {
		const counsellor = app.cast.people.counsellor.token;
		await app.post(threadPage() + '?/consentPropose', { recipientOrganizationId: recipient.id, items: ['name'], purpose: '別の相談先の案内', validUntil: '2099-12-31' }, counsellor);
		const [first, second] = await consentsOfThread();
		const refused = await app.post(`/consult/t/${token}/consent?/answer`, { consentId: second.id, answer: 'refuse' });
		expect(refused.status).toBe(303);
		expect((await consentsOfThread())[1].refused_at).not.toBeNull();
		const wrong = await app.post(`/consult/t/${token}/consent?/withdraw`, { consentId: 'not-an-id' });
		expect(wrong.status).toBe(400);
		const withdrawn = await app.post(`/consult/t/${token}/consent?/withdraw`, { consentId: first.id });
		expect(withdrawn.status).toBe(303);
		expect((await consentsOfThread())[0].withdrawn_via).toBe('web');
		expect((await app.admin.query(`select action from audit_events where entity_id = $1 order by id`, [first.id])).rows.map((r) => r.action)).toEqual(['consent.request', 'consent.give', 'consent.withdraw']);
	});
});

describe('わたしの情報', () => {
	it('shows a thread’s holder, the consents, and takes a request: bad input 400 with nothing stored; then a mail with a link only, and the organisation’s page', async () => {
		const html = await (await app.get(`/my/${token}`)).text();
		const shown = text(html);
		expect(shown).toContain('わたしの情報');
		expect(shown).toContain(orgAName);
		expect(shown).toContain('ゆき');
		expect(shown).toContain('取り消しました');
		expect(shown).toContain('ほかの団体に、あなたのことを伝えた記録はありません。');

		const bad = await app.post(`/my/${token}?/ask`, { organizationId: app.cast.orgA, kind: 'deletion', body: '' });
		expect(bad.status).toBe(400);
		expect(text(await bad.text())).toContain('お願いしたいことを2000文字以内で書いてください。');
		const elsewhere = await app.post(`/my/${token}?/ask`, { organizationId: app.cast.orgB, kind: 'deletion', body: '消して' });
		expect(elsewhere.status).toBe(400);
		expect((await app.admin.query(`select count(*)::int as n from subject_requests`)).rows[0].n).toBe(0);

		const asked = await app.post(`/my/${token}?/ask`, { organizationId: app.cast.orgA, kind: 'disclosure', body: 'わたしについて持っている情報を見せてください。メールでお願いします。' });
		expect(asked.status).toBe(303);
		expect(asked.headers.get('location')).toMatch(new RegExp(`^/my/${token}\\?done=asked&due=\\d{4}-\\d{2}-\\d{2}$`));
		const request = (await app.admin.query(`select * from subject_requests`)).rows[0];
		expect(text(await (await app.get(asked.headers.get('location')!)).text())).toContain('お願いを送りました。');
		// A `due` that is not a day is ignored: no notice with a made-up date.
		expect(text(await (await app.get(`/my/${token}?done=asked&due=soon`)).text())).not.toContain('お願いを送りました。');
		expect(request).toMatchObject({ organization_id: app.cast.orgA, kind: 'disclosure', status: 'open' });

		// The admins' mail: a link to the requests page, never the words.
		let mails: OutboxMessage[] = [];
		for (let i = 0; i < 50 && mails.length === 0; i++) {
			await new Promise((r) => setTimeout(r, 100));
			mails = readOutbox(50, path.join(app.running.dataDir, 'outbox'));
		}
		const mail = mails.find((m) => m.to.includes(app.cast.people.org_admin.email));
		expect(mail?.subject).toContain('本人からのお願い');
		expect(mail?.text).toContain(`/staff/orgs/${app.cast.orgA}/requests`);
		expect(mail?.text).not.toContain('見せてください');

		// The organisation's admin: the list (no words), one opened (the words; audited), answered.
		const adminToken = app.cast.people.org_admin.token;
		const list = await (await app.get(`/staff/orgs/${app.cast.orgA}/requests`, adminToken)).text();
		expect(text(list)).toContain('持っている情報を見せてほしい');
		expect(list).not.toContain('メールでお願いします');
		const opened = await (await app.get(`/staff/orgs/${app.cast.orgA}/requests?id=${request.id}`, adminToken)).text();
		expect(opened).toContain('わたしについて持っている情報を見せてください。メールでお願いします。');
		expect((await app.get(`/staff/orgs/${app.cast.orgA}/requests?id=not-a-uuid`, adminToken)).status).toBe(404);
		const answered = await app.post(`/staff/orgs/${app.cast.orgA}/requests?/answer`, { id: request.id }, adminToken);
		expect(answered.status).toBe(303);
		expect((await app.admin.query(`select action from audit_events where entity_id = $1 order by id`, [request.id])).rows.map((r) => r.action)).toEqual(['privacy.request', 'privacy.request_view', 'privacy.request_answer']);
		// Another organisation's admin sees none of it.
		expect(text(await (await app.get(`/staff/orgs/${app.cast.orgB}/requests?id=${request.id}`, app.cast.people.adminB.token)).text())).not.toContain('見せてください');
		expect((await app.get(`/staff/orgs/${app.cast.orgB}/requests?id=${request.id}`, app.cast.people.adminB.token)).status).toBe(404);
	});

	it('shows a registration’s holder through the registration’s link, which links to it', async () => {
		const program = await makeProgram(app.database.db, app.cast.orgA);
		const occurrence = await makeOccurrence(app.database.db, app.cast.orgA, program);
		const registration = await makeRegistration(app.database.db, occurrence.id, { name: '山田花子', contact: 'hanako@example.org', needs: '車いすで行きます' });
		expect(await (await app.get(`/registrations/${registration.token}`)).text()).toContain(`href="/my/${registration.token}"`);
		const shown = text(await (await app.get(`/my/${registration.token}`)).text());
		expect(shown).toContain(orgAName);
		expect(shown).toContain('山田花子');
		expect(shown).toContain('車いすで行きます');
	});

	it('answers the same 404 page for an unknown, a malformed and a garbage link', async () => {
		const pages = await Promise.all(['A'.repeat(43), 'short', '%E3%81%82'].map((t) => app.get(`/my/${t}`)));
		expect(pages.map((p) => p.status)).toEqual([404, 404, 404]);
		const bodies = await Promise.all(pages.map(async (p) => (await p.text()).replace(/nonce="[^"]*"/g, '').replace(/\/my\/[^"<\s]*/g, '')));
		expect(new Set(bodies).size).toBe(1);
		expect(bodies[0]).toContain('このページは見つかりませんでした');
		expect((await app.post(`/my/${'B'.repeat(43)}?/withdraw`, { consentId: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
	});
});
