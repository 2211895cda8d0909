/**
 * The LINE channel over HTTP, against the built app and a local fake of the Messaging API started
 * here (it records what would have been sent): signed deliveries from tests/fixtures/line, the
 * signature refused, a redelivery processed once, crisis and ordinary answers, reply or push by the
 * event's age, unfollow, the counsellor's answer pushed (and a failed push shown), row-level
 * security, and no channel at all.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { startApp, useApp, type RunningApp } from '../../../../../tests/helpers/app';
import { withAccess } from '$lib/server/db/tenant';
import { makeOccurrence, makeOrganizationWithProgram, makeRegistration } from '../../../../../tests/helpers/factories';
import { receiveLineWebhook } from '$lib/server/api/contracts';

const SECRET = 'test-channel-secret-5f1a2b3c4d5e6f70';
const FIXTURES = path.resolve(import.meta.dirname, '../../../../../tests/fixtures/line');
const fixture = (name: string) => JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'));

interface Recorded {
	path: string;
	headers: Record<string, string | string[] | undefined>;
	body: { replyToken?: string; to?: string; messages: { type: string; text: string }[] };
}

/** The fake Messaging API: records every call; `failPush` makes pushes answer 500. */
function fakeLine() {
	const requests: Recorded[] = [];
	const state = { failPush: false };
	const server: Server = createServer((req, res) => {
		let raw = '';
		req.on('data', (c) => (raw += c));
		req.on('end', () => {
			const body = JSON.parse(raw || '{}');
			requests.push({ path: req.url ?? '', headers: req.headers, body });
			const fail = state.failPush && req.url === '/v2/bot/message/push';
			res.writeHead(fail ? 500 : 200, { 'content-type': 'application/json', 'x-line-request-id': randomUUID() });
			res.end(JSON.stringify(fail ? { message: 'An error occurred in the backend server' } : { sentMessages: body.messages.map((_: unknown, i: number) => ({ id: String(1000 + i), quoteToken: 'q' })) }));
		});
	});
	return { requests, state, server };
}

const fake = fakeLine();
/** The app without a channel configured, started by the test that needs it (a second start, other environment). */
let bare: RunningApp;

// Registered before useApp, so that it runs after the app has stopped (after-hooks run in reverse).
afterAll(() => new Promise((resolve) => fake.server.close(resolve)));
const app = useApp({
	seed: 'line-http',
	before: () => new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve)),
	env: () => ({ LINE_CHANNEL_SECRET: SECRET, LINE_CHANNEL_ACCESS_TOKEN: 'test-access-token', LINE_ACCOUNT_ID: '@tsunagu-test', LINE_API_BASE: `http://127.0.0.1:${(fake.server.address() as { port: number }).port}` })
});
afterAll(async () => {
	await bare?.stop();
});

beforeEach(() => {
	fake.requests.length = 0;
	fake.state.failPush = false;
});

const sign = (raw: string, secret = SECRET) => createHmac('sha256', secret).update(raw).digest('base64');

/** A fixture's event with this test's person, id, token, text and time. */
function delivery(name: 'follow' | 'message-text' | 'unfollow', event: { userId: string; id?: string; text?: string; timestamp?: number; replyToken?: string; redelivery?: boolean }) {
	const body = fixture(name);
	const e = body.events[0];
	e.source.userId = event.userId;
	e.webhookEventId = event.id ?? randomUUID().replaceAll('-', '').toUpperCase().slice(0, 26);
	e.timestamp = event.timestamp ?? Date.now();
	e.deliveryContext.isRedelivery = event.redelivery ?? false;
	if ('replyToken' in e) e.replyToken = event.replyToken ?? randomUUID().replaceAll('-', '');
	if (event.text !== undefined) e.message.text = event.text;
	return body;
}

