/**
 * Several app processes on one database (how a region grows): the built app started twice against
 * one PostgreSQL database, as behind a load balancer. Timer and start-up jobs must happen once.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { sql } from 'drizzle-orm';
import { testDatabase } from '../helpers/db';
import { startApp, type RunningApp } from '../helpers/app';
import { makeOrganizationWithProgram, residentOn } from '../helpers/factories';
import { appUrlFor, connectApp, createDatabaseIfMissing, dropDatabase, withDatabase, type Database } from '../../src/lib/server/db';
import { asSystem } from '../../src/lib/server/db/tenant';
import { readOutbox } from '../../src/lib/server/mail';
import { runExclusive } from '../../src/lib/server/jobs';
import { dailyRefresh } from '../../src/lib/server/runtime';
import { localDay, readDemoDataset } from '../../src/lib/server/directory';
import { occurrences, register } from '../../src/lib/server/events';

const origin = { actorUserId: null, ip: '192.0.2.9', userAgent: 'vitest' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => Promise<boolean> | boolean, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	while (!(await ok())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(200);
	}
}

/** Messages across the apps' outboxes whose subject matches. */
const mailsIn = (apps: RunningApp[], subject: RegExp) => apps.flatMap((app) => readOutbox(10_000, `${app.dataDir}/outbox`)).filter((m) => subject.test(m.subject));

