/** Registration: places, the waiting list and its promotion, repeats, refusals, sealed data. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { testDatabase } from '../../../../tests/helpers/db';
import { makeOrganization, makeOrganizationWithProgram, residentOn } from '../../../../tests/helpers/factories';
import type { Database } from '../db';
import { asSystem, withAccess } from '../db/tenant';
import { systemScope, type Tx } from '../scope';
import { todayInTokyo } from '../clock';
import { registrations, occurrences } from './schema';
import { cancelByStaff, cancelByToken, parseReference, readRegistration, register, registrationByReference, registrationByToken, registrationsOf, type RegistrationInput } from './registrations';

let database: Database;
let org: string;
let programId: string;
/** An organisation with nothing of these registrations. */
let other: string;
const origin = { actorUserId: null, ip: '192.0.2.7', userAgent: 'vitest' };
let n = 0;
/** A resident registering on the public form (events' register), its answer read flat. */
async function signUp(occurrenceId: string, registration: RegistrationInput) {
	const r = await register(residentOn(database.db, origin), { occurrenceId, registration, cardId: null });
	return r.ok ? { ok: true as const, ...r.value } : r;
}
/** The resident's link, cancelled (events' cancelByToken), its answer read flat. */
async function cancelLink(token: string) {
	const r = await cancelByToken(residentOn(database.db, origin), { token });
	return { ok: r.ok, promoted: r.ok ? r.value.promoted : [] };
}
const linkOf = (token: string) => registrationByToken(residentOn(database.db, origin), token);
/** The organisation's context, as its scope's transaction carries it. */
const inOrg = <T>(organizationId: string, fn: (tx: Tx<'organization'>) => Promise<T>) => withAccess(database.db, { organizationIds: [organizationId] }, (tx) => fn(tx as Tx<'organization'>));
const person = (name: string, contact: string, groupSize = 1): RegistrationInput => ({ name, contact, groupSize, needs: '', card: '', consent: 'on', submissionKey: `key-${++n}-aaaaaaaaaaaaaaaa` });

async function newDate(settings: { capacity: number | null; capacityUnit?: 'people' | 'groups'; registrationOpen?: boolean; status?: 'scheduled' | 'cancelled'; inDays?: number }) {
	const startsAt = new Date(Date.now() + (settings.inDays ?? 7) * 86_400_000);
	const [row] = await asSystem(database.db, (tx) =>
		tx
			.insert(occurrences)
			.values({ organizationId: org, programId, day: todayInTokyo(startsAt), startsAt, registrationOpen: settings.registrationOpen ?? true, capacity: settings.capacity, capacityUnit: settings.capacityUnit ?? 'people', status: settings.status ?? 'scheduled' })
			.returning()
	);
	return row.id;
}
const statusOf = async (id: string) => (await asSystem(database.db, (tx) => tx.select({ s: registrations.status }).from(registrations).where(eq(registrations.id, id))))[0].s;

beforeAll(async () => {
	database = await testDatabase();
	({ organizationId: org, programId } = await makeOrganizationWithProgram(database.db));
	other = await makeOrganization(database.db);
});
afterAll(() => database.close());