async function post(base: string, body: unknown, signature: string | null | ((raw: string) => string) = sign) {
	const raw = JSON.stringify(body);
	const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'LineBotWebhook/2.0' };
	if (signature !== null) headers['x-line-signature'] = typeof signature === 'string' ? signature : signature(raw);
	const response = await fetch(`${base}/api/v1/line/webhook`, { method: 'POST', headers, body: raw });
	// Whatever the webhook answers is an answer its contract (and so the OpenAPI document) declares.
	expect(Object.keys(receiveLineWebhook.responses)).toContain(String(response.status));
	return response;
}

/** Wait for the fake to have recorded what `found` looks for (answers go after the webhook's 200). */
async function sent(found: (r: Recorded) => boolean, ms = 5000): Promise<Recorded> {
	const deadline = Date.now() + ms;
	for (;;) {
		const hit = fake.requests.find(found);
		if (hit) return hit;
		if (Date.now() > deadline) throw new Error(`nothing sent like that; recorded: ${JSON.stringify(fake.requests.map((r) => [r.path, r.body]))}`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

const userId = () => `U${randomUUID().replaceAll('-', '')}`;
const textOf = (r: Recorded) => r.body.messages.map((m) => m.text).join('\n');
const count = async (query: string, params: unknown[] = []) => (await app.admin.query(query, params)).rows[0].n as number;
/** The LINE thread holding the latest message with this text (the person's messages are sealed: found by count and time). */
const latestLineThread = async () => (await app.admin.query(`select * from consultation_threads where channel = 'line' order by last_message_at desc limit 1`)).rows[0];
const pageText = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('the signature', () => {
	it('a wrong or missing X-Line-Signature is 401 in the platform’s error shape, and nothing changes', async () => {
		const before = { events: await count(`select count(*)::int as n from line_webhook_events`), threads: await count(`select count(*)::int as n from consultation_threads`), people: await count(`select count(*)::int as n from line_people`) };
		const body = delivery('message-text', { userId: userId() });
		for (const signature of [null, '', sign(JSON.stringify(body), 'another-secret'), 'bm90IGEgc2lnbmF0dXJl', (raw: string) => sign(raw + ' ')]) {
			const response = await post(app.baseUrl, body, signature);
			expect(response.status).toBe(401);
			expect(response.headers.get('content-type')).toMatch(/^application\/json/);
			expect(await response.json()).toEqual({ error: { code: 'invalid_signature', message: expect.any(String), details: [] } });
		}
		// The signature is over the raw bytes: the same JSON re-spaced is not the signed body.
		const raw = JSON.stringify(body);
		const respaced = await fetch(`${app.baseUrl}/api/v1/line/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-line-signature': sign(raw) }, body: JSON.stringify(body, null, 1) });
		expect(respaced.status).toBe(401);
		expect({ events: await count(`select count(*)::int as n from line_webhook_events`), threads: await count(`select count(*)::int as n from consultation_threads`), people: await count(`select count(*)::int as n from line_people`) }).toEqual(before);
		await new Promise((r) => setTimeout(r, 200));
		expect(fake.requests).toEqual([]);
	});

	it('answers LINE’s verification (an empty, signed delivery) with 200; a signed non-delivery is 400', async () => {
		const verify = await post(app.baseUrl, fixture('verify'));
		expect(verify.status).toBe(200);
		expect(await verify.json()).toEqual({ processed: 0, duplicates: 0 });
		expect((await post(app.baseUrl, { hello: 'world' })).status).toBe(400);
	});
});

describe('events', () => {
	it('follow: greeted by reply with what the channel is and the hotlines line', async () => {
		const person = userId();
		const body = delivery('follow', { userId: person });
		const response = await post(app.baseUrl, body);
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ processed: 1, duplicates: 0 });
		const reply = await sent((r) => r.path === '/v2/bot/message/reply' && r.body.replyToken === body.events[0].replyToken);
		expect(reply.headers.authorization).toBe('Bearer test-access-token');
		expect(textOf(reply)).toContain('LINE相談');
		expect(textOf(reply)).toContain('0120-279-338');
		expect(textOf(reply)).toContain('110');
		const [row] = (await app.admin.query(`select * from line_people order by created_at desc limit 1`)).rows;
		expect(row).toMatchObject({ following: true, organization_id: app.cast.secretariatOrg });
	});

	it('a signed 「もう消えたい」 is answered at once with the hotlines; the thread is urgent; the LINE id is stored only sealed', async () => {
		const person = userId();
		const body = delivery('message-text', { userId: person, text: 'もう消えたい' });
		const response = await post(app.baseUrl, body);
		expect(response.status).toBe(200);
		const reply = await sent((r) => r.path === '/v2/bot/message/reply' && r.body.replyToken === body.events[0].replyToken);
		for (const number of ['0120-279-338', '0570-064-556', '0120-061-338', '0570-783-556']) expect(textOf(reply)).toContain(number);
		expect(textOf(reply)).toContain('よりそいホットライン');
		expect(textOf(reply)).toContain('24時間');
		const thread = await latestLineThread();
		expect(thread).toMatchObject({ channel: 'line', urgent: true, status: 'new', organization_id: app.cast.secretariatOrg });
		expect(thread.crisis_categories.length).toBeGreaterThan(0);
		const messages = (await app.admin.query(`select author, urgent, delivery, delivery_detail from consultation_messages where thread_id = $1 order by created_at`, [thread.id])).rows;
		expect(messages[0]).toMatchObject({ author: 'person', urgent: true, delivery: null });
		await expect.poll(async () => (await app.admin.query(`select delivery, delivery_detail from consultation_messages where thread_id = $1 and author = 'system'`, [thread.id])).rows[0]).toEqual({ delivery: 'sent', delivery_detail: 'reply' });
		// Sealed user id and a keyed digest; the raw id in no column of any table.
		const [p] = (await app.admin.query(`select * from line_people where id = $1`, [thread.line_person_id])).rows;
		expect(p.user_id_sealed).toMatch(/^enc:v1:/);
		expect(p.user_digest).not.toContain(person);
		expect(p.user_digest).not.toBe(createHmac('sha256', SECRET).update(person).digest('base64url'));
		const dump =
			(await app.admin.query(`select string_agg(t::text, ' ') as all from (select * from line_people) t`)).rows[0].all +
			(await app.admin.query(`select string_agg(t::text, ' ') as all from (select * from consultation_threads) t`)).rows[0].all +
			(await app.admin.query(`select string_agg(t::text, ' ') as all from (select * from consultation_messages) t`)).rows[0].all +
			(await app.admin.query(`select string_agg(t::text, ' ') as all from (select * from audit_events) t`)).rows[0].all;
		expect(dump).not.toContain(person);
		expect(dump).not.toContain('もう消えたい');
		expect((await app.admin.query(`select action from audit_events where entity_id = $1 order by id`, [thread.id])).rows.map((a) => a.action)).toEqual(['consultation.create_urgent', 'consultation.line_sent']);
	});

	it('a redelivered event is processed once: one message in the thread, one answer', async () => {
		const person = userId();
		const first = delivery('message-text', { userId: person, text: '今日は学校に行けませんでした' });
		expect(await (await post(app.baseUrl, first)).json()).toEqual({ processed: 1, duplicates: 0 });
		await sent((r) => r.body.replyToken === first.events[0].replyToken);
		const again = structuredClone(first);
		again.events[0].deliveryContext.isRedelivery = true;
		const response = await post(app.baseUrl, again);
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ processed: 0, duplicates: 1 });
		const thread = await latestLineThread();
		expect(await count(`select count(*)::int as n from consultation_messages where thread_id = $1 and author = 'person'`, [thread.id])).toBe(1);
		await new Promise((r) => setTimeout(r, 300));
		expect(fake.requests).toHaveLength(1);
		expect(await count(`select count(*)::int as n from line_webhook_events where webhook_event_id = $1`, [first.events[0].webhookEventId])).toBe(1);
	});

	it('an ordinary message gets the acknowledgement and no hotlines; the next one joins the same open thread', async () => {
		const person = userId();
		const body = delivery('message-text', { userId: person, text: '近くの子ども食堂を知りたいです' });
		await post(app.baseUrl, body);
		const reply = await sent((r) => r.body.replyToken === body.events[0].replyToken);
		expect(textOf(reply)).toContain('相談員が読んで');
		for (const number of ['0120-279-338', '0570-064-556', '110']) expect(textOf(reply)).not.toContain(number);
		const thread = await latestLineThread();
		expect(thread.urgent).toBe(false);
		await post(app.baseUrl, delivery('message-text', { userId: person, text: '週末にやっているところがいいです' }));
		expect(await count(`select count(*)::int as n from consultation_threads where line_person_id = $1`, [thread.line_person_id])).toBe(1);
		expect(await count(`select count(*)::int as n from consultation_messages where thread_id = $1 and author = 'person'`, [thread.id])).toBe(2);
	});

	it('an event older than the reply token’s minute is answered by push to the person, with a retry key', async () => {
		const person = userId();
		const body = delivery('message-text', { userId: person, text: '相談したいことがあります', timestamp: Date.now() - 120_000 });
		await post(app.baseUrl, body);
		const push = await sent((r) => r.path === '/v2/bot/message/push' && r.body.to === person);
		expect(push.headers['x-line-retry-key']).toMatch(/^[0-9a-f-]{36}$/);
		expect(fake.requests.some((r) => r.path === '/v2/bot/message/reply')).toBe(false);
		const thread = await latestLineThread();
		await expect.poll(async () => (await app.admin.query(`select delivery_detail from consultation_messages where thread_id = $1 and author = 'system'`, [thread.id])).rows[0].delivery_detail).toBe('push');
	});

	it('after a closed thread, a new message opens a new one', async () => {
		const person = userId();
		await post(app.baseUrl, delivery('message-text', { userId: person, text: 'はじめまして' }));
		const first = await latestLineThread();
		await app.admin.query(`update consultation_threads set status = 'closed', closed_at = now() where id = $1`, [first.id]);
		await post(app.baseUrl, delivery('message-text', { userId: person, text: 'また相談させてください' }));
		const second = await latestLineThread();
		expect(second.id).not.toBe(first.id);
		expect(second.line_person_id).toBe(first.line_person_id);
	});

	it('「わたしの情報」 answers with a private link to the person’s own page; the keyword enters no thread; asking again replaces the link', async () => {
		const person = userId();
		await post(app.baseUrl, delivery('message-text', { userId: person, text: '誰とも話していません' }));
		const thread = await latestLineThread();
		const ask = async () => {
			const body = delivery('message-text', { userId: person, text: ' わたしの情報 ' });
			await post(app.baseUrl, body);
			const reply = textOf(await sent((r) => r.body.replyToken === body.events[0].replyToken));
			const link = new RegExp(`${app.baseUrl}/my/([A-Za-z0-9_-]{20,})`).exec(reply);
			expect(link, reply).not.toBeNull();
			return link![1];
		};
		const first = await ask();
		expect(await count(`select count(*)::int as n from consultation_messages where thread_id = $1 and author = 'person'`, [thread.id])).toBe(1);
		expect((await app.get(`/consult/t/${first}`)).status).toBe(200);
		const second = await ask();
		expect(second).not.toBe(first);
		expect((await app.get(`/consult/t/${first}`)).status).toBe(404);
		expect((await app.get(`/consult/t/${second}`)).status).toBe(200);
		expect(await count(`select count(*)::int as n from audit_events where action = 'consultation.line_my_link' and entity_id = $1`, [thread.id])).toBe(2);
	});

	it('「私の情報」 from someone with no consultation says nothing is held, and makes no thread', async () => {
		const threads = await count(`select count(*)::int as n from consultation_threads`);
		const body = delivery('message-text', { userId: userId(), text: '私の情報' });
		await post(app.baseUrl, body);
		expect(textOf(await sent((r) => r.body.replyToken === body.events[0].replyToken))).toContain('お預かりしているあなたの相談はありません');
		expect(await count(`select count(*)::int as n from consultation_threads`)).toBe(threads);
	});
});

describe('control characters in a person’s text', () => {
	it('a signed message holding C0 controls is accepted (not refused at the boundary, so LINE does not redeliver it for ever) and stored without them', async () => {
		const person = userId();
		const text = 'もう\u0007消えたい\u0000\u001b[0m。\u007f誰にも\u000b言えない';
		const body = delivery('message-text', { userId: person, text });
		const response = await post(app.baseUrl, body);
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ processed: 1, duplicates: 0 });
		// Triage read the cleaned words: the crisis answer went back at once.
		const reply = await sent((r) => r.path === '/v2/bot/message/reply' && r.body.replyToken === body.events[0].replyToken);
		expect(textOf(reply)).toContain('0570-064-556');
		const thread = await latestLineThread();
		expect(thread).toMatchObject({ channel: 'line', urgent: true });
		// The counsellor reads the message with each control replaced by a space; none is stored.
		const page = pageText(await (await app.get(`/staff/orgs/${app.cast.secretariatOrg}/consultations/${thread.id}`, app.cast.people.secretariat.token)).text());
		expect(page).toContain('もう 消えたい [0m。 誰にも 言えない');
		// eslint-disable-next-line no-control-regex -- looking for control characters
		expect(page).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
	});

	it('the boundary still guards this route’s query and every other endpoint’s body', async () => {
		const body = delivery('message-text', { userId: userId(), text: 'こんにちは' });
		const raw = JSON.stringify(body);
		const query = await fetch(`${app.baseUrl}/api/v1/line/webhook?x=%07`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-line-signature': sign(raw) }, body: raw });
		expect(query.status).toBe(400);
		expect((await query.json()).error.code).toBe('control_character');
		const api = await fetch(`${app.baseUrl}/api/v1/consultations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'もう\u0007消えたい' }) });
		expect(api.status).toBe(400);
		expect((await api.json()).error).toMatchObject({ code: 'control_character', details: [{ param: 'message' }] });
	});
});

