/**
 * The door as good as the paper sheet, on a real database: the list of a chosen date (today by
 * default, past and upcoming ones to choose), names and needs for those who may see registrations
 * only, one tap to mark a group arrived — recorded and audited exactly as its 受付番号 would be,
 * late entry for a past date, refused before the date — and undoing one's own last head-count tap.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { testDatabase } from '../../../../tests/helpers/db';
import { seedCast, type Cast } from '../../../../tests/helpers/people';
import { makeOccurrence, makeProgram, makeRegistration } from '../../../../tests/helpers/factories';
import { organizationScopeOf } from '../../../../tests/helpers/scopes';
import { useDatabase, type Database } from '../db';
import { runIn } from '../scope';
import { addDays, localDay } from '../directory';
import { cancelByToken, cancelRegistration } from '../events';
import { residentOn } from '../../../../tests/helpers/factories';
import { arriveFromList, checkIn } from './checkin';
import { doorPage } from './door';
import { dayTotals, recordTaps, undoTap } from './headcount';
import { countPage } from '../staff/event-pages';

let database: Database;
let admin: pg.Client;
let cast: Cast;
let programId: string;
const today = localDay(new Date());

const staffA = () => organizationScopeOf(cast.people.staff.userId, cast.orgA, 'staff', 'attendance.record');
const adminA = () => organizationScopeOf(cast.people.org_admin.userId, cast.orgA, 'org_admin', 'attendance.record');
const volunteerA = () => organizationScopeOf(cast.people.volunteer.userId, cast.orgA, 'volunteer', 'attendance.record');
const staffB = () => organizationScopeOf(cast.people.staffB.userId, cast.orgB, 'staff', 'attendance.record');
/** Today at 10:00 in Tokyo, or the day `days` away. */
const at = (days: number) => new Date(`${addDays(today, days)}T10:00:00+09:00`);
/** A date of the program on the day `days` away: made ahead (registration takes only dates to come), moved there once `register` has run. */
async function dateAt(days: number, title: string, people: Array<Parameters<typeof makeRegistration>[2]>) {
	const o = await makeOccurrence(database.db, cast.orgA, programId, { title, startsAt: at(60) });
	const made = [];
	for (const p of people) made.push(await makeRegistration(database.db, o.id, p));
	await admin.query(`update occurrences set starts_at = $2, day = $3 where id = $1`, [o.id, at(days), addDays(today, days)]);
	return { id: o.id, startsAt: at(days), registrations: made };
}
const audits = async (action: string, entityId: string) => (await admin.query(`select action, changed_fields from audit_events where action = $1 and entity_id = $2`, [action, entityId])).rows;

beforeAll(async () => {
	database = await testDatabase();
	useDatabase(database);
	admin = new pg.Client({ connectionString: database.adminUrl });
	await admin.connect();
	cast = await seedCast(database, 'door');
	programId = await makeProgram(database.db, cast.orgA, { schedule: null });
}, 60_000);

afterAll(async () => {
	await admin?.end();
	await database?.close();
});

