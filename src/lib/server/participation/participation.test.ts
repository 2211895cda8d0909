/** Cards, check-in, anonymous taps and the figures they make, on hand-made data checked by hand. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { testDatabase } from '../../../../tests/helpers/db';
import { makeOrganizationWithProgram, makeProgram, uniqueTag } from '../../../../tests/helpers/factories';
import type { Database } from '../db';
import { asSystem } from '../db/tenant';
import { inOrganizations } from '../../../../tests/helpers/contexts';
import { localDay, addDays } from '../directory';
import { occurrences } from '../events/schema';
import { visits } from './schema';
import { register } from '../events/registrations';
import { issueCard, cardAllowedAt, cardByToken, parseDoorCode, revokeCard, setCardConsents, showCardCode } from './cards';
import { checkIn } from './checkin';
import { dayTotals, recordTaps } from './headcount';
import { attendanceByDay, attendanceFigures, suppressed } from './figures';
import { exportOrganizationFigures, figuresCsv, figuresSectionsCsv, organizationFigures, publicProgramFigures, regionFigures, regionFiguresIn } from './figures-page';
import { countStatements } from '../../../../tests/helpers/statements';
import { randomUUID } from 'node:crypto';
import type { RequestEvent } from '@sveltejs/kit';
import { useDatabase } from '../db';
import { requireOrganization, requireSecretariat, residentScope } from '../auth/guard';
import { runIn, type OrganizationScope, type Result } from '../scope';
import type { Actor } from '../auth/actor';

let database: Database;
let orgA: string;
let orgB: string;
let programA: string;
let programB: string;
let todayDate: string;
const today = localDay(new Date());
const origin = { actorUserId: null, ip: '192.0.2.9', userAgent: 'vitest' };

// Scopes as the guard makes them, from a request of a staff member of A and B (and the secretariat).
const staff: Actor = { userId: randomUUID(), email: 'door@example.org', displayName: 'door', sessionId: 's', memberships: [], secretariat: false, mfaRequired: false, mfaEnrolled: false };
const requestOf = (actor: Actor | null, orgId?: string) => ({ locals: { actor, ip: origin.ip, userAgent: origin.userAgent, requestId: 'vitest' }, url: new URL('http://localhost/staff'), params: { orgId } }) as unknown as RequestEvent;
const scopeOf = (organizationId: string): OrganizationScope => requireOrganization(requestOf(staff, organizationId), 'attendance.record');
const resident = () => residentScope(requestOf(null));
/** A card issued for the test (issueCard answers a Result: an empty or unknown choice is refused). */
async function issued(...args: Parameters<typeof issueCard>) {
	const card = await issueCard(...args);
	if (!card.ok) throw new Error(`card refused: ${card.reason}`);
	return card.value;
}
/** The old flat shape of an answer, so the assertions below read as before. */
const flat = async <T extends object>(r: Promise<Result<T, string, object>>) => {
	const done = await r;
	return done.ok ? { ok: true as const, ...done.value } : done;
};
const allowedAt = async (typed: string, organizationId: string) => {
	const r = await cardAllowedAt(resident(), { typed, organizationId });
	return r.ok ? r.value : null;
};

async function dateOf(programId: string, org: string, day: string, extra: Partial<typeof occurrences.$inferInsert> = {}) {
	const [row] = await asSystem(database.db, (tx) =>
		tx
			.insert(occurrences)
			.values({ organizationId: org, programId, day, startsAt: new Date(`${day}T10:00:00+09:00`), ...extra })
			.returning()
	);
	return row.id;
}

beforeAll(async () => {
	database = await testDatabase();
	useDatabase(database);
	// A's name holds Latin letters where the figures test cuts a part of it to type in full width; B is in another city.
	({ organizationId: orgA, programId: programA } = await makeOrganizationWithProgram(database.db, { organization: { name: `みどりCafe${uniqueTag()}` } }));
	({ organizationId: orgB, programId: programB } = await makeOrganizationWithProgram(database.db, { organization: { city: '足立区' } }));
	todayDate = await dateOf(programA, orgA, today);
	staff.memberships.push({ organizationId: orgA, organizationName: 'A', role: 'staff' }, { organizationId: orgB, organizationName: 'B', role: 'staff' });
});
afterAll(() => database.close());

