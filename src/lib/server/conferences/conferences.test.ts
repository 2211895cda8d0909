/**
 * The case conference operations on a real database: naming participants (members of the
 * organisation given, in a role that takes part; organisations of the network; the caller by
 * default), the summary and minutes shown to a participant from another organisation only while the
 * database lets them (during the window), writes refused outside it, actions and who may mark them
 * done, the list, and every opening recorded — in the acting organisation's log and the owner's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { testDatabase } from '../../../../tests/helpers/db';
import { makeMember, seedCast, type Cast } from '../../../../tests/helpers/people';
import { makeOrganization } from '../../../../tests/helpers/factories';
import type { Database } from '../db';
import { useDatabase } from '../db';
import type { Permission } from '../auth';
import type { Role } from '../network';
import { addAction, conferencesOf, createConference, editConference, markActionDone, openConference, setParticipants, writeRecord } from './index';
import { organizationScopeOf } from '../../../../tests/helpers/scopes';

let database: Database;
let admin: pg.Client;
let cast: Cast;
let orgC: string;
let memberC: string;

const as = (userId: string, organizationId: string, role: Role, permission: Permission = 'conferences.take_part') => organizationScopeOf(userId, organizationId, role, permission);
const staffA = (p: Permission = 'conferences.manage') => as(cast.people.staff.userId, cast.orgA, 'staff', p);
const adminA = () => as(cast.people.org_admin.userId, cast.orgA, 'org_admin');
const staffB = () => as(cast.people.staffB.userId, cast.orgB, 'staff');
const adminB = () => as(cast.people.adminB.userId, cast.orgB, 'org_admin');
const personC = () => as(memberC, orgC, 'staff');

const HOUR = 3600_000;
const around = (fromHours: number, toHours: number) => ({ startsAt: new Date(Date.now() + fromHours * HOUR), endsAt: new Date(Date.now() + toHours * HOUR) });
const audits = async (conferenceId: string) =>
	(
		await admin.query<{ action: string; organization_id: string; actor_user_id: string; entity_type: string; entity_id: string }>(`select action, organization_id, actor_user_id, entity_type, entity_id from audit_events where entity_id in ($1, $2, $3) order by id`, [
			conferenceId,
			cast.orgA,
			cast.orgB
		])
	).rows;
const conferenceCount = async () => Number((await admin.query(`select count(*) from case_conferences`)).rows[0].count);

async function create(times = around(-1, 1)) {
	const made = await createConference(staffA(), { title: '4月の支援会議', agenda: '登校の再開について', ...times, participants: [{ userId: cast.people.staffB.userId, organizationId: cast.orgB }] });
	if (!made.ok) throw new Error(made.reason);
	return made.value.id;
}

beforeAll(async () => {
	database = await testDatabase();
	useDatabase(database);
	admin = new pg.Client({ connectionString: database.adminUrl });
	await admin.connect();
	cast = await seedCast(database, 'conferences');
	orgC = await makeOrganization(database.db);
	memberC = await makeMember(database.db, orgC, 'staff', 'conferences-c@example.org');
}, 60_000);

afterAll(async () => {
	await admin?.end();
	await database?.close();
});

describe('calling a conference', () => {
	it('names the caller by default, seals the agenda, keeps participant_user_ids and records the creation', async () => {
		const id = await create();
		const row = (await admin.query(`select organization_id, owner_user_id, agenda_sealed, participant_user_ids::text[] as ids from case_conferences where id = $1`, [id])).rows[0];
		expect(row.organization_id).toBe(cast.orgA);
		expect(row.agenda_sealed).toMatch(/^enc:v1:/);
		expect([...row.ids].sort()).toEqual([cast.people.staff.userId, cast.people.staffB.userId].sort());
		expect((await admin.query(`select count(*)::int as n from conference_records where conference_id = $1`, [id])).rows[0].n).toBe(1);
		expect(await audits(id)).toEqual([expect.objectContaining({ action: 'conference.create', organization_id: cast.orgA, actor_user_id: cast.people.staff.userId, entity_type: 'case_conference' })]);
	});

	it('refuses people who are not members of the organisation given, organisations outside the network, the same person twice — and creates nothing', async () => {
		const before = await conferenceCount();
		const base = { title: '会議', agenda: '', ...around(1, 2) };
		const tries: Array<[string, { userId: string; organizationId: string }[]]> = [
			['not_member', [{ userId: cast.people.staffB.userId, organizationId: cast.orgA }]],
			['not_member', [{ userId: cast.people.volunteer.userId, organizationId: cast.orgA }]],
			['not_member', [{ userId: randomUUID(), organizationId: cast.orgB }]],
			['unknown_organization', [{ userId: cast.people.staffB.userId, organizationId: randomUUID() }]],
			[
				'duplicate',
				[
					{ userId: cast.people.staffB.userId, organizationId: cast.orgB },
					{ userId: cast.people.staffB.userId, organizationId: cast.orgB }
				]
			]
		];
		for (const [reason, participants] of tries) expect(await createConference(staffA(), { ...base, participants })).toEqual({ ok: false, reason });
		await expect(createConference(staffA(), { ...base, ...around(2, 1), participants: [] })).rejects.toThrow();
		expect(await conferenceCount()).toBe(before);
	});
});

describe('the shared summary', () => {
	let id: string;
	beforeAll(async () => {
		id = await create();
		const written = await writeRecord(staffA(), { conferenceId: id, summary: '中学2年。4月から登校していない。', minutes: '' });
		expect(written.ok).toBe(true);
	});

	it('is shown to the participant from another organisation during the window, with names across organisations, and the view recorded in both logs', async () => {
		const before = (await audits(id)).length;
		const opened = await openConference(staffB(), { conferenceId: id });
		expect(opened.ok).toBe(true);
		if (!opened.ok) return;
		expect(opened.value).toMatchObject({ window: 'open', owned: false, participating: true, mayWrite: true, agenda: '登校の再開について', record: { summary: '中学2年。4月から登校していない。', minutes: null } });
		expect(opened.value.participants.map((p) => [p.displayName, p.organizationId]).sort()).toEqual([
			['staff', cast.orgA],
			['staff-b', cast.orgB]
		]);
		// B's own log in the operation's transaction; then the owner's, through the crossing, which records itself too.
		expect((await audits(id)).slice(before)).toEqual([
			expect.objectContaining({ action: 'conference.view', organization_id: cast.orgB, actor_user_id: cast.people.staffB.userId, entity_id: id }),
			expect.objectContaining({ action: 'conference.view', organization_id: cast.orgA, actor_user_id: cast.people.staffB.userId, entity_id: id }),
			expect.objectContaining({ action: 'crossing.conference', organization_id: cast.orgA, actor_user_id: cast.people.staffB.userId, entity_type: 'organization', entity_id: cast.orgB })
		]);
	});

	it('records every opening', async () => {
		const views = async () => (await audits(id)).filter((a) => a.action === 'conference.view' && a.organization_id === cast.orgA).length;
		const before = await views();
		await openConference(staffA('conferences.take_part'), { conferenceId: id });
		await openConference(adminA(), { conferenceId: id });
		await openConference(staffB(), { conferenceId: id });
		expect(await views()).toBe(before + 3);
	});

	it('is not there for a member of B who is not named, for another organisation, or under the wrong organisation', async () => {
		const before = (await audits(id)).length;
		expect(await openConference(adminB(), { conferenceId: id })).toEqual({ ok: false, reason: 'not_found' });
		expect(await openConference(personC(), { conferenceId: id })).toEqual({ ok: false, reason: 'not_found' });
		// B's participant acting for organisation A's scope would need a role there; with one at C, nothing.
		expect(await openConference(as(cast.people.staffB.userId, orgC, 'staff'), { conferenceId: id })).toEqual({ ok: false, reason: 'not_found' });
		expect(await writeRecord(adminB(), { conferenceId: id, summary: '乗っ取り', minutes: '' })).toEqual({ ok: false, reason: 'not_found' });
		expect(await addAction(personC(), { conferenceId: id, description: '乗っ取り', assigneeUserId: memberC, dueOn: '2030-01-01' })).toEqual({ ok: false, reason: 'not_found' });
		expect((await audits(id)).length).toBe(before);
	});

	it('is written by the participant during the window; afterwards the participant neither reads nor writes it, the owner still does', async () => {
		expect(await writeRecord(staffB(), { conferenceId: id, summary: '学校とは連絡がとれている。', minutes: '次回は5月。' })).toEqual({ ok: true, value: undefined });
		expect(await addAction(staffB(), { conferenceId: id, description: '家庭訪問の日を決める', assigneeUserId: cast.people.staffB.userId, dueOn: '2030-01-10' })).toMatchObject({ ok: true });
		// The owner moves the window into the past.
		expect((await editConference(staffA(), { conferenceId: id, title: '4月の支援会議', agenda: '登校の再開について', ...around(-3, -1) })).ok).toBe(true);
		const after = await openConference(staffB(), { conferenceId: id });
		expect(after).toMatchObject({ ok: true, value: { window: 'after', record: null, mayWrite: false } });
		if (after.ok) expect(after.value.actions.map((a) => [a.description, a.assigneeName])).toEqual([['家庭訪問の日を決める', 'staff-b']]);
		expect(await writeRecord(staffB(), { conferenceId: id, summary: '遅れて書く', minutes: '' })).toEqual({ ok: false, reason: 'closed' });
		expect(await addAction(staffB(), { conferenceId: id, description: '遅れて加える', assigneeUserId: cast.people.staffB.userId, dueOn: '2030-01-10' })).toEqual({ ok: false, reason: 'closed' });
		const owner = await openConference(adminA(), { conferenceId: id });
		expect(owner).toMatchObject({ ok: true, value: { window: 'after', owned: true, participating: false, mayWrite: true, record: { summary: '学校とは連絡がとれている。', minutes: '次回は5月。' } } });
		expect(await writeRecord(staffA(), { conferenceId: id, summary: '会議の後に主催が整理', minutes: '' })).toEqual({ ok: true, value: undefined });
	});

	it('is not shown before the window', async () => {
		const later = await create(around(1, 2));
		expect(await openConference(staffB(), { conferenceId: later })).toMatchObject({ ok: true, value: { window: 'before', record: null, mayWrite: false } });
		expect(await writeRecord(staffB(), { conferenceId: later, summary: '早すぎる', minutes: '' })).toEqual({ ok: false, reason: 'closed' });
	});
});

describe('actions', () => {
	it('go to participants only; only the assignee marks theirs done, once', async () => {
		const id = await create();
		expect(await addAction(staffA(), { conferenceId: id, description: '担任に連絡', assigneeUserId: cast.people.adminB.userId, dueOn: '2030-01-10' })).toEqual({ ok: false, reason: 'not_participant' });
		const added = await addAction(staffA(), { conferenceId: id, description: '担任に連絡', assigneeUserId: cast.people.staffB.userId, dueOn: '2030-01-10' });
		expect(added.ok).toBe(true);
		if (!added.ok) return;
		const row = (await admin.query(`select description_sealed, assignee_organization_id from conference_actions where id = $1`, [added.value.id])).rows[0];
		expect(row.description_sealed).toMatch(/^enc:v1:/);
		expect(row.assignee_organization_id).toBe(cast.orgB);
		expect(await markActionDone(staffA('conferences.take_part'), { conferenceId: id, actionId: added.value.id })).toEqual({ ok: false, reason: 'not_assignee' });
		expect(await markActionDone(staffB(), { conferenceId: id, actionId: added.value.id })).toEqual({ ok: true, value: undefined });
		expect(await markActionDone(staffB(), { conferenceId: id, actionId: added.value.id })).toEqual({ ok: false, reason: 'not_assignee' });
		const actions = (await audits(id)).map((a) => `${a.action}@${a.organization_id === cast.orgA ? 'A' : 'B'}`);
		expect(actions).toEqual(expect.arrayContaining(['conference.action_add@A', 'conference.action_done@B', 'conference.action_done@A']));
	});
});

describe('participants and the list', () => {
	it('are named by the owner only; a removed participant loses the conference at once', async () => {
		const id = await create();
		expect(await setParticipants(staffA(), { conferenceId: id, participants: [{ userId: memberC, organizationId: orgC }] })).toEqual({ ok: true, value: undefined });
		expect((await openConference(personC(), { conferenceId: id })).ok).toBe(true);
		expect(await openConference(staffB(), { conferenceId: id })).toEqual({ ok: false, reason: 'not_found' });
		expect(await setParticipants(as(cast.people.staffB.userId, cast.orgB, 'staff', 'conferences.manage'), { conferenceId: id, participants: [{ userId: cast.people.staffB.userId, organizationId: cast.orgB }] })).toEqual({ ok: false, reason: 'not_found' });
		expect(await setParticipants(staffA(), { conferenceId: id, participants: [{ userId: memberC, organizationId: cast.orgB }] })).toEqual({ ok: false, reason: 'not_member' });
	});

	it('shows the organisation’s conferences to its managers and the ones a person is named in, with the window', async () => {
		const mine = await conferencesOf(staffB());
		expect(mine.length).toBeGreaterThan(0);
		expect(mine.every((c) => !c.owned && c.organizationId === cast.orgA)).toBe(true);
		expect(new Set(mine.map((c) => c.window))).toEqual(new Set(['open', 'after', 'before']));
		expect(await conferencesOf(adminB())).toEqual([]);
		const owned = await conferencesOf(adminA());
		expect(owned.length).toBeGreaterThanOrEqual(mine.length);
		expect(owned.every((c) => c.owned)).toBe(true);
	});
});