describe('places and the waiting list', () => {
	it('fills people places, waitlists the next, and promotes in order when someone cancels', async () => {
		const date = await newDate({ capacity: 3 });
		const a = await signUp(date, person('あや', 'aya@example.org', 2));
		const b = await signUp(date, person('ぶん', 'bun@example.org', 2)); // 2 + 2 > 3
		const c = await signUp(date, person('ちか', '090-1111-2222', 1)); // fits, but someone waits
		expect([a, b, c].map((r) => r.ok && r.status)).toEqual(['registered', 'waitlisted', 'waitlisted']);
		if (!a.ok || !b.ok || !c.ok) throw new Error('refused');
		expect((await linkOf(c.token!))!.waitlistPosition).toBe(2);
		const cancelled = await cancelLink(a.token!);
		expect(cancelled.ok).toBe(true);
		expect(cancelled.promoted.map((p) => p.contact)).toEqual(['bun@example.org', '090-1111-2222']);
		expect(await statusOf(b.registrationId)).toBe('registered');
		expect(await statusOf(c.registrationId)).toBe('registered');
		expect((await linkOf(a.token!))!.status).toBe('cancelled');
		// A second cancellation of the same link changes nothing.
		expect((await cancelLink(a.token!)).ok).toBe(false);
	});

	it('counts 組 when the capacity is in groups, whatever their size', async () => {
		const date = await newDate({ capacity: 2, capacityUnit: 'groups' });
		const first = await signUp(date, person('家族A', 'a@example.org', 5));
		const second = await signUp(date, person('家族B', 'b@example.org', 4));
		const third = await signUp(date, person('家族C', 'c@example.org', 1));
		expect([first, second, third].map((r) => r.ok && r.status)).toEqual(['registered', 'registered', 'waitlisted']);
	});

	it('lets a waiting group too big for the freed place wait on, and promotes the next that fits', async () => {
		const date = await newDate({ capacity: 3 });
		const a = await signUp(date, person('一人', 'one@example.org', 1));
		await signUp(date, person('二人', 'two@example.org', 2));
		await signUp(date, person('三人', 'three@example.org', 2));
		const small = await signUp(date, person('小', 'small@example.org', 1));
		if (!a.ok || !small.ok) throw new Error('refused');
		await signUp(date, person('後', 'later@example.org', 1));
		const { promoted } = await cancelLink(a.token!); // frees 1 place: the waiting pair does not fit
		expect(promoted.map((p) => p.contact)).toEqual(['small@example.org']);
	});
});

describe('repeats and refusals', () => {
	it('registers a repeated submission once, and refuses the same contact again', async () => {
		const date = await newDate({ capacity: null });
		const input = person('にど', 'Twice@Example.org');
		const first = await signUp(date, input);
		const again = await signUp(date, input);
		expect(again).toMatchObject({ ok: true, repeated: true, token: null });
		if (first.ok && again.ok) expect(again.registrationId).toBe(first.registrationId);
		const sameContact = await signUp(date, person('別名', ' twice@example.ORG '));
		expect(sameContact).toEqual({ ok: false, reason: 'already_registered' });
		const count = await asSystem(database.db, (tx) => tx.select().from(registrations).where(eq(registrations.occurrenceId, date)));
		expect(count).toHaveLength(1);
	});

	it('refuses cancelled, closed, past and oversize requests, writing nothing', async () => {
		const cases = [
			[await newDate({ capacity: 5, status: 'cancelled' }), 'cancelled', 1],
			[await newDate({ capacity: 5, registrationOpen: false }), 'closed', 1],
			[await newDate({ capacity: 5, inDays: -1 }), 'past', 1],
			[await newDate({ capacity: 3 }), 'too_large', 4]
		] as const;
		for (const [date, reason, size] of cases) {
			expect(await signUp(date, person(`x${reason}`, `${reason}@example.org`, size))).toEqual({ ok: false, reason });
			expect(await asSystem(database.db, (tx) => tx.select().from(registrations).where(eq(registrations.occurrenceId, date)))).toHaveLength(0);
		}
	});

	it('reads bad input into Japanese-keyed field errors', () => {
		const form = new FormData();
		form.set('name', '');
		form.set('contact', 'not a contact');
		form.set('groupSize', '0');
		form.set('submissionKey', 'short');
		const parsed = readRegistration(form);
		expect(parsed.ok).toBe(false);
		if (!parsed.ok)
			expect(parsed.errors).toEqual({
				name: 'registration.error.name',
				contact: 'registration.error.contact',
				groupSize: 'registration.error.groupSize',
				consent: 'registration.error.consent',
				submissionKey: 'registration.error.expired'
			});
	});
});

