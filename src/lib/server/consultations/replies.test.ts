/**
 * The first reply and drafting help on a real database: the web's and LINE's first message answered
 * by the organisation's text (within / outside hours with a fixed clock, a 祝日), nothing when off,
 * for a staff entry, or for an urgent thread; the settings saved as an upsert of their own columns,
 * audited, refused when malformed; drafts from a local fake OpenAI-compatible server — what the
 * prompt holds and does not, refused when urgent, switched off or unconfigured, a timeout answered.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import pg from 'pg';
import { testDatabase } from '../../../../tests/helpers/db';
import { seedCast, type Cast } from '../../../../tests/helpers/people';
import type { Database } from '../db';
import { useDatabase } from '../db';
import { residentScope } from '../auth/guard';
import type { Role } from '../network';
import type { Permission } from '../auth';
import { addNote, addPersonMessage, defaultAutoReply, draftReply, draftingOn, lineChannel, openThread, receiveLineDelivery, recordStaffConsultation, replySettings, replyToThread, saveReplySettings, staffEntryInput, startConsultation, type AutoReply, type LlmEndpoint } from './index';
import { organizationScopeOf, requestOf } from '../../../../tests/helpers/scopes';

const WITHIN = '受け付けました。担当者が1営業日以内にお返事します。';
const OUTSIDE = '受付時間外です。次の受付日(平日10時〜17時)にお返事します。';
/** 月〜金 10:00–17:00, holidays closed. */
const OFFICE: AutoReply = { ...defaultAutoReply({ withinHours: WITHIN, outsideHours: OUTSIDE }), enabled: true };

let database: Database;
let admin: pg.Client;
let cast: Cast;

const resident = () => residentScope(requestOf(null));
const as = (userId: string, organizationId: string, role: Role, permission: Permission) => organizationScopeOf(userId, organizationId, role, permission);
const adminA = () => as(cast.people.org_admin.userId, cast.orgA, 'org_admin', 'consultations.manage');
const counsellorA = () => as(cast.people.counsellor.userId, cast.orgA, 'counsellor', 'consultations.reply');
const windowAdmin = () => as(cast.people.secretariat.userId, cast.secretariatOrg, 'secretariat_admin', 'consultations.manage');

const messagesOfThread = async (threadId: string) => (await admin.query<{ author: string; delivery: string | null }>(`select author, delivery from consultation_messages where thread_id = $1 order by created_at, id`, [threadId])).rows;
const settingsRow = async (org: string) => (await admin.query(`select * from consultation_settings where organization_id = $1`, [org])).rows[0];
const auditActions = async (entityId: string) => (await admin.query<{ action: string; changed_fields: string[] | null }>(`select action, changed_fields from audit_events where entity_id = $1 order by id`, [entityId])).rows;

/** Set the clock to a Tokyo wall-clock time for what follows (Date only: timers and the database run as usual). */
const at = (local: string) => vi.useFakeTimers({ toFake: ['Date'], now: new Date(`${local}+09:00`) });

async function start(message: string, organizationId = cast.orgA) {
	const r = await startConsultation(resident(), { message, organizationId });
	if (!r.ok) throw new Error(r.reason);
	return r.value;
}

beforeAll(async () => {
	database = await testDatabase();
	useDatabase(database);
	admin = new pg.Client({ connectionString: database.adminUrl });
	await admin.connect();
	cast = await seedCast(database, 'replies');
}, 60_000);

afterAll(async () => {
	await admin?.end();
	await database?.close();
});

afterEach(() => {
	vi.useRealTimers();
});

