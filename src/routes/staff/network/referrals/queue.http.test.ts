/**
 * Over HTTP: the secretariat's queue of stuck referrals (/staff/network/referrals) — the secretariat
 * sees organisations, reasons and days, never the person; organisation staff are refused; 「対応済み
 * にする」 resolves an entry (audited), bad input comes back 400 with nothing changed — and the
 * referral sections of the figures pages and CSVs (an organisation's, the network's). Also: an
 * invalid REFERRAL_ACCEPT_DAYS stops the start-up with its message.
 */
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startApp, useApp } from '../../../../../tests/helpers/app';
import { insertReferral } from '../../../../../tests/helpers/referrals';

let nameA: string;
let nameB: string;
let entryId: string;
const referralIds: string[] = [];
const DAY = 86_400_000;

const resolve = (body: Record<string, string>, token?: string) => app.post('/staff/network/referrals?/resolve', body, token);
const entry = async (id: string) => (await app.admin.query(`select resolved_at, resolved_by from referral_queue where id = $1`, [id])).rows[0];

const app = useApp({
	seed: 'referral-queue-http',
	before: async () => {
		const names = new Map((await app.admin.query(`select id, name from organizations where id = any($1::uuid[])`, [[app.cast.orgA, app.cast.orgB]])).rows.map((r) => [r.id, r.name]));
		[nameA, nameB] = [names.get(app.cast.orgA), names.get(app.cast.orgB)];
		// A sent B six referrals five days ago; nobody accepted them; one is in the queue (the job's row, placed here).
		const fiveDaysAgo = new Date(Date.now() - 5 * DAY);
		for (let i = 0; i < 6; i++) referralIds.push(await insertReferral(app.admin, { from: app.cast.orgA, to: app.cast.orgB, referredBy: app.cast.people.staff.userId, createdAt: new Date(fiveDaysAgo.getTime() + i * 60_000) }));
		entryId = (await app.admin.query(`insert into referral_queue (referral_id, from_organization_id, to_organization_id, reason, waiting_since) values ($1, $2, $3, 'not_accepted', $4) returning id`, [referralIds[0], app.cast.orgA, app.cast.orgB, fiveDaysAgo])).rows[0].id;
	}
});
const { get } = app;

describe("the secretariat's queue of stuck referrals", () => {
	it('shows the secretariat the organisations, the reason in plain words and the days — no person, no referral', async () => {
		const response = await get('/staff/network/referrals', app.cast.people.secretariat.token);
		expect(response.status).toBe(200);
		const html = await response.text();
		expect(html).toContain('とどこおっている紹介(つなぎ)');
		expect(html).toContain(nameA);
		expect(html).toContain(nameB);
		expect(html).toContain('紹介先がまだ受けていません');
		expect(html).toContain('5日');
		expect(html).toContain('対応済みにする');
		expect(html).toMatch(/id="queue-open">1</);
		for (const id of referralIds) expect(html).not.toContain(id);
		// The staff menu links to it for the secretariat.
		expect(html).toContain('href="/staff/network/referrals"');
	});

	it('refuses organisation staff and sends anonymous visitors to the login page', async () => {
		for (const who of ['org_admin', 'staff', 'counsellor', 'adminB'] as const) {
			expect((await get('/staff/network/referrals', app.cast.people[who].token)).status, who).toBe(403);
			expect((await resolve({ id: entryId }, app.cast.people[who].token)).status, who).toBe(403);
		}
		const anonymous = await get('/staff/network/referrals');
		expect(anonymous.headers.get('location')).toMatch(/^\/login\?next=/);
		expect(await entry(entryId)).toEqual({ resolved_at: null, resolved_by: null });
	});

	it('gives bad input back with a message (400) and an unknown entry 404, changing nothing', async () => {
		const token = app.cast.people.secretariat.token;
		const bad = await resolve({ id: 'not-a-uuid' }, token);
		expect(bad.status).toBe(400);
		expect(await bad.text()).toContain('対応する紹介を選び直してください。');
		expect((await resolve({}, token)).status).toBe(400);
		expect((await resolve({ id: randomUUID() }, token)).status).toBe(404);
		expect(await entry(entryId)).toEqual({ resolved_at: null, resolved_by: null });
	});

	it('resolves an entry: 303 back to the page, which says so; who and when recorded and audited; a second time is 409', async () => {
		const token = app.cast.people.secretariat.token;
		const done = await resolve({ id: entryId }, token);
		expect(done.status).toBe(303);
		expect(done.headers.get('location')).toBe('/staff/network/referrals?done=resolved');
		const row = await entry(entryId);
		expect(row.resolved_by).toBe(app.cast.people.secretariat.userId);
		expect(row.resolved_at).not.toBeNull();
		const [audit] = (await app.admin.query(`select actor_user_id, action from audit_events where entity_id = $1`, [entryId])).rows;
		expect(audit).toEqual({ actor_user_id: app.cast.people.secretariat.userId, action: 'referral_queue.resolve' });
		const page = await (await get('/staff/network/referrals?done=resolved', token)).text();
		expect(page).toContain('対応済みにしました。');
		expect(page).toContain('とどこおっている紹介はありません。');
		expect((await resolve({ id: entryId }, token)).status).toBe(409);
	});
});

