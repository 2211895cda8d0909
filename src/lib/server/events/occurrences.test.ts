/** Occurrences follow their schedules, while staff's single-date changes survive edits and re-syncs. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { testDatabase } from '../../../../tests/helpers/db';
import { makeOrganization } from '../../../../tests/helpers/factories';
import type { Database } from '../db';
import type { Tx } from '../scope';
import { withAccess } from '../db/tenant';
import { saveLocation, saveProgram } from '../directory/listings';
import { programEdit } from '../../../../tests/helpers/program';
import { zonedInstant } from '../directory';
import { occurrences, registrations } from './schema';
import { cancelOccurrence, createOneOff, deleteOneOff, moveOccurrence, occurrencesOfProgram, restoreOccurrence, syncOccurrences } from './occurrences';
import { calendarEntries, overlapsAmong, overlapsFor, parseCalendarParams, programFilterOf, viewRange } from './calendar';

let database: Database;
let orgA: string;
let orgB: string;
// 2028-01-01 (元日) is a first Saturday: inside the 180-day window from here.
const today = '2027-11-21';

const edit = (title: string, rrule = 'FREQ=MONTHLY;BYDAY=1SA,3SA', lifeStages = ['elementary']) => programEdit({ title, lifeStages }, { rrule });

/** The organisation's context, as its scope's transaction carries it. */
const inOrg = <T>(org: string, fn: (tx: Tx<'organization'>) => Promise<T>) => withAccess(database.db, { organizationIds: [org] }, (tx) => fn(tx as Tx<'organization'>));
const days = (rows: Array<{ day: string; status: string }>) => rows.filter((r) => r.status === 'scheduled').map((r) => r.day);

async function newProgram(org: string, title: string, place: string, rrule?: string, lifeStages?: string[]) {
	return inOrg(org, async (tx) => {
		const location = await saveLocation(tx, org, null, { name: place, prefecture: '東京都', city: '荒川区', line: null, postalCode: null, lat: null, lng: null, accessibility: null, transport: null }, today);
		if (!location) throw new Error('location');
		const saved = await saveProgram(tx, org, null, edit(title, rrule, lifeStages), [location.id], today);
		if (!saved.ok) throw new Error('program');
		await syncOccurrences(tx, today, [saved.value.programId]);
		return saved.value.programId;
	});
}

beforeAll(async () => {
	database = await testDatabase();
	orgA = await makeOrganization(database.db);
	orgB = await makeOrganization(database.db);
});
afterAll(() => database.close());