describe('the settings', () => {
	it('start with nothing: no first reply, no drafting', async () => {
		expect(await replySettings(adminA())).toMatchObject({ autoReply: null, draftAssist: false, updatedAt: null });
	});

	it('are saved as an upsert of their own columns: the escalation minutes in the same row stay', async () => {
		await admin.query(`insert into consultation_settings (organization_id, escalation_minutes) values ($1, 25)`, [cast.orgA]);
		await saveReplySettings(adminA(), { autoReply: OFFICE, draftAssist: true });
		const row = await settingsRow(cast.orgA);
		expect(row).toMatchObject({ escalation_minutes: 25, draft_assist: true, updated_by: cast.people.org_admin.userId });
		expect(row.auto_reply).toEqual(OFFICE);
		// The toggle left out (no endpoint configured): as it was.
		await saveReplySettings(adminA(), { autoReply: { ...OFFICE, closedOnHolidays: false } });
		expect(await settingsRow(cast.orgA)).toMatchObject({ escalation_minutes: 25, draft_assist: true, auto_reply: { closedOnHolidays: false } });
		await saveReplySettings(adminA(), { autoReply: OFFICE, draftAssist: false });
		const audit = (await auditActions(cast.orgA)).filter((a) => a.action === 'consultation.settings_replies');
		expect(audit.map((a) => a.changed_fields)).toEqual([['auto_reply', 'draft_assist'], ['auto_reply'], ['auto_reply', 'draft_assist']]);
		// The audit says which fields, never the texts.
		expect(JSON.stringify(await admin.query(`select * from audit_events where entity_id = $1`, [cast.orgA]))).not.toContain(WITHIN);
	});

	it('refuse a malformed first reply and change nothing', async () => {
		const before = await settingsRow(cast.orgA);
		const bad = [
			{ ...OFFICE, hours: { ...OFFICE.hours, mon: { open: true, start: '25:00', end: '26:00' } } },
			{ ...OFFICE, hours: { ...OFFICE.hours, tue: { open: true, start: '17:00', end: '10:00' } } },
			{ ...OFFICE, withinHours: 'あ'.repeat(501) }
		];
		for (const autoReply of bad) await expect(saveReplySettings(adminA(), { autoReply: autoReply as AutoReply })).rejects.toThrow();
		expect(await settingsRow(cast.orgA)).toEqual(before);
	});

	it('of one organisation are invisible to another’s', async () => {
		const adminB = as(cast.people.adminB.userId, cast.orgB, 'org_admin', 'consultations.manage');
		expect(await replySettings(adminB)).toMatchObject({ autoReply: null, draftAssist: false });
	});
});

