/**
 * Nothing dead-ends, with a fake clock (`now` passed in): a referral nobody accepts reaches the
 * secretariat's queue after N days and not before; one accepted without a first contact after M
 * days; a run again, or two at once, queue it once; an entry is resolved by the job when its
 * referral moves on, and by the secretariat by hand (audited); the secretariat's mail names the
 * organisations and the days, never the person; 見守り reminders go to the referring worker once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { testDatabase } from '../../../../tests/helpers/db';
import { seedCast, type Cast } from '../../../../tests/helpers/people';
import { makeOrganization } from '../../../../tests/helpers/factories';
import { insertReferral, moveReferral } from '../../../../tests/helpers/referrals';
import { useDatabase, type Database } from '../db';
import type { Permission } from '../auth';
import { readOutbox } from '../mail';
import { runIn, systemScope } from '../scope';
import { queueStuckReferrals, referralAcceptDays, referralContactDays, referralQueuePage, resolveQueueEntry } from './index';
import { referralQueue } from './schema';
import { organizationScopeOf, secretariatScopeOf } from '../../../../tests/helpers/scopes';

let database: Database;
let admin: pg.Client;
let cast: Cast;
let outbox: string;
let orgA: string;
let orgB: string;
let nameA: string;
let nameB: string;
const saved = { ...process.env };

const DAY = 86_400_000;
const DAYS = { acceptDays: 3, contactDays: 7 };
/** The fake clock: every time is an offset in days from here (Tokyo 2026-05-11 09:00). */
const T0 = new Date('2026-05-11T09:00:00+09:00');
const day = (d: number) => new Date(T0.getTime() + d * DAY);
const run = (d: number) => queueStuckReferrals(systemScope(database.db, 'referral_queue'), { now: day(d), ...DAYS });

const secretariat = (permission: Permission = 'network.referrals') => secretariatScopeOf(cast.people.secretariat.userId, cast.secretariatOrg, permission);

const entriesOf = async (referralId: string) => (await admin.query(`select reason, waiting_since, queued_at, resolved_at, resolved_by from referral_queue where referral_id = $1 order by queued_at`, [referralId])).rows;
const secretariatMails = () => readOutbox(1000, outbox).filter((m) => m.to.includes(cast.people.secretariat.email));

beforeAll(async () => {
	database = await testDatabase();
	useDatabase(database);
	admin = new pg.Client({ connectionString: database.adminUrl });
	await admin.connect();
	cast = await seedCast(database, 'loop-queue');
	[orgA, orgB] = [await makeOrganization(database.db), await makeOrganization(database.db)];
	const names = new Map((await admin.query(`select id, name from organizations where id = any($1::uuid[])`, [[orgA, orgB]])).rows.map((r) => [r.id, r.name]));
	[nameA, nameB] = [names.get(orgA), names.get(orgB)];
	outbox = mkdtempSync(path.join(tmpdir(), 'tsunagu-referral-queue-'));
	Object.assign(process.env, { OUTBOX_DIR: outbox, ORIGIN: 'https://tsunagu.example' });
}, 60_000);

afterAll(async () => {
	process.env = saved;
	await admin?.end();
	await database?.close();
	rmSync(outbox, { recursive: true, force: true });
});