describe('occurrences from a schedule', () => {
	it('are the first and third Saturdays, in Tokyo time, without the holiday 元日', async () => {
		const programId = await newProgram(orgA, 'みどり食堂', 'みどり町公民館');
		const rows = await occurrencesOfProgram(database.db, programId, today, '2028-02-29');
		expect(days(rows)).toEqual(['2027-12-04', '2027-12-18', '2028-01-15', '2028-02-05', '2028-02-19']);
		expect(rows[0].startsAt.toISOString()).toBe('2027-12-04T02:00:00.000Z'); // 11:00 JST
		expect(rows[0].endsAt?.toISOString()).toBe('2027-12-04T05:00:00.000Z');
		// Idempotent: a second sync adds nothing.
		const again = await inOrg(orgA, (tx) => syncOccurrences(tx, today, [programId]));
		expect(again).toEqual({ inserted: 0, updated: 0, removed: 0 });
	});

	it('exist for the first six dates of a series that starts beyond the window', async () => {
		const programId = await inOrg(orgA, async (tx) => {
			const saved = await saveProgram(tx, orgA, null, { ...edit('来年の食堂'), schedules: [{ ...edit('x').schedules[0], dtstart: '2029-04-01' }] }, [], today);
			if (!saved.ok) throw new Error('program');
			await syncOccurrences(tx, today, [saved.value.programId]);
			return saved.value.programId;
		});
		const rows = await occurrencesOfProgram(database.db, programId, today, '2030-12-31');
		// 2029-05-05 (こどもの日) is a first Saturday: skipped.
		expect(days(rows)).toEqual(['2029-04-07', '2029-04-21', '2029-05-19', '2029-06-02', '2029-06-16', '2029-07-07']);
	});

	it('keep a cancelled and a moved date through an edit of the program and a re-sync', async () => {
		const programId = await newProgram(orgA, 'あおぞら食堂', 'あおぞら会館');
		const [first, second] = await occurrencesOfProgram(database.db, programId, today, '2027-12-31');
		await inOrg(orgA, async (tx) => {
			await cancelOccurrence(tx, orgA, first.id, '会場の点検のため');
			await moveOccurrence(tx, orgA, second.id, { startsAt: zonedInstant('2027-12-19', '13:00'), endsAt: zonedInstant('2027-12-19', '15:00'), note: '日曜日に変更' });
		});
		// An edit that keeps the schedule keeps its rows (schedule ids are stable).
		await inOrg(orgA, async (tx) => {
			const location = (await tx.execute<{ id: string }>(sql`select location_id as id from program_locations where program_id = ${programId}`)).rows[0].id;
			const saved = await saveProgram(tx, orgA, programId, { ...edit('あおぞら食堂(毎月2回)') }, [location], today);
			expect(saved.ok).toBe(true);
			await syncOccurrences(tx, today, [programId]);
		});
		const rows = await occurrencesOfProgram(database.db, programId, today, '2027-12-31');
		expect(rows.map((r) => [r.day, r.status, r.moved, r.note])).toEqual([
			['2027-12-04', 'cancelled', false, '会場の点検のため'],
			['2027-12-19', 'scheduled', true, '日曜日に変更']
		]);
		// The finder's dates agree: the cancelled day is gone, the moved one is on its new day.
		const finder = await database.db.execute<{ day: string }>(sql`select day::text from program_upcoming_dates where program_id = ${programId} and day <= '2027-12-31' order by day`);
		expect(finder.rows.map((r) => r.day)).toEqual(['2027-12-19']);
		const next = await database.db.execute<{ at: Date }>(sql`select next_starts_at as at from programs where id = ${programId}`);
		expect(new Date(next.rows[0].at).toISOString()).toBe('2027-12-19T04:00:00.000Z');
	});

	it('follow a changed rule: dropped dates go, unless someone registered for them', async () => {
		const programId = await newProgram(orgA, 'にじ食堂', 'にじ会館');
		const [first, second] = await occurrencesOfProgram(database.db, programId, today, '2027-12-31');
		await inOrg(orgA, (tx) => tx.insert(registrations).values({ id: crypto.randomUUID(), organizationId: orgA, occurrenceId: first.id, status: 'registered', nameSealed: 'x', contactSealed: 'x', contactKind: 'email', submissionKey: 'k1', accessDigest: crypto.randomUUID(), referenceCode: 'AAA111' }));
		await inOrg(orgA, async (tx) => {
			const location = (await tx.execute<{ id: string }>(sql`select location_id as id from program_locations where program_id = ${programId}`)).rows[0].id;
			await saveProgram(tx, orgA, programId, edit('にじ食堂', 'FREQ=MONTHLY;BYDAY=2SU'), [location], today);
			await syncOccurrences(tx, today, [programId]);
		});
		const rows = await occurrencesOfProgram(database.db, programId, today, '2027-12-31');
		expect(rows.map((r) => [r.day, r.status])).toEqual([
			['2027-12-04', 'cancelled'], // someone registered: kept, cancelled, so they can be told
			['2027-12-12', 'scheduled']
		]);
		expect(rows.some((r) => r.id === second.id)).toBe(false);
	});

	it('drop the cancellation reason when a cancelled date is put back as planned', async () => {
		// Found by a coordinator: the old reason stayed published on the date's page and prefilled
		// 「日時を変える」 after 「予定どおり開催に戻す」.
		const programId = await newProgram(orgA, 'もどる食堂', 'もどる会館');
		const [first] = await occurrencesOfProgram(database.db, programId, today, '2027-12-31');
		await inOrg(orgA, (tx) => cancelOccurrence(tx, orgA, first.id, '台風のため中止します'));
		await inOrg(orgA, (tx) => restoreOccurrence(tx, orgA, first.id));
		const [after] = await database.db.select().from(occurrences).where(eq(occurrences.id, first.id));
		expect([after.status, after.note]).toEqual(['scheduled', null]);
	});

	it("cannot be changed from another organisation's context", async () => {
		const programId = await newProgram(orgA, 'ひかり食堂', 'ひかり会館');
		const [first] = await occurrencesOfProgram(database.db, programId, today, '2027-12-31');
		const result = await inOrg(orgB, (tx) => cancelOccurrence(tx, orgA, first.id, null));
		expect(result).toBeNull();
		const [after] = await database.db.select().from(occurrences).where(eq(occurrences.id, first.id));
		expect(after.status).toBe('scheduled');
	});

	it('one-off events are created, listed, and deleted only while nobody registered', async () => {
		const programId = await newProgram(orgA, 'ほし食堂', 'ほし会館');
		const oneOff = await inOrg(orgA, (tx) =>
			createOneOff(tx, orgA, {
				programId,
				startsAt: zonedInstant('2027-12-24', '17:00'),
				endsAt: zonedInstant('2027-12-24', '19:00'),
				locationId: null,
				title: 'クリスマス会',
				note: null,
				kind: 'session',
				registrationOpen: true,
				capacity: 20,
				capacityUnit: 'groups'
			})
		);
		expect(oneOff.day).toBe('2027-12-24');
		const entries = await calendarEntries(database.db, programFilterOf({ organization: orgA }, false), '2027-12-24', '2027-12-24');
		expect(entries.find((e) => e.id === oneOff.id)).toMatchObject({ title: 'クリスマス会', programTitle: 'ほし食堂', oneOff: true, capacity: 20, capacityUnit: 'groups' });
		// The series is untouched by a sync.
		await inOrg(orgA, (tx) => syncOccurrences(tx, today, [programId]));
		expect(
			await database.db
				.select()
				.from(occurrences)
				.where(and(eq(occurrences.id, oneOff.id)))
		).toHaveLength(1);
		expect(await inOrg(orgA, (tx) => deleteOneOff(tx, orgA, oneOff.id))).toBe(true);
	});
});