describe('the counsellor’s answer', () => {
	let thread: { id: string; line_person_id: string };
	let person: string;
	const counsellor = () => app.cast.people.secretariat.token;
	const threadPath = () => `/staff/orgs/${app.cast.secretariatOrg}/consultations/${thread.id}`;

	beforeAll(async () => {
		person = userId();
		await post(app.baseUrl, delivery('message-text', { userId: person, text: 'もう消えたい' }));
		thread = await latestLineThread();
	});

	it('reaches the person as a push; the thread shows it sent', async () => {
		const replied = await app.post(`${threadPath()}?/reply`, { message: 'メッセージありがとう。いま話せますか。' }, counsellor());
		expect(replied.status).toBe(303);
		expect(replied.headers.get('location')).toMatch(/done=reply$/);
		const push = await sent((r) => r.path === '/v2/bot/message/push' && r.body.to === person);
		expect(push.body.messages).toEqual([{ type: 'text', text: 'メッセージありがとう。いま話せますか。' }]);
		const [m] = (await app.admin.query(`select delivery, delivery_detail, delivered_at from consultation_messages where thread_id = $1 and author = 'counsellor'`, [thread.id])).rows;
		expect(m).toMatchObject({ delivery: 'sent', delivery_detail: 'push' });
		expect(pageText(await (await app.get(threadPath(), counsellor())).text())).toContain('LINEで送信済み');
	});

	it('a consent asked on a LINE thread reaches the person on LINE with a fresh link to the question; the thread keeps no link', async () => {
		const asked = await app.post(`${threadPath()}?/consentPropose`, { recipientOrganizationId: app.cast.orgA, items: 'name', purpose: '話せる居場所を紹介するため' }, counsellor());
		expect(asked.status).toBe(303);
		expect(asked.headers.get('location')).toMatch(/consent=propose/);
		const push = await sent((r) => r.path === '/v2/bot/message/push' && r.body.to === person && textOf(r).includes('/consult/t/'));
		const link = new RegExp(`${app.baseUrl}/consult/t/([A-Za-z0-9_-]{20,})#consent`).exec(textOf(push));
		expect(link, textOf(push)).not.toBeNull();
		const question = await app.get(`/consult/t/${link![1]}`);
		expect(question.status).toBe(200);
		expect(pageText(await question.text())).toContain('伝えてもよいですか');
		const seen = await (await app.get(threadPath(), counsellor())).text();
		expect(pageText(seen)).toContain('答えるページへのリンクを送りました');
		expect(seen).not.toContain(link![1]);
		expect((await app.admin.query(`select delivery from consultation_messages where thread_id = $1 and author = 'system' order by created_at desc limit 1`, [thread.id])).rows[0].delivery).toBe('sent');
	});

	it('a failed push is shown to the counsellor, not lost', async () => {
		fake.state.failPush = true;
		const replied = await app.post(`${threadPath()}?/reply`, { message: '明日の午後はいかがですか。' }, counsellor());
		expect(replied.headers.get('location')).toMatch(/done=reply_unsent$/);
		const page = await (await app.get(replied.headers.get('location')!, counsellor())).text();
		expect(page).toContain('role="alert"');
		expect(pageText(page)).toContain('LINEで届けられませんでした');
		expect(page).toContain('http_500');
		expect((await app.admin.query(`select delivery, delivery_detail from consultation_messages where thread_id = $1 and author = 'counsellor' order by created_at desc limit 1`, [thread.id])).rows[0]).toEqual({ delivery: 'failed', delivery_detail: 'http_500' });
		const actions = (await app.admin.query(`select action from audit_events where entity_id = $1 order by id`, [thread.id])).rows.map((a) => a.action);
		// The answer, then its failed push (then the counsellor's opening of the page above).
		expect(actions.slice(-3)).toEqual(['consultation.reply', 'consultation.line_failed', 'consultation.view']);
	});

	it('unfollow: nothing is pushed any more (shown as unfollowed); a message from them again brings them back', async () => {
		expect((await post(app.baseUrl, delivery('unfollow', { userId: person }))).status).toBe(200);
		expect((await app.admin.query(`select following, unfollowed_at from line_people where id = $1`, [thread.line_person_id])).rows[0]).toMatchObject({ following: false, unfollowed_at: expect.any(Date) });
		const replied = await app.post(`${threadPath()}?/reply`, { message: 'お返事を待っています。' }, counsellor());
		expect(replied.headers.get('location')).toMatch(/done=reply_unsent$/);
		await new Promise((r) => setTimeout(r, 200));
		expect(fake.requests.filter((r) => r.body.to === person)).toEqual([]);
		expect(pageText(await (await app.get(threadPath(), counsellor())).text())).toContain('友だち登録を解除しています');

		const back = delivery('message-text', { userId: person, text: 'また書きます' });
		await post(app.baseUrl, back);
		await sent((r) => r.body.replyToken === back.events[0].replyToken);
		expect((await app.admin.query(`select following from line_people where id = $1`, [thread.line_person_id])).rows[0].following).toBe(true);
		expect(await count(`select count(*)::int as n from consultation_messages where thread_id = $1 and author = 'person'`, [thread.id])).toBe(2);
	});

	it('another organisation sees none of it: not over HTTP, not through row-level security', async () => {
		// Organisation A's counsellor: not at the window's path, and the thread is not under their own.
		const other = app.cast.people.counsellor;
		expect((await app.get(threadPath(), other.token)).status).toBe(403);
		expect((await app.get(`/staff/orgs/${app.cast.orgA}/consultations/${thread.id}`, other.token)).status).toBe(404);
		const inbox = await (await app.get(`/staff/orgs/${app.cast.orgA}/consultations?view=all`, other.token)).text();
		expect(inbox).not.toContain(thread.id);
		const seen = (organizationIds: string[]) =>
			withAccess(app.database.db, { userId: app.cast.people.counsellor.userId, organizationIds }, async (tx) => ({
				people: (await tx.execute(sql`select count(*)::int as n from line_people`)).rows[0].n,
				threads: (await tx.execute(sql`select count(*)::int as n from consultation_threads where channel = 'line'`)).rows[0].n,
				messages: (await tx.execute(sql`select count(*)::int as n from consultation_messages m join consultation_threads t on t.id = m.thread_id where t.channel = 'line'`)).rows[0].n,
				events: (await tx.execute(sql`select count(*)::int as n from line_webhook_events`)).rows[0].n,
				secrets: (await tx.execute(sql`select count(*)::int as n from consultation_secrets`)).rows[0].n
			}));
		expect(await seen([app.cast.orgA])).toEqual({ people: 0, threads: 0, messages: 0, events: 0, secrets: 0 });
		const own = await seen([app.cast.secretariatOrg]);
		expect(own.people).toBeGreaterThan(0);
		expect(own.threads).toBeGreaterThan(0);
		// The serving organisation pushes answers but never sees the event log or the digest key.
		expect({ events: own.events, secrets: own.secrets }).toEqual({ events: 0, secrets: 0 });
		await expect(withAccess(app.database.db, { userId: app.cast.people.counsellor.userId, organizationIds: [app.cast.orgA] }, (tx) => tx.execute(sql`update line_people set following = false`))).resolves.toMatchObject({ rowCount: 0 });
	});
});

