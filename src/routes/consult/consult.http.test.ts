/**
 * Consultations over HTTP, as a person and a counsellor use them: the form without JavaScript, the
 * hotlines on the next page, the private link, the counsellor's answer read through it, the audited
 * opening; and the JSON API's answers and refusals.
 */
import { describe, expect, it } from 'vitest';
import { useApp } from '../../../tests/helpers/app';

const app = useApp({ seed: 'consult-http' });

const form = (body: Record<string, string>, cookie?: string): RequestInit => ({
	method: 'POST',
	redirect: 'manual',
	headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie: `tsunagu_session=${cookie}` } : {}) },
	body: new URLSearchParams(body).toString()
});
const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('the consultation page and the private thread', () => {
	it('is linked from every public page and works without JavaScript', async () => {
		for (const page of ['/', '/calendar', `/organizations/${app.cast.orgA}`]) expect(await (await fetch(app.baseUrl + page)).text(), page).toContain('href="/consult');
		const page = await (await fetch(`${app.baseUrl}/consult?organization=${app.cast.orgA}`)).text();
		expect(page).toMatch(/<form method="POST"/);
		expect(page).toContain(`name="organizationId" value="${app.cast.orgA}"`);
		expect(page).not.toMatch(/<script/);
	});

	it('shows the hotlines at the top of the next page for 「もう消えたい」; the counsellor answers; the person reads it through the link; the opening is audited', async () => {
		const sent = await fetch(`${app.baseUrl}/consult`, form({ message: 'もう消えたい', nickname: 'ゆき', contact: '', organizationId: app.cast.orgA }));
		expect(sent.status).toBe(303);
		const link = sent.headers.get('location')!;
		expect(link).toMatch(/^\/consult\/t\/[A-Za-z0-9_-]{43}\?sent=1$/);
		const next = await fetch(app.baseUrl + link);
		expect(next.status).toBe(200);
		expect(next.headers.get('cache-control')).toBe('private, no-store');
		const html = await next.text();
		const hotlines = html.indexOf('0120-279-338');
		expect(hotlines).toBeGreaterThan(0);
		expect(html).toContain('href="tel:0120279338"');
		// The hotlines come before the person's own message and everything else on the page.
		expect(hotlines).toBeLessThan(html.indexOf('もう消えたい</p>'));
		expect(hotlines).toBeLessThan(html.indexOf('<form method="POST" class="form-narrow"'));

		const [thread] = (await app.admin.query(`select id, urgent, status from consultation_threads where organization_id = $1 and urgent order by created_at desc limit 1`, [app.cast.orgA])).rows;
		expect(thread).toMatchObject({ urgent: true, status: 'new' });
		const counsellor = app.cast.people.counsellor.token;
		const inbox = await fetch(`${app.baseUrl}/staff/orgs/${app.cast.orgA}/consultations?view=urgent`, { headers: { cookie: `tsunagu_session=${counsellor}` } });
		const inboxHtml = await inbox.text();
		expect(inboxHtml).toContain(thread.id);
		expect(inboxHtml).not.toContain('もう消えたい');
		const opened = await fetch(`${app.baseUrl}/staff/orgs/${app.cast.orgA}/consultations/${thread.id}`, { headers: { cookie: `tsunagu_session=${counsellor}` } });
		expect(opened.status).toBe(200);
		expect(text(await opened.text())).toContain('もう消えたい');
		const replied = await fetch(`${app.baseUrl}/staff/orgs/${app.cast.orgA}/consultations/${thread.id}?/reply`, form({ message: 'メッセージありがとう。いま話せますか。' }, counsellor));
		expect(replied.status).toBe(303);
		const mine = await (await fetch(app.baseUrl + link.replace('?sent=1', ''))).text();
		expect(mine).toContain('メッセージありがとう。いま話せますか。');
		expect(mine).not.toContain(app.cast.people.counsellor.email);
		// The person writes back on the same page.
		expect((await fetch(app.baseUrl + link.replace('?sent=1', ''), form({ message: 'はい' }))).status).toBe(303);
		const audit = (await app.admin.query(`select action, actor_user_id from audit_events where entity_id = $1 order by id`, [thread.id])).rows;
		expect(audit.map((a) => a.action)).toEqual(['consultation.create_urgent', 'consultation.view', 'consultation.reply', 'consultation.person_message']);
		expect(audit.filter((a) => a.action === 'consultation.view').every((a) => a.actor_user_id === app.cast.people.counsellor.userId)).toBe(true);
		const [answered] = (await app.admin.query(`select first_answered_at - created_at as took from consultation_threads where id = $1`, [thread.id])).rows;
		expect(answered.took).toBeTruthy();
	});

	it('an ordinary message shows no hotlines; an empty one comes back with the form and stores nothing', async () => {
		const before = (await app.admin.query(`select count(*)::int as n from consultation_threads`)).rows[0].n;
		const empty = await fetch(`${app.baseUrl}/consult`, form({ message: '   ' }));
		expect(empty.status).toBe(400);
		expect(await empty.text()).toContain('aria-invalid="true"');
		expect((await app.admin.query(`select count(*)::int as n from consultation_threads`)).rows[0].n).toBe(before);
		const sent = await fetch(`${app.baseUrl}/consult`, form({ message: '近くの子ども食堂を知りたいです' }));
		expect(sent.status).toBe(303);
		const html = await (await fetch(app.baseUrl + sent.headers.get('location')!)).text();
		expect(html).not.toContain('0120-279-338</');
		expect(html).not.toContain('tel:');
	});

	it('answers every wrong link with the same 404', async () => {
		const tokens = ['B'.repeat(43), 'short', 'C'.repeat(44), 'D'.repeat(42) + '_'];
		const pages = await Promise.all(tokens.map((token) => fetch(`${app.baseUrl}/consult/t/${token}`)));
		expect(pages.map((p) => p.status)).toEqual([404, 404, 404, 404]);
		const bodies = await Promise.all(pages.map((p) => p.text()));
		// The same page but for the address itself (the language and text-size forms carry it back) and the request id.
		const pagesAsText = bodies.map((b, i) => text(b.replaceAll(tokens[i], 'TOKEN')).replace(/[0-9a-f-]{36}/g, 'ID'));
		expect(new Set(pagesAsText), pagesAsText.join('\n')).toEqual(new Set([pagesAsText[0]]));
	});

	it("another organisation's counsellor and the secretariat elsewhere get nothing", async () => {
		const [thread] = (await app.admin.query(`select id from consultation_threads where organization_id = $1 limit 1`, [app.cast.orgA])).rows;
		const asAdminB = await fetch(`${app.baseUrl}/staff/orgs/${app.cast.orgA}/consultations/${thread.id}`, { redirect: 'manual', headers: { cookie: `tsunagu_session=${app.cast.people.adminB.token}` } });
		expect(asAdminB.status).toBe(403);
		const asSecretariat = await fetch(`${app.baseUrl}/staff/orgs/${app.cast.orgA}/consultations/${thread.id}`, { redirect: 'manual', headers: { cookie: `tsunagu_session=${app.cast.people.secretariat.token}` } });
		expect(asSecretariat.status).toBe(403);
		// The secretariat's own organisation is the one window: its inbox opens.
		const window = await fetch(`${app.baseUrl}/staff/orgs/${app.cast.secretariatOrg}/consultations`, { redirect: 'manual', headers: { cookie: `tsunagu_session=${app.cast.people.secretariat.token}` } });
		expect(window.status).toBe(200);
	});
});

