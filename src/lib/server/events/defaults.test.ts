/**
 * A program's registration defaults (issue 16): set once, applied to every date that follows the
 * program — dates the materialiser adds later too — a date set by hand keeps its own, the preview
 * names both, the window refuses early and late registrations; answers to the questions are
 * sealed and shown to the organisation's staff only; retention deletes expired registrations and
 * keeps the visits.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { testDatabase } from '../../../../tests/helpers/db';
import { makeOrganizationWithProgram, makeProgram, residentOn, uniqueTag } from '../../../../tests/helpers/factories';
import { organizationScopeOf } from '../../../../tests/helpers/scopes';
import { useDatabase, type Database } from '../db';
import { asSystem } from '../db/tenant';
import { runIn, systemScope } from '../scope';
import { addDays } from '../directory';
import { todayInTokyo } from '../clock';
import { occurrences, registrations } from './schema';
import { visits } from '../participation/schema';
import { syncOccurrences } from './occurrences';
import { addOneOffDate, changeDateSettings, moveDate } from './dates';
import { copyRegistrationDefaults, defaultsPreview, followProgramDate, programDefaults, saveRegistrationDefaults, NO_DEFAULTS, type RegistrationDefaults } from './defaults';
import { register, listRegistrations, exportRegistrations, type RegistrationInput } from './registrations';
import type { Question } from './questions';
import { readAnswers } from './answers';
import { deleteExpiredRegistrations, registrationRetentionDays } from './retention';

let database: Database;
let org: string;
let programId: string;
let otherOrg: string;
const today = todayInTokyo();
let n = 0;

const admin = (organizationId = org) => organizationScopeOf(randomUUID(), organizationId, 'org_admin', 'events.manage');
const viewer = (organizationId = org) => organizationScopeOf(randomUUID(), organizationId, 'staff', 'registrations.view');
const person = (groupSize = 1): RegistrationInput => ({ name: `参加者${++n}`, contact: `p${n}-${uniqueTag()}@example.org`, groupSize, needs: '', card: '', consent: 'on', submissionKey: `defaults-${n}-aaaaaaaaaaaaaaaa` });
const datesOf = (program: string) =>
	asSystem(database.db, (tx) =>
		tx
			.select()
			.from(occurrences)
			.where(and(eq(occurrences.programId, program), sql`${occurrences.day} >= ${today}`))
			.orderBy(occurrences.startsAt)
	);
const sync = (program: string, day = today) => asSystem(database.db, (tx) => syncOccurrences(tx as never, day, [program]));
const defaults = (over: Partial<RegistrationDefaults> = {}): RegistrationDefaults => ({ ...NO_DEFAULTS, registrationOpen: true, capacity: 10, capacityUnit: 'groups', ...over });

const GRADE: Question = {
	id: 'qgrade01',
	kind: 'per_person',
	label: 'お子さんの学年',
	required: true,
	sensitive: false,
	fields: [
		{ id: 'fgrade01', kind: 'choice', label: '学年', required: true, options: ['未就学', '小1', '小2', '小3', '小4', '小5', '小6'] },
		{ id: 'fallergy', kind: 'text', label: 'アレルギー', required: false }
	]
};
const PHOTO: Question = { id: 'qphoto01', kind: 'consent', label: '写真撮影に同意します', required: true, sensitive: false };

beforeAll(async () => {
	database = await testDatabase();
	useDatabase(database);
	({ organizationId: org, programId } = await makeOrganizationWithProgram(database.db));
	({ organizationId: otherOrg } = await makeOrganizationWithProgram(database.db));
	await sync(programId);
});
afterAll(() => database.close());

describe('program defaults', () => {
	it('apply to every upcoming date that follows the program, and to dates the materialiser adds later', async () => {
		const before = await datesOf(programId);
		expect(before.length).toBeGreaterThan(3);
		expect(before.every((d) => !d.registrationOpen)).toBe(true);

		const saved = await saveRegistrationDefaults(admin(), { programId, defaults: defaults({ opensDaysBefore: 14, closesHoursBefore: 24 }), today });
		expect(saved).toEqual({ ok: true, value: { touched: before.length } });
		const after = await datesOf(programId);
		for (const d of after) {
			expect(d).toMatchObject({ registrationOpen: true, capacity: 10, capacityUnit: 'groups', followsProgram: true });
			// Opens at 0:00 in Tokyo 14 days before the date, closes 24 hours before the start.
			expect(d.registrationOpensAt?.toISOString()).toBe(new Date(`${addDays(d.day, -14)}T00:00:00+09:00`).toISOString());
			expect(d.registrationClosesAt?.getTime()).toBe(d.startsAt.getTime() - 24 * 3600_000);
		}

		// Later: the horizon moves on and the materialiser adds dates; they take the defaults at once.
		const later = addDays(today, 90);
		await sync(programId, later);
		const added = await asSystem(database.db, (tx) =>
			tx
				.select()
				.from(occurrences)
				.where(and(eq(occurrences.programId, programId), sql`${occurrences.day} > ${after[after.length - 1].day}`))
		);
		expect(added.length).toBeGreaterThan(0);
		for (const d of added) expect(d).toMatchObject({ registrationOpen: true, capacity: 10, capacityUnit: 'groups', followsProgram: true });
		expect(added.every((d) => d.registrationOpensAt !== null && d.registrationClosesAt !== null)).toBe(true);
	});

	it('leave a date set by hand as it was, and the preview says which dates change and which keep their own', async () => {
		const [first, second] = await datesOf(programId);
		const own = await changeDateSettings(admin(), { occurrenceId: second.id, settings: { kind: 'session', registrationOpen: true, capacity: 3, capacityUnit: 'people' } });
		expect(own.ok).toBe(true);

		const preview = await defaultsPreview(database.db, programId, today);
		expect(preview.own.map((d) => d.id)).toEqual([second.id]);
		expect(preview.following.map((d) => d.id)).toContain(first.id);
		expect(preview.following.map((d) => d.id)).not.toContain(second.id);

		const saved = await saveRegistrationDefaults(admin(), { programId, defaults: defaults({ capacity: 12 }), today });
		expect(saved.ok && saved.value.touched).toBe(preview.following.length);
		const rows = await datesOf(programId);
		expect(rows.find((d) => d.id === first.id)).toMatchObject({ capacity: 12, capacityUnit: 'groups', registrationOpensAt: null });
		expect(rows.find((d) => d.id === second.id)).toMatchObject({ capacity: 3, capacityUnit: 'people', followsProgram: false });

		// 「取組の設定に戻す」: the date takes the program's settings again.
		expect((await followProgramDate(admin(), { occurrenceId: second.id })).ok).toBe(true);
		expect((await datesOf(programId)).find((d) => d.id === second.id)).toMatchObject({ capacity: 12, capacityUnit: 'groups', followsProgram: true });

		// Audited with the changed fields and the number of dates touched.
		const [audit] = await asSystem(database.db, (tx) => tx.execute<{ entity_id: string; changed_fields: string[] }>(sql`select entity_id, changed_fields from audit_events where action = 'program.registration_defaults' order by id desc limit 1`)).then((r) => r.rows);
		expect(audit.entity_id).toBe(`${programId} dates=${preview.following.length}`);
		expect(audit.changed_fields).toEqual(['capacity', 'opens_days_before', 'closes_hours_before']);
	});

	it('go with a copied program, whose dates then follow them; never from another organisation’s program', async () => {
		await saveRegistrationDefaults(admin(), { programId, defaults: defaults({ capacity: 8, questions: [GRADE] }), today });
		const copy = await makeProgram(database.db, org);
		await sync(copy);
		await runIn(admin(), (tx) => copyRegistrationDefaults(tx, admin(), { fromProgramId: programId, toProgramId: copy, today }));
		expect(await programDefaults(database.db, copy)).toMatchObject({ saved: true, registrationOpen: true, capacity: 8, capacityUnit: 'groups', questions: [GRADE] });
		const dates = await datesOf(copy);
		expect(dates.length).toBeGreaterThan(0);
		for (const d of dates) expect(d).toMatchObject({ registrationOpen: true, capacity: 8, followsProgram: true });

		// Another organisation's program, even with defaults, gives nothing to copy.
		const { organizationId: foreignOrg, programId: foreign } = await makeOrganizationWithProgram(database.db);
		expect((await saveRegistrationDefaults(organizationScopeOf(randomUUID(), foreignOrg, 'org_admin', 'events.manage'), { programId: foreign, defaults: defaults(), today })).ok).toBe(true);
		const second = await makeProgram(database.db, org);
		await runIn(admin(), (tx) => copyRegistrationDefaults(tx, admin(), { fromProgramId: foreign, toProgramId: second, today }));
		expect((await programDefaults(database.db, second)).saved).toBe(false);
	});

	it('move a following date’s window with the date when staff move it', async () => {
		await saveRegistrationDefaults(admin(), { programId, defaults: defaults({ capacity: 12, opensDaysBefore: 7 }), today });
		const rows = await datesOf(programId);
		const date = rows[rows.length - 2];
		expect(date.registrationOpensAt?.toISOString()).toBe(new Date(`${addDays(date.day, -7)}T00:00:00+09:00`).toISOString());
		const startsAt = new Date(date.startsAt.getTime() + 86_400_000);
		expect((await moveDate(admin(), { occurrenceId: date.id, to: { startsAt, endsAt: null, note: null } })).ok).toBe(true);
		const [moved] = await asSystem(database.db, (tx) => tx.select().from(occurrences).where(eq(occurrences.id, date.id)));
		expect(moved.followsProgram).toBe(true);
		expect(moved.day).toBe(addDays(date.day, 1));
		expect(moved.registrationOpensAt?.toISOString()).toBe(new Date(`${addDays(moved.day, -7)}T00:00:00+09:00`).toISOString());
	});

	it('are refused for another organisation’s program, which stays as it was', async () => {
		const { programId: foreign } = await makeOrganizationWithProgram(database.db);
		await sync(foreign);
		const refused = await saveRegistrationDefaults(admin(otherOrg), { programId: foreign, defaults: defaults(), today });
		expect(refused).toEqual({ ok: false, reason: 'not_found' });
		expect((await datesOf(foreign)).every((d) => !d.registrationOpen)).toBe(true);
		expect((await followProgramDate(admin(otherOrg), { occurrenceId: (await datesOf(programId))[0].id })).ok).toBe(false);
	});
});

describe('a date set by hand', () => {
	it('keeps its own registration window, audited with the fields that changed', async () => {
		const dates = await datesOf(programId);
		const date = dates[2];
		const opensAt = new Date(`${addDays(date.day, -10)}T09:00:00+09:00`);
		const closesAt = new Date(`${addDays(date.day, -1)}T18:00:00+09:00`);
		const set = await changeDateSettings(admin(), { occurrenceId: date.id, settings: { kind: 'session', registrationOpen: true, capacity: 5, capacityUnit: 'people', registrationOpensAt: opensAt, registrationClosesAt: closesAt } });
		expect(set.ok).toBe(true);
		const [row] = await asSystem(database.db, (tx) => tx.select().from(occurrences).where(eq(occurrences.id, date.id)));
		expect(row).toMatchObject({ followsProgram: false, capacity: 5, registrationOpensAt: opensAt, registrationClosesAt: closesAt });
		const [audit] = await asSystem(database.db, (tx) => tx.execute<{ entity_id: string; changed_fields: string[] }>(sql`select entity_id, changed_fields from audit_events where action = 'occurrence.settings' order by id desc limit 1`)).then((r) => r.rows);
		expect(audit.entity_id).toBe(date.id);
		expect(audit.changed_fields).toEqual(expect.arrayContaining(['registrationOpensAt', 'registrationClosesAt']));

		// The program's defaults changing later leave the date's own window alone.
		await saveRegistrationDefaults(admin(), { programId, defaults: defaults({ opensDaysBefore: 3, closesHoursBefore: 2 }), today });
		const [kept] = await asSystem(database.db, (tx) => tx.select().from(occurrences).where(eq(occurrences.id, date.id)));
		expect(kept).toMatchObject({ registrationOpensAt: opensAt, registrationClosesAt: closesAt });

		// Saved again with the same window: the audit names no window field.
		expect((await changeDateSettings(admin(), { occurrenceId: date.id, settings: { kind: 'session', registrationOpen: true, capacity: 5, capacityUnit: 'people', registrationOpensAt: new Date(opensAt), registrationClosesAt: new Date(closesAt) } })).ok).toBe(true);
		const [again] = await asSystem(database.db, (tx) => tx.execute<{ changed_fields: string[] | null }>(sql`select changed_fields from audit_events where action = 'occurrence.settings' order by id desc limit 1`)).then((r) => r.rows);
		expect(again.changed_fields ?? []).toEqual([]);
		// Another organisation's staff cannot set it.
		expect(await changeDateSettings(admin(otherOrg), { occurrenceId: date.id, settings: { kind: 'session', registrationOpen: false, capacity: null, capacityUnit: 'people', registrationOpensAt: null, registrationClosesAt: null } })).toEqual({ ok: false, reason: 'not_found' });
	});
});

describe('a one-off date', () => {
	it('follows the program’s defaults by default (registration, 定員, window), and later changes to them; or keeps settings of its own', async () => {
		await saveRegistrationDefaults(admin(), { programId, defaults: defaults({ capacity: 9, capacityUnit: 'groups', opensDaysBefore: 5, closesHoursBefore: 3 }), today });
		const startsAt = new Date(`${addDays(today, 20)}T10:00:00+09:00`);
		const base = { programId, title: '夏まつり', startsAt, endsAt: null, note: null, kind: 'session' as const, locationId: '', registrationOpen: false, capacity: null, capacityUnit: 'people' as const, registrationOpensAt: null, registrationClosesAt: null };
		const following = await addOneOffDate(admin(), { ...base, followsProgram: true });
		if (!following.ok) throw new Error(following.reason);
		expect(following.value).toMatchObject({
			followsProgram: true,
			registrationOpen: true,
			capacity: 9,
			capacityUnit: 'groups',
			registrationOpensAt: new Date(`${addDays(today, 15)}T00:00:00+09:00`),
			registrationClosesAt: new Date(startsAt.getTime() - 3 * 3600_000)
		});
		await saveRegistrationDefaults(admin(), { programId, defaults: defaults({ capacity: 11, opensDaysBefore: 5, closesHoursBefore: 3 }), today });
		const [later] = await asSystem(database.db, (tx) => tx.select().from(occurrences).where(eq(occurrences.id, following.value.id)));
		expect(later.capacity).toBe(11);

		const own = await addOneOffDate(admin(), { ...base, title: '見学会', followsProgram: false, registrationOpen: true, capacity: 2, registrationClosesAt: new Date(startsAt.getTime() - 86_400_000) });
		if (!own.ok) throw new Error(own.reason);
		expect(own.value).toMatchObject({ followsProgram: false, registrationOpen: true, capacity: 2, capacityUnit: 'people', registrationOpensAt: null, registrationClosesAt: new Date(startsAt.getTime() - 86_400_000) });
		const [audit] = await asSystem(database.db, (tx) => tx.execute<{ changed_fields: string[] }>(sql`select changed_fields from audit_events where action = 'occurrence.create' and entity_id = ${following.value.id}`)).then((r) => r.rows);
		expect(audit.changed_fields).toContain('follows_program');
	});
});

describe('the registration window', () => {
	it('refuses before it opens and after it closes, and takes registrations in between', async () => {
		const [date] = await datesOf(programId);
		await asSystem(database.db, (tx) =>
			tx
				.update(occurrences)
				.set({ registrationOpensAt: new Date(Date.now() + 3600_000), registrationClosesAt: null })
				.where(eq(occurrences.id, date.id))
		);
		const early = await register(residentOn(database.db), { occurrenceId: date.id, registration: person(), cardId: null });
		expect(early).toEqual({ ok: false, reason: 'not_open_yet' });
		await asSystem(database.db, (tx) =>
			tx
				.update(occurrences)
				.set({ registrationOpensAt: new Date(Date.now() - 3600_000), registrationClosesAt: new Date(Date.now() - 60_000) })
				.where(eq(occurrences.id, date.id))
		);
		const late = await register(residentOn(database.db), { occurrenceId: date.id, registration: person(), cardId: null });
		expect(late).toEqual({ ok: false, reason: 'window_closed' });
		await asSystem(database.db, (tx) =>
			tx
				.update(occurrences)
				.set({ registrationClosesAt: new Date(Date.now() + 3600_000) })
				.where(eq(occurrences.id, date.id))
		);
		const inTime = await register(residentOn(database.db), { occurrenceId: date.id, registration: person(), cardId: null });
		expect(inTime.ok).toBe(true);
		const count = await asSystem(database.db, (tx) => tx.select().from(registrations).where(eq(registrations.occurrenceId, date.id)));
		expect(count).toHaveLength(1);
	});
});

describe('answers to the questions', () => {
	const form = (entries: Record<string, string>) => {
		const f = new FormData();
		for (const [k, v] of Object.entries(entries)) f.set(k, v);
		return f;
	};

	it('are sealed (no plaintext in the column) and shown to the organisation’s staff, in the list and the export', async () => {
		// Open now (no window), whatever the tests before left.
		await saveRegistrationDefaults(admin(), { programId, defaults: defaults({ questions: [GRADE, PHOTO] }), today });
		const dates = await datesOf(programId);
		const date = dates[dates.length - 1];
		const answers = readAnswers([GRADE, PHOTO], form({ 'a.qgrade01.0.fgrade01': '小3', 'a.qgrade01.0.fallergy': '卵', 'a.qgrade01.1.fgrade01': '小1', 'a.qphoto01': 'on' }), 3);
		if (!answers.ok) throw new Error(JSON.stringify(answers.errors));
		const done = await register(residentOn(database.db), { occurrenceId: date.id, registration: person(3), cardId: null, answers: answers.value });
		if (!done.ok) throw new Error(done.reason);

		const [raw] = await asSystem(database.db, (tx) => tx.select({ answers: registrations.answersSealed }).from(registrations).where(eq(registrations.id, done.value.registrationId)));
		expect(raw.answers).toMatch(/^enc:v1:/);
		for (const plain of ['小3', '卵', 'お子さんの学年', '学年']) expect(raw.answers).not.toContain(plain);

		const list = await listRegistrations(viewer(), { occurrenceId: date.id });
		if (!list.ok) throw new Error(list.reason);
		const mine = list.value.registrations.find((r) => r.id === done.value.registrationId)!;
		const grade = mine.answers.find((a) => a.id === 'qgrade01')!;
		expect(grade.label).toBe('お子さんの学年');
		expect(grade.value).toEqual([
			{ fgrade01: '小3', fallergy: '卵' },
			{ fgrade01: '小1', fallergy: '' }
		]);
		expect(mine.answers.find((a) => a.id === 'qphoto01')!.value).toBe(true);
		const exported = await exportRegistrations(viewer(), { occurrenceId: date.id });
		expect(exported.ok && exported.value.find((r) => r.id === done.value.registrationId)!.answers).toHaveLength(2);

		// Another organisation's staff: not found, nothing read.
		expect(await listRegistrations(viewer(otherOrg), { occurrenceId: date.id })).toEqual({ ok: false, reason: 'not_found' });
		expect(await exportRegistrations(viewer(otherOrg), { occurrenceId: date.id })).toEqual({ ok: false, reason: 'not_found' });
	});
});

describe('retention', () => {
	it('reads REGISTRATION_RETENTION_DAYS like the consultations', () => {
		expect(registrationRetentionDays({})).toBe(90);
		expect(registrationRetentionDays({ REGISTRATION_RETENTION_DAYS: '30' })).toBe(30);
		for (const bad of ['0', '-1', '1.5', 'abc', '99999']) expect(() => registrationRetentionDays({ REGISTRATION_RETENTION_DAYS: bad })).toThrow(/REGISTRATION_RETENTION_DAYS/);
	});

	it('deletes registrations of dates that ended long enough ago, keeps the rest and every visit, and does it once', async () => {
		const { organizationId: o, programId: p } = await makeOrganizationWithProgram(database.db, { schedule: null });
		const at = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000);
		const dateAt = async (daysAgo: number) => {
			const [row] = await asSystem(database.db, (tx) =>
				tx
					.insert(occurrences)
					.values({ organizationId: o, programId: p, day: at(daysAgo).toISOString().slice(0, 10), startsAt: at(daysAgo), endsAt: new Date(at(daysAgo).getTime() + 3600_000), registrationOpen: true, followsProgram: false })
					.returning()
			);
			return row.id;
		};
		const old = await dateAt(100);
		const recent = await dateAt(10);
		const regOn = async (occurrenceId: string) => {
			const id = randomUUID();
			await asSystem(database.db, (tx) =>
				tx.insert(registrations).values({ id, organizationId: o, occurrenceId, status: 'registered', nameSealed: 'x', contactSealed: 'x', answersSealed: 'x', contactKind: 'email', groupSize: 2, submissionKey: `k-${id}`, accessDigest: `d-${id}`, referenceCode: id.slice(0, 6).toUpperCase() })
			);
			return id;
		};
		const oldReg = await regOn(old);
		const recentReg = await regOn(recent);
		const [visit] = await asSystem(database.db, (tx) =>
			tx
				.insert(visits)
				.values({ organizationId: o, programId: p, occurrenceId: old, day: at(100).toISOString().slice(0, 10), countedAt: at(100), source: 'registration', personKey: `registration:${oldReg}`, registrationId: oldReg, people: 2 })
				.returning()
		);

		const scope = systemScope(database.db, 'registration_retention');
		const run = await deleteExpiredRegistrations(scope, { now: new Date(), days: 90 });
		expect(run.registrations).toBeGreaterThanOrEqual(1);
		const left = await asSystem(database.db, (tx) =>
			tx
				.select({ id: registrations.id })
				.from(registrations)
				.where(sql`${registrations.id} in (${oldReg}, ${recentReg})`)
		);
		expect(left.map((r) => r.id)).toEqual([recentReg]);
		const [kept] = await asSystem(database.db, (tx) => tx.select().from(visits).where(eq(visits.id, visit.id)));
		expect(kept).toMatchObject({ registrationId: null, people: 2, occurrenceId: old });

		const again = await deleteExpiredRegistrations(scope, { now: new Date(), days: 90 });
		expect(again.registrations).toBe(0);
		const audits = await runIn(scope, (tx) => tx.execute<{ entity_id: string; changed_fields: string[] }>(sql`select entity_id, changed_fields from audit_events where action = 'registration.retention' order by id`));
		expect(audits.rows).toHaveLength(2);
		expect(audits.rows[1].entity_id).toMatch(/^registrations=0 ended_before=/);
	});
});