describe('the queue job', () => {
	it('queues a referral nobody accepted after N days — not a little before — once, and mails the secretariat organisations and days only', async () => {
		const id = await insertReferral(admin, { from: orgA, to: orgB, createdAt: day(0) });
		await run(3 - 1 / 24 / 60);
		expect(await entriesOf(id)).toEqual([]);
		const mailsBefore = secretariatMails().length;

		const first = await run(3 + 1 / 24);
		expect(first.queued).toBeGreaterThanOrEqual(1);
		const [entry, ...more] = await entriesOf(id);
		expect(more).toEqual([]);
		expect(entry).toMatchObject({ reason: 'not_accepted', resolved_at: null, resolved_by: null });
		expect(entry.waiting_since).toEqual(day(0));
		expect(entry.queued_at).toEqual(day(3 + 1 / 24));

		const mails = secretariatMails().slice(0, secretariatMails().length - mailsBefore);
		expect(mails).toHaveLength(1);
		expect(mails[0].subject).toContain('とどこおっている紹介');
		expect(mails[0].text).toContain(`${nameA} → ${nameB}:紹介先がまだ受けていません(3日)`);
		expect(mails[0].text).toContain('https://tsunagu.example/staff/network/referrals');
		// No referral id, no person: the mail names organisations and days.
		expect(mails[0].text).not.toContain(id);

		// Again, a day later: nothing new, no second mail.
		await run(4);
		expect(await entriesOf(id)).toHaveLength(1);
		expect(secretariatMails().length).toBe(mailsBefore + 1);
	});

	it('queues an accepted referral with no first contact after M days from the acceptance', async () => {
		const id = await insertReferral(admin, { from: orgA, to: orgB, createdAt: day(10), status: 'accepted', acceptedAt: day(11) });
		await run(11 + 7 - 0.01);
		expect(await entriesOf(id)).toEqual([]);
		await run(11 + 7 + 0.01);
		const [entry] = await entriesOf(id);
		expect(entry).toMatchObject({ reason: 'no_first_contact', resolved_at: null });
		expect(entry.waiting_since).toEqual(day(11));
		// One with a first contact is never queued.
		const contacted = await insertReferral(admin, { from: orgA, to: orgB, createdAt: day(10), status: 'first_contact', acceptedAt: day(11), firstContactAt: day(12) });
		await run(40);
		expect(await entriesOf(contacted)).toEqual([]);
	});

	it('resolves an entry when its referral moves on (resolved_by empty), and queues the next reason once it is stuck again', async () => {
		const id = await insertReferral(admin, { from: orgB, to: orgA, createdAt: day(20) });
		await run(24);
		expect(await entriesOf(id)).toMatchObject([{ reason: 'not_accepted', resolved_at: null }]);
		await moveReferral(admin, id, 'accepted', day(25));
		const moved = await run(25.5);
		expect(moved.resolved).toBeGreaterThanOrEqual(1);
		const [resolved] = await entriesOf(id);
		expect(resolved.resolved_at).toEqual(day(25.5));
		expect(resolved.resolved_by).toBeNull();
		// Accepted on day 25, no contact by day 32: the second reason, once.
		await run(32.5);
		await run(33);
		expect((await entriesOf(id)).map((e) => [e.reason, e.resolved_at === null])).toEqual([
			['not_accepted', false],
			['no_first_contact', true]
		]);
		await moveReferral(admin, id, 'first_contact', day(34));
		await run(34.5);
		expect((await entriesOf(id)).every((e) => e.resolved_at !== null)).toBe(true);
		const [audit] = (await admin.query(`select actor_user_id, action, entity_type from audit_events where action = 'referral_queue.run' order by id desc limit 1`)).rows;
		expect(audit).toEqual({ actor_user_id: null, action: 'referral_queue.run', entity_type: 'referral_queue' });
	});

	it('queues once when two runs go at the same time', async () => {
		const ids = [await insertReferral(admin, { from: orgA, to: orgB, createdAt: day(50) }), await insertReferral(admin, { from: orgB, to: orgA, createdAt: day(50) })];
		const mailsBefore = secretariatMails().length;
		const [one, two] = await Promise.all([run(54), run(54)]);
		expect(one.queued + two.queued).toBe(2);
		for (const id of ids) expect(await entriesOf(id)).toHaveLength(1);
		// Each entry is mailed about by the run that inserted it: two runs may share them, never repeat them.
		const mailed = secretariatMails()
			.slice(0, secretariatMails().length - mailsBefore)
			.map((m) => m.text.match(/・/g)?.length ?? 0);
		expect(mailed.reduce((n, k) => n + k, 0)).toBe(2);
	});

	it('mails the referring worker on the follow-up day (Tokyo) with a link to the referral, once', async () => {
		const worker = cast.people.staff;
		const due = await insertReferral(admin, { from: orgA, to: orgB, referredBy: worker.userId, createdAt: day(60), status: 'completed', followUpOn: '2026-07-20' });
		const later = await insertReferral(admin, { from: orgA, to: orgB, referredBy: worker.userId, createdAt: day(60), status: 'completed', followUpOn: '2026-07-21' });
		const mails = () => readOutbox(1000, outbox).filter((m) => m.to.includes(worker.email));
		// 2026-07-19 23:30 in Tokyo: not yet.
		await queueStuckReferrals(systemScope(database.db, 'referral_queue'), { now: new Date('2026-07-19T23:30:00+09:00'), ...DAYS });
		expect(mails()).toHaveLength(0);
		// 00:30 on the 20th in Tokyo (still the 19th in UTC): due.
		const now = new Date('2026-07-20T00:30:00+09:00');
		const [first, second] = await Promise.all([queueStuckReferrals(systemScope(database.db, 'referral_queue'), { now, ...DAYS }), queueStuckReferrals(systemScope(database.db, 'referral_queue'), { now, ...DAYS })]);
		expect(first.followUps + second.followUps).toBe(1);
		const [mail] = mails();
		expect(mails()).toHaveLength(1);
		expect(mail.subject).toContain(nameB);
		expect(mail.text).toContain(`https://tsunagu.example/staff/orgs/${orgA}/referrals/${due}`);
		const marks = (await admin.query(`select id, follow_up_sent_at from referrals where id = any($1::uuid[])`, [[due, later]])).rows;
		expect(marks.find((r) => r.id === due).follow_up_sent_at).toEqual(now);
		expect(marks.find((r) => r.id === later).follow_up_sent_at).toBeNull();
		const [audit] = (await admin.query(`select organization_id from audit_events where action = 'referral.follow_up_remind' and entity_id = $1`, [due])).rows;
		expect(audit).toEqual({ organization_id: orgA });
	});
});

