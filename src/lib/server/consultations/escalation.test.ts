/**
 * The escalation job with a fake clock (`now` passed in): an urgent thread nobody opened goes to the
 * next person on the rota and to the secretariat after the organisation's minutes — not before;
 * one level per period, ending after the rota's last person; opening the thread stops it; the
 * secretariat's mail names the organisation and holds no content; another organisation's
 * counsellors get nothing; each escalation is audited with the system's origin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
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
import { systemScope } from '../scope';
import { alertsSettled, escalateUnopened, openThread, setEscalationMinutes, setRota, startConsultation } from './index';
import { organizationScopeOf, requestOf } from '../../../../tests/helpers/scopes';

let database: Database;
let admin: pg.Client;
let cast: Cast;
let outbox: string;
let second: { userId: string; email: string };
let third: { userId: string; email: string };
let counsellorB: { userId: string; email: string };
const saved = { ...process.env };

const adminA = () => organizationScopeOf(cast.people.org_admin.userId, cast.orgA, 'org_admin', 'consultations.manage');
const job = () => systemScope(database.db, 'escalations');
const minutesLater = (from: Date, minutes: number) => new Date(from.getTime() + minutes * 60_000);

async function member(name: string, org: string, role: Role) {
	const email = `escalation-${name}@example.org`;
	const userId = await asSystem(database.db, async (tx) => {
		const id = await createUser(tx, email, name, 'correct horse battery staple');
		await setMembership(tx, org, id, role, null);
		return id;
	});
	return { userId, email };
}

/** An urgent consultation, its first alert sent; `at` is when that happened (the clock starts there). */
async function urgent(organizationId: string) {
	const r = await startConsultation(residentScope(requestOf(null)), { message: 'もう消えたい。家に帰るのが怖い', organizationId });
	if (!r.ok || !r.value.urgent) throw new Error('not urgent');
	await alertsSettled();
	const [row] = (await admin.query(`select escalated_at from consultation_threads where id = $1`, [r.value.id])).rows;
	return { id: r.value.id, at: row.escalated_at as Date };
}

const mailsFor = (email: string, threadOrOrg: string) => readOutbox(1000, outbox).filter((m) => m.to.includes(email) && (m.text.includes(threadOrOrg) || m.subject.includes(threadOrOrg)));
const levelOf = async (id: string) => (await admin.query(`select escalation_level from consultation_threads where id = $1`, [id])).rows[0].escalation_level as number;
const alertsOf = async (id: string) => (await admin.query<{ recipient_user_id: string; reason: string; level: number; via: string }>(`select recipient_user_id, reason, level, via from consultation_alerts where thread_id = $1 order by level, recipient_user_id`, [id])).rows;
let orgName: string;

beforeAll(async () => {
	database = await testDatabase();
	useDatabase(database);
	admin = new pg.Client({ connectionString: database.adminUrl });
	await admin.connect();
	cast = await seedCast(database, 'escalation');
	second = await member('second', cast.orgA, 'counsellor');
	third = await member('third', cast.orgA, 'counsellor');
	counsellorB = await member('counsellor-b', cast.orgB, 'counsellor');
	orgName = (await admin.query(`select name from organizations where id = $1`, [cast.orgA])).rows[0].name;
	outbox = mkdtempSync(path.join(tmpdir(), 'tsunagu-escalation-'));
	Object.assign(process.env, { OUTBOX_DIR: outbox, ORIGIN: 'https://tsunagu.example' });
	const set = await setRota(adminA(), {
		entries: [
			{ userId: cast.people.counsellor.userId, position: 1 },
			{ userId: second.userId, position: 2 },
			{ userId: third.userId, position: 3 }
		]
	});
	expect(set.ok).toBe(true);
}, 60_000);

afterAll(async () => {
	await alertsSettled();
	process.env = saved;
	await admin?.end();
	await database?.close();
	rmSync(outbox, { recursive: true, force: true });
});