describe('referral figures on the figures pages and CSVs', () => {
	it("adds the referral section to the organisation's figures page and CSV for who may see referrals (audited)", async () => {
		const page = await (await get(`/staff/orgs/${app.cast.orgA}/figures`, app.cast.people.staff.token)).text();
		expect(page).toContain('紹介(つなぎ)の実績');
		expect(page).toContain('id="referral-figures-table"');
		const csv = await (await get(`/staff/orgs/${app.cast.orgA}/figures.csv`, app.cast.people.staff.token)).text();
		expect(csv).toContain('紹介(つなぎ)の実績');
		expect(csv).toContain('紹介の数,6,0');
		expect(csv).toContain('事務局に知らせた(とどこおった),1,0');
		// The receiving side counts what it received.
		const b = await (await get(`/staff/orgs/${app.cast.orgB}/figures.csv`, app.cast.people.adminB.token)).text();
		expect(b).toContain('紹介の数,0,6');
		// A counsellor's download: consultations and referrals.
		const counsellor = await (await get(`/staff/orgs/${app.cast.orgA}/figures.csv`, app.cast.people.counsellor.token)).text();
		expect(counsellor).toContain('紹介の数,6,0');
		const [audit] = (await app.admin.query(`select organization_id from audit_events where action = 'referral.figures_export' and actor_user_id = $1`, [app.cast.people.staff.userId])).rows;
		expect(audit).toEqual({ organization_id: app.cast.orgA });
	});

	it("adds the network's referral figures, under 5 hidden, to the secretariat's figures page and CSV (audited)", async () => {
		const page = await (await get('/staff/network/figures', app.cast.people.secretariat.token)).text();
		expect(page).toContain('ネットワークの紹介(つなぎ)');
		expect(page).toContain('id="network-referral-table"');
		const csv = await (await get('/staff/network/figures.csv', app.cast.people.secretariat.token)).text();
		expect(csv).toContain('ネットワークの紹介(つなぎ)');
		// A sent 6, B received 6; the queued 1 is hidden.
		expect(csv).toMatch(new RegExp(`\\n${nameA},6,5件未満,`));
		expect(csv).toMatch(/ネットワーク全体,6,6,5件未満,5件未満,5件未満/);
		for (const id of referralIds) expect(csv).not.toContain(id);
		const [audit] = (await app.admin.query(`select entity_type from audit_events where action = 'referral.figures_export_network' and actor_user_id = $1`, [app.cast.people.secretariat.userId])).rows;
		expect(audit).toEqual({ entity_type: 'network' });
	});
});

describe('start-up', () => {
	it('stops with a message when REFERRAL_ACCEPT_DAYS is not a whole number of days', async () => {
		await expect(startApp(app.database.adminUrl, { REFERRAL_ACCEPT_DAYS: 'three' })).rejects.toThrow(/REFERRAL_ACCEPT_DAYS must be a whole number of days/);
	}, 90_000);
});
