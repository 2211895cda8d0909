/**
 * Alerts on a real database: an urgent consultation tells the on-call counsellor by mail (no content,
 * a link to the thread) and by LINE push when they linked LINE (the local fake of the Messaging API
 * records it); linking by a one-time code sent to the official account becomes no thread; an empty
 * rota tells every counsellor; another organisation's counsellors get nothing; a failed mail is
 * recorded as failed and the person's answer is unaffected.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { testDatabase } from '../../../../tests/helpers/db';
import { seedCast, type Cast } from '../../../../tests/helpers/people';
import { asSystem } from '../db/tenant';
import { useDatabase, type Database } from '../db';
import { residentScope } from '../auth/guard';
import { createUser } from '../auth';
import { setMembership, type Role } from '../network';
import { readOutbox } from '../mail';
import { addPersonMessage, alertsSettled, lineCallbackSchema, lineChannel, newLineLinkCode, receiveLineDelivery, recordStaffConsultation, setRota, startConsultation, unlinkLine } from './index';
import { organizationScopeOf, requestOf } from '../../../../tests/helpers/scopes';

let database: Database;
let admin: pg.Client;
let cast: Cast;
let outbox: string;
let counsellor2: { userId: string; email: string };
let counsellorB: { userId: string; email: string };
const saved = { ...process.env };

/** The fake Messaging API: records every call. */
const requests: { path: string; body: { to?: string; replyToken?: string; messages: { text: string }[] } }[] = [];
const fake: Server = createServer((req, res) => {
	let raw = '';
	req.on('data', (c) => (raw += c));
	req.on('end', () => {
		const body = JSON.parse(raw || '{}');
		requests.push({ path: req.url ?? '', body });
		res.writeHead(200, { 'content-type': 'application/json', 'x-line-request-id': randomUUID() });
		res.end(JSON.stringify({ sentMessages: [] }));
	});
});

const resident = () => residentScope(requestOf(null));
const adminA = () => organizationScopeOf(cast.people.org_admin.userId, cast.orgA, 'org_admin', 'consultations.manage');
const counsellorA = () => organizationScopeOf(cast.people.counsellor.userId, cast.orgA, 'counsellor', 'consultations.read');

async function member(name: string, org: string, role: Role) {
	const email = `alerts-${name}@example.org`;
	const userId = await asSystem(database.db, async (tx) => {
		const id = await createUser(tx, email, name, 'correct horse battery staple');
		await setMembership(tx, org, id, role, null);
		return id;
	});
	return { userId, email };
}

async function urgent(message: string, organizationId: string) {
	const r = await startConsultation(resident(), { message, organizationId });
	if (!r.ok) throw new Error(r.reason);
	expect(r.value.urgent).toBe(true);
	await alertsSettled();
	return r.value;
}

const mailTo = (email: string) => readOutbox(500, outbox).filter((m) => m.to.includes(email));
const alertsOf = async (threadId: string) =>
	(await admin.query<{ recipient_user_id: string; reason: string; level: number; via: string; delivery: string }>(`select recipient_user_id, reason, level, via, delivery from consultation_alerts where thread_id = $1 order by created_at, via`, [threadId])).rows;

function lineText(userId: string, text: string) {
	return lineCallbackSchema.parse({
		destination: 'U0',
		events: [{ type: 'message', mode: 'active', timestamp: Date.now(), webhookEventId: randomUUID(), source: { type: 'user', userId }, replyToken: randomUUID().replaceAll('-', ''), deliveryContext: { isRedelivery: false }, message: { type: 'text', id: '1', text } }]
	});
}