describe('a registrant finding the official account (LINE_ACCOUNT_ID)', () => {
	it('shows the add-friend link, and with the code one link opens the chat with the code typed in', async () => {
		const made = await makeOrganizationWithProgram(app.database.db);
		const date = await makeOccurrence(app.database.db, made.organizationId, made.programId, { startsAt: new Date(Date.now() + 3 * 86_400_000), registrationOpen: true, capacity: null });
		const { token } = await makeRegistration(app.database.db, date.id);
		const page = await (await app.get(`/registrations/${token}`)).text();
		expect(page).toContain('href="https://line.me/R/ti/p/%40tsunagu-test"');
		expect(page).not.toContain('line.me/R/oaMessage');

		const answered = await app.post(`/registrations/${token}?/lineCode`, {});
		expect(answered.status).toBe(200);
		const html = await answered.text();
		const code = /YOYAKU-[2-9A-HJ-NP-Z-]+/.exec(html)?.[0];
		expect(code).toMatch(/^YOYAKU-/);
		expect(html).toContain(`href="https://line.me/R/oaMessage/%40tsunagu-test/?${encodeURIComponent(code!)}"`);
	});
});

describe('without a channel', () => {
	it('the webhook answers 404 and nothing changes', async () => {
		bare = await startApp(app.database.adminUrl);
		const before = await count(`select count(*)::int as n from line_webhook_events`);
		const body = delivery('message-text', { userId: userId(), text: 'もう消えたい' });
		const response = await post(bare.baseUrl, body);
		expect(response.status).toBe(404);
		expect((await response.json()).error.code).toBe('not_found');
		expect((await post(bare.baseUrl, body, null)).status).toBe(404);
		expect(await count(`select count(*)::int as n from line_webhook_events`)).toBe(before);
	}, 120_000);
});