describe('runExclusive', () => {
	let a: Database;
	let b: Database;
	beforeAll(async () => {
		a = await testDatabase();
		// A second pool on the same database, as a second process would have.
		b = { ...connectApp(appUrlFor(a.adminUrl), 2), adminUrl: a.adminUrl, close: async () => {} };
	});
	afterAll(async () => {
		await b.pool.end();
		await a.close();
	});

	it('skips a job another connection runs, waits for it when asked, and frees it after an error', async () => {
		let release!: () => void;
		const held = new Promise<void>((r) => (release = r));
		const first = runExclusive(a.pool, 'test-job', () => held.then(() => 'first'));
		await sleep(100);
		expect(await runExclusive(b.pool, 'test-job', async () => 'second')).toEqual({ ran: false });
		expect(await runExclusive(b.pool, 'another-job', async () => 'other')).toEqual({ ran: true, value: 'other' });
		const order: string[] = [];
		const waiting = runExclusive(b.pool, 'test-job', async () => order.push('waiter'), { wait: true });
		await sleep(200);
		order.push('release');
		release();
		expect(await first).toEqual({ ran: true, value: 'first' });
		await waiting;
		expect(order).toEqual(['release', 'waiter']);
		await expect(runExclusive(a.pool, 'test-job', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
		expect(await runExclusive(b.pool, 'test-job', async () => 'after error')).toEqual({ ran: true, value: 'after error' });
	});

	it('rolls the dates forward once when every process runs the nightly job, and again the next night', async () => {
		// "Tomorrow" as the nightly job would see it: today's dates are then in the past.
		const tomorrow = localDay(new Date(Date.now() + 86_400_000), 'Asia/Tokyo');
		const { programId } = await makeOrganizationWithProgram(a.db, { schedule: null });
		await asSystem(a.db, (tx) => tx.execute(sql`insert into program_upcoming_dates (program_id, day, starts_at) values (${programId}, ${localDay(new Date(), 'Asia/Tokyo')}::date, now()) on conflict do nothing`));
		const night = new AbortController();
		const runs = await Promise.all([dailyRefresh(a, tomorrow, night.signal), dailyRefresh(b, tomorrow, night.signal), dailyRefresh(a, tomorrow, night.signal)]);
		expect(runs.filter(Boolean)).toHaveLength(1);
		const past = await a.db.execute<{ n: number }>(sql`select count(*)::int as n from program_upcoming_dates where day < ${tomorrow}::date`);
		expect(past.rows[0].n).toBe(0);
		// A timer firing a little later still finds the night's job held.
		await sleep(300);
		expect(await dailyRefresh(b, tomorrow, night.signal)).toBe(false);
		night.abort(); // as at shutdown; or ten minutes later
		await sleep(100);
		const next = new AbortController();
		expect(await dailyRefresh(b, tomorrow, next.signal)).toBe(true);
		next.abort();
	});
});

describe('two app processes on one database', () => {
	let database: Database;
	let apps: RunningApp[] = [];
	beforeAll(async () => {
		database = await testDatabase();
	});
	afterAll(async () => {
		await Promise.all(apps.map((app) => app.stop()));
		await database.close();
	});

	it('send each due reminder once across both processes, and not while another holds the job', async () => {
		const made = await makeOrganizationWithProgram(database.db, { schedule: null });
		const program = { id: made.programId, org: made.organizationId };
		const tomorrow = localDay(new Date(Date.now() + 86_400_000), 'Asia/Tokyo');
		const dates: string[] = [];
		// Tomorrow by 11:00 in Tokyo is at most 35 hours away: inside the reminder's 36-hour window.
		for (const hour of ['10', '11']) {
			const startsAt = new Date(`${tomorrow}T${hour}:00:00+09:00`);
			const [row] = await asSystem(database.db, (tx) => tx.insert(occurrences).values({ organizationId: program.org, programId: program.id, day: tomorrow, startsAt, registrationOpen: true, capacity: null, status: 'scheduled' }).returning());
			dates.push(row.id);
		}
		const people = Array.from({ length: 8 }, (_, i) => `remind-${i}@example.org`);
		for (const [i, contact] of people.entries()) {
			const outcome = await register(residentOn(database.db, origin), { occurrenceId: dates[i % 2], registration: { name: `参加者${i}`, contact, groupSize: 1, needs: '', card: '', consent: 'on', submissionKey: `several-${i}-${randomBytes(8).toString('hex')}` }, cardId: null });
			expect(outcome).toMatchObject({ ok: true, value: { status: 'registered' } });
		}
		const reminded = async () => (await asSystem(database.db, (tx) => tx.execute<{ n: number }>(sql`select count(*)::int as n from registrations where reminded_at is not null and occurrence_id in (${dates[0]}, ${dates[1]})`))).rows[0].n;

		// While this test holds the reminder job, neither process sends.
		let release!: () => void;
		const held = runExclusive(database.pool, 'reminders', () => new Promise<void>((r) => (release = r)));
		await sleep(100);
		apps = await Promise.all([0, 1].map(() => startApp(database.adminUrl, { REMINDER_INTERVAL_SECONDS: '0.5' })));
		await sleep(2500);
		expect(await reminded()).toBe(0);
		expect(mailsIn(apps, /明日の予定/)).toHaveLength(0);
		release();
		expect(await held).toEqual({ ran: true, value: undefined });

		await until('all reminders marked', async () => (await reminded()) === people.length);
		await until('all reminders in the outboxes', () => mailsIn(apps, /明日の予定/).length >= people.length);
		await sleep(2500); // several more rounds in both processes
		const mails = mailsIn(apps, /明日の予定/);
		expect(mails.map((m) => m.to).sort()).toEqual([...people].sort());
	}, 120_000);
});

describe('two app processes starting together on an empty database', () => {
	const serverUrl = inject('serverUrl');
	const name = `tsunagu_test_empty_${randomBytes(6).toString('hex')}`;
	let apps: RunningApp[] = [];
	afterAll(async () => {
		await Promise.all(apps.map((app) => app.stop()));
		await dropDatabase(serverUrl, name);
	});

	it('load the demo region once and issue one set-up link', async () => {
		await createDatabaseIfMissing(serverUrl, name);
		const adminUrl = withDatabase(serverUrl, name);
		const env = { DEMO_REGION: 'on', LOG_LEVEL: 'info', ADMIN_EMAIL: 'first-admin@example.org' };
		apps = await Promise.all([0, 1].map(() => startApp(adminUrl, env)));
		const loads = apps.flatMap((app) =>
			app
				.output()
				.split('\n')
				.filter((line) => line.includes('"event":"demo_region_loaded"'))
		);
		expect(loads).toHaveLength(1);
		await until('the set-up mail', () => mailsIn(apps, /./).length > 0);
		await sleep(500);
		const setupMails = mailsIn(apps, /./).filter((m) => m.to.includes('first-admin@example.org'));
		expect(setupMails).toHaveLength(1);

		const { pool, db } = connectApp(appUrlFor(adminUrl), 1);
		try {
			const organizations = await db.execute<{ n: number }>(sql`select count(*)::int as n from organizations where slug <> 'network-secretariat'`);
			expect(organizations.rows[0].n).toBe(readDemoDataset().length);
			const links = await asSystem(db, (tx) => tx.execute<{ n: number; open: number }>(sql`select count(*)::int as n, count(*) filter (where used_at is null)::int as open from email_tokens where purpose = 'invitation' and role = 'secretariat_admin'`));
			expect(links.rows[0]).toEqual({ n: 1, open: 1 });
		} finally {
			await pool.end();
		}
	}, 180_000);
});