describe('the door list', () => {
	it('shows today by default, with past and upcoming dates to choose, and the expected people with names and needs for staff only', async () => {
		const todayDate = await dateAt(0, '今日の食堂', [
			{ name: '山田', contact: 'yamada-door@example.org', groupSize: 3, needs: '卵アレルギー' },
			{ name: '川口', contact: '090-5555-6666', groupSize: 1 }
		]);
		const past = await dateAt(-7, '先週の食堂', []);
		const next = await makeOccurrence(database.db, cast.orgA, programId, { title: '来週の食堂', startsAt: at(7) });

		const page = await doorPage(staffA(), { today, occurrenceId: null });
		expect(page.chosen?.id).toBe(todayDate.id);
		const ids = page.dates.map((d) => d.id);
		expect(ids).toEqual(expect.arrayContaining([todayDate.id, past.id, next.id]));
		expect(page.dates.find((d) => d.id === past.id)).toMatchObject({ when: 'past', codes: false, arrivals: true });
		expect(page.dates.find((d) => d.id === next.id)).toMatchObject({ when: 'upcoming', codes: false, arrivals: false });
		expect(page.expected!.map((p) => [p.name, p.groupSize, p.needs, p.arrivedAt])).toEqual([
			['山田', 3, '卵アレルギー', null],
			['川口', 1, null, null]
		]);
		expect(page.summary).toEqual({ groups: 2, people: 4, arrived: 0, arrivedPeople: 0 });
		// Reading names is recorded as reading the registrations.
		expect(await audits('registration.list', todayDate.id)).not.toHaveLength(0);

		// A volunteer at the door: references, group sizes and arrivals, no names or needs.
		const asVolunteer = await doorPage(volunteerA(), { today, occurrenceId: todayDate.id });
		expect(asVolunteer.withNames).toBe(false);
		expect(asVolunteer.expected!.map((p) => [p.name, p.needs, p.groupSize])).toEqual([
			[null, null, 3],
			[null, null, 1]
		]);
		// Another organisation's date is not opened (its own today, if any, instead).
		const other = await doorPage(staffB(), { today, occurrenceId: todayDate.id });
		expect(other.chosen?.id).not.toBe(todayDate.id);
	});

	it("shows each person's answers to the program's questions (a child's allergy asked per child) to staff, not to a volunteer", async () => {
		const answers = {
			v: 1 as const,
			answers: [
				{
					id: 'kids',
					kind: 'per_person' as const,
					label: 'お子さんのこと',
					sensitive: true,
					value: [
						{ grade: '小1', allergy: '卵' },
						{ grade: '小3', allergy: '' }
					],
					fields: [
						{ id: 'grade', label: '学年' },
						{ id: 'allergy', label: 'アレルギー' }
					]
				},
				{ id: 'photo', kind: 'consent' as const, label: '写真の撮影に同意します', sensitive: false, value: true }
			]
		};
		const date = await dateAt(0, '質問のある回', [{ name: '佐藤', contact: 'sato-door@example.org', groupSize: 3, answers }]);
		const page = await doorPage(staffA(), { today, occurrenceId: date.id });
		const person = page.expected!.find((p) => p.name === '佐藤')!;
		// The paper sheet shows a child's allergy: the door list must too, though it was asked as a question, not in 「知っておいてほしいこと」.
		expect(person.answers).toEqual(answers.answers);
		const asVolunteer = await doorPage(volunteerA(), { today, occurrenceId: date.id });
		expect(asVolunteer.expected!.find((p) => p.reference === person.reference)!.answers).toEqual([]);
	});

	it('marks a group arrived with one tap, counted as its size and audited like a code; its 受付番号 afterwards is already in', async () => {
		const date = await dateAt(0, '一覧で受付', [{ name: '三人組', contact: 'trio-door@example.org', groupSize: 3 }]);
		const [group] = date.registrations;
		const arrived = await arriveFromList(staffA(), { occurrenceId: date.id, registrationId: group.registrationId });
		expect(arrived).toEqual({ ok: true, value: expect.objectContaining({ result: 'checked_in', people: 3, kind: 'registration' }) });
		const again = await arriveFromList(staffA(), { occurrenceId: date.id, registrationId: group.registrationId });
		expect(again).toEqual({ ok: true, value: expect.objectContaining({ result: 'already', people: 3 }) });
		const byCode = await checkIn(staffA(), { occurrenceId: date.id, code: group.reference });
		expect(byCode).toEqual({ ok: true, value: expect.objectContaining({ result: 'already', people: 3 }) });
		const totals = await runIn(staffA(), (tx) => dayTotals(tx, staffA(), { programId, day: today }));
		expect(totals.checkedIn).toBeGreaterThanOrEqual(3);
		const [visit] = (await admin.query(`select id, people, source, registration_id, person_key, recorded_by from visits where registration_id = $1`, [group.registrationId])).rows;
		expect(visit).toMatchObject({ people: 3, source: 'registration', person_key: `registration:${group.registrationId}`, recorded_by: cast.people.staff.userId });
		expect(await audits('visit.check_in', visit.id)).toEqual([{ action: 'visit.check_in', changed_fields: ['list'] }]);
		const page = await doorPage(staffA(), { today, occurrenceId: date.id });
		expect(page.expected![0].arrivedAt).not.toBeNull();
		expect(page.summary).toEqual({ groups: 1, people: 3, arrived: 1, arrivedPeople: 3 });
	});

	it('takes a late entry for a past date (counted on that date) and refuses an upcoming date, a cancelled registration and another organisation', async () => {
		const past = await dateAt(-20, '先月の回', [{ name: '後から', contact: 'late-door@example.org', groupSize: 2 }]);
		const [r] = past.registrations;
		expect((await arriveFromList(adminA(), { occurrenceId: past.id, registrationId: r.registrationId })).ok).toBe(true);
		const [visit] = (await admin.query(`select day::text, counted_at, people from visits where registration_id = $1`, [r.registrationId])).rows;
		expect(visit.day).toBe(addDays(today, -20));
		expect(new Date(visit.counted_at).getTime()).toBe(past.startsAt.getTime());
		expect(visit.people).toBe(2);

		const upcoming = await makeOccurrence(database.db, cast.orgA, programId, { title: '来月の回', startsAt: at(20) });
		const u = await makeRegistration(database.db, upcoming.id, { contact: 'future-door@example.org' });
		expect(await arriveFromList(staffA(), { occurrenceId: upcoming.id, registrationId: u.registrationId })).toEqual({ ok: false, reason: 'not_yet' });

		const date = await dateAt(0, '取り消しの回', [{ contact: 'gone-door@example.org' }, { contact: 'mine-door@example.org' }]);
		const [gone, mine] = date.registrations;
		await cancelByToken(residentOn(database.db), { token: gone.token! });
		expect(await arriveFromList(staffA(), { occurrenceId: date.id, registrationId: gone.registrationId })).toEqual({ ok: false, reason: 'not_registered' });
		expect(await arriveFromList(staffA(), { occurrenceId: date.id, registrationId: r.registrationId })).toEqual({ ok: false, reason: 'other_occurrence' });

		expect(await arriveFromList(staffB(), { occurrenceId: date.id, registrationId: mine.registrationId })).toEqual({ ok: false, reason: 'no_occurrence' });
		expect((await admin.query(`select count(*)::int as n from visits where registration_id = $1`, [mine.registrationId])).rows[0].n).toBe(0);
	});
});

