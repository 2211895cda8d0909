/** Retention of closed consultations on a real database, with an injected clock. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { testDatabase } from '../../../../tests/helpers/db';
import { makeOrganization } from '../../../../tests/helpers/factories';
import type { Database } from '../db';
import { useDatabase } from '../db';
import { residentScope } from '../auth/guard';
import { runIn, systemScope } from '../scope';
import { addNote, addPersonMessage, assignThread, organizationConsultationFigures, replyToThread, setThreadStatus, setThreadTags, startConsultation, threadByLink, TAGS } from './index';
import { consultationRetentionDays, emptyExpiredConsultations, DEFAULT_RETENTION_DAYS } from './retention';
import { organizationScopeOf, requestOf } from '../../../../tests/helpers/scopes';

/** The figures a permitted scope gets (a refusal fails the test with its reason). */
const granted = <T>(result: { ok: true; value: T } | { ok: false; reason: string }): T => {
	if (!result.ok) throw new Error(result.reason);
	return result.value;
};

let database: Database;
let admin: pg.Client;

const counsellor = (organizationId: string, userId: string) => organizationScopeOf(userId, organizationId, 'counsellor', 'consultations.reply');

/** The injected clock: "now" for the job (Tokyo 2026-03-10 10:00). */
const NOW = new Date('2026-03-10T10:00:00+09:00');
const DAY = 86_400_000;
const daysBefore = (days: number, from = NOW) => new Date(from.getTime() - days * DAY);
const THREE_YEARS = DEFAULT_RETENTION_DAYS;

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

/** A LINE person as the webhook stores them (sealed-looking values: the job never opens them). */
async function linePerson(organizationId: string, seen: Date): Promise<string> {
	const id = randomUUID();
	await admin.query(`insert into line_people (id, organization_id, user_digest, user_id_sealed, created_at, followed_at) values ($1, $2, $3, 'enc:v1:test', $4, $4)`, [id, organizationId, `digest-${id}`, seen]);
	return id;
}

/**
 * A thread with everything a consultation gathers — nickname, contact, the person's message, an
 * answer, a note, tags, an assignee, an alert — then closed `closedAt` (null: left open), created a
 * day before it and answered half an hour after that.
 */
async function fullThread(organizationId: string, closedAt: Date | null, linePersonId: string | null = null) {
	const started = await startConsultation(residentScope(requestOf(null)), { message: '家に帰るのがつらい', nickname: 'みどり', contact: 'midori@example.org', organizationId });
	if (!started.ok) throw new Error(started.reason);
	const { id, token } = started.value;
	const userId = randomUUID();
	const scope = counsellor(organizationId, userId);
	expect((await replyToThread(scope, { threadId: id, message: 'お話を聞かせてください' })).ok).toBe(true);
	expect((await addNote(scope, { threadId: id, note: '学校の名前を話していた' })).ok).toBe(true);
	expect((await setThreadTags(scope, { threadId: id, tags: [TAGS[0]] })).ok).toBe(true);
	expect((await assignThread(scope, { threadId: id, toMe: true })).ok).toBe(true);
	await admin.query(`insert into consultation_alerts (thread_id, organization_id, recipient_user_id, reason, level, via, delivery) values ($1, $2, $3, 'urgent', 1, 'mail', 'sent')`, [id, organizationId, userId]);
	const createdAt = daysBefore(1, closedAt ?? daysBefore(5 * 365));
	if (closedAt) expect((await setThreadStatus(scope, { threadId: id, status: 'closed' })).ok).toBe(true);
	await admin.query(`update consultation_threads set created_at = $2, first_answered_at = $3, closed_at = $4, line_person_id = $5, urgent = true where id = $1`, [id, createdAt, new Date(createdAt.getTime() + 30 * 60_000), closedAt, linePersonId]);
	return { id, token, createdAt };
}

const threadRow = async (id: string) => (await admin.query(`select * from consultation_threads where id = $1`, [id])).rows[0];
const countOf = async (table: string, threadId: string) => Number((await admin.query(`select count(*) from ${table} where thread_id = $1`, [threadId])).rows[0].count);