describe('escalation of urgent threads nobody opened', () => {
	it('waits the set minutes (10 by default), then tells the next on the rota and the secretariat; one level per period, ending after the rota', async () => {
		const thread = await urgent(cast.orgA);
		expect(await levelOf(thread.id)).toBe(1);
		await escalateUnopened(job(), minutesLater(thread.at, 9));
		expect(await levelOf(thread.id)).toBe(1);
		expect(mailsFor(second.email, thread.id)).toHaveLength(0);

		await escalateUnopened(job(), minutesLater(thread.at, 10.5));
		expect(await levelOf(thread.id)).toBe(2);
		const [toSecond] = mailsFor(second.email, thread.id);
		expect(toSecond.subject).toContain('開かれていません');
		expect(toSecond.text).toContain(`https://tsunagu.example/staff/orgs/${cast.orgA}/consultations/${thread.id}`);
		expect(toSecond.subject + toSecond.text).not.toMatch(/消えたい|帰るのが怖い/);
		// The secretariat: which organisation, for how long; no link it could not open, no content.
		const [toSecretariat] = readOutbox(1000, outbox).filter((m) => m.to.includes(cast.people.secretariat.email));
		expect(toSecretariat.subject).toContain(orgName);
		expect(toSecretariat.subject).toContain('10分間');
		expect(toSecretariat.text).not.toContain(thread.id);
		expect(toSecretariat.subject + toSecretariat.text).not.toMatch(/消えたい|帰るのが怖い/);
		expect(mailsFor(third.email, thread.id)).toHaveLength(0);

		// The period starts again at the escalation.
		await escalateUnopened(job(), minutesLater(thread.at, 15));
		expect(await levelOf(thread.id)).toBe(2);
		await escalateUnopened(job(), minutesLater(thread.at, 21));
		expect(await levelOf(thread.id)).toBe(3);
		expect(mailsFor(third.email, thread.id)).toHaveLength(1);
		// After the rota's last person: no further alerts.
		await escalateUnopened(job(), minutesLater(thread.at, 60));
		expect(await levelOf(thread.id)).toBe(3);

		expect((await alertsOf(thread.id)).map((a) => [a.reason, a.level, a.recipient_user_id])).toEqual(
			[
				['urgent', 1, cast.people.counsellor.userId],
				['escalation', 2, second.userId],
				['escalation', 2, cast.people.secretariat.userId],
				['escalation', 3, third.userId],
				['escalation', 3, cast.people.secretariat.userId]
			].sort((a, b) => Number(a[1]) - Number(b[1]) || String(a[2]).localeCompare(String(b[2])))
		);
		const audit = (await admin.query(`select action, actor_user_id, request_id from audit_events where entity_id = $1 and action = 'consultation.escalate' order by id`, [thread.id])).rows;
		expect(audit).toEqual([
			{ action: 'consultation.escalate', actor_user_id: null, request_id: 'job:escalations' },
			{ action: 'consultation.escalate', actor_user_id: null, request_id: 'job:escalations' }
		]);
		// Another organisation's counsellors heard of none of it.
		expect(readOutbox(1000, outbox).filter((m) => m.to.includes(counsellorB.email))).toEqual([]);
	});

	it('follows the organisation’s own minutes', async () => {
		expect((await setEscalationMinutes(adminA(), { minutes: 30 })).ok).toBe(true);
		try {
			const thread = await urgent(cast.orgA);
			await escalateUnopened(job(), minutesLater(thread.at, 29));
			expect(await levelOf(thread.id)).toBe(1);
			await escalateUnopened(job(), minutesLater(thread.at, 31));
			expect(await levelOf(thread.id)).toBe(2);
			const [toSecretariat] = mailsFor(cast.people.secretariat.email, '31分間');
			expect(toSecretariat).toBeDefined();
		} finally {
			await setEscalationMinutes(adminA(), { minutes: 10 });
		}
	});

	it('stops once a counsellor opened the thread', async () => {
		const thread = await urgent(cast.orgA);
		const counsellor = organizationScopeOf(second.userId, cast.orgA, 'counsellor', 'consultations.read');
		expect((await openThread(counsellor, { threadId: thread.id })).ok).toBe(true);
		await escalateUnopened(job(), minutesLater(thread.at, 30));
		expect(await levelOf(thread.id)).toBe(1);
		expect(mailsFor(second.email, thread.id)).toHaveLength(0);
	});

	it('does not escalate a closed thread', async () => {
		const thread = await urgent(cast.orgA);
		await admin.query(`update consultation_threads set status = 'closed', closed_at = now() where id = $1`, [thread.id]);
		await escalateUnopened(job(), minutesLater(thread.at, 30));
		expect(await levelOf(thread.id)).toBe(1);
	});

	it('tells the secretariat once for an organisation without a rota, whose counsellors were all told first', async () => {
		const thread = await urgent(cast.orgB);
		expect(mailsFor(counsellorB.email, thread.id)).toHaveLength(1);
		await escalateUnopened(job(), minutesLater(thread.at, 11));
		expect(await levelOf(thread.id)).toBe(2);
		expect((await alertsOf(thread.id)).filter((a) => a.level === 2).map((a) => a.recipient_user_id)).toEqual([cast.people.secretariat.userId]);
		await escalateUnopened(job(), minutesLater(thread.at, 40));
		expect(await levelOf(thread.id)).toBe(2);
		// Organisation A's counsellors are not told about B's thread.
		for (const p of [cast.people.counsellor.email, second.email, third.email]) expect(mailsFor(p, thread.id)).toEqual([]);
	});

	it('sends a first alert a process missed (urgent, still at level 0)', async () => {
		const thread = await urgent(cast.orgA);
		await admin.query(`update consultation_threads set escalation_level = 0, escalated_at = null where id = $1`, [thread.id]);
		await admin.query(`delete from consultation_alerts where thread_id = $1`, [thread.id]);
		expect(await escalateUnopened(job(), new Date())).toMatchObject({ alerted: 1, escalated: 0 });
		expect(await levelOf(thread.id)).toBe(1);
		expect((await alertsOf(thread.id)).map((a) => [a.reason, a.level, a.recipient_user_id])).toEqual([['urgent', 1, cast.people.counsellor.userId]]);
	});
});