describe('undoing a head-count tap', () => {
	const tap = (clientKey: string) => ({ clientKey, programId, occurrenceId: null, countedAt: new Date(), ageBand: '30s' as const, gender: 'female' as const, firstVisit: true });

	it("removes the caller's own tap of today, audited, once; never a colleague's or another organisation's", async () => {
		const mineKey = randomUUID();
		const colleagueKey = randomUUID();
		expect((await recordTaps(staffA(), { taps: [tap(mineKey)] })).ok).toBe(true);
		expect((await recordTaps(adminA(), { taps: [tap(colleagueKey)] })).ok).toBe(true);
		const before = await runIn(staffA(), (tx) => dayTotals(tx, staffA(), { programId, day: today }));

		expect(await undoTap(staffB(), { clientKey: mineKey })).toEqual({ ok: false, reason: 'nothing_to_undo' });
		expect(await undoTap(staffA(), { clientKey: colleagueKey })).toEqual({ ok: false, reason: 'nothing_to_undo' });
		expect(await undoTap(staffA(), { clientKey: 'not a key' })).toEqual({ ok: false, reason: 'nothing_to_undo' });

		const [row] = (await admin.query(`select id from visits where client_key = $1`, [mineKey])).rows;
		expect(await undoTap(staffA(), { clientKey: mineKey })).toEqual({ ok: true, value: { programId } });
		expect(await undoTap(staffA(), { clientKey: mineKey })).toEqual({ ok: false, reason: 'nothing_to_undo' });
		const after = await runIn(staffA(), (tx) => dayTotals(tx, staffA(), { programId, day: today }));
		expect(after.taps).toBe(before.taps - 1);
		expect(await audits('visit.undo_tap', row.id)).toHaveLength(1);
		expect((await admin.query(`select count(*)::int as n from visits where client_key = $1`, [colleagueKey])).rows[0].n).toBe(1);
	});

	it('does not undo a tap of an earlier day', async () => {
		const key = randomUUID();
		expect((await recordTaps(staffA(), { taps: [tap(key)] })).ok).toBe(true);
		expect(await undoTap(staffA(), { clientKey: key, now: at(1) })).toEqual({ ok: false, reason: 'nothing_to_undo' });
	});
});

describe('a registration that has arrived', () => {
	it('is not cancelled by its link or from the staff list: the group stays on the door list and nobody waiting is moved up for a date under way', async () => {
		const date = await dateAt(0, '来たあとの取消', [{ name: '来た人', contact: 'arrived-door@example.org', groupSize: 2 }]);
		const [group] = date.registrations;
		expect((await arriveFromList(staffA(), { occurrenceId: date.id, registrationId: group.registrationId })).ok).toBe(true);
		expect(await cancelByToken(residentOn(database.db), { token: group.token! })).toEqual({ ok: false, reason: 'attended' });
		const manage = organizationScopeOf(cast.people.staff.userId, cast.orgA, 'staff', 'events.manage');
		expect(await cancelRegistration(manage, { occurrenceId: date.id, registrationId: group.registrationId })).toEqual({ ok: false, reason: 'attended' });
		const [row] = (await admin.query(`select status from registrations where id = $1`, [group.registrationId])).rows;
		expect(row.status).toBe('registered');
		const page = await doorPage(staffA(), { today, occurrenceId: date.id });
		expect(page.summary).toEqual({ groups: 1, people: 2, arrived: 1, arrivedPeople: 2 });
	});
});

describe('the head count page', () => {
	it('opens on the one program with a date today, so the tap buttons are on the first screen without choosing', async () => {
		// A second program with no date today: the organisation has several.
		await makeProgram(database.db, cast.orgA, { schedule: null });
		await dateAt(0, '今日の回(数える)', []);
		const page = await countPage(staffA(), { programId: null, today });
		expect(page.programs.length).toBeGreaterThan(1);
		expect(page.program?.id).toBe(programId);
		expect(page.occurrenceId).not.toBeNull();
	});
});