describe('consultation retention', () => {
	let org: string;
	let expired: Awaited<ReturnType<typeof fullThread>>;
	let recent: Awaited<ReturnType<typeof fullThread>>;
	let stillOpen: Awaited<ReturnType<typeof fullThread>>;
	let before: Record<string, unknown>;
	const people: Record<string, string> = {};

	beforeAll(async () => {
		org = await makeOrganization(database.db);
		people.onlyExpired = await linePerson(org, daysBefore(THREE_YEARS + 40));
		people.alsoRecent = await linePerson(org, daysBefore(THREE_YEARS + 40));
		people.newFollower = await linePerson(org, daysBefore(2));
		people.idleFollower = await linePerson(org, daysBefore(4 * 365));
		// Closed three years and a day ago; three years less a day ago; never closed (five years old).
		expired = await fullThread(org, daysBefore(THREE_YEARS + 1), people.onlyExpired);
		recent = await fullThread(org, daysBefore(THREE_YEARS - 1), people.alsoRecent);
		stillOpen = await fullThread(org, null);
		// The same LINE person's older, expired thread.
		const older = await fullThread(org, daysBefore(THREE_YEARS + 30), people.alsoRecent);
		people.olderThread = older.id;
		before = await threadRow(expired.id);
		expect(await threadByLink(residentScope(requestOf(null)), expired.token)).not.toBeNull();
	}, 60_000);

	it('empties a thread closed three years and a day ago, in one audited run', async () => {
		const run = await emptyExpiredConsultations(systemScope(database.db, 'retention'), { now: NOW, days: THREE_YEARS });
		// Two expired threads (one person's older thread too), each with the person's message and the answer, and a note.
		expect(run).toMatchObject({ threads: 2, messages: 4, notes: 2, linePeople: 2 });
		expect(run.closedBefore).toEqual(daysBefore(THREE_YEARS));

		expect(await countOf('consultation_messages', expired.id)).toBe(0);
		expect(await countOf('consultation_notes', expired.id)).toBe(0);
		// Alerts carry no content: they stay.
		expect(await countOf('consultation_alerts', expired.id)).toBe(1);
		const row = await threadRow(expired.id);
		expect(row).toMatchObject({ nickname_sealed: null, contact_sealed: null, tags: [], crisis_categories: [], assigned_to: null, line_person_id: null, anonymised_at: NOW });
		expect(row.access_digest).not.toBe(before.access_digest);
		expect(row.access_digest).not.toMatch(/^[0-9a-f]{64}$/);
		// What the figures count is kept.
		for (const column of ['organization_id', 'channel', 'status', 'urgent', 'created_at', 'first_answered_at', 'closed_at']) expect(row[column], column).toEqual(before[column]);

		const [audit] = (await admin.query(`select actor_user_id, organization_id, entity_type, entity_id, request_id from audit_events where action = 'consultation.retention' order by id desc limit 1`)).rows;
		expect(audit).toMatchObject({ actor_user_id: null, organization_id: null, entity_type: 'retention_run', request_id: 'job:retention' });
		expect(audit.entity_id).toBe(`threads=2 messages=4 notes=2 line_people=2 closed_before=${daysBefore(THREE_YEARS).toISOString()}`);
	});

	it('no longer opens the private link of an emptied thread', async () => {
		expect(await threadByLink(residentScope(requestOf(null)), expired.token)).toBeNull();
		expect(await threadByLink(residentScope(requestOf(null)), recent.token)).not.toBeNull();
	});

	it('leaves a thread closed three years less a day ago, and an old thread never closed, as they were', async () => {
		for (const kept of [recent, stillOpen]) {
			const row = await threadRow(kept.id);
			expect(row.anonymised_at).toBeNull();
			expect(row.nickname_sealed).toMatch(/^enc:v1:/);
			expect(row.contact_sealed).toMatch(/^enc:v1:/);
			expect(row.assigned_to).not.toBeNull();
			expect(row.tags).toEqual([TAGS[0]]);
			expect(await countOf('consultation_messages', kept.id)).toBe(2);
			expect(await countOf('consultation_notes', kept.id)).toBe(1);
		}
		expect((await threadRow(recent.id)).line_person_id).toBe(people.alsoRecent);
	});

	it('deletes LINE people left without a thread, and followers idle past the period; keeps the others', async () => {
		const left = new Set((await admin.query(`select id from line_people where organization_id = $1`, [org])).rows.map((r) => r.id));
		expect(left.has(people.onlyExpired)).toBe(false);
		expect(left.has(people.idleFollower)).toBe(false);
		expect(left.has(people.alsoRecent)).toBe(true);
		expect(left.has(people.newFollower)).toBe(true);
	});

	it('still counts the emptied thread in the figures', async () => {
		const scope = counsellor(org, randomUUID());
		const day = (d: Date) => d.toLocaleDateString('sv-SE', { timeZone: 'Asia/Tokyo' });
		const f = await runIn(scope, (tx) => organizationConsultationFigures(tx, scope, { from: day(expired.createdAt), to: day(expired.createdAt) }).then(granted));
		expect(f).toMatchObject({ threads: 1, urgent: 1, answered: 1, byChannel: { web: 1, line: 0, staff: 0 }, medianSecondsToAnswer: 30 * 60 });
	});

	it('finds nothing more the next day, and empties the next thread once its time comes', async () => {
		const scope = systemScope(database.db, 'retention');
		expect(await emptyExpiredConsultations(scope, { now: new Date(NOW.getTime() + 60_000), days: THREE_YEARS })).toMatchObject({ threads: 0, messages: 0, notes: 0, linePeople: 0 });
		const later = await emptyExpiredConsultations(scope, { now: new Date(NOW.getTime() + 2 * DAY), days: THREE_YEARS });
		expect(later).toMatchObject({ threads: 1, messages: 2, notes: 1, linePeople: 1 });
		expect((await threadRow(recent.id)).anonymised_at).not.toBeNull();
		expect((await threadRow(stillOpen.id)).anonymised_at).toBeNull();
	});
});

