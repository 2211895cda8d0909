/** Organisations editing their own directory pages: programs, places, schedules, publishing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { testDatabase } from '../../../../tests/helpers/db';
import { makeOrganizationWithProgram } from '../../../../tests/helpers/factories';
import type { Database, Tx } from '../db';
import { inOrganizations } from '../../../../tests/helpers/contexts';
import { searchPrograms } from './finder/index';
import { finderQuery } from './finder-query';
import { programForStaff, saveLocation, saveProgram, setProgramPublished, updateProfile } from './listings';
import { programEdit } from '../../../../tests/helpers/program';
import { previewDates, readScheduleFields, scheduleFrom, blankSchedule } from './schedule-form';
import { readProgram } from './listing-forms';

let database: Database;
let orgA: string;
let orgB: string;
let programA: string;
let programB: string;
let placeB: string;
const today = '2026-11-23';

const edit = (title: string) => programEdit({ title, joinMethod: 'no_registration' }, { rrule: 'FREQ=MONTHLY;INTERVAL=1;BYDAY=1SA,3SA', dtstart: '2026-01-01' });

beforeAll(async () => {
	database = await testDatabase();
	// Two organisations, each with a place and a published program of its own.
	const a = await makeOrganizationWithProgram(database.db);
	const b = await makeOrganizationWithProgram(database.db);
	[orgA, orgB] = [a.organizationId, b.organizationId];
	[programA, programB, placeB] = [a.programId, b.programId, b.placeId];
});
afterAll(() => database.close());

const asA = <T>(fn: (tx: Tx<'organization'>) => Promise<T>) => inOrganizations(database.db, [orgA], fn);
const find = async (q: string) => (await searchPrograms(database.db, finderQuery.parse({ q, per_page: '50' }), { now: new Date('2026-11-23T03:00:00Z'), today })).items.map((i) => i.title);

describe('programs', () => {
	it('are created as drafts, appear in the finder once published and leave it when unpublished', async () => {
		const place = await asA((tx) => saveLocation(tx, orgA, null, { name: 'みどり町公民館', prefecture: '東京都', city: '荒川区', line: null, postalCode: null, lat: null, lng: null, accessibility: null, transport: null }, today));
		const saved = await asA((tx) => saveProgram(tx, orgA, null, edit('みどりこども食堂テスト'), [place!.id], today));
		expect(saved.ok).toBe(true);
		if (!saved.ok) return;
		expect(await find('みどりこども食堂テスト')).not.toContain('みどりこども食堂テスト');
		expect(await asA((tx) => setProgramPublished(tx, orgA, saved.value.programId, true))).toBe(true);
		expect((await find('みどりこども食堂テスト'))[0]).toBe('みどりこども食堂テスト');
		// Found by its place's area and its organisation too: the search document was built.
		const byArea = await searchPrograms(database.db, finderQuery.parse({ q: 'こども食堂', city: '荒川区', per_page: '100' }), { now: new Date('2026-11-23T03:00:00Z'), today });
		expect(byArea.items.map((i) => i.title)).toContain('みどりこども食堂テスト');
		const program = await asA((tx) => programForStaff(tx, orgA, saved.value.programId));
		expect(program?.input.schedules[0].rrule).toBe('FREQ=MONTHLY;INTERVAL=1;BYDAY=1SA,3SA');
		const next = await database.db.execute<{ next: Date }>(sql`select next_starts_at as next from programs where id = ${saved.value.programId}`);
		expect(new Date(next.rows[0].next).toISOString()).toBe('2026-12-05T02:00:00.000Z'); // 第1土曜日 12月5日 11:00 JST
		await asA((tx) => setProgramPublished(tx, orgA, saved.value.programId, false));
		expect(await find('みどりこども食堂テスト')).not.toContain('みどりこども食堂テスト');
	});

	it('say whom they are for: a supporters’ program is kept out of a residents’ search and listed under audience=supporters', async () => {
		const saved = await asA((tx) => saveProgram(tx, orgA, null, { ...edit('ルミナス支援者研修テスト'), audience: 'supporters' }, [], today));
		if (!saved.ok) throw new Error(saved.reason);
		await asA((tx) => setProgramPublished(tx, orgA, saved.value.programId, true));
		expect((await asA((tx) => programForStaff(tx, orgA, saved.value.programId)))?.input.audience).toBe('supporters');
		const clock = { now: new Date('2026-11-23T03:00:00Z'), today };
		const residents = await searchPrograms(database.db, finderQuery.parse({ q: 'ルミナス支援者研修テスト' }), clock);
		expect(residents.items).toEqual([]);
		expect(residents.supportersTotal).toBe(1);
		const supporters = await searchPrograms(database.db, finderQuery.parse({ q: 'ルミナス支援者研修テスト', audience: 'supporters' }), clock);
		expect(supporters.items.map((i) => i.id)).toEqual([saved.value.programId]);
		// Changed back by the form: recorded as a change, and found by residents again.
		const back = await asA((tx) => saveProgram(tx, orgA, saved.value.programId, { ...edit('ルミナス支援者研修テスト'), audience: 'residents' }, [], today));
		if (!back.ok) throw new Error(back.reason);
		expect(back.value.changed).toContain('audience');
		expect((await find('ルミナス支援者研修テスト'))[0]).toBe('ルミナス支援者研修テスト');
	});

	it('records what changed, and a new name after a profile change is searchable', async () => {
		const created = await asA((tx) => saveProgram(tx, orgA, null, edit('名前変更テスト'), [], today));
		if (!created.ok) throw new Error(created.reason);
		const again = await asA((tx) => saveProgram(tx, orgA, created.value.programId, { ...edit('名前変更テスト'), summary: '新しい説明' }, [], today));
		expect(again).toMatchObject({ ok: true, value: { changed: ['summary'] } });
		await asA((tx) => setProgramPublished(tx, orgA, created.value.programId, true));
		const [org] = (await database.db.execute<Record<string, string | null>>(sql`select * from organizations where id = ${orgA}`)).rows;
		await asA((tx) => updateProfile(tx, orgA, { name: 'つなぐ試験団体ほしぞら', nameKana: null, legalForm: org.legal_form, representative: null, prefecture: org.prefecture, city: org.city, addressLine: null, postalCode: null, website: null, message: null, description: '' }, today));
		expect(await find('ほしぞら')).toContain('名前変更テスト');
	});

	it("treats another organisation's program and places as not found, and RLS refuses the write anyway", async () => {
		const theirs = programB;
		const theirPlace = placeB;
		expect(await asA((tx) => programForStaff(tx, orgA, theirs))).toBeNull();
		expect(await asA((tx) => saveProgram(tx, orgA, theirs, edit('乗っ取り'), [], today))).toEqual({ ok: false, reason: 'not_found' });
		expect(await asA((tx) => setProgramPublished(tx, orgA, theirs, false))).toBe(false);
		expect(await asA((tx) => saveProgram(tx, orgA, null, edit('よその場所'), [theirPlace], today))).toEqual({ ok: false, reason: 'foreign_location' });
		// Asking for B's organisation from A's context (a bug in a route) still writes nothing.
		expect(await asA((tx) => setProgramPublished(tx, orgB, theirs, false))).toBe(false);
		const published = await database.db.execute<{ published: boolean }>(sql`select published from programs where id = ${theirs}`);
		expect(published.rows[0].published).toBe(true);
	});

	it("row-level security alone refuses raw writes to another organisation's rows (0 rows)", async () => {
		const theirs = programB;
		const theirPlace = placeB;
		const updated = await asA((tx) => tx.execute(sql`update programs set title = '乗っ取り', published = false where id = ${theirs}`));
		expect(updated.rowCount).toBe(0);
		expect((await asA((tx) => tx.execute(sql`update organizations set name = '乗っ取り' where id = ${orgB}`))).rowCount).toBe(0);
		expect((await asA((tx) => tx.execute(sql`update locations set name = '乗っ取り' where id = ${theirPlace}`))).rowCount).toBe(0);
		expect((await asA((tx) => tx.execute(sql`delete from schedules where program_id = ${theirs}`))).rowCount).toBe(0);
		// Moving one's own program into B's organisation is refused too (WITH CHECK).
		const mine = programA;
		await expect(asA((tx) => tx.execute(sql`update programs set organization_id = ${orgB} where id = ${mine}`))).rejects.toThrow();
		const row = (await database.db.execute<{ title: string; published: boolean }>(sql`select title, published from programs where id = ${theirs}`)).rows[0];
		expect(row.title).not.toBe('乗っ取り');
		expect(row.published).toBe(true);
	});
});

describe('places', () => {
	it('report the names of the fields that changed, and re-index the programs held there', async () => {
		const fields = { name: 'ひだまりの家', prefecture: '東京都', city: '荒川区', line: '町屋1-1', postalCode: null, lat: null, lng: null, accessibility: null, transport: null };
		const created = await asA((tx) => saveLocation(tx, orgA, null, fields, today));
		// No coordinates given: 荒川区's point is filled in (approximate).
		expect(created?.changed).toEqual(['name', 'prefecture', 'city', 'line', 'lat', 'lng']);
		const program = await asA((tx) => saveProgram(tx, orgA, null, edit('ひだまり将棋クラブ'), [created!.id], today));
		if (!program.ok) throw new Error(program.reason);
		await asA((tx) => setProgramPublished(tx, orgA, program.value.programId, true));
		expect(await asA((tx) => saveLocation(tx, orgA, created!.id, fields, today))).toEqual({ id: created!.id, changed: [], placed: true });
		const moved = await asA((tx) => saveLocation(tx, orgA, created!.id, { ...fields, city: '足立区', accessibility: '段差なし' }, today));
		expect(moved?.changed).toEqual(['city', 'lat', 'lng', 'accessibility']);
		const inAdachi = await searchPrograms(database.db, finderQuery.parse({ q: '将棋', city: '足立区', per_page: '50' }), { now: new Date('2026-11-23T03:00:00Z'), today });
		expect(inAdachi.items.map((i) => i.title)).toContain('ひだまり将棋クラブ');
	});

	it('are not found under another organisation, and nothing is written', async () => {
		const theirPlace = (await database.db.execute<{ id: string; name: string }>(sql`select id, name from locations where id = ${placeB}`)).rows[0];
		const fields = { name: '乗っ取り', prefecture: '東京都', city: null, line: null, postalCode: null, lat: null, lng: null, accessibility: null, transport: null };
		expect(await asA((tx) => saveLocation(tx, orgA, theirPlace.id, fields, today))).toBeNull();
		expect(await asA((tx) => saveLocation(tx, orgB, theirPlace.id, fields, today))).toBeNull();
		const after = (await database.db.execute<{ name: string }>(sql`select name from locations where id = ${theirPlace.id}`)).rows[0];
		expect(after.name).toBe(theirPlace.name);
	});
});

describe('the schedule form', () => {
	const form = (entries: Array<[string, string]>) => {
		const data = new FormData();
		for (const [k, v] of entries) data.append(k, v);
		return data;
	};

	it('turns 第1・第3土曜日 into RRULE and shows the next dates, skipping a national holiday by name', () => {
		const fields = readScheduleFields(
			form([
				['schedules.0.kind', 'monthly_nth'],
				['schedules.0.ordinals', '1'],
				['schedules.0.ordinals', '3'],
				['schedules.0.weekdays', 'SA'],
				['schedules.0.opensAt', '10:00'],
				['schedules.0.closesAt', '12:00'],
				['schedules.0.dtstart', '2026-01-01'],
				['schedules.0.closedOnHolidays', 'on']
			]),
			0
		);
		const parsed = scheduleFrom(fields);
		expect(parsed.ok).toBe(true);
		if (!parsed.ok) return;
		expect(parsed.value.rrule).toBe('FREQ=MONTHLY;INTERVAL=1;BYDAY=1SA,3SA');
		// 2028-01-01, the first Saturday of January, is 元日.
		const dates = previewDates(parsed.value, '2027-12-01', 4);
		expect(dates.map((d) => [d.day, d.skippedFor])).toEqual([
			['2027-12-04', null],
			['2027-12-18', null],
			['2028-01-01', '元日'],
			['2028-01-15', null],
			['2028-02-05', null]
		]);
	});

	it('names the field of each mistake', () => {
		const parsed = scheduleFrom({ ...blankSchedule(today), kind: 'monthly_nth', weekdays: [], ordinals: [], opensAt: '14:00', closesAt: '13:00', until: '2020-01-01', exdates: '12/26' });
		expect(parsed.ok).toBe(false);
		if (parsed.ok) return;
		expect(parsed.errors).toEqual({
			weekdays: 'staff.schedule.error.weekdays',
			ordinals: 'staff.schedule.error.ordinals',
			closesAt: 'staff.schedule.error.closesAfter',
			until: 'staff.schedule.error.untilBefore',
			exdates: 'staff.schedule.error.exdates'
		});
	});

	it('reads the whole program form, keeps what was typed, and drops the untouched blank row', () => {
		const result = readProgram(
			form([
				['title', ''],
				['forms', 'not-a-form'],
				['languages', 'ja'],
				['costKind', 'fixed'],
				['costAmountYen', '-5'],
				['joinMethod', 'no_registration'],
				['deliveryMode', 'in_person'],
				['status', 'active'],
				['contactEmail', 'nope'],
				['audience', 'nobody'],
				['scheduleCount', '1'],
				['schedules.0.kind', 'weekly'],
				['schedules.0.interval', '1'],
				['schedules.0.dtstart', today]
			])
		);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.errors).toMatchObject({ title: 'staff.error.required', 'forms.0': 'staff.error.choice', costAmountYen: 'staff.program.error.amount', contactEmail: 'staff.error.email', audience: 'staff.error.choice' });
		expect(result.values.contactEmail).toBe('nope');
		expect(result.values.audience).toBe('nobody');
		expect(result.values.schedules).toEqual([]);
	});
});

describe('schedules known only in words', () => {
	const stored = async (programId: string) => {
		const rows = await database.db.execute<{ rrule: string | null; opens_at: string | null; closes_at: string | null; closed_on_holidays: boolean; note: string | null; weekdays: string[] }>(
			sql`select s.rrule, s.opens_at, s.closes_at, s.closed_on_holidays, s.note, p.weekdays from schedules s join programs p on p.id = s.program_id where s.program_id = ${programId}`
		);
		return rows.rows[0];
	};
	it('get the rule their words say exactly when staff save them, and keep the words', async () => {
		const { programId } = await makeOrganizationWithProgram(database.db, { schedule: { rrule: null, opensAt: null, closesAt: null, closedOnHolidays: false, note: '毎週水曜 10時〜12時（祝日を除く）' } });
		expect(await stored(programId)).toEqual({ rrule: 'FREQ=WEEKLY;BYDAY=WE', opens_at: '10:00', closes_at: '12:00', closed_on_holidays: true, note: '毎週水曜 10時〜12時（祝日を除く）', weekdays: ['WE'] });
	});
	it('stay words when the words are loose', async () => {
		const { programId } = await makeOrganizationWithProgram(database.db, { schedule: { rrule: null, opensAt: null, closesAt: null, closedOnHolidays: false, note: '月1回程度（日程は要問い合わせ）' } });
		expect(await stored(programId)).toMatchObject({ rrule: null, note: '月1回程度（日程は要問い合わせ）', weekdays: [] });
	});
});