describe('the first reply on the web', () => {
	beforeAll(async () => {
		await saveReplySettings(adminA(), { autoReply: OFFICE });
	});

	it('answers a new thread’s first message within hours, as the system, without answering it for the figures', async () => {
		at('2026-03-04T11:00'); // a Wednesday
		const thread = await start('子どものことで相談したいです');
		expect(await messagesOfThread(thread.id)).toEqual([
			{ author: 'person', delivery: null },
			{ author: 'system', delivery: null }
		]);
		vi.useRealTimers();
		const opened = await openThread(counsellorA(), { threadId: thread.id });
		expect(opened.ok && opened.value.messages.map((m) => m.body)).toEqual(['子どものことで相談したいです', WITHIN]);
		expect(opened.ok && [opened.value.status, opened.value.firstAnsweredAt, opened.value.secondsToFirstAnswer]).toEqual(['new', null, null]);
		expect((await auditActions(thread.id)).map((a) => a.action)).toEqual(['consultation.create', 'consultation.auto_reply', 'consultation.view']);
	});

	it('answers outside hours at night, at the weekend and on a national holiday (祝日)', async () => {
		for (const when of ['2026-03-04T20:00', '2026-03-07T11:00', '2026-02-11T11:00']) {
			at(when);
			const thread = await start('相談したいことがあります');
			vi.useRealTimers();
			const opened = await openThread(counsellorA(), { threadId: thread.id });
			expect(opened.ok && opened.value.messages.at(-1)?.body, when).toBe(OUTSIDE);
		}
	});

	it('answers only the first message: a later one from the person gets nothing more', async () => {
		const thread = await startConsultation(resident(), { message: 'はじめまして', organizationId: cast.orgA });
		if (!thread.ok) throw new Error(thread.reason);
		await addPersonMessage(resident(), { token: thread.value.token, message: 'もうひとつ聞きたいです' });
		expect((await messagesOfThread(thread.value.id)).map((m) => m.author)).toEqual(['person', 'system', 'person']);
	});

	it('gives an urgent thread the hotlines, not the office-hours text', async () => {
		at('2026-03-04T11:00');
		const thread = await start('もう消えたい');
		expect(thread.urgent).toBe(true);
		expect(thread.hotlines.length).toBeGreaterThan(0);
		expect((await messagesOfThread(thread.id)).map((m) => m.author)).toEqual(['person']);
	});

	it('sends nothing for a staff entry (phone, walk-in)', async () => {
		at('2026-03-04T11:00');
		const entered = await recordStaffConsultation(counsellorA(), staffEntryInput.parse({ message: '電話で相談がありました' }));
		expect((await messagesOfThread(entered.id)).map((m) => m.author)).toEqual(['person']);
	});

	it('sends nothing when switched off, or where none was set', async () => {
		await saveReplySettings(adminA(), { autoReply: { ...OFFICE, enabled: false } });
		at('2026-03-04T11:00');
		expect((await messagesOfThread((await start('相談です')).id)).map((m) => m.author)).toEqual(['person']);
		expect((await messagesOfThread((await start('相談です', cast.orgB)).id)).map((m) => m.author)).toEqual(['person']);
		vi.useRealTimers();
		await saveReplySettings(adminA(), { autoReply: OFFICE });
	});
});

interface Recorded {
	path: string;
	body: { replyToken?: string; to?: string; messages: { type: string; text: string }[] };
}

