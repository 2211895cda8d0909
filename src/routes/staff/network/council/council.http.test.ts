/**
 * Over HTTP, one app for all: the secretariat declares the 協議会 and names its members, residents
 * see it on /council without logging in; the provision records for the secretariat (without consent
 * first, with the reason; page and CSV audited) and for an organisation's admin; an org admin is
 * refused the network pages; bad input is a 400 with a Japanese message and changes nothing (axe: tests/e2e/referrals.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { useApp } from '../../../../../tests/helpers/app';
import { runIn, systemScope } from '$lib/server/scope';
import { recordProvision, subjectFor } from '$lib/server/consent';

const REASON = '本人が意識を失っていて同意を得られず、救急病院に連絡先を伝えた';
let provisionId: string;

const app = useApp({
	seed: 'council-http',
	before: async () => {
		// A sharing without consent from A to B, as the referrals module records it (the provider's transaction).
		provisionId = await runIn(systemScope(app.database.db, 'test'), async (tx) => {
			const subjectId = await subjectFor(tx, app.cast.orgA, { kind: 'consultation', id: randomUUID() });
			return recordProvision(tx, { subjectId, provider: app.cast.orgA, recipient: app.cast.orgB, items: ['name', 'contact'], sensitive: true, basis: 'vital_interest', consentId: null, reason: REASON, referralId: null, providedBy: null });
		});
	}
});

const { get, post } = app;
const councilRows = async () => (await app.admin.query(`select name, ended_at from regional_council`)).rows;
const memberIds = async () => (await app.admin.query(`select organization_id from council_members order by 1`)).rows.map((r) => r.organization_id as string);
const auditCount = async (action: string) => Number((await app.admin.query(`select count(*) from audit_events where action = $1`, [action])).rows[0].count);
const nameOf = async (id: string) => (await app.admin.query(`select name from organizations where id = $1`, [id])).rows[0].name as string;

describe('the 協議会 pages', () => {
	it('explains the declaration to the secretariat and tells residents there is none yet', async () => {
		const page = await get('/staff/network/council', app.cast.people.secretariat.token);
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).toContain('守秘義務');
		expect(html).toContain('なぜ必要かを書かなければなりません');
		expect(html).toContain('いまは、協議会として宣言していません。');
		const open = await get('/council');
		expect(open.status).toBe(200);
		expect(await open.text()).toContain('協議会として宣言していません');
	});

	it('gives a bad declaration back with a Japanese message and declares nothing', async () => {
		for (const name of ['', '   ', 'あ'.repeat(201)]) {
			const r = await post('/staff/network/council?/declare', new URLSearchParams({ name }), app.cast.people.secretariat.token);
			expect(r.status, name).toBe(400);
			expect(await r.text()).toContain('協議会の名前を書いてください(200文字まで)。');
		}
		// Members before a declaration: refused, nothing stored.
		const early = await post('/staff/network/council?/members', new URLSearchParams([['organizationId', app.cast.orgA]]), app.cast.people.secretariat.token);
		expect(early.status).toBe(400);
		expect(await early.text()).toContain('先に宣言してください');
		expect(await councilRows()).toEqual([]);
		expect(await memberIds()).toEqual([]);
	});

	it('refuses an org admin (and anyone without the secretariat) every network page and action, changing nothing', async () => {
		for (const token of [app.cast.people.org_admin.token, app.cast.people.staff.token, app.cast.people.adminB.token]) {
			for (const path of ['/staff/network/council', '/staff/network/provisions', '/staff/network/provisions.csv']) expect((await get(path, token)).status, path).toBe(403);
			expect((await post('/staff/network/council?/declare', new URLSearchParams({ name: '乗っ取り協議会' }), token)).status).toBe(403);
			expect((await post('/staff/network/council?/end', new URLSearchParams(), token)).status).toBe(403);
		}
		expect((await get('/staff/network/council')).headers.get('location')).toMatch(/^\/login/);
		expect(await councilRows()).toEqual([]);
	});

	it('declares, names the members, shows them on the public page, refuses a bad member list, and ends', async () => {
		const token = app.cast.people.secretariat.token;
		const declared = await post('/staff/network/council?/declare', new URLSearchParams({ name: '荒川区孤独・孤立対策地域協議会' }), token);
		expect(declared.status).toBe(303);
		expect(declared.headers.get('location')).toBe('/staff/network/council?saved=declared');
		expect(await (await get('/staff/network/council?saved=declared', token)).text()).toContain('「荒川区孤独・孤立対策地域協議会」として宣言しています');

		const named = await post(
			'/staff/network/council?/members',
			new URLSearchParams([
				['organizationId', app.cast.orgA],
				['organizationId', app.cast.orgB]
			]),
			token
		);
		expect(named.status).toBe(303);
		expect(await memberIds()).toEqual([app.cast.orgA, app.cast.orgB].sort());

		for (const bad of ['not-an-id', randomUUID()]) {
			const r = await post(
				'/staff/network/council?/members',
				new URLSearchParams([
					['organizationId', app.cast.orgA],
					['organizationId', bad]
				]),
				token
			);
			expect(r.status, bad).toBe(400);
			expect(await r.text()).toMatch(/構成員の選び方が読み取れませんでした|公開されていない団体か、ない団体が選ばれています/);
		}
		expect(await memberIds()).toEqual([app.cast.orgA, app.cast.orgB].sort());

		const open = await (await get('/council')).text();
		expect(open).toContain('荒川区孤独・孤立対策地域協議会');
		expect(open).toContain(await nameOf(app.cast.orgA));
		expect(open).toContain(await nameOf(app.cast.orgB));
		expect(open).toContain('守秘義務');
		expect(await auditCount('council.declare')).toBe(1);
		expect(await auditCount('council.members')).toBe(1);
	});

	it('ends the council; the public page says so', async () => {
		const ended = await post('/staff/network/council?/end', new URLSearchParams(), app.cast.people.secretariat.token);
		expect(ended.status).toBe(303);
		expect(await memberIds()).toEqual([]);
		expect(await (await get('/council')).text()).toContain('協議会として宣言していません');
		const again = await post('/staff/network/council?/end', new URLSearchParams(), app.cast.people.secretariat.token);
		expect(again.status).toBe(400);
		expect(await again.text()).toContain('いまは協議会として宣言していません。');
	});
});

describe('the provision records pages', () => {
	it('shows the secretariat the sharing without consent first, with its reason, and audits the view', async () => {
		const views = await auditCount('provision.view');
		const page = await get('/staff/network/provisions', app.cast.people.secretariat.token);
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).toContain('本人の同意なしの提供');
		expect(html).toContain(REASON);
		expect(html).toContain('命や体を守るため');
		expect(html).toContain('要配慮');
		expect(html.indexOf('本人の同意なしの提供')).toBeLessThan(html.indexOf('本人の同意による提供'));
		expect(await auditCount('provision.view')).toBe(views + 1);
	});

	it('gives a period it cannot read back as a 400 with a Japanese message, recording no view', async () => {
		const views = await auditCount('provision.view');
		for (const query of ['from=2026-02-30', 'from=2026-03-01&to=2026-02-01', 'without=yes']) {
			const r = await get(`/staff/network/provisions?${query}`, app.cast.people.secretariat.token);
			expect(r.status, query).toBe(400);
			expect(await r.text()).toContain('期間が読み取れませんでした。');
		}
		expect((await get('/staff/network/provisions.csv?to=yesterday', app.cast.people.secretariat.token)).status).toBe(400);
		expect(await auditCount('provision.view')).toBe(views);
	});

	it('downloads the CSV with the reason, and audits the download', async () => {
		const exports = await auditCount('provision.export');
		const r = await get('/staff/network/provisions.csv?without=1', app.cast.people.secretariat.token);
		expect(r.status).toBe(200);
		expect(r.headers.get('content-type')).toContain('text/csv');
		const bytes = Buffer.from(await r.arrayBuffer());
		// A BOM first, so that Excel reads the Japanese (fetch's text() would drop it).
		expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const body = bytes.subarray(3).toString('utf8');
		expect(body.split('\r\n')[0]).toBe('日時,渡した団体,受け取った団体,渡した項目,要配慮個人情報,同意なし,根拠,理由,記録の番号');
		expect(body).toContain(REASON);
		expect(body).toContain(provisionId);
		expect(await auditCount('provision.export')).toBe(exports + 1);
	});

	it("shows an organisation's admin what it provided (with the reason) and the recipient what it received; others are refused", async () => {
		const provider = await get(`/staff/orgs/${app.cast.orgA}/provisions`, app.cast.people.org_admin.token);
		expect(provider.status).toBe(200);
		const html = await provider.text();
		expect(html).toContain('この団体が渡したもの');
		expect(html).toContain(REASON);
		const recipient = await get(`/staff/orgs/${app.cast.orgB}/provisions`, app.cast.people.adminB.token);
		expect(recipient.status).toBe(200);
		const received = await recipient.text();
		expect(received).toContain(await nameOf(app.cast.orgA));
		expect(received).not.toContain(REASON);
		const csv = await get(`/staff/orgs/${app.cast.orgA}/provisions.csv`, app.cast.people.org_admin.token);
		expect(csv.status).toBe(200);
		expect(await csv.text()).toContain(REASON);
		// Staff, the other organisation's admin, and the secretariat acting for A: refused.
		for (const token of [app.cast.people.staff.token, app.cast.people.adminB.token, app.cast.people.secretariat.token]) expect((await get(`/staff/orgs/${app.cast.orgA}/provisions`, token)).status).toBe(403);
	});
});