beforeAll(async () => {
	database = await testDatabase();
	useDatabase(database);
	admin = new pg.Client({ connectionString: database.adminUrl });
	await admin.connect();
	cast = await seedCast(database, 'alerts');
	counsellor2 = await member('counsellor2', cast.orgA, 'counsellor');
	counsellorB = await member('counsellor-b', cast.orgB, 'counsellor');
	outbox = mkdtempSync(path.join(tmpdir(), 'tsunagu-alerts-'));
	await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
	const { port } = fake.address() as { port: number };
	Object.assign(process.env, { OUTBOX_DIR: outbox, ORIGIN: 'https://tsunagu.example', LINE_CHANNEL_SECRET: 'alerts-secret', LINE_CHANNEL_ACCESS_TOKEN: 'alerts-token', LINE_API_BASE: `http://127.0.0.1:${port}` });
	const set = await setRota(adminA(), {
		entries: [
			{ userId: cast.people.counsellor.userId, position: 1 },
			{ userId: counsellor2.userId, position: 2 }
		]
	});
	expect(set.ok).toBe(true);
}, 60_000);

afterAll(async () => {
	await alertsSettled();
	process.env = saved;
	await admin?.end();
	await database?.close();
	await new Promise((resolve) => fake.close(resolve));
	rmSync(outbox, { recursive: true, force: true });
});

beforeEach(() => {
	requests.length = 0;
});

