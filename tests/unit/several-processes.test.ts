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
import { makeOccurrence, makeOrganizationWithProgram, residentOn } from '../helpers/factories';
import { registrationsOf, secretariatSetupLinks } from '../helpers/rows';
import { appUrlFor, connectApp, createDatabaseIfMissing, dropDatabase, withDatabase, type Database } from '../../src/lib/server/db';
import { leaveStaleUpcomingDate, retitleProgramInTable } from '../helpers/behind';
import { readOutbox } from '../../src/lib/server/mail';
import { runExclusive } from '../../src/lib/server/jobs';
import { dailyRefresh } from '../../src/lib/server/runtime';
import { localDay, readDemoDataset } from '../../src/lib/server/directory';
import { register } from '../../src/lib/server/events';

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
		await leaveStaleUpcomingDate(a.db, programId, localDay(new Date(), 'Asia/Tokyo'));
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
		// Reminders go for tomorrow's dates from 8:00 in Tokyo, for today's until then: dates at 10:00 and
		// 11:00 of the day that is due now, whatever the test's clock says.
		const tokyoHour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
		const day = localDay(new Date(Date.now() + (tokyoHour < 8 ? 0 : 86_400_000)), 'Asia/Tokyo');
		const dates: string[] = [];
		for (const hour of ['10', '11']) {
			const startsAt = new Date(`${day}T${hour}:00:00+09:00`);
			dates.push((await makeOccurrence(database.db, program.org, program.id, { startsAt, registrationOpen: true, capacity: null })).id);
		}
		const people = Array.from({ length: 8 }, (_, i) => `remind-${i}@example.org`);
		for (const [i, contact] of people.entries()) {
			const outcome = await register(residentOn(database.db, origin), { occurrenceId: dates[i % 2], registration: { name: `参加者${i}`, contact, groupSize: 1, needs: '', card: '', consent: 'on', submissionKey: `several-${i}-${randomBytes(8).toString('hex')}` }, cardId: null });
			expect(outcome).toMatchObject({ ok: true, value: { status: 'registered' } });
		}
		const reminded = async () => (await Promise.all(dates.map((date) => registrationsOf(database.db, date)))).flat().filter((r) => r.remindedAt !== null).length;

		// While this test holds the reminder job, neither process sends.
		let release!: () => void;
		const held = runExclusive(database.pool, 'reminders', () => new Promise<void>((r) => (release = r)));
		await sleep(100);
		apps = await Promise.all([0, 1].map(() => startApp(database.adminUrl, { REMINDER_INTERVAL_SECONDS: '0.5' })));
		await sleep(2500);
		expect(await reminded()).toBe(0);
		expect(mailsIn(apps, /(明日|本日)の予定/)).toHaveLength(0);
		release();
		expect(await held).toEqual({ ran: true, value: undefined });

		await until('all reminders marked', async () => (await reminded()) === people.length);
		await until('all reminders in the outboxes', () => mailsIn(apps, /(明日|本日)の予定/).length >= people.length);
		await sleep(2500); // several more rounds in both processes
		const mails = mailsIn(apps, /(明日|本日)の予定/);
		expect(mails.map((m) => m.to).sort()).toEqual([...people].sort());
	}, 120_000);
});

describe('the public cache across two app processes', () => {
	let database: Database;
	let apps: RunningApp[] = [];
	beforeAll(async () => {
		database = await testDatabase();
	});
	afterAll(async () => {
		await Promise.all(apps.map((app) => app.stop()));
		await database.close();
	});

	it('show a change published by staff within seconds on both, though each keeps the page', async () => {
		const { programId } = await makeOrganizationWithProgram(database.db, { schedule: null });
		apps = await Promise.all([0, 1].map(() => startApp(database.adminUrl, { PUBLIC_CACHE_SECONDS: '600' })));
		const page = (app: RunningApp) => fetch(`${app.baseUrl}/programs/${programId}`).then((r) => r.text());
		const title = `キャッシュ越しの新しい題 ${randomBytes(4).toString('hex')}`;
		// Each process renders and keeps the page (its listener is up once it served a page or two).
		for (const app of apps) for (let i = 0; i < 3; i++) expect(await page(app)).not.toContain(title);
		await sleep(500);
		for (const app of apps) await page(app);
		await retitleProgramInTable(database.db, programId, title);
		const started = Date.now();
		await until('the new title on both processes', async () => (await Promise.all(apps.map(page))).every((html) => html.includes(title)), 5000);
		expect(Date.now() - started).toBeLessThan(5000);
	}, 120_000);
});

describe('one app with two workers (WEB_CONCURRENCY=2) on an empty database', () => {
	const serverUrl = inject('serverUrl');
	const name = `tsunagu_test_workers_${randomBytes(6).toString('hex')}`;
	let app: RunningApp | null = null;
	afterAll(async () => {
		await app?.stop();
		await dropDatabase(serverUrl, name);
	});

	it('serves from both workers and runs the start-up job once', async () => {
		await createDatabaseIfMissing(serverUrl, name);
		app = await startApp(withDatabase(serverUrl, name), { DEMO_REGION: 'on', LOG_LEVEL: 'info', WEB_CONCURRENCY: '2', ADMIN_EMAIL: 'workers-admin@example.org' });
		await until('both workers listening', () => app!.output().includes('2 workers'));
		const lines = app.output().split('\n');
		const starts = lines.filter((line) => line.includes('"event":"request"') || line.startsWith('Listening on'));
		expect(starts.filter((line) => line.startsWith('Listening on'))).toHaveLength(2);
		expect(lines.filter((line) => line.includes('"event":"demo_region_loaded"'))).toHaveLength(1);
		for (let i = 0; i < 10; i++) expect((await fetch(`${app.baseUrl}/search?q=${encodeURIComponent('こども食堂')}`)).status).toBe(200);
		await until('the set-up mail', () => mailsIn([app!], /./).length > 0);
		await sleep(500);
		expect(mailsIn([app], /./).filter((m) => m.to.includes('workers-admin@example.org'))).toHaveLength(1);
	}, 180_000);
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
			expect(await secretariatSetupLinks(db)).toEqual({ n: 1, open: 1 });
		} finally {
			await pool.end();
		}
	}, 180_000);
});