describe("the secretariat's queue page", () => {
	it('shows open entries with organisations, reasons and days — nothing of the referral — and counts', async () => {
		const id = await insertReferral(admin, { from: orgA, to: orgB, createdAt: day(100) });
		await run(104);
		const page = await referralQueuePage(secretariat(), day(105));
		const entry = page.open.find((e) => e.fromOrganizationId === orgA && e.waitingSince.getTime() === day(100).getTime());
		expect(entry).toMatchObject({ fromName: nameA, toName: nameB, reason: 'not_accepted', daysWaiting: 5 });
		expect(Object.keys(entry!).sort()).toEqual(['daysWaiting', 'fromName', 'fromOrganizationId', 'id', 'queuedAt', 'reason', 'toName', 'toOrganizationId', 'waitingSince']);
		expect(JSON.stringify(page)).not.toContain(id);
		const open = Number((await admin.query(`select count(*) from referral_queue where resolved_at is null`)).rows[0].count);
		expect(page.counts.open).toBe(open);
		expect(page.counts.openNotAccepted + page.counts.openNoFirstContact).toBe(open);
	});

	it("is the secretariat's: its context reads the queue but no referral; another organisation sees only its own entries", async () => {
		const other = await makeOrganization(database.db);
		const scope = secretariat();
		const seen = await runIn(scope, async (tx) => ({ queue: (await tx.select().from(referralQueue)).length, referrals: (await tx.execute<{ n: number }>(sql`select count(*)::int as n from referrals`)).rows[0].n }));
		expect(seen.queue).toBeGreaterThan(0);
		expect(seen.referrals).toBe(0);
		const outsider = organizationScopeOf(randomUUID(), other, 'org_admin', 'figures.view');
		expect(await runIn(outsider, async (tx) => (await tx.select().from(referralQueue)).length)).toBe(0);
	});

	it('resolves an entry by hand, audited; a second time or an unknown id is refused', async () => {
		const id = await insertReferral(admin, { from: orgB, to: orgA, createdAt: day(200) });
		await run(204);
		const [entry] = (await admin.query(`select id from referral_queue where referral_id = $1`, [id])).rows;
		const scope = secretariat();
		expect(await resolveQueueEntry(scope, { id: entry.id })).toEqual({ ok: true, value: { id: entry.id } });
		const [row] = await entriesOf(id);
		expect(row.resolved_by).toBe(cast.people.secretariat.userId);
		expect(row.resolved_at).not.toBeNull();
		const [audit] = (await admin.query(`select actor_user_id, action from audit_events where entity_id = $1`, [entry.id])).rows;
		expect(audit).toEqual({ actor_user_id: cast.people.secretariat.userId, action: 'referral_queue.resolve' });
		expect(await resolveQueueEntry(scope, { id: entry.id })).toEqual({ ok: false, reason: 'already_resolved' });
		expect(await resolveQueueEntry(scope, { id: randomUUID() })).toEqual({ ok: false, reason: 'not_found' });
		// Still stuck, but handled: the job does not put it back.
		await run(210);
		expect(await entriesOf(id)).toHaveLength(1);
	});
});

describe('REFERRAL_ACCEPT_DAYS and REFERRAL_CONTACT_DAYS', () => {
	it('default to 3 and 7 days and take whole days from 1 to 365', () => {
		expect(referralAcceptDays({})).toBe(3);
		expect(referralContactDays({ REFERRAL_CONTACT_DAYS: '' })).toBe(7);
		expect(referralAcceptDays({ REFERRAL_ACCEPT_DAYS: ' 5 ' })).toBe(5);
		expect(referralContactDays({ REFERRAL_CONTACT_DAYS: '365' })).toBe(365);
	});

	it('stop the start-up with a message for anything else', () => {
		for (const bad of ['0', '-1', '2.5', 'three', '366', '1e2']) {
			expect(() => referralAcceptDays({ REFERRAL_ACCEPT_DAYS: bad })).toThrow(/REFERRAL_ACCEPT_DAYS must be a whole number of days from 1 to 365/);
			expect(() => referralContactDays({ REFERRAL_CONTACT_DAYS: bad })).toThrow(/REFERRAL_CONTACT_DAYS/);
		}
	});
});