describe('codes', () => {
	it('read scanned payloads and loosely typed codes, and nothing else', () => {
		expect(parseDoorCode('TSUNAGU-C:ABCDE12345')).toEqual({ kind: 'card', code: 'ABCDE12345' });
		expect(parseDoorCode('abcde-12345')).toEqual({ kind: 'card', code: 'ABCDE12345' });
		expect(parseDoorCode('ABCDE-O2345')).toEqual({ kind: 'card', code: 'ABCDE02345' }); // O read as 0
		expect(parseDoorCode('TSUNAGU-R:k7q-m3x')).toEqual({ kind: 'registration', code: 'K7QM3X' });
		expect(parseDoorCode('k7q m3x')).toEqual({ kind: 'registration', code: 'K7QM3X' });
		expect(parseDoorCode('TSUNAGU-C:K7QM3X')).toBeNull(); // a card payload must hold a card code
		expect(parseDoorCode('https://example.org')).toBeNull();
		expect(parseDoorCode('')).toBeNull();
		expect(showCardCode('ABCDE12345')).toBe('ABCDE-12345');
	});
});

describe('cards and check-in', () => {
	it('issues a card only for organisations the card pages offer, and changes its choice only to them', async () => {
		const { organizationId: hidden } = await makeOrganizationWithProgram(database.db, { published: false });
		expect(await issueCard(resident(), { organizationIds: [], ageBand: null, gender: null })).toEqual({ ok: false, reason: 'no_organization' });
		expect(await issueCard(resident(), { organizationIds: [orgA, hidden], ageBand: null, gender: null })).toEqual({ ok: false, reason: 'unknown_organization' });
		const card = await issued(resident(), { organizationIds: [orgA], ageBand: null, gender: null });
		expect(await setCardConsents(resident(), { token: card.token, organizationIds: [orgB, crypto.randomUUID()] })).toEqual({ ok: false, reason: 'unknown_organization' });
		expect((await cardByToken(resident(), card.token))!.organizationIds).toEqual([orgA]);
		// Choosing none withdraws the card from every organisation (it stays the holder's).
		expect((await setCardConsents(resident(), { token: card.token, organizationIds: [] })).ok).toBe(true);
		expect((await cardByToken(resident(), card.token))!.organizationIds).toEqual([]);
	});

	it('check a card in once per day, first visit marked, and only where the holder allowed it', async () => {
		const card = await issued(resident(), { organizationIds: [orgA], ageBand: '30s', gender: 'female' });
		const first = await flat(checkIn(scopeOf(orgA), { occurrenceId: todayDate, code: `TSUNAGU-C:${card.code}` }));
		expect(first).toEqual({ ok: true, result: 'checked_in', kind: 'card', firstVisit: true, people: 1 });
		const again = await flat(checkIn(scopeOf(orgA), { occurrenceId: todayDate, code: showCardCode(card.code) }));
		expect(again).toMatchObject({ ok: true, result: 'already' });
		const counted1 = await asSystem(database.db, (tx) => tx.execute<{ n: number; band: string }>(sql`select count(*)::int as n, max(age_band) as band from visits where card_id = ${card.id}`));
		expect(counted1.rows[0]).toEqual({ n: 1, band: '30s' });
		// At B, which the holder did not allow, the card is not recognised (and B learns nothing).
		const dateB = await dateOf(programB, orgB, today);
		const atB = await flat(checkIn(scopeOf(orgB), { occurrenceId: dateB, code: card.code }));
		expect(atB).toEqual({ ok: false, reason: 'unknown_card' });
		// Allowing B later makes it work there; withdrawing the card stops it everywhere.
		expect((await setCardConsents(resident(), { token: card.token, organizationIds: [orgA, orgB] })).ok).toBe(true);
		expect((await cardByToken(resident(), card.token))!.organizationIds.sort()).toEqual([orgA, orgB].sort());
		expect(await flat(checkIn(scopeOf(orgB), { occurrenceId: dateB, code: card.code }))).toMatchObject({ ok: true, firstVisit: true });
		expect((await revokeCard(resident(), { token: card.token })).ok).toBe(true);
		const later = await dateOf(programA, orgA, addDays(today, 1));
		expect(await flat(checkIn(scopeOf(orgA), { occurrenceId: later, code: card.code }))).toEqual({ ok: false, reason: 'unknown_card' });
	});

	it('refuses another day, a cancelled date, another organisation’s date and a bad code', async () => {
		const card = await issued(resident(), { organizationIds: [orgA], ageBand: null, gender: null });
		const lastWeek = await dateOf(programA, orgA, addDays(today, -7));
		const cancelled = await dateOf(programA, orgA, today, { status: 'cancelled', startsAt: new Date(`${today}T15:00:00+09:00`) });
		const run = (occurrenceId: string, code = card.code) => flat(checkIn(scopeOf(orgA), { occurrenceId, code }));
		expect(await run(lastWeek)).toEqual({ ok: false, reason: 'not_today' });
		expect(await run(cancelled)).toEqual({ ok: false, reason: 'occurrence_cancelled' });
		expect(await run('00000000-0000-4000-8000-000000000000')).toEqual({ ok: false, reason: 'no_occurrence' });
		expect(await run(todayDate, 'hello')).toEqual({ ok: false, reason: 'bad_code' });
	});

	it('checks a registration in by its 受付番号, counting the group, only for its own date', async () => {
		const registrationDate = await dateOf(programA, orgA, today, { registrationOpen: true, startsAt: new Date(Date.now() + 3600_000) });
		const r = await flat(register(resident(), { occurrenceId: registrationDate, registration: { name: '親子', contact: 'family@example.org', groupSize: 3, needs: '', card: '', consent: 'on', submissionKey: 'family-key-aaaaaaaaaaaa' }, cardId: null }));
		if (!r.ok) throw new Error('refused');
		expect(await flat(checkIn(scopeOf(orgA), { occurrenceId: todayDate, code: `TSUNAGU-R:${r.reference}` }))).toEqual({ ok: false, reason: 'other_occurrence' });
		expect(await flat(checkIn(scopeOf(orgA), { occurrenceId: registrationDate, code: r.reference.toLowerCase() }))).toEqual({ ok: true, result: 'checked_in', kind: 'registration', firstVisit: true, people: 3 });
		const attended = await asSystem(database.db, (tx) => tx.execute<{ at: Date | null }>(sql`select attended_at as at from registrations where id = ${r.registrationId}`));
		expect(attended.rows[0].at).not.toBeNull();
	});
});

