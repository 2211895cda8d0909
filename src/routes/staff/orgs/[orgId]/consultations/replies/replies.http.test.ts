/**
 * Over HTTP, against the built app: the replies page (who may see it, who may change it, bad input
 * given back in Japanese with nothing changed, the preview, the drafting toggle with and without an
 * endpoint, axe) and the thread page's 下書きを作る against a local fake OpenAI-compatible server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { clientOf, startApp, useApp, type AppClient, type RunningApp } from '../../../../../../../tests/helpers/app';
import { launch, seriousViolations } from '../../../../../../../tests/e2e/browser';

const asked: { messages: { role: string; content: string }[] }[] = [];
const DRAFT = 'お話ししてくださって、ありがとうございます。もう少し教えていただけますか。';

/** The fake OpenAI-compatible endpoint: records what it is asked, answers DRAFT. */
const llm: Server = createServer((req, res) => {
	let raw = '';
	req.on('data', (c) => (raw += c));
	req.on('end', () => {
		asked.push(JSON.parse(raw));
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: DRAFT }, finish_reason: 'stop' }] }));
	});
});
// Registered before useApp, so that it runs after the app has stopped (after-hooks run in reverse).
afterAll(() => new Promise((resolve) => llm.close(resolve)));
const app = useApp({
	seed: 'replies-http',
	headers: { 'accept-language': 'ja' },
	before: () => new Promise<void>((resolve) => llm.listen(0, '127.0.0.1', resolve)),
	env: () => ({ LLM_API_BASE: `http://127.0.0.1:${(llm.address() as { port: number }).port}/v1`, LLM_MODEL: 'test-model' })
});
// A second start without an endpoint (useApp starts one app, with one environment).
let bareApp: RunningApp;
const bare = clientOf(() => bareApp.baseUrl, { 'accept-language': 'ja' });
beforeAll(async () => {
	bareApp = await startApp(app.database.adminUrl);
}, 120_000);
afterAll(async () => {
	await bareApp?.stop();
});

const page = (orgId: string, token?: string, on: AppClient = app) => on.get(`/staff/orgs/${orgId}/consultations/replies`, token);
const save = (orgId: string, body: Record<string, string>, token?: string, on: AppClient = app) => on.post(`/staff/orgs/${orgId}/consultations/replies?/save`, body, token);
const row = async (orgId: string) => (await app.admin.query(`select auto_reply, draft_assist, escalation_minutes, updated_by from consultation_settings where organization_id = $1`, [orgId])).rows[0] ?? null;
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

const WITHIN = '受け付けました。担当者が1営業日以内にお返事します。';
const OUTSIDE = 'いまは受付時間外です。次の受付日にお返事します。';
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
/** Every day 00:00–23:59 with holidays open: a message now is within hours except in the day's last minute. */
const valid = (over: Record<string, string> = {}) => ({
	enabled: 'on',
	...Object.fromEntries(
		DAYS.flatMap((d) => [
			[`open_${d}`, 'on'],
			[`start_${d}`, '00:00'],
			[`end_${d}`, '23:59']
		])
	),
	withinHours: WITHIN,
	outsideHours: OUTSIDE,
	...over
});