describe('POST /api/v1/consultations', () => {
	it('answers 201 with the private link; hotlines only when urgent', async () => {
		const ordinary = await fetch(`${app.baseUrl}/api/v1/consultations`, json({ message: '居場所をさがしています' }));
		expect(ordinary.status).toBe(201);
		expect(ordinary.headers.get('cache-control')).toBe('no-store');
		const body = await ordinary.json();
		expect(Object.keys(body).sort()).toEqual(['id', 'link', 'urgent']);
		expect(body.urgent).toBe(false);
		expect(body.link).toMatch(new RegExp(`^${app.baseUrl}/consult/t/[A-Za-z0-9_-]{43}$`));
		const [row] = (await app.admin.query(`select organization_id from consultation_threads where id = $1`, [body.id])).rows;
		expect(row.organization_id).toBe(app.cast.secretariatOrg);
		expect((await fetch(body.link)).status).toBe(200);

		const urgent = await (await fetch(`${app.baseUrl}/api/v1/consultations`, json({ message: '死にたい', organization_id: app.cast.orgA, contact: 'x@example.org' }))).json();
		expect(urgent.urgent).toBe(true);
		expect(urgent.hotlines).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'よりそいホットライン', number: '0120-279-338', hours: expect.any(String) })]));
		for (const line of urgent.hotlines) expect(Object.keys(line).sort()).toEqual(['hours', 'name', 'number', 'url']);
	});

	it('refuses bad input with a JSON error and stores nothing', async () => {
		const before = (await app.admin.query(`select count(*)::int as n from consultation_threads`)).rows[0].n;
		const cases: Array<[unknown, number, string]> = [
			['not json', 400, 'invalid_body'],
			[[], 400, 'invalid_body'],
			[{}, 400, 'invalid_body'],
			[{ message: '' }, 400, 'invalid_body'],
			[{ message: '   ' }, 400, 'invalid_body'],
			[{ message: 42 }, 400, 'invalid_body'],
			[{ message: 'x'.repeat(4001) }, 400, 'invalid_body'],
			[{ message: 'x', nickname: 'n'.repeat(41) }, 400, 'invalid_body'],
			[{ message: 'x', organization_id: 'not-a-uuid' }, 400, 'invalid_body'],
			[{ message: 'a\u0000b' }, 400, 'control_character'],
			[{ message: 'x', contact: 'a\u0007' }, 400, 'control_character'],
			[{ message: 'x', organization_id: '00000000-0000-4000-8000-000000000000' }, 404, 'unknown_organization']
		];
		for (const [body, status, code] of cases) {
			const response = await fetch(`${app.baseUrl}/api/v1/consultations`, json(body));
			expect(response.status, JSON.stringify(body).slice(0, 40)).toBe(status);
			expect(response.headers.get('content-type')).toMatch(/^application\/json/);
			const answer = await response.json();
			expect(answer.error.code, JSON.stringify(body).slice(0, 40)).toBe(code);
			expect(answer.error.message).toEqual(expect.any(String));
			expect(Array.isArray(answer.error.details)).toBe(true);
		}
		expect((await app.admin.query(`select count(*)::int as n from consultation_threads`)).rows[0].n).toBe(before);
	});
});