describe('a registration with a card', () => {
	it('counts as the card holder: checked in by 受付番号, the card at the same date is already in', async () => {
		const card = await issued(resident(), { organizationIds: [orgA], ageBand: '40s', gender: null });
		// Only a card that allows the organisation, typed loosely; one answer for everything else.
		expect(await allowedAt(showCardCode(card.code).toLowerCase(), orgA)).toBe(card.id);
		expect(await allowedAt(card.code, orgB)).toBeNull();
		expect(await allowedAt('ZZZZZ-ZZZZZ', orgA)).toBeNull();
		expect(await allowedAt('not a card', orgA)).toBeNull();

		const date = await dateOf(programA, orgA, today, { registrationOpen: true, startsAt: new Date(Date.now() + 2 * 3600_000) });
		const r = await flat(register(resident(), { occurrenceId: date, registration: { name: 'カードの人', contact: 'card-holder@example.org', groupSize: 1, needs: '', card: card.code, consent: 'on', submissionKey: 'card-key-aaaaaaaaaaaaaa' }, cardId: card.id }));
		if (!r.ok) throw new Error('refused');
		expect(await flat(checkIn(scopeOf(orgA), { occurrenceId: date, code: r.reference }))).toMatchObject({ ok: true, result: 'checked_in', kind: 'registration' });
		expect(await flat(checkIn(scopeOf(orgA), { occurrenceId: date, code: card.code }))).toMatchObject({ ok: true, result: 'already', kind: 'card' });
		const keys = await asSystem(database.db, (tx) => tx.execute<{ person_key: string }>(sql`select person_key from visits where occurrence_id = ${date}`));
		expect(keys.rows.map((k) => k.person_key)).toEqual([`card:${card.id}`]);

		await revokeCard(resident(), { token: card.token });
		expect(await allowedAt(card.code, orgA)).toBeNull();
	});
});

