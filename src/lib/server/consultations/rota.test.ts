/**
 * The on-call rota: the module's rules (who may set it, only members who answer consultations, LINE
 * links kept across a new order, audited writes) and the page over HTTP against the built app —
 * who gets in (anonymous → login, another organisation → 403, a member without the permission →
 * 403), what each sees, and bad input (a Japanese message, nothing changed).
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { useApp } from '../../../../tests/helpers/app';
import { useDatabase } from '../db';
import { requireOrganization } from '../auth/guard';
import { rotaInput, rotaPage, setEscalationMinutes, setRota } from './index';
import { normaliseLinkCode } from './rota';
import { launch, seriousViolations } from '../../../../tests/e2e/browser';
import { actorOf, organizationScopeOf, requestOf } from '../../../../tests/helpers/scopes';

// The module's operations run on the app's database too.
const app = useApp({ seed: 'rota', before: async ({ database }) => useDatabase(database) });

const adminA = () => organizationScopeOf(app.cast.people.org_admin.userId, app.cast.orgA, 'org_admin', 'consultations.manage');
const counsellorA = () => organizationScopeOf(app.cast.people.counsellor.userId, app.cast.orgA, 'counsellor', 'consultations.read');
/** The secretariat admin acting for organisation A through the network permission (no role in A). */
const secretariatAtA = () => requireOrganization(requestOf(actorOf(app.cast.people.secretariat.userId, app.cast.secretariatOrg, 'secretariat_admin'), app.cast.orgA), 'consultations.manage');

const rota = async (org: string) => (await app.admin.query<{ user_id: string; position: number }>(`select user_id, position from consultation_rota where organization_id = $1 order by position`, [org])).rows;
const minutes = async (org: string) => (await app.admin.query(`select escalation_minutes from consultation_settings where organization_id = $1`, [org])).rows[0]?.escalation_minutes ?? null;
const page = (org: string, token?: string) => app.get(`/staff/orgs/${org}/consultations/rota`, token);
const post = (org: string, action: string, body: Record<string, string>, token?: string) => app.post(`/staff/orgs/${org}/consultations/rota?/${action}`, body, token);

describe('the rota (module)', () => {
	it('is set by the organisation’s admin from its counsellors, audited; a non-counsellor is refused', async () => {
		const parsed = rotaInput.parse({
			entries: [
				{ userId: app.cast.people.counsellor.userId, position: '１' },
				{ userId: app.cast.people.unenrolled.userId, position: '2' },
				{ userId: app.cast.people.staff.userId, position: '' }
			]
		});
		expect((await setRota(adminA(), parsed)).ok).toBe(true);
		expect(await rota(app.cast.orgA)).toEqual([
			{ user_id: app.cast.people.counsellor.userId, position: 1 },
			{ user_id: app.cast.people.unenrolled.userId, position: 2 }
		]);
		expect(await setRota(adminA(), rotaInput.parse({ entries: [{ userId: app.cast.people.staff.userId, position: '1' }] }))).toEqual({ ok: false, reason: 'not_answering' });
		const audit = (await app.admin.query(`select action, actor_user_id from audit_events where organization_id = $1 and action = 'consultation.rota_set'`, [app.cast.orgA])).rows;
		expect(audit).toEqual([{ action: 'consultation.rota_set', actor_user_id: app.cast.people.org_admin.userId }]);
	});

	it('keeps a LINE link when the order changes, and drops whoever leaves the rota', async () => {
		await app.admin.query(`update consultation_rota set line_user_id_sealed = 'enc:v1:placeholder' where user_id = $1`, [app.cast.people.counsellor.userId]);
		expect(
			(
				await setRota(
					adminA(),
					rotaInput.parse({
						entries: [
							{ userId: app.cast.people.unenrolled.userId, position: '1' },
							{ userId: app.cast.people.counsellor.userId, position: '5' }
						]
					})
				)
			).ok
		).toBe(true);
		const rows = (await app.admin.query(`select user_id, position, line_user_id_sealed from consultation_rota where organization_id = $1 order by position`, [app.cast.orgA])).rows;
		expect(rows.map((r) => [r.user_id, r.position, r.line_user_id_sealed])).toEqual([
			[app.cast.people.unenrolled.userId, 1, null],
			[app.cast.people.counsellor.userId, 2, 'enc:v1:placeholder']
		]);
		await app.admin.query(`update consultation_rota set line_user_id_sealed = null`);
	});

	it('refuses the same position twice, and positions that are not 1–99', () => {
		expect(
			rotaInput.safeParse({
				entries: [
					{ userId: app.cast.people.counsellor.userId, position: '1' },
					{ userId: app.cast.people.unenrolled.userId, position: '1' }
				]
			}).success
		).toBe(false);
		for (const position of ['0', '100', 'a', '-1', '1.5']) expect(rotaInput.safeParse({ entries: [{ userId: app.cast.people.counsellor.userId, position }] }).success, position).toBe(false);
	});

	it('lets counsellors read it but not change it; the secretariat acting for another organisation gets neither', async () => {
		const read = await rotaPage(counsellorA());
		expect(read.ok && read.value.canManage).toBe(false);
		expect(read.ok && read.value.me).toEqual({ onRota: true, lineLinked: false });
		expect(await setEscalationMinutes(counsellorA(), { minutes: 5 })).toEqual({ ok: false, reason: 'forbidden' });
		// consultations.manage is no network permission: the guard makes no scope for the secretariat at A.
		expect(() => secretariatAtA()).toThrow(expect.objectContaining({ status: 403 }));
		expect(await minutes(app.cast.orgA)).toBeNull();
	});

	it('reads a link code typed loosely (case, full width, spaces), and nothing else', () => {
		expect(normaliseLinkCode('tsunagu-abcd-efgh-jk')).toBe('ABCDEFGHJK');
		expect(normaliseLinkCode('ＴＳＵＮＡＧＵ ＡＢＣＤ ＥＦＧＨ ＪＫ')).toBe('ABCDEFGHJK');
		for (const text of ['死にたい', 'TSUNAGU', 'TSUNAGU-ABCD-EFGH', 'TSUNAGU-ABCD-EFGH-JK と送ります']) expect(normaliseLinkCode(text), text).toBeNull();
	});
});