describe('a person writing while the job empties their thread', () => {
	it('is told the thread is gone, and nothing lands on the emptied thread', async () => {
		const org = await makeOrganization(database.db);
		const thread = await fullThread(org, daysBefore(THREE_YEARS + 1));
		const messages = await countOf('consultation_messages', thread.id);
		// The job's transaction, held open: the thread is emptied but not yet committed.
		const job = new pg.Client({ connectionString: database.adminUrl });
		await job.connect();
		try {
			await job.query('begin');
			await job.query(`update consultation_threads set access_digest = 'anonymised:' || id, anonymised_at = now() where id = $1`, [thread.id]);
			const writing = addPersonMessage(residentScope(requestOf(null)), { token: thread.token, message: 'まだ見ていますか' });
			await new Promise((resolve) => setTimeout(resolve, 300));
			await job.query('commit');
			expect(await writing).toEqual({ ok: false, reason: 'not_found' });
		} finally {
			await job.end();
		}
		expect(await countOf('consultation_messages', thread.id)).toBe(messages);
		expect((await threadRow(thread.id)).status).toBe('closed');
	});
});

describe('CONSULTATION_RETENTION_DAYS', () => {
	it('defaults to three years and takes a whole number of days', () => {
		expect(consultationRetentionDays({})).toBe(1095);
		expect(consultationRetentionDays({ CONSULTATION_RETENTION_DAYS: '' })).toBe(1095);
		expect(consultationRetentionDays({ CONSULTATION_RETENTION_DAYS: ' 730 ' })).toBe(730);
	});

	it('refuses anything else with a message naming the variable', () => {
		for (const bad of ['0', '-5', '3y', '1.5', 'abc', '36501', '1e3']) expect(() => consultationRetentionDays({ CONSULTATION_RETENTION_DAYS: bad }), bad).toThrow(/CONSULTATION_RETENTION_DAYS must be a whole number of days/);
	});
});