describe('a group registered with a card', () => {
	// Found by a coordinator: a group of 3 registered with a card and checked in by the card counted
	// 1 and left the registration 参加予定; the 受付番号 afterwards said 「本日すでに受付済みです (3人)」
	// while the count stayed 1. Whichever code comes first, the group counts as its size.
	const groupOfThree = async (key: string) => {
		const card = await issued(resident(), { organizationIds: [orgA], ageBand: '30s', gender: null });
		const date = await dateOf(programA, orgA, today, { registrationOpen: true, startsAt: new Date(Date.now() + 3 * 3600_000) });
		const r = await flat(register(resident(), { occurrenceId: date, registration: { name: '三人家族', contact: `${key}@example.org`, groupSize: 3, needs: '', card: card.code, consent: 'on', submissionKey: `${key}-aaaaaaaaaaaaaaaa` }, cardId: card.id }));
		if (!r.ok) throw new Error('refused');
		return { card, date, reference: r.reference, registrationId: r.registrationId };
	};
	const countedAt = async (date: string) => {
		const rows = await asSystem(database.db, (tx) => tx.execute<{ people: number; registration_id: string | null }>(sql`select people, registration_id from visits where occurrence_id = ${date}`));
		return rows.rows;
	};
	const attendedAt = async (registrationId: string) => (await asSystem(database.db, (tx) => tx.execute<{ at: Date | null }>(sql`select attended_at as at from registrations where id = ${registrationId}`))).rows[0].at;

	it('counts the group by its card first, marks the registration attended, then the 受付番号 is already in', async () => {
		const g = await groupOfThree('card-first');
		expect(await flat(checkIn(scopeOf(orgA), { occurrenceId: g.date, code: g.card.code }))).toMatchObject({ ok: true, result: 'checked_in', kind: 'card', people: 3 });
		expect(await attendedAt(g.registrationId)).not.toBeNull();
		expect(await flat(checkIn(scopeOf(orgA), { occurrenceId: g.date, code: g.reference }))).toMatchObject({ ok: true, result: 'already', kind: 'registration', people: 3 });
		expect(await countedAt(g.date)).toEqual([{ people: 3, registration_id: g.registrationId }]);
	});

	it('counts the same by 受付番号 first, then the card', async () => {
		const g = await groupOfThree('reference-first');
		expect(await flat(checkIn(scopeOf(orgA), { occurrenceId: g.date, code: g.reference }))).toMatchObject({ ok: true, result: 'checked_in', people: 3 });
		expect(await flat(checkIn(scopeOf(orgA), { occurrenceId: g.date, code: g.card.code }))).toMatchObject({ ok: true, result: 'already', people: 3 });
		expect(await countedAt(g.date)).toEqual([{ people: 3, registration_id: g.registrationId }]);
	});

	it('writes each check-in into the organisation’s audit log, by whom, without the code', async () => {
		const g = await groupOfThree('audited');
		await checkIn(scopeOf(orgA), { occurrenceId: g.date, code: g.card.code });
		await checkIn(scopeOf(orgA), { occurrenceId: g.date, code: g.reference });
		const rows = await asSystem(database.db, (tx) =>
			tx.execute<{ action: string; organization_id: string; entity_type: string; entity_id: string; actor_user_id: string | null; detail: string }>(
				sql`select action, organization_id, entity_type, entity_id, actor_user_id, row_to_json(audit_events)::text as detail from audit_events where entity_id in (select id::text from visits where occurrence_id = ${g.date}) order by id`
			)
		);
		expect(rows.rows.map((r) => [r.action, r.organization_id, r.entity_type, r.actor_user_id])).toEqual([['visit.check_in', orgA, 'visit', staff.userId]]);
		expect(rows.rows[0].detail).not.toContain(g.card.code);
		expect(rows.rows[0].detail).not.toContain(g.reference);
	});
});