describe('the first reply on LINE', () => {
	const requests: Recorded[] = [];
	let server: Server;
	let base: string;
	const fixture = () => JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../../../tests/fixtures/line/message-text.json'), 'utf8'));
	const delivery = (userId: string, text: string, timestamp = Date.now()) => {
		const body = fixture();
		Object.assign(body.events[0], { webhookEventId: randomUUID().replaceAll('-', '').slice(0, 26).toUpperCase(), timestamp, replyToken: randomUUID().replaceAll('-', '') });
		body.events[0].source.userId = userId;
		body.events[0].message.text = text;
		return body;
	};
	const channel = () => lineChannel({ LINE_CHANNEL_SECRET: 'test-secret', LINE_CHANNEL_ACCESS_TOKEN: 'test-token', LINE_API_BASE: base })!;
	const receive = async (body: ReturnType<typeof delivery>) => {
		const result = await receiveLineDelivery(resident(), channel(), body);
		if (!result.ok) throw new Error(result.reason);
		await result.value.sent;
	};
	const latestLineThread = async () => (await admin.query(`select * from consultation_threads where channel = 'line' order by created_at desc limit 1`)).rows[0];

	beforeAll(async () => {
		server = createServer((req, res) => {
			let raw = '';
			req.on('data', (c) => (raw += c));
			req.on('end', () => {
				const body = JSON.parse(raw || '{}');
				requests.push({ path: req.url ?? '', body });
				res.writeHead(200, { 'content-type': 'application/json', 'x-line-request-id': randomUUID() });
				res.end(JSON.stringify({ sentMessages: body.messages.map((_: unknown, i: number) => ({ id: String(i), quoteToken: 'q' })) }));
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
		// LINE people are served by the one window (the secretariat's organisation): every day open, so the text is known.
		const always = { open: true as const, start: '00:00', end: '23:59' };
		await saveReplySettings(windowAdmin(), { autoReply: { ...OFFICE, closedOnHolidays: false, outsideHours: WITHIN, hours: { mon: always, tue: always, wed: always, thu: always, fri: always, sat: always, sun: always } } });
	});

	afterAll(async () => {
		await new Promise((resolve) => server.close(resolve));
	});

	it('replies to a new thread’s first message with the organisation’s text in the same reply, then acknowledges later ones as usual', async () => {
		const user = `U${randomUUID().replaceAll('-', '')}`;
		requests.length = 0;
		await receive(delivery(user, '子育てのことで相談したいです'));
		expect(requests.map((r) => r.path)).toEqual(['/v2/bot/message/reply']);
		expect(requests[0].body.messages.map((m) => m.text)).toEqual([WITHIN]);
		const thread = await latestLineThread();
		expect(await messagesOfThread(thread.id)).toEqual([
			{ author: 'person', delivery: null },
			{ author: 'system', delivery: 'sent' }
		]);
		expect(thread.first_answered_at).toBeNull();
		expect((await auditActions(thread.id)).map((a) => a.action)).toEqual(['consultation.auto_reply', 'consultation.create', 'consultation.line_sent']);
		requests.length = 0;
		await receive(delivery(user, 'もう少し書きます'));
		expect(requests[0].body.messages.map((m) => m.text).join('')).not.toContain(WITHIN);
	});

	it('pushes it when the reply token is too old, like any answer', async () => {
		requests.length = 0;
		await receive(delivery(`U${randomUUID().replaceAll('-', '')}`, 'はじめて相談します', Date.now() - 120_000));
		expect(requests.map((r) => r.path)).toEqual(['/v2/bot/message/push']);
		expect(requests[0].body.messages.map((m) => m.text)).toEqual([WITHIN]);
	});

	it('answers an urgent first message with the hotlines only', async () => {
		requests.length = 0;
		await receive(delivery(`U${randomUUID().replaceAll('-', '')}`, 'もう消えたい'));
		const text = requests[0].body.messages.map((m) => m.text).join('\n');
		expect(text).toContain('0570-064-556');
		expect(text).not.toContain(WITHIN);
	});
});

describe('drafts', () => {
	const asked: { headers: Record<string, unknown>; body: { model: string; messages: { role: string; content: string }[] } }[] = [];
	const state = { delayMs: 0, status: 200, content: 'お話ししてくださってありがとうございます。' as string | null };
	let server: Server;
	let endpoint: LlmEndpoint;

	beforeAll(async () => {
		server = createServer((req, res) => {
			let raw = '';
			req.on('data', (c) => (raw += c));
			req.on('end', () => {
				asked.push({ headers: req.headers, body: JSON.parse(raw) });
				setTimeout(() => {
					if (res.destroyed) return;
					res.writeHead(state.status, { 'content-type': 'application/json' });
					res.end(JSON.stringify(state.status === 200 ? { id: 'chatcmpl-1', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: state.content }, finish_reason: 'stop' }] } : { error: { message: 'overloaded' } }));
				}, state.delayMs);
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		endpoint = { base: `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`, model: 'test-model', key: 'sk-test', timeoutMs: 300 };
		await saveReplySettings(adminA(), { autoReply: { ...OFFICE, enabled: false }, draftAssist: true });
	});

	afterAll(async () => {
		server.closeAllConnections();
		await new Promise((resolve) => server.close(resolve));
	});

	async function conversation() {
		const r = await startConsultation(resident(), { message: '夜になると不安で眠れません', organizationId: cast.orgA, nickname: 'ひみつのよびな', contact: 'secret-contact@example.org' });
		if (!r.ok) throw new Error(r.reason);
		await replyToThread(counsellorA(), { threadId: r.value.id, message: '書いてくださってありがとうございます。' });
		await addNote(counsellorA(), { threadId: r.value.id, note: '内部メモ:前回の面談の記録あり' });
		await addPersonMessage(resident(), { token: r.value.token, message: '昼間は大丈夫なのですが' });
		return r.value.id;
	}

	it('asks the endpoint with the conversation — never notes, nickname or contact — and gives back a draft without sending it', async () => {
		const threadId = await conversation();
		asked.length = 0;
		const draft = await draftReply(counsellorA(), { threadId }, endpoint);
		expect(draft).toEqual({ ok: true, value: { text: 'お話ししてくださってありがとうございます。' } });
		expect(asked).toHaveLength(1);
		const { body, headers } = asked[0];
		expect(headers.authorization).toBe('Bearer sk-test');
		expect(body.model).toBe('test-model');
		expect(body.messages[0].role).toBe('system');
		expect(body.messages[0].content).toContain('診断');
		expect(body.messages.slice(1)).toEqual([
			{ role: 'user', content: '夜になると不安で眠れません' },
			{ role: 'assistant', content: '書いてくださってありがとうございます。' },
			{ role: 'user', content: '昼間は大丈夫なのですが' }
		]);
		const sent = JSON.stringify(body);
		for (const secret of ['内部メモ', 'ひみつのよびな', 'secret-contact', threadId, cast.orgA]) expect(sent).not.toContain(secret);
		// Nothing was added to the thread, and the audit says a draft was asked for, without content.
		expect((await messagesOfThread(threadId)).map((m) => m.author)).toEqual(['person', 'counsellor', 'person']);
		const audit = await admin.query(`select * from audit_events where entity_id = $1 and action = 'consultation.draft'`, [threadId]);
		expect(audit.rows).toHaveLength(1);
		expect(JSON.stringify(audit.rows)).not.toContain('眠れません');
	});

	it('is refused for an urgent thread, without asking the endpoint', async () => {
		const urgent = await start('死にたい');
		asked.length = 0;
		expect(await draftReply(counsellorA(), { threadId: urgent.id }, endpoint)).toEqual({ ok: false, reason: 'urgent' });
		expect(asked).toHaveLength(0);
	});

	it('is refused when the organisation has not switched it on, or no endpoint is configured', async () => {
		const threadId = await conversation();
		asked.length = 0;
		expect(await draftReply(counsellorA(), { threadId }, null)).toEqual({ ok: false, reason: 'no_endpoint' });
		expect(await draftingOn(counsellorA(), null)).toBe(false);
		expect(await draftingOn(counsellorA(), endpoint)).toBe(true);
		await saveReplySettings(adminA(), { autoReply: { ...OFFICE, enabled: false }, draftAssist: false });
		expect(await draftReply(counsellorA(), { threadId }, endpoint)).toEqual({ ok: false, reason: 'off' });
		expect(await draftingOn(counsellorA(), endpoint)).toBe(false);
		expect(asked).toHaveLength(0);
		await saveReplySettings(adminA(), { autoReply: { ...OFFICE, enabled: false }, draftAssist: true });
	});

	it('does not find another organisation’s thread', async () => {
		const threadB = await start('相談です', cast.orgB);
		expect(await draftReply(counsellorA(), { threadId: threadB.id }, endpoint)).toEqual({ ok: false, reason: 'not_found' });
	});

	it('answers a slow endpoint with a timeout, an error status or an empty answer with a failure', async () => {
		const threadId = await conversation();
		state.delayMs = 1000;
		const started = Date.now();
		expect(await draftReply(counsellorA(), { threadId }, endpoint)).toEqual({ ok: false, reason: 'timeout' });
		expect(Date.now() - started).toBeLessThan(900);
		state.delayMs = 0;
		state.status = 503;
		expect(await draftReply(counsellorA(), { threadId }, endpoint)).toEqual({ ok: false, reason: 'failed' });
		state.status = 200;
		state.content = null;
		expect(await draftReply(counsellorA(), { threadId }, endpoint)).toEqual({ ok: false, reason: 'failed' });
		state.content = 'お話ししてくださってありがとうございます。';
		expect(await draftReply(counsellorA(), { threadId }, { ...endpoint, base: 'http://127.0.0.1:9/v1' })).toEqual({ ok: false, reason: 'failed' });
	});
});