describe('the rota page over HTTP', () => {
	it('sends anonymous visitors to the login, refuses other organisations and members without the permission', async () => {
		const anonymous = await page(app.cast.orgA);
		expect(anonymous.status).toBe(303);
		expect(anonymous.headers.get('location')).toMatch(/^\/login/);
		expect((await post(app.cast.orgA, 'minutes', { minutes: '5' })).headers.get('location')).toMatch(/^\/login/);
		for (const token of [app.cast.people.staff.token, app.cast.people.volunteer.token, app.cast.people.adminB.token, app.cast.people.secretariat.token]) expect((await page(app.cast.orgA, token)).status).toBe(403);
		for (const token of [app.cast.people.counsellor.token, app.cast.people.staff.token, app.cast.people.adminB.token, app.cast.people.secretariat.token]) {
			expect((await post(app.cast.orgA, 'minutes', { minutes: '5' }, token)).status).toBe(403);
			expect((await post(app.cast.orgA, 'rota', { [`position:${app.cast.people.counsellor.userId}`]: '1' }, token)).status).toBe(403);
		}
		expect((await post(app.cast.orgA, 'lineCode', {}, app.cast.people.org_admin.token)).status).toBe(403);
		expect(await minutes(app.cast.orgA)).toBeNull();
	});

	it('shows the admin the form and the counsellor the order, linked from the inbox', async () => {
		const asAdmin = await (await page(app.cast.orgA, app.cast.people.org_admin.token)).text();
		expect(asAdmin).toContain('action="?/rota"');
		expect(asAdmin).toContain('action="?/minutes"');
		const asCounsellor = await (await page(app.cast.orgA, app.cast.people.counsellor.token)).text();
		expect(asCounsellor).not.toContain('action="?/rota"');
		expect(asCounsellor).toContain('団体の管理者が決めます');
		expect(asCounsellor).toContain('action="?/lineCode"');
		const inbox = await (await app.get(`/staff/orgs/${app.cast.orgA}/consultations`, app.cast.people.counsellor.token)).text();
		expect(inbox).toContain(`/staff/orgs/${app.cast.orgA}/consultations/rota`);
	});

	it('has no serious or critical accessibility violation, for the admin (with a refused entry shown) and for a counsellor (axe)', async () => {
		const browser = await launch();
		try {
			for (const person of [app.cast.people.org_admin, app.cast.people.counsellor]) {
				const context = await browser.newContext({ locale: 'ja-JP', javaScriptEnabled: false, bypassCSP: true });
				await context.addCookies([{ name: 'tsunagu_session', value: person.token, url: app.baseUrl }]);
				const tab = await context.newPage();
				await tab.goto(`${app.baseUrl}/staff/orgs/${app.cast.orgA}/consultations/rota`);
				expect(await seriousViolations(tab), person.userId).toEqual([]);
				if (person === app.cast.people.org_admin) {
					await tab.locator('input[name="minutes"]').fill('0');
					await tab.locator('form[action="?/minutes"] button[type="submit"]').click();
					await tab.waitForLoadState();
					expect(await tab.locator('main').innerText()).toContain('時間は1から1440までの数字(分)で書いてください。');
					expect(await seriousViolations(tab)).toEqual([]);
				}
				await context.close();
			}
		} finally {
			await browser.close();
		}
	}, 90_000);

	it('refuses bad minutes with a Japanese message and changes nothing; saves good ones', async () => {
		for (const bad of ['0', '5000', 'abc', '', '10.5']) {
			const r = await post(app.cast.orgA, 'minutes', { minutes: bad }, app.cast.people.org_admin.token);
			expect(r.status, bad).toBe(400);
			expect(await r.text()).toContain('時間は1から1440までの数字(分)で書いてください。');
		}
		expect(await minutes(app.cast.orgA)).toBeNull();
		const saved = await post(app.cast.orgA, 'minutes', { minutes: '１５' }, app.cast.people.org_admin.token);
		expect(saved.status).toBe(303);
		expect(await minutes(app.cast.orgA)).toBe(15);
		const audit = (await app.admin.query(`select actor_user_id from audit_events where organization_id = $1 and action = 'consultation.settings_escalation'`, [app.cast.orgA])).rows;
		expect(audit).toEqual([{ actor_user_id: app.cast.people.org_admin.userId }]);
	});

	it('refuses a bad order with a Japanese message and changes nothing; a counsellor makes a LINE code shown once', async () => {
		const before = await rota(app.cast.orgA);
		const r = await post(app.cast.orgA, 'rota', { [`position:${app.cast.people.counsellor.userId}`]: '1', [`position:${app.cast.people.unenrolled.userId}`]: '1' }, app.cast.people.org_admin.token);
		expect(r.status).toBe(400);
		expect(await r.text()).toContain('同じ順番が2人以上にあります。');
		const notCounsellor = await post(app.cast.orgA, 'rota', { [`position:${app.cast.people.staff.userId}`]: '1' }, app.cast.people.org_admin.token);
		expect(notCounsellor.status).toBe(400);
		expect(await notCounsellor.text()).toContain('相談員ではない人');
		expect(await rota(app.cast.orgA)).toEqual(before);
		const ok = await post(app.cast.orgA, 'rota', { [`position:${app.cast.people.counsellor.userId}`]: '1', [`position:${app.cast.people.unenrolled.userId}`]: '' }, app.cast.people.org_admin.token);
		expect(ok.status).toBe(303);
		expect(await rota(app.cast.orgA)).toEqual([{ user_id: app.cast.people.counsellor.userId, position: 1 }]);

		const code = await post(app.cast.orgA, 'lineCode', {}, app.cast.people.counsellor.token);
		expect(code.status).toBe(200);
		const html = await code.text();
		const shown = /TSUNAGU-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{2}/.exec(html)?.[0];
		expect(shown).toBeDefined();
		const [row] = (await app.admin.query(`select line_link_digest, line_link_expires_at from consultation_rota where user_id = $1`, [app.cast.people.counsellor.userId])).rows;
		expect(row.line_link_digest).toMatch(/^[0-9a-f]{64}$/);
		expect(row.line_link_digest).toBe(
			createHash('sha256')
				.update(`line-link:${shown!.slice(8).replaceAll('-', '')}`)
				.digest('hex')
		);
		expect(new Date(row.line_link_expires_at).getTime() - Date.now()).toBeGreaterThan(14 * 60_000);
		// Not shown again on the next visit.
		expect(await (await page(app.cast.orgA, app.cast.people.counsellor.token)).text()).not.toContain(shown!);
	});
});