describe('anonymous taps', () => {
	it('count a batch sent twice once, and refuse another organisation’s program', async () => {
		const before = await runIn(scopeOf(orgA), (tx) => dayTotals(tx, scopeOf(orgA), { programId: programA, day: today }));
		const taps = ['a', 'b', 'c'].map((k, i) => ({ clientKey: `tap-${k}-0000000001`, programId: programA, occurrenceId: todayDate, countedAt: new Date(), ageBand: (['20s', '30s', 'not_given'] as const)[i], gender: 'not_given' as const, firstVisit: i === 0 }));
		expect(await flat(recordTaps(scopeOf(orgA), { taps: taps }))).toEqual({ ok: true, accepted: taps.map((t) => t.clientKey), duplicates: [] });
		expect(await flat(recordTaps(scopeOf(orgA), { taps: taps }))).toEqual({ ok: true, accepted: [], duplicates: taps.map((t) => t.clientKey) });
		const counted = await asSystem(database.db, (tx) => tx.execute<{ n: number }>(sql`select count(*)::int as n from visits where client_key like 'tap-%-0000000001'`));
		expect(counted.rows[0].n).toBe(3);
		// The phone's total says what it holds: the three taps, beside the people checked in at the door.
		const after = await runIn(scopeOf(orgA), (tx) => dayTotals(tx, scopeOf(orgA), { programId: programA, day: today }));
		expect(after).toEqual({ taps: before.taps + 3, checkedIn: before.checkedIn });
		expect(before.checkedIn).toBeGreaterThan(0);
		expect(await flat(recordTaps(scopeOf(orgA), { taps: [{ ...taps[0], clientKey: 'tap-x-0000000002', programId: programB, occurrenceId: null }] }))).toMatchObject({ ok: false, reason: 'foreign_program' });
	});
});

