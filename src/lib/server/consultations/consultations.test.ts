/** Consultations on a real database: intake, triage, the private link, the inbox, audited reads, and the walls between organisations. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { testDatabase } from '../../../../tests/helpers/db';
import { seedCast, type Cast } from '../../../../tests/helpers/people';
import { makeOrganization } from '../../../../tests/helpers/factories';
import type { Database } from '../db';
import { withAccess } from '../db/tenant';
import { useDatabase } from '../db';
import { residentScope } from '../auth/guard';
import { MFA_ROLES, ROLE_PERMISSIONS, NETWORK_PERMISSIONS } from '../network/permissions';
import { newToken } from '../auth/tokens';
import { addNote, addPersonMessage, assignThread, inbox, openThread, replyToThread, setThreadStatus, setThreadTags, startConsultation, threadByLink, TAGS } from './index';
import { organizationScopeOf, requestOf } from '../../../../tests/helpers/scopes';

let database: Database;
let admin: pg.Client;
let cast: Cast;

const resident = () => residentScope(requestOf(null));
const counsellorA = () => organizationScopeOf(cast.people.counsellor.userId, cast.orgA, 'counsellor', 'consultations.read');
const secretariatAtWindow = () => organizationScopeOf(cast.people.secretariat.userId, cast.secretariatOrg, 'secretariat_admin', 'consultations.read');
const counsellorB = async () => {
	const userId = randomUUID();
	return organizationScopeOf(userId, cast.orgB, 'counsellor', 'consultations.read');
};

async function start(message: string, organizationId?: string, extra: { nickname?: string; contact?: string } = {}) {
	const r = await startConsultation(resident(), { message, organizationId, ...extra });
	if (!r.ok) throw new Error(r.reason);
	return r.value;
}

const auditOf = async (threadId: string) => (await admin.query<{ action: string; actor_user_id: string | null; organization_id: string }>(`select action, actor_user_id, organization_id from audit_events where entity_id = $1 order by id`, [threadId])).rows;

beforeAll(async () => {
	database = await testDatabase();
	useDatabase(database);
	admin = new pg.Client({ connectionString: database.adminUrl });
	await admin.connect();
}, 60_000);

afterAll(async () => {
	await admin?.end();
	await database?.close();
});

describe('before the network has a secretariat', () => {
	it('refuses a consultation for the one window, but takes one for a chosen organisation', async () => {
		const org = await makeOrganization(database.db);
		expect(await startConsultation(resident(), { message: 'はなしをきいてほしい' })).toEqual({ ok: false, reason: 'no_window' });
		const chosen = await startConsultation(resident(), { message: 'はなしをきいてほしい', organizationId: org });
		expect(chosen.ok && chosen.value.organizationId).toBe(org);
	});
});

describe('consultations', () => {
	beforeAll(async () => {
		cast = await seedCast(database, 'consult');
	}, 60_000);

	it('gives consultations only to roles that must have a second factor, and never network-wide', () => {
		for (const [role, permissions] of Object.entries(ROLE_PERMISSIONS)) {
			if (permissions.includes('consultations.read') || permissions.includes('consultations.reply')) expect(MFA_ROLES, role).toContain(role);
		}
		expect(ROLE_PERMISSIONS.counsellor).toEqual(expect.arrayContaining(['consultations.read', 'consultations.reply']));
		expect(NETWORK_PERMISSIONS).not.toContain('consultations.read');
		expect(NETWORK_PERMISSIONS).not.toContain('consultations.reply');
	});

	it('addresses a consultation to the one window (the secretariat organisation) or the chosen one; an unknown organisation is refused', async () => {
		const window = await start('相談したいことがあります');
		expect(window.organizationId).toBe(cast.secretariatOrg);
		const chosen = await start('相談したいことがあります', cast.orgA);
		expect(chosen.organizationId).toBe(cast.orgA);
		expect(await startConsultation(resident(), { message: 'x', organizationId: randomUUID() })).toEqual({ ok: false, reason: 'unknown_organization' });
	});

	it('marks a crisis message urgent with the hotlines at once; an ordinary one lists none', async () => {
		const crisis = await start('もう消えたい', cast.orgA);
		expect(crisis.urgent).toBe(true);
		expect(crisis.hotlines.map((h) => h.number)).toEqual(expect.arrayContaining(['0120-279-338']));
		const ordinary = await start('子ども食堂の場所を知りたいです', cast.orgA);
		expect(ordinary).toMatchObject({ urgent: false, hotlines: [] });
		const [row] = (await admin.query(`select urgent, crisis_categories, rules_version, status, channel from consultation_threads where id = $1`, [crisis.id])).rows;
		expect(row).toMatchObject({ urgent: true, crisis_categories: ['suicide'], status: 'new', channel: 'web' });
		expect(row.rules_version).toBeTruthy();
		expect((await auditOf(crisis.id)).map((a) => a.action)).toEqual(['consultation.create_urgent']);
	});

	it('stores what the person wrote sealed, never as plain text', async () => {
		const thread = await start('ひみつの相談です', cast.orgA, { nickname: 'みどり', contact: 'midori@example.org' });
		const [row] = (await admin.query(`select nickname_sealed, contact_sealed from consultation_threads where id = $1`, [thread.id])).rows;
		const [message] = (await admin.query(`select body_sealed from consultation_messages where thread_id = $1`, [thread.id])).rows;
		for (const value of [row.nickname_sealed, row.contact_sealed, message.body_sealed]) expect(value).toMatch(/^enc:v1:/);
		expect(JSON.stringify([row, message])).not.toMatch(/ひみつ|みどり|midori/);
	});

	it('opens the thread by its private link; a wrong, short or malformed link has one answer', async () => {
		const thread = await start('はじめまして', cast.orgA, { nickname: 'そら' });
		const seen = await threadByLink(resident(), thread.token);
		expect(seen).toMatchObject({ id: thread.id, status: 'new', urgent: false, hotlines: [], nickname: 'そら' });
		expect(seen!.messages.map((m) => [m.author, m.body])).toEqual([['person', 'はじめまして']]);
		for (const miss of [newToken(), thread.token.slice(0, 20), thread.token + 'a', '', '../' + thread.token.slice(3)]) expect(await threadByLink(resident(), miss), miss).toBeNull();
		expect(await addPersonMessage(resident(), { token: newToken(), message: 'x' })).toEqual({ ok: false, reason: 'not_found' });
		expect(await addPersonMessage(resident(), { token: 'short', message: 'x' })).toEqual({ ok: false, reason: 'not_found' });
	});

	it('keeps the hotlines at the top of an urgent thread, and a later crisis message makes an ordinary thread urgent', async () => {
		const urgent = await start('死にたい', cast.orgA);
		expect((await threadByLink(resident(), urgent.token))!.hotlines.length).toBeGreaterThan(0);
		const ordinary = await start('居場所をさがしています', cast.orgA);
		const later = await addPersonMessage(resident(), { token: ordinary.token, message: 'やっぱりもう消えたい' });
		expect(later.ok && later.value.urgent).toBe(true);
		const seen = await threadByLink(resident(), ordinary.token);
		expect(seen).toMatchObject({ urgent: true });
		expect(seen!.messages.map((m) => m.body)).toEqual(['居場所をさがしています', 'やっぱりもう消えたい']);
		// An ordinary message afterwards does not clear it.
		await addPersonMessage(resident(), { token: ordinary.token, message: 'ありがとう' });
		expect((await threadByLink(resident(), ordinary.token))!.urgent).toBe(true);
	});

	it("shows the counsellor's answer to the person, records the first answer, and never shows notes or tags", async () => {
		const thread = await start('話を聞いてほしい', cast.orgA);
		const scope = counsellorA();
		expect(await replyToThread(scope, { threadId: thread.id, message: 'お話ありがとうございます。相談員の田中です。' })).toEqual({ ok: true, value: { delivery: null } });
		expect(await addNote(scope, { threadId: thread.id, note: '内部メモ: 様子を見る' })).toEqual({ ok: true, value: undefined });
		expect(await setThreadTags(scope, { threadId: thread.id, tags: [TAGS[0]] })).toEqual({ ok: true, value: undefined });
		const seen = await threadByLink(resident(), thread.token);
		expect(seen!.status).toBe('waiting');
		expect(seen!.messages.map((m) => [m.author, m.body])).toEqual([
			['person', '話を聞いてほしい'],
			['counsellor', 'お話ありがとうございます。相談員の田中です。']
		]);
		expect(JSON.stringify(seen)).not.toMatch(/内部メモ|life_stage|counsellor@|userId/);
		const opened = await openThread(scope, { threadId: thread.id });
		if (!opened.ok) throw new Error(opened.reason);
		expect(opened.value.firstAnsweredAt).toBeInstanceOf(Date);
		expect(opened.value.secondsToFirstAnswer).toBeGreaterThanOrEqual(0);
		expect(opened.value.assignedTo).toBe(cast.people.counsellor.userId);
		expect(opened.value.notes.map((n) => n.body)).toEqual(['内部メモ: 様子を見る']);
		expect(opened.value.tags).toEqual([TAGS[0]]);
		// The person writes back: open again for the counsellors; the first answer time stays.
		await addPersonMessage(resident(), { token: thread.token, message: 'ありがとうございます' });
		const [row] = (await admin.query(`select status, first_answered_at from consultation_threads where id = $1`, [thread.id])).rows;
		expect(row.status).toBe('open');
		expect(row.first_answered_at.getTime()).toBe(opened.value.firstAnsweredAt!.getTime());
	});

	it('records every opening of a thread as a read, and every change, with the counsellor as actor', async () => {
		const thread = await start('相談です', cast.orgA);
		const scope = counsellorA();
		await openThread(scope, { threadId: thread.id });
		await openThread(scope, { threadId: thread.id });
		await assignThread(scope, { threadId: thread.id, toMe: true });
		await setThreadStatus(scope, { threadId: thread.id, status: 'closed' });
		const events = await auditOf(thread.id);
		expect(events.map((e) => e.action)).toEqual(['consultation.create', 'consultation.view', 'consultation.view', 'consultation.assign', 'consultation.close']);
		expect(events.slice(1).every((e) => e.actor_user_id === cast.people.counsellor.userId && e.organization_id === cast.orgA)).toBe(true);
		expect(events[0].actor_user_id).toBeNull();
	});

	it('lists the inbox by view, urgent first, with no content in the list', async () => {
		const scope = counsellorA();
		const org = cast.orgA;
		const plain = await start('ふつうの相談', org);
		const urgent = await start('もう消えたい…', org);
		const all = await inbox(scope, { view: 'new' });
		const ids = all.threads.map((t) => t.id);
		expect(ids.indexOf(urgent.id)).toBeLessThan(ids.indexOf(plain.id));
		expect(all.threads.filter((t) => t.urgent).every((t, i) => all.threads[i].urgent)).toBe(true);
		expect(JSON.stringify(all)).not.toMatch(/ふつうの相談|消えたい/);
		expect((await inbox(scope, { view: 'urgent' })).threads.every((t) => t.urgent && t.status !== 'closed')).toBe(true);
		await assignThread(scope, { threadId: plain.id, toMe: true });
		expect((await inbox(scope, { view: 'mine' })).threads.map((t) => t.id)).toContain(plain.id);
		await setThreadStatus(scope, { threadId: plain.id, status: 'closed' });
		expect((await inbox(scope, { view: 'closed' })).threads.map((t) => t.id)).toContain(plain.id);
		expect((await inbox(scope, { view: 'mine' })).threads.map((t) => t.id)).not.toContain(plain.id);
		const counts = (await inbox(scope, { view: 'all' })).counts;
		expect(counts.all).toBeGreaterThanOrEqual(counts.new + counts.closed);
	});

	it("the secretariat answers the one window at its own organisation and sees none of an organisation's threads", async () => {
		const window = await start('どこに相談すればいいですか');
		const own = await start('団体Aへの相談', cast.orgA);
		const scope = secretariatAtWindow();
		const listed = (await inbox(scope, { view: 'all' })).threads.map((t) => t.id);
		expect(listed).toContain(window.id);
		expect(listed).not.toContain(own.id);
		expect((await openThread(scope, { threadId: window.id })).ok).toBe(true);
		expect(await openThread(scope, { threadId: own.id })).toEqual({ ok: false, reason: 'not_found' });
	});

	it("another organisation's counsellor gets not_found for every operation, and a direct query in its context returns no rows", async () => {
		const thread = await start('団体Aだけに話したい', cast.orgA, { nickname: 'A' });
		await replyToThread(counsellorA(), { threadId: thread.id, message: '受け取りました' });
		await addNote(counsellorA(), { threadId: thread.id, note: 'A only' });
		const b = await counsellorB();
		const before = (await admin.query(`select t.*, (select count(*) from consultation_messages m where m.thread_id = t.id) as n from consultation_threads t where id = $1`, [thread.id])).rows[0];
		const notFound = { ok: false, reason: 'not_found' };
		expect(await openThread(b, { threadId: thread.id })).toEqual(notFound);
		expect(await replyToThread(b, { threadId: thread.id, message: 'x' })).toEqual(notFound);
		expect(await addNote(b, { threadId: thread.id, note: 'x' })).toEqual(notFound);
		expect(await assignThread(b, { threadId: thread.id, toMe: true })).toEqual(notFound);
		expect(await setThreadStatus(b, { threadId: thread.id, status: 'closed' })).toEqual(notFound);
		expect(await setThreadTags(b, { threadId: thread.id, tags: [] })).toEqual(notFound);
		expect((await inbox(b, { view: 'all' })).threads.map((t) => t.id)).not.toContain(thread.id);
		const after = (await admin.query(`select t.*, (select count(*) from consultation_messages m where m.thread_id = t.id) as n from consultation_threads t where id = $1`, [thread.id])).rows[0];
		expect(after).toEqual(before);
		// The second wall: organisation B's context sees no thread, message or note of A's, even asked directly.
		const contextB = { userId: randomUUID(), organizationIds: [cast.orgB] };
		for (const table of ['consultation_threads', 'consultation_messages', 'consultation_notes']) {
			const seen = await withAccess(database.db, contextB, (tx) => tx.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table} where organization_id = '${cast.orgA}'`)));
			expect(seen.rows[0].n, table).toBe(0);
			const total = (await admin.query(`select count(*)::int as n from ${table} where organization_id = $1`, [cast.orgA])).rows[0].n;
			expect(total, table).toBeGreaterThan(0);
			// Nor the secretariat's network-wide standing, nor no context at all.
			const network = await withAccess(database.db, { userId: cast.people.secretariat.userId, secretariat: true }, (tx) => tx.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`)));
			expect(network.rows[0].n, table).toBe(0);
			const none = await database.pool.query(`select count(*)::int as n from ${table}`);
			expect(none.rows[0].n, table).toBe(0);
		}
		// Nor write into A's thread from B's context.
		await expect(withAccess(database.db, contextB, (tx) => tx.execute(sql`insert into consultation_notes (thread_id, organization_id, author_user_id, body_sealed) values (${thread.id}, ${cast.orgA}, ${randomUUID()}, 'x')`))).rejects.toMatchObject({
			cause: { message: expect.stringMatching(/row-level security/) }
		});
		// A message cannot name another organisation than its thread's (the composite key).
		await expect(admin.query(`insert into consultation_messages (thread_id, organization_id, author, body_sealed) values ($1, $2, 'person', 'x')`, [thread.id, cast.orgB])).rejects.toThrow(/foreign key/);
	});
});