describe('alerts', () => {
	it('mails the on-call counsellor at once, with a link to the thread and nothing the person wrote', async () => {
		const thread = await urgent('もう消えたい。ひみつの話だけど学校で', cast.orgA);
		const mails = mailTo(cast.people.counsellor.email);
		expect(mails).toHaveLength(1);
		expect(mails[0].subject).toContain('緊急の相談');
		expect(mails[0].text).toContain(`https://tsunagu.example/staff/orgs/${cast.orgA}/consultations/${thread.id}`);
		expect(mails[0].subject + mails[0].text).not.toMatch(/消えたい|ひみつ|学校/);
		// Only the first on the rota; nobody of another organisation.
		expect(mailTo(counsellor2.email)).toHaveLength(0);
		expect(mailTo(counsellorB.email)).toHaveLength(0);
		expect(await alertsOf(thread.id)).toEqual([{ recipient_user_id: cast.people.counsellor.userId, reason: 'urgent', level: 1, via: 'mail', delivery: 'sent' }]);
		const [row] = (await admin.query(`select escalation_level, escalated_at from consultation_threads where id = $1`, [thread.id])).rows;
		expect(row.escalation_level).toBe(1);
		expect(row.escalated_at).not.toBeNull();
	});

	it('alerts once per thread, also when it becomes urgent later; an ordinary consultation alerts nobody', async () => {
		const before = mailTo(cast.people.counsellor.email).length;
		const ordinary = await startConsultation(resident(), { message: '子ども食堂の場所を知りたいです', organizationId: cast.orgA });
		if (!ordinary.ok) throw new Error();
		await alertsSettled();
		expect(await alertsOf(ordinary.value.id)).toEqual([]);
		expect(mailTo(cast.people.counsellor.email)).toHaveLength(before);
		await addPersonMessage(resident(), { token: ordinary.value.token, message: 'やっぱり死にたい' });
		await alertsSettled();
		await addPersonMessage(resident(), { token: ordinary.value.token, message: 'もう消えたい' });
		await alertsSettled();
		expect((await alertsOf(ordinary.value.id)).map((a) => [a.reason, a.level, a.via])).toEqual([['urgent', 1, 'mail']]);
		expect(mailTo(cast.people.counsellor.email)).toHaveLength(before + 1);
	});

	it('tells every counsellor of an organisation without a rota, and only them', async () => {
		const thread = await urgent('死にたい', cast.orgB);
		expect(mailTo(counsellorB.email)).toHaveLength(1);
		expect((await alertsOf(thread.id)).map((a) => a.recipient_user_id)).toEqual([counsellorB.userId]);
		expect(mailTo(cast.people.counsellor.email).some((m) => m.text.includes(thread.id))).toBe(false);
	});

	it('links a counsellor’s LINE by a one-time code (no thread made), pushes them the alert, and unlinks', async () => {
		const lineUser = `U${randomUUID().replaceAll('-', '')}`;
		const made = await newLineLinkCode(counsellorA());
		if (!made.ok) throw new Error(made.reason);
		const [stored] = (await admin.query(`select line_link_digest, line_link_expires_at from consultation_rota where user_id = $1`, [cast.people.counsellor.userId])).rows;
		expect(stored.line_link_digest).not.toContain(made.value.code);
		const threadsBefore = Number((await admin.query(`select count(*) from consultation_threads where channel = 'line'`)).rows[0].count);
		// Typed in lower case on a phone, still the code.
		const linked = await receiveLineDelivery(resident(), lineChannel()!, lineText(lineUser, made.value.code.toLowerCase()));
		if (!linked.ok) throw new Error(linked.reason);
		await linked.value.sent;
		expect(requests.map((r) => r.body.messages[0].text).join()).toContain('LINE通知を設定しました');
		const [row] = (await admin.query(`select line_user_id_sealed, line_link_digest from consultation_rota where user_id = $1`, [cast.people.counsellor.userId])).rows;
		expect(row.line_user_id_sealed).toMatch(/^enc:v1:/);
		expect(row.line_link_digest).toBeNull();
		expect(Number((await admin.query(`select count(*) from consultation_threads where channel = 'line'`)).rows[0].count)).toBe(threadsBefore);
		// The code works once.
		requests.length = 0;
		const again = await receiveLineDelivery(resident(), lineChannel()!, lineText(`U${randomUUID().replaceAll('-', '')}`, made.value.code));
		if (!again.ok) throw new Error();
		await again.value.sent;
		expect(requests[0].body.messages[0].text).toContain('このコードは使えません');

		requests.length = 0;
		const thread = await urgent('もう生きていたくない', cast.orgA);
		const push = requests.find((r) => r.path === '/v2/bot/message/push' && r.body.to === lineUser);
		expect(push).toBeDefined();
		expect(push!.body.messages[0].text).toContain(`/consultations/${thread.id}`);
		expect(push!.body.messages[0].text).not.toContain('生きていたくない');
		expect((await alertsOf(thread.id)).map((a) => [a.via, a.delivery])).toEqual([
			['line', 'sent'],
			['mail', 'sent']
		]);

		expect((await unlinkLine(counsellorA())).ok).toBe(true);
		requests.length = 0;
		const after = await urgent('死にたい', cast.orgA);
		expect(requests.filter((r) => r.body.to === lineUser)).toEqual([]);
		expect((await alertsOf(after.id)).map((a) => a.via)).toEqual(['mail']);
	});

	it('gives a counsellor not on the rota no link code', async () => {
		const scope = organizationScopeOf(counsellorB.userId, cast.orgB, 'counsellor', 'consultations.read');
		expect(await newLineLinkCode(scope)).toEqual({ ok: false, reason: 'not_on_rota' });
	});

	it('alerts the on-call counsellor of an urgent phone consultation typed by someone else, but not the typist', async () => {
		const typist = organizationScopeOf(counsellor2.userId, cast.orgA, 'counsellor', 'consultations.reply');
		const entered = await recordStaffConsultation(typist, { message: '電話で「死にたい」と話していた', nickname: undefined, contact: undefined, urgent: false });
		await alertsSettled();
		expect((await alertsOf(entered.id)).map((a) => a.recipient_user_id)).toEqual([cast.people.counsellor.userId]);
		const self = await recordStaffConsultation(counsellorA(), { message: '来所: 消えたいと話していた', nickname: undefined, contact: undefined, urgent: true });
		await alertsSettled();
		expect(await alertsOf(self.id)).toEqual([]);
	});

	it('records a failed mail as failed and still answers the person', async () => {
		process.env.SMTP_URL = 'smtp://127.0.0.1:9';
		try {
			const r = await startConsultation(resident(), { message: 'もう消えたい', organizationId: cast.orgA });
			expect(r.ok && r.value.urgent).toBe(true);
			await alertsSettled();
			expect((await alertsOf(r.ok ? r.value.id : '')).map((a) => [a.via, a.delivery])).toEqual([['mail', 'failed']]);
		} finally {
			delete process.env.SMTP_URL;
		}
	});
});