describe('figures', () => {
	it("are an organisation's to show only to those there who may view attendance: a counsellor (figures.view) is refused, and nothing is recorded", async () => {
		const counsellor: Actor = { ...staff, userId: randomUUID(), memberships: [{ organizationId: orgA, organizationName: '', role: 'counsellor' }] };
		const scope = requireOrganization(requestOf(counsellor, orgA), 'figures.view');
		const input = { query: { from: '2024-03-01', to: '2024-03-31', weeks: 4 }, today: '2024-04-01' };
		expect(await exportOrganizationFigures(scope, input)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await runIn(scope, (tx) => organizationFigures(tx, scope, input))).toEqual({ ok: false, reason: 'forbidden' });
		const recorded = await asSystem(database.db, (tx) => tx.execute<{ n: number }>(sql`select count(*)::int as n from audit_events where actor_user_id = ${counsellor.userId}`));
		expect(recorded.rows[0].n).toBe(0);
	});

	it('count 開催回数, 延べ, 実人数, repeat and retention by hand-made visits', async () => {
		const program = await makeProgram(database.db, orgA);
		// A fresh program-like scope: three dates held in January 2026, one cancelled, one in the future.
		const days = ['2026-01-05', '2026-01-12', '2026-01-19', '2026-02-20'];
		await asSystem(database.db, async (tx) => {
			await tx.execute(sql`delete from visits where program_id = ${program}`);
			await tx.execute(sql`delete from occurrences where program_id = ${program}`);
			for (const d of days) await tx.insert(occurrences).values({ organizationId: orgA, programId: program, day: d, startsAt: new Date(`${d}T10:00:00+09:00`) });
			await tx.insert(occurrences).values({ organizationId: orgA, programId: program, day: '2026-01-26', startsAt: new Date('2026-01-26T10:00:00+09:00'), status: 'cancelled' });
			const v = (day: string, personKey: string | null, extra: Record<string, unknown> = {}) => ({ organizationId: orgA, programId: program, day, countedAt: new Date(`${day}T10:00:00+09:00`), source: (personKey ? 'card' : 'tap') as 'card' | 'tap', personKey, ...extra });
			await tx.insert(visits).values([
				v('2026-01-05', 'card:p1', { ageBand: '30s', gender: 'female' }),
				v('2026-01-12', 'card:p1', { ageBand: '30s', gender: 'female' }), // p1 returns within 4 weeks
				v('2026-01-05', 'card:p2', { ageBand: '40s', gender: 'male' }), // p2 never returns
				v('2026-01-19', 'registration:r1', { people: 3, ageBand: 'not_given', gender: 'not_given' }), // a group of 3
				v('2026-01-05', null, { firstVisit: true, ageBand: '20s', gender: 'not_given', clientKey: 'fig-1-00000001' }),
				v('2026-01-12', null, { firstVisit: false, ageBand: '20s', gender: 'not_given', clientKey: 'fig-2-00000001' })
			]);
		});
		const { total, perProgram } = await inOrganizations(database.db, [orgA], (tx) => attendanceFigures(tx, { organizationId: orgA, programIds: [program], from: '2026-01-01', to: '2026-02-28', weeks: 4, today: '2026-02-10' }));
		const f = perProgram.get(program)!;
		expect(f.sessions).toBe(3); // held by 2026-02-10: not the cancelled one, not the one on 02-20
		expect(f.visits).toBe(1 + 1 + 1 + 3 + 1 + 1); // 8: the group counts 3
		expect(f.identified).toBe(3); // p1, p2, r1
		expect(f.people).toBe(4); // + one anonymous first visit
		expect(f.repeaters).toBe(1); // p1
		// First visits on or before 02-28 − 4 weeks = 01-31: p1, p2, r1; only p1 came again within 4 weeks.
		expect(f.retention).toEqual({ base: 3, returned: 1, share: 1 / 3 });
		expect(f.byAgeBand).toEqual({ '30s': 2, '40s': 1, not_given: 3, '20s': 2 });
		expect(f.byGender).toEqual({ female: 2, male: 1, not_given: 5 });
		expect(f.byMonth).toEqual([{ month: '2026-01', visits: 8 }]);
		expect(total.visits).toBe(8);
		// Public: 実人数 4 is hidden, 延べ 8 shown, retention on a base of 3 hidden.
		expect(suppressed(f)).toEqual({ sessions: 3, visits: 8, people: null, retentionShare: null });
		// The public program page reads only those three, in a transaction of two statements, and
		// counts them as the staff figures do.
		const { value: shown, count, texts } = await countStatements(() => publicProgramFigures(resident(), { programId: program, today: '2026-02-10' }));
		expect(shown).toEqual({ sessions: 3, visits: 8, people: null });
		expect(texts.filter((t) => !/^(begin|commit)/i.test(t) && !/set_config\('app\.user_id'/.test(t))).toHaveLength(2);
		expect(count).toBe(5); // BEGIN, the scope's context, the held dates, the visits, COMMIT
		// Once 実人数 reaches 5 it is shown, equal to the staff figures' count.
		await asSystem(database.db, (tx) => tx.insert(visits).values({ organizationId: orgA, programId: program, day: '2026-02-02', countedAt: new Date('2026-02-02T10:00:00+09:00'), source: 'card', personKey: 'card:p5' }));
		const staffCount = await asSystem(database.db, (tx) => attendanceFigures(tx, { programIds: [program], from: '2025-02-10', to: '2026-02-10', weeks: 4, today: '2026-02-10' }));
		expect(await publicProgramFigures(resident(), { programId: program, today: '2026-02-10' })).toEqual({ sessions: 3, visits: 9, people: 5 });
		expect(staffCount.perProgram.get(program)).toMatchObject({ sessions: 3, visits: 9, people: 5 });
	});

	it('count a date of today as held once it has started, not in the morning before it', async () => {
		const program = await makeProgram(database.db, orgA);
		const now = new Date();
		const started = new Date(now.getTime() - 60_000);
		const later = new Date(now.getTime() + 2 * 3600_000);
		await asSystem(database.db, async (tx) => {
			await tx.execute(sql`delete from occurrences where program_id = ${program}`);
			for (const startsAt of [started, later]) await tx.insert(occurrences).values({ organizationId: orgA, programId: program, day: localDay(startsAt), startsAt });
		});
		const today = localDay(now);
		const scope = { organizationId: orgA, programIds: [program], from: addDays(today, -1), to: today, weeks: 4, today };
		const { perProgram } = await inOrganizations(database.db, [orgA], (tx) => attendanceFigures(tx, scope));
		expect(perProgram.get(program)!.sessions).toBe(1);
		const byDay = await inOrganizations(database.db, [orgA], (tx) => attendanceByDay(tx, scope, 'program'));
		expect(byDay.filter((d) => d.held).map((d) => d.day)).toEqual([localDay(started)]);
		expect((await publicProgramFigures(resident(), { programId: program, today })).sessions).toBe(1);
	});

	it('count retention per program and across programs: coming back to another program counts for the scope only', async () => {
		const x = programA;
		const y = programB;
		const orgOf = { [x]: orgA, [y]: orgB };
		await asSystem(database.db, async (tx) => {
			await tx.execute(sql`delete from visits where program_id in (${x}, ${y}) and day between '2025-03-01' and '2025-05-31'`);
			const v = (programId: string, day: string, personKey: string) => ({ organizationId: orgOf[programId], programId, day, countedAt: new Date(`${day}T10:00:00+09:00`), source: 'card' as const, personKey });
			await tx.insert(visits).values([
				v(x, '2025-03-02', 'card:q1'),
				v(y, '2025-03-16', 'card:q1'), // q1 comes again two weeks later, at the other program
				v(x, '2025-03-02', 'card:q2'),
				v(x, '2025-05-10', 'card:q2'), // q2 comes again, but after more than 4 weeks
				v(y, '2025-03-02', 'card:q3'),
				v(y, '2025-03-09', 'card:q3') // q3 comes again a week later, same program
			]);
		});
		const { total, perProgram } = await asSystem(database.db, (tx) => attendanceFigures(tx, { programIds: [x, y], from: '2025-03-01', to: '2025-05-31', weeks: 4, today: '2025-06-01' }));
		expect(perProgram.get(x)).toMatchObject({ identified: 2, repeaters: 1, retention: { base: 2, returned: 0, share: 0 } });
		expect(perProgram.get(y)).toMatchObject({ identified: 2, repeaters: 1, retention: { base: 2, returned: 1, share: 0.5 } });
		expect(total).toMatchObject({ identified: 3, repeaters: 3, retention: { base: 3, returned: 2, share: 2 / 3 } });
	});

	it('count the region per organisation and once per person across organisations, for the secretariat', async () => {
		const x = programA;
		const y = programB;
		await asSystem(database.db, async (tx) => {
			await tx.execute(sql`delete from visits where day between '2024-03-01' and '2024-03-31'`);
			const v = (programId: string, organizationId: string, day: string, personKey: string) => ({ organizationId, programId, day, countedAt: new Date(`${day}T10:00:00+09:00`), source: 'card' as const, personKey });
			await tx.insert(visits).values([v(x, orgA, '2024-03-03', 'card:both'), v(y, orgB, '2024-03-10', 'card:both'), v(y, orgB, '2024-03-10', 'card:only-b')]);
		});
		const q = { from: '2024-03-01', to: '2024-03-31', weeks: 4 };
		const region = await regionFigures(requireSecretariat(requestOf({ ...staff, secretariat: true }), 'network.attendance'), { query: q, today: '2024-04-01' });
		expect(region.organizations.find((o) => o.id === orgA)?.figures).toMatchObject({ visits: 1, identified: 1 });
		expect(region.organizations.find((o) => o.id === orgB)?.figures).toMatchObject({ visits: 2, identified: 2 });
		expect(region.total).toMatchObject({ visits: 3, identified: 2 }); // 'card:both' once, not twice
		// Found by the secretariat: 63 organisations in no order. The busiest first, then by name.
		const order = region.organizations.map((o) => [o.figures.visits, o.title] as const);
		for (let i = 1; i < order.length; i++) {
			const [[visitsBefore, nameBefore], [visits, name]] = [order[i - 1], order[i]];
			expect(visitsBefore > visits || (visitsBefore === visits && nameBefore.localeCompare(name, 'ja') <= 0), `${nameBefore} before ${name}`).toBe(true);
		}
		// Outside the secretariat, the same call sees only its own organisation's visits (RLS).
		const onlyA = await runIn(scopeOf(orgA), (tx) => regionFiguresIn(tx, { query: q, today: '2024-04-01' }));
		expect(onlyA.total).toMatchObject({ visits: 1, identified: 1 });
		// Narrowed by a part of A's name typed in full width, and by B's city: the table and its total follow.
		const [a, b] = (await database.db.execute<{ id: string; name: string; city: string }>(sql`select id, name, city from organizations where id in (${orgA}, ${orgB}) order by id = ${orgA} desc`)).rows;
		const secretariat = requireSecretariat(requestOf({ ...staff, secretariat: true }), 'network.attendance');
		const part = [...a.name]
			.slice(1, 4)
			.join('')
			.replace(/[A-Za-z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
		const byName = await regionFigures(secretariat, { query: q, today: '2024-04-01', filter: { name: part, city: '' } });
		expect(byName.organizations.map((o) => o.id)).toContain(orgA);
		expect(byName.organizations.every((o) => o.title.normalize('NFKC').includes(part.normalize('NFKC')))).toBe(true);
		const byCity = await regionFigures(secretariat, { query: q, today: '2024-04-01', filter: { name: '', city: b.city } });
		expect(byCity.organizations.map((o) => o.id)).toContain(orgB);
		expect(byCity.cities).toContain(b.city);
		expect(byCity.organizations.length).toBeLessThan(region.organizations.length);
		expect(a.city).not.toBe(b.city);
		expect(byCity.total).toMatchObject({ visits: 2, identified: 2 }); // A's visit is outside the filter
		const none = await regionFigures(secretariat, { query: q, today: '2024-04-01', filter: { name: '存在しない団体名', city: '' } });
		expect(none.organizations).toEqual([]);
		expect(none.total.visits).toBe(0);
		const csv = figuresCsv({ first: '団体', total: '地域全体', columns: ['開催回数', '延べ人数', '実人数', '2回以上', '継続'] }, region.organizations, region.total);
		expect(csv.startsWith('\uFEFF団体,開催回数,')).toBe(true);
		expect(csv.trimEnd().split('\r\n').at(-1)).toMatch(/^地域全体,\d+,3,2,1,1\.000$/); // 'card:both' came again a week later, elsewhere
	});

	it('give each date its 延べ and 実人数, held dates nobody counted as zero, and put every table of the page in the CSV', async () => {
		// Found by a coordinator: the CSV held the per-program table only (no month, age, gender or dates).
		const x = programA;
		await asSystem(database.db, async (tx) => {
			await tx.execute(sql`delete from visits where day between '2023-03-01' and '2023-03-31'`);
			await tx.execute(sql`delete from occurrences where program_id = ${x} and day between '2023-03-01' and '2023-03-31'`);
			const v = (day: string, personKey: string | null, people = 1, extra: Partial<typeof visits.$inferInsert> = {}) => ({ organizationId: orgA, programId: x, day, countedAt: new Date(`${day}T10:00:00+09:00`), source: personKey ? ('card' as const) : ('tap' as const), personKey, people, ...extra });
			await tx.insert(visits).values([v('2023-03-04', 'card:a'), v('2023-03-04', 'card:b'), v('2023-03-04', null, 1, { firstVisit: true, ageBand: '70s', gender: 'female' }), v('2023-03-04', null, 1), v('2023-03-18', 'card:a', 3)]);
		});
		for (const day of ['2023-03-04', '2023-03-11', '2023-03-18']) await dateOf(x, orgA, day);
		const scope = { organizationId: orgA, programIds: [x], from: '2023-03-01', to: '2023-03-31', today: '2023-04-01' };
		const byDay = await asSystem(database.db, (tx) => attendanceByDay(tx, scope, 'program'));
		expect(byDay).toEqual([
			{ key: x, day: '2023-03-04', held: true, visits: 4, people: 3 }, // two cards and one first-time tap; the other tap may be a regular
			{ key: x, day: '2023-03-11', held: true, visits: 0, people: 0 }, // held, nobody counted
			{ key: x, day: '2023-03-18', held: true, visits: 3, people: 1 } // a group of 3 on one card
		]);
		const { total } = await asSystem(database.db, (tx) => attendanceFigures(tx, { ...scope, weeks: 4 }));
		const labels = { byMonth: '月ごと', month: '月', byAge: '年代', byGender: '性別', visits: '延べ人数', people: '実人数', byDay: '日ごと', day: '日付', first: 'プログラム', held: '開催日', yes: '開催', ageBand: (b: string) => `年代:${b}`, gender: (g: string) => `性別:${g}` };
		const lines = figuresSectionsCsv(labels, total, byDay, new Map([[x, 'サロン']])).split('\r\n');
		const after = (title: string, n: number) => lines.slice(lines.indexOf(title) + 1, lines.indexOf(title) + 1 + n);
		expect(after('月ごと', 2)).toEqual(['月,延べ人数', '2023-03,7']);
		expect(after('年代', 12)).toContain('年代:70s,1');
		expect(after('年代', 12)).toContain('年代:not_given,6');
		expect(after('性別', 5)).toEqual(['性別,延べ人数', '性別:female,1', '性別:male,0', '性別:other,0', '性別:not_given,6']);
		expect(after('日ごと', 4)).toEqual(['日付,プログラム,開催日,延べ人数,実人数', '2023-03-04,サロン,開催,4,3', '2023-03-11,サロン,開催,0,0', '2023-03-18,サロン,開催,3,1']);
	});
});