describe('the calendar', () => {
	it('parses its query and refuses bad values', () => {
		expect(parseCalendarParams(new URLSearchParams('view=week&date=2027-12-04&purpose=baby'))).toMatchObject({ ok: true, query: { view: 'week', date: '2027-12-04', purpose: 'baby' } });
		const bad = parseCalendarParams(new URLSearchParams('view=year&date=2027-02-30&lifeStage=nope&organization=1'));
		expect(bad.ok).toBe(false);
		if (!bad.ok) expect(bad.errors.map((e) => e.param).sort()).toEqual(['date', 'lifeStage', 'organization', 'view']);
	});

	it('spans whole weeks from Monday for a month, and Monday to Sunday for a week', () => {
		expect(viewRange('month', '2027-12-15')).toEqual({ from: '2027-11-29', to: '2028-01-02', first: '2027-12-01', last: '2027-12-31' });
		expect(viewRange('week', '2027-12-15')).toMatchObject({ from: '2027-12-13', to: '2027-12-19' });
	});

	it('filters by life stage, and a purpose view gathers its life stages', async () => {
		const baby = await newProgram(orgA, 'ひよこひろば', 'ひよこ会館', 'FREQ=WEEKLY;BYDAY=TU', ['prenatal_infant']);
		const found = await calendarEntries(database.db, programFilterOf({ purpose: 'baby' }, false), '2027-12-01', '2027-12-31');
		expect(found.every((e) => e.lifeStages.includes('prenatal_infant'))).toBe(true);
		expect(found.filter((e) => e.programId === baby).map((e) => e.day)).toEqual(['2027-12-07', '2027-12-14', '2027-12-21', '2027-12-28']);
		const school = await calendarEntries(database.db, programFilterOf({ lifeStage: 'elementary' }, false), '2027-12-01', '2027-12-31');
		expect(school.some((e) => e.programId === baby)).toBe(false);
		// Drafts stay out of the public calendar.
		const published = await calendarEntries(database.db, programFilterOf({ purpose: 'baby' }, true), '2027-12-01', '2027-12-31');
		expect(published.some((e) => e.programId === baby)).toBe(false);
	});

	it('names a clash between two programs of the list once, not once from each side', async () => {
		// Found by a coordinator: the staff list named each clash twice, once per program.
		const first = await newProgram(orgA, 'よぞら学習会', 'よぞら会館', 'FREQ=WEEKLY;BYDAY=TH', ['high_school']);
		const second = await newProgram(orgA, 'ほしぞら学習会', 'ほしぞら会館', 'FREQ=MONTHLY;BYDAY=1TH', ['high_school']);
		await inOrg(orgA, (tx) => tx.execute(sql`update programs set published = true where id in (${first}, ${second})`));
		const pairs = await overlapsAmong(database.db, [first, second], '2027-12-01', '2027-12-31');
		expect(pairs.map((o) => [o.day, o.other.programTitle])).toHaveLength(1);
		expect(await overlapsFor(database.db, first, '2027-12-01', '2027-12-31')).toHaveLength(1);
		expect(await overlapsFor(database.db, second, '2027-12-01', '2027-12-31')).toHaveLength(1);
	});

	it('warns of another published program for the same life stage in the same area at the same time', async () => {
		const mine = await newProgram(orgA, 'ゆうやけ学習会', 'ゆうやけ会館', 'FREQ=WEEKLY;BYDAY=WE', ['junior_high']);
		const theirs = await newProgram(orgB, 'あさやけ学習会', 'あさやけ会館', 'FREQ=MONTHLY;BYDAY=1WE', ['junior_high']);
		const other = await newProgram(orgB, 'シニア体操', 'たいそう会館', 'FREQ=MONTHLY;BYDAY=1WE', ['senior']);
		expect(await overlapsFor(database.db, mine, '2027-12-01', '2027-12-31')).toEqual([]); // theirs is a draft
		await inOrg(orgB, (tx) => tx.execute(sql`update programs set published = true where id in (${theirs}, ${other})`));
		const overlaps = await overlapsFor(database.db, mine, '2027-12-01', '2027-12-31');
		expect(overlaps.map((o) => [o.day, o.other.programTitle, o.lifeStages, o.areas])).toEqual([['2027-12-01', 'あさやけ学習会', ['junior_high'], ['東京都/荒川区']]]);
	});
});