async function thread(message: string): Promise<string> {
	const response = await fetch(`${app.baseUrl}/api/v1/consultations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message, organization_id: app.cast.orgA }) });
	expect(response.status).toBe(201);
	return (await response.json()).id;
}

describe('the replies page: who', () => {
	it('sends the anonymous to the login page, and refuses staff, volunteers, another organisation’s admin and the secretariat elsewhere', async () => {
		const anonymous = await page(app.cast.orgA);
		expect(anonymous.status).toBe(303);
		expect(anonymous.headers.get('location')).toMatch(/^\/login\?next=/);
		for (const who of ['staff', 'volunteer', 'adminB', 'secretariat'] as const) expect((await page(app.cast.orgA, app.cast.people[who].token)).status, who).toBe(403);
		// The organisation's admin under another organisation's path.
		expect((await page(app.cast.orgB, app.cast.people.org_admin.token)).status).toBe(403);
	});

	it('shows the counsellor the settings read-only, and refuses their save', async () => {
		const response = await page(app.cast.orgA, app.cast.people.counsellor.token);
		expect(response.status).toBe(200);
		const html = await response.text();
		expect(html).toContain('この設定を変えられるのは、団体の管理者です。');
		expect(html).not.toContain('保存する');
		expect((await save(app.cast.orgA, valid(), app.cast.people.counsellor.token)).status).toBe(403);
		expect(await row(app.cast.orgA)).toBeNull();
	});

	it('refuses every save but the organisation admin’s, before anything is stored', async () => {
		expect((await save(app.cast.orgA, valid())).status).toBe(303);
		for (const who of ['staff', 'volunteer', 'adminB', 'secretariat'] as const) expect((await save(app.cast.orgA, valid(), app.cast.people[who].token)).status, who).toBe(403);
		expect((await save(app.cast.orgB, valid(), app.cast.people.org_admin.token)).status).toBe(403);
		expect(await row(app.cast.orgA)).toBeNull();
		expect(await row(app.cast.orgB)).toBeNull();
	});
});

describe('the replies page: the organisation admin', () => {
	const token = () => app.cast.people.org_admin.token;

	it('shows the form with defaults (月〜金 10:00–17:00) and the preview of a message now', async () => {
		const html = await (await page(app.cast.orgA, token())).text();
		expect(html).toContain('action="?/save"');
		expect(html).toMatch(/name="start_mon"[^>]*value="10:00"/);
		expect(text(html)).toContain('今メッセージが届いたら 自動の返信は送られません。');
	});

	it('saves the first reply and the drafting toggle, keeps the escalation minutes, and previews the text', async () => {
		await app.admin.query(`insert into consultation_settings (organization_id, escalation_minutes) values ($1, 30)`, [app.cast.orgA]);
		const response = await save(app.cast.orgA, valid({ draftAssist: 'on' }), token());
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe(`/staff/orgs/${app.cast.orgA}/consultations/replies?saved=1`);
		const saved = await row(app.cast.orgA);
		expect(saved).toMatchObject({ draft_assist: true, escalation_minutes: 30, updated_by: app.cast.people.org_admin.userId });
		expect(saved.auto_reply).toMatchObject({ enabled: true, closedOnHolidays: false, withinHours: WITHIN, outsideHours: OUTSIDE, hours: { mon: { open: true, start: '00:00', end: '23:59' } } });
		const html = text(await (await app.get(response.headers.get('location')!, token())).text());
		expect(html).toContain('保存しました。');
		expect(html.includes(WITHIN) && html.includes(OUTSIDE)).toBe(true);
		expect(html).toMatch(/受付時間(内|外)の返信が送られます/);
		const audit = await app.admin.query(`select changed_fields from audit_events where action = 'consultation.settings_replies' and organization_id = $1`, [app.cast.orgA]);
		expect(audit.rows.at(-1).changed_fields).toEqual(['auto_reply', 'draft_assist']);
	});

	it.each([
		[{ start_mon: '25:00' }, '時刻は 00:00 から 23:59 の形で入れてください。'],
		[{ start_tue: '17:00', end_tue: '10:00' }, '終了の時刻は、開始の時刻より後にしてください。'],
		[{ withinHours: 'あ'.repeat(501) }, '文面は500文字までにしてください。'],
		[{ outsideHours: '' }, '自動で返信するときは、文面を書いてください。']
	])('gives %j back with a Japanese message and changes nothing', async (over, message) => {
		const before = await row(app.cast.orgA);
		const response = await save(app.cast.orgA, valid(over), token());
		expect(response.status).toBe(400);
		const html = await response.text();
		expect(html).toContain(message);
		expect(html).toContain('入力を確かめてください。何も変更していません。');
		expect(await row(app.cast.orgA)).toEqual(before);
	});

	it('without an endpoint, shows the toggle disabled with why, and a save leaves it as it was', async () => {
		const html = await (await page(app.cast.orgA, token(), bare)).text();
		expect(html).toContain('言語モデルの接続先が設定されていないため、使えません');
		expect(html).toMatch(/<input type="checkbox" name="draftAssist"[^>]*disabled/);
		expect((await save(app.cast.orgA, valid(), token(), bare)).status).toBe(303);
		expect((await row(app.cast.orgA)).draft_assist).toBe(true);
	});

	it('has no serious or critical accessibility violation (axe)', async () => {
		const browser = await launch();
		try {
			const context = await browser.newContext({ locale: 'ja-JP', javaScriptEnabled: false, bypassCSP: true });
			await context.addCookies([{ name: 'tsunagu_session', value: token(), url: app.baseUrl }]);
			const tab = await context.newPage();
			await tab.goto(`${app.baseUrl}/staff/orgs/${app.cast.orgA}/consultations/replies`);
			expect(await seriousViolations(tab)).toEqual([]);
		} finally {
			await browser.close();
		}
	});
});

describe('下書きを作る on the thread page', () => {
	const counsellor = () => app.cast.people.counsellor.token;

	it('is offered on an ordinary thread; the draft comes back in the reply box, unsent, from the conversation only', async () => {
		const threadId = await thread('子どもが学校に行きたがりません');
		const url = `/staff/orgs/${app.cast.orgA}/consultations/${threadId}`;
		const html = await (await app.get(url, counsellor())).text();
		expect(html).toContain('下書きを作る');
		expect(html).toContain('action="?/draft"');
		asked.length = 0;
		const response = await app.post(`${url}?/draft`, {}, counsellor());
		expect(response.status).toBe(200);
		const drafted = await response.text();
		expect(drafted).toMatch(new RegExp(`<textarea[^>]*name="message"[^>]*>${DRAFT}</textarea>`));
		expect(drafted).toContain('まだ送られていません');
		expect(asked).toHaveLength(1);
		expect(asked[0].messages.filter((m) => m.role !== 'system')).toEqual([{ role: 'user', content: '子どもが学校に行きたがりません' }]);
		// Nothing was sent: the person's message and the automatic first reply only.
		expect((await app.admin.query(`select author from consultation_messages where thread_id = $1 order by created_at`, [threadId])).rows.map((r) => r.author)).toEqual(['person', 'system']);
	});

	it('is neither offered nor made for an urgent thread', async () => {
		const threadId = await thread('もう消えたい');
		const url = `/staff/orgs/${app.cast.orgA}/consultations/${threadId}`;
		const html = await (await app.get(url, counsellor())).text();
		expect(html).not.toContain('action="?/draft"');
		asked.length = 0;
		const response = await app.post(`${url}?/draft`, {}, counsellor());
		expect(response.status).toBe(400);
		expect(await response.text()).toContain('緊急の相談では下書きを作れません。');
		expect(asked).toHaveLength(0);
	});

	it('is refused to those who may not answer, and for another organisation’s thread', async () => {
		const threadId = await thread('相談です');
		asked.length = 0;
		for (const who of ['org_admin', 'staff', 'adminB'] as const) expect((await app.post(`/staff/orgs/${app.cast.orgA}/consultations/${threadId}?/draft`, {}, app.cast.people[who].token)).status, who).toBe(403);
		const anonymous = await app.post(`/staff/orgs/${app.cast.orgA}/consultations/${threadId}?/draft`, {});
		expect(anonymous.status).toBe(303);
		const response = await fetch(`${app.baseUrl}/api/v1/consultations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: '相談です', organization_id: app.cast.orgB }) });
		const threadB = (await response.json()).id;
		expect((await app.post(`/staff/orgs/${app.cast.orgA}/consultations/${threadB}?/draft`, {}, counsellor())).status).toBe(404);
		expect(asked).toHaveLength(0);
	});

	it('is not offered where no endpoint is configured', async () => {
		const threadId = await thread('相談です');
		const html = await (await bare.get(`/staff/orgs/${app.cast.orgA}/consultations/${threadId}`, counsellor())).text();
		expect(html).not.toContain('action="?/draft"');
		expect((await bare.post(`/staff/orgs/${app.cast.orgA}/consultations/${threadId}?/draft`, {}, counsellor())).status).toBe(400);
	});
});