describe('privacy', () => {
	it('seals names, contacts and needs; only the organisation reads them; staff cancel promotes too', async () => {
		const date = await newDate({ capacity: 1 });
		const a = await signUp(date, { ...person('秘密の名前', 'secret@example.org'), needs: '卵アレルギー' });
		const b = await signUp(date, person('待つ人', 'wait@example.org'));
		if (!a.ok || !b.ok) throw new Error('refused');
		const raw = (await asSystem(database.db, (tx) => tx.select().from(registrations).where(eq(registrations.id, a.registrationId))))[0];
		expect(raw.nameSealed).toMatch(/^enc:v1:/);
		expect(JSON.stringify(raw)).not.toContain('秘密');
		expect(JSON.stringify(raw)).not.toContain('secret@');
		expect(JSON.stringify(raw)).not.toContain('卵');
		const list = await inOrg(org, (tx) => registrationsOf(tx, org, date));
		expect(list.map((r) => [r.name, r.contact, r.needs, r.status])).toEqual([
			['秘密の名前', 'secret@example.org', '卵アレルギー', 'registered'],
			['待つ人', 'wait@example.org', '', 'waitlisted']
		]);
		expect(await inOrg(other, (tx) => registrationsOf(tx, org, date))).toEqual([]);
		const byStaff = await inOrg(org, (tx) => cancelByStaff(tx, org, a.registrationId, { ...origin, actorUserId: null }));
		expect(byStaff.ok && byStaff.value.promoted.map((p) => p.contact)).toEqual(['wait@example.org']);
	});

	it('finds a registration by its 受付番号 for check-in, typed loosely, in its own organisation only', async () => {
		const date = await newDate({ capacity: null });
		const r = await signUp(date, person('受付', 'door@example.org', 3));
		if (!r.ok) throw new Error('refused');
		const typed = `${r.reference.slice(0, 3).toLowerCase()} - ${r.reference.slice(3)}`;
		expect(parseReference(typed)).toBe(r.reference);
		const found = await inOrg(org, (tx) => registrationByReference(tx, org, typed));
		expect(found).toMatchObject({ id: r.registrationId, occurrenceId: date, groupSize: 3, status: 'registered' });
		expect(await inOrg(other, (tx) => registrationByReference(tx, other, typed))).toBeNull();
	});
});

describe('reminders', () => {
	it('mail registered e-mail contacts once, the day before; not phones, waitlisted or cancelled', async () => {
		const { sendDueReminders } = await import('./reminders');
		const { readOutbox } = await import('../mail');
		const soon = await newDate({ capacity: 1, inDays: 1 });
		await signUp(soon, person('前日', 'remind@example.org'));
		await signUp(soon, person('待ち', 'waiting@example.org')); // waitlisted
		const phone = await newDate({ capacity: null, inDays: 1 });
		await signUp(phone, person('電話', '090-2222-3333'));
		const later = await newDate({ capacity: null, inDays: 5 });
		await signUp(later, person('来週', 'later@example.org'));
		// Run at noon in Tokyo today (not the test's clock: before 8:00 only today's dates are due).
		const noon = new Date(Date.parse(`${todayInTokyo()}T12:00:00+09:00`));
		const first = await sendDueReminders(systemScope(database.db, 'test:reminders'), noon);
		expect(first).toBeGreaterThanOrEqual(1);
		expect(await sendDueReminders(systemScope(database.db, 'test:reminders'), noon)).toBe(0); // never twice
		const sent = await asSystem(database.db, (tx) => tx.execute<{ n: number }>(sql`select count(*)::int as n from registrations where reminded_at is not null and occurrence_id in (${soon}, ${phone}, ${later})`));
		expect(sent.rows[0].n).toBe(1);
		for (let i = 0; i < 50 && !readOutbox(500).some((m) => m.to.includes('remind@example.org')); i++) await new Promise((r) => setTimeout(r, 50));
		expect(readOutbox(500).find((m) => m.to.includes('remind@example.org'))?.subject).toMatch(/明日の予定/);
	});
});
