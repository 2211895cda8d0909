/**
 * The case conference summary at the database level (issue 14's done-when): row-level security
 * alone, with the contexts the app sets (withAccess), decides who reads and writes
 * conference_records. During the window the participants read it and the owning organisation
 * always; a member of the participant's organisation who is not named, a third organisation, no
 * context and the secretariat's standing never; after the window (and before it) the participant
 * from elsewhere no longer reads it but still sees the conference and its actions. The trigger keeps
 * participant_user_ids equal to the participants. Windows are relative to the real now().
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { testDatabase } from '../../../../tests/helpers/db';
import { seedCast, type Cast } from '../../../../tests/helpers/people';
import { makeOrganization } from '../../../../tests/helpers/factories';
import type { Database } from '../db';
import { withAccess, ANONYMOUS, type AccessContext } from '../db/tenant';

let database: Database;
let admin: pg.Client;
let cast: Cast;
let orgC: string;
/** Conferences of organisation A with its staff and B's staff named: open now, ended, not yet begun. */
const conf = { open: '', ended: '', future: '' };

/** drizzle wraps the database's error; its cause says why. */
const REFUSED = { cause: { message: expect.stringMatching(/row-level security/) } };

const contexts = {
	/** Named for B. */
	participantB: (): AccessContext => ({ userId: cast.people.staffB.userId, organizationIds: [cast.orgB] }),
	/** B's admin: a member of the participant's organisation, not named. */
	memberB: (): AccessContext => ({ userId: cast.people.adminB.userId, organizationIds: [cast.orgB] }),
	/** A member of a third organisation. */
	orgC: (): AccessContext => ({ userId: randomUUID(), organizationIds: [orgC] }),
	/** The owning organisation, through someone who is not named. */
	owner: (): AccessContext => ({ userId: cast.people.org_admin.userId, organizationIds: [cast.orgA] }),
	secretariat: (): AccessContext => ({ userId: cast.people.secretariat.userId, organizationIds: [], secretariat: true }),
	none: (): AccessContext => ANONYMOUS
};

const count = (context: AccessContext, table: string, conferenceId: string, column = 'conference_id') =>
	withAccess(database.db, context, async (tx) => Number((await tx.execute<{ n: string }>(sql`select count(*) as n from ${sql.identifier(table)} where ${sql.identifier(column)} = ${conferenceId}`)).rows[0].n));
const records = (context: AccessContext, conferenceId: string) => count(context, 'conference_records', conferenceId);
const conferenceRows = (context: AccessContext, conferenceId: string) => count(context, 'case_conferences', conferenceId, 'id');
const actionRows = (context: AccessContext, conferenceId: string) => count(context, 'conference_actions', conferenceId);
const summaryOf = async (conferenceId: string) => (await admin.query(`select summary_sealed from conference_records where conference_id = $1`, [conferenceId])).rows[0].summary_sealed;
const participantIds = async (conferenceId: string) => (await admin.query<{ ids: string[] }>(`select participant_user_ids::text[] as ids from case_conferences where id = $1`, [conferenceId])).rows[0].ids;

async function makeConference(starts: string, ends: string): Promise<string> {
	const { rows } = await admin.query(`insert into case_conferences (organization_id, owner_user_id, title, starts_at, ends_at) values ($1, $2, '支援会議', now() + $3::interval, now() + $4::interval) returning id`, [cast.orgA, cast.people.staff.userId, starts, ends]);
	const id = rows[0].id as string;
	await admin.query(`insert into conference_participants (conference_id, user_id, organization_id, owner_organization_id) values ($1, $2, $3, $3), ($1, $4, $5, $3)`, [id, cast.people.staff.userId, cast.orgA, cast.people.staffB.userId, cast.orgB]);
	await admin.query(`insert into conference_records (conference_id, organization_id, summary_sealed, minutes_sealed) values ($1, $2, 'summary', 'minutes')`, [id, cast.orgA]);
	await admin.query(`insert into conference_actions (conference_id, organization_id, description_sealed, assignee_user_id, assignee_organization_id, due_on) values ($1, $2, 'action', $3, $4, current_date + 7)`, [id, cast.orgA, cast.people.staffB.userId, cast.orgB]);
	return id;
}

beforeAll(async () => {
	database = await testDatabase();
	admin = new pg.Client({ connectionString: database.adminUrl });
	await admin.connect();
	cast = await seedCast(database, 'conference-rls');
	orgC = await makeOrganization(database.db);
	conf.open = await makeConference('-1 hour', '1 hour');
	conf.ended = await makeConference('-3 hours', '-1 hour');
	conf.future = await makeConference('1 hour', '3 hours');
});

afterAll(async () => {
	await admin?.end();
	await database?.close();
});

describe('the shared summary during the window', () => {
	it('is read by the participant from organisation B, in B’s context', async () => {
		expect(await records(contexts.participantB(), conf.open)).toBe(1);
		const summary = await withAccess(database.db, contexts.participantB(), async (tx) => (await tx.execute<{ s: string }>(sql`select summary_sealed as s from conference_records where conference_id = ${conf.open}`)).rows[0].s);
		expect(summary).toBe('summary');
	});

	it('is read by the owning organisation', async () => {
		expect(await records(contexts.owner(), conf.open)).toBe(1);
	});

	it('is not read by a member of B who is not named, by a third organisation, without a context, or with the secretariat’s standing', async () => {
		for (const [who, context] of [
			['member of B', contexts.memberB()],
			['organisation C', contexts.orgC()],
			['no context', contexts.none()],
			['secretariat', contexts.secretariat()]
		] as const) {
			expect(await records(context, conf.open), who).toBe(0);
			// Nor the conference, its participants or its actions.
			expect(await conferenceRows(context, conf.open), who).toBe(0);
			expect(await actionRows(context, conf.open), who).toBe(0);
			expect(await count(context, 'conference_participants', conf.open), who).toBe(0);
		}
	});

	it('is written by the participant, and by nobody who is not named', async () => {
		const write = (context: AccessContext, value: string) => withAccess(database.db, context, async (tx) => (await tx.execute(sql`update conference_records set summary_sealed = ${value} where conference_id = ${conf.open} returning conference_id`)).rows.length);
		expect(await write(contexts.participantB(), 'by B')).toBe(1);
		expect(await summaryOf(conf.open)).toBe('by B');
		for (const context of [contexts.memberB(), contexts.orgC(), contexts.none(), contexts.secretariat()]) expect(await write(context, 'hijacked')).toBe(0);
		expect(await summaryOf(conf.open)).toBe('by B');
		// An insert for a conference one is not named in is refused outright.
		const fresh = (await admin.query(`insert into case_conferences (organization_id, owner_user_id, title, starts_at, ends_at) values ($1, $2, '別の会議', now() - interval '1 hour', now() + interval '1 hour') returning id`, [cast.orgA, cast.people.staff.userId])).rows[0].id;
		await expect(withAccess(database.db, contexts.memberB(), (tx) => tx.execute(sql`insert into conference_records (conference_id, organization_id, summary_sealed) values (${fresh}, ${cast.orgA}, 'hijacked')`))).rejects.toMatchObject(REFUSED);
		// Nor can anyone not named add an action or delete the record.
		await expect(
			withAccess(database.db, contexts.memberB(), (tx) =>
				tx.execute(sql`insert into conference_actions (conference_id, organization_id, description_sealed, assignee_user_id, assignee_organization_id, due_on) values (${conf.open}, ${cast.orgA}, 'x', ${cast.people.adminB.userId}, ${cast.orgB}, current_date)`)
			)
		).rejects.toMatchObject(REFUSED);
		const deleted = await withAccess(database.db, contexts.participantB(), async (tx) => (await tx.execute(sql`delete from conference_records where conference_id = ${conf.open} returning conference_id`)).rows.length);
		expect(deleted).toBe(0);
		expect(await records(contexts.owner(), conf.open)).toBe(1);
	});
});

describe('after the window', () => {
	it('the participant from B no longer reads the summary, but still sees the conference and its actions', async () => {
		expect(await records(contexts.participantB(), conf.ended)).toBe(0);
		expect(await conferenceRows(contexts.participantB(), conf.ended)).toBe(1);
		expect(await actionRows(contexts.participantB(), conf.ended)).toBe(1);
		expect(await count(contexts.participantB(), 'conference_participants', conf.ended)).toBe(2);
	});

	it('the owning organisation still reads it', async () => {
		expect(await records(contexts.owner(), conf.ended)).toBe(1);
	});

	it('the participant can no longer write it; the assignee still marks their action done', async () => {
		const written = await withAccess(database.db, contexts.participantB(), async (tx) => (await tx.execute(sql`update conference_records set summary_sealed = 'late' where conference_id = ${conf.ended} returning conference_id`)).rows.length);
		expect(written).toBe(0);
		expect(await summaryOf(conf.ended)).toBe('summary');
		await expect(withAccess(database.db, contexts.participantB(), (tx) => tx.execute(sql`insert into conference_records (conference_id, organization_id) values (${conf.ended}, ${cast.orgA})`))).rejects.toThrow();
		const done = await withAccess(database.db, contexts.participantB(), async (tx) => (await tx.execute(sql`update conference_actions set done_at = now() where conference_id = ${conf.ended} and assignee_user_id = ${cast.people.staffB.userId} returning id`)).rows.length);
		expect(done).toBe(1);
	});
});

describe('before the window', () => {
	it('the participant does not read the summary yet; the owner does', async () => {
		expect(await records(contexts.participantB(), conf.future)).toBe(0);
		expect(await conferenceRows(contexts.participantB(), conf.future)).toBe(1);
		expect(await records(contexts.owner(), conf.future)).toBe(1);
	});
});

describe('participant_user_ids', () => {
	it('follows the participants through inserts and deletes', async () => {
		const sorted = (ids: string[]) => [...ids].sort();
		expect(sorted(await participantIds(conf.open))).toEqual(sorted([cast.people.staff.userId, cast.people.staffB.userId]));
		// Adding B's admin (as the owning organisation) lets them read the summary at once.
		await withAccess(database.db, contexts.owner(), (tx) => tx.execute(sql`insert into conference_participants (conference_id, user_id, organization_id, owner_organization_id) values (${conf.open}, ${cast.people.adminB.userId}, ${cast.orgB}, ${cast.orgA})`));
		expect(sorted(await participantIds(conf.open))).toEqual(sorted([cast.people.staff.userId, cast.people.staffB.userId, cast.people.adminB.userId]));
		expect(await records(contexts.memberB(), conf.open)).toBe(1);
		// Removing B's staff member takes the summary away from them at once.
		await withAccess(database.db, contexts.owner(), (tx) => tx.execute(sql`delete from conference_participants where conference_id = ${conf.open} and user_id = ${cast.people.staffB.userId}`));
		expect(sorted(await participantIds(conf.open))).toEqual(sorted([cast.people.staff.userId, cast.people.adminB.userId]));
		expect(await records(contexts.participantB(), conf.open)).toBe(0);
		expect(await conferenceRows(contexts.participantB(), conf.open)).toBe(0);
		// The last one out leaves an empty array, not null.
		await admin.query(`delete from conference_participants where conference_id = $1`, [conf.open]);
		expect(await participantIds(conf.open)).toEqual([]);
	});

	it('cannot be set by a participant’s organisation, nor can it name participants', async () => {
		const changed = await withAccess(database.db, contexts.participantB(), async (tx) => (await tx.execute(sql`update case_conferences set participant_user_ids = array[${cast.people.adminB.userId}::uuid] where id = ${conf.ended} returning id`)).rows.length);
		expect(changed).toBe(0);
		await expect(withAccess(database.db, contexts.participantB(), (tx) => tx.execute(sql`insert into conference_participants (conference_id, user_id, organization_id, owner_organization_id) values (${conf.ended}, ${cast.people.adminB.userId}, ${cast.orgB}, ${cast.orgA})`))).rejects.toMatchObject(
			REFUSED
		);
	});
});

/**
 * Rows claiming another owner: every write policy of conference_records, conference_participants
 * and conference_actions ties the row's organisation to `case_conferences.organization_id`, so an
 * organisation that knows a conference id (a former participant does) cannot hang a record, a
 * participant or an action on another organisation's conference, nor can a participant write one
 * in their own organisation's name. (Found by this module's tests; before the fix these inserts
 * went through.)
 */
describe('rows claiming another owner', () => {
	const fresh = async () => (await admin.query(`insert into case_conferences (organization_id, owner_user_id, title, starts_at, ends_at) values ($1, $2, '別の会議', now() - interval '1 hour', now() + interval '1 hour') returning id`, [cast.orgA, cast.people.staff.userId])).rows[0].id as string;

	it('a third organisation cannot create the record of a conference it does not own', async () => {
		const id = await fresh();
		await expect(withAccess(database.db, contexts.orgC(), (tx) => tx.execute(sql`insert into conference_records (conference_id, organization_id, summary_sealed) values (${id}, ${orgC}, 'hijacked')`))).rejects.toMatchObject(REFUSED);
	});

	it('a third organisation cannot name itself a participant of a conference it does not own', async () => {
		const id = await fresh();
		await expect(withAccess(database.db, contexts.orgC(), (tx) => tx.execute(sql`insert into conference_participants (conference_id, user_id, organization_id, owner_organization_id) values (${id}, ${randomUUID()}, ${orgC}, ${orgC})`))).rejects.toMatchObject(REFUSED);
	});

	it('a participant during the window cannot write an action or the record in their own organisation’s name', async () => {
		const id = await makeConference('-1 hour', '1 hour');
		await expect(
			withAccess(database.db, contexts.participantB(), (tx) =>
				tx.execute(sql`insert into conference_actions (conference_id, organization_id, description_sealed, assignee_user_id, assignee_organization_id, due_on) values (${id}, ${cast.orgB}, 'x', ${cast.people.staffB.userId}, ${cast.orgB}, current_date)`)
			)
		).rejects.toMatchObject(REFUSED);
		const moved = await withAccess(database.db, contexts.participantB(), (tx) => tx.execute(sql`update conference_records set organization_id = ${cast.orgB} where conference_id = ${id}`)).catch((e: unknown) => e);
		expect(moved).toMatchObject(REFUSED);
		// In the owner's name, during the window, the participant may add an action.
		const added = await withAccess(database.db, contexts.participantB(), (tx) =>
			tx.execute(sql`insert into conference_actions (conference_id, organization_id, description_sealed, assignee_user_id, assignee_organization_id, due_on) values (${id}, ${cast.orgA}, 'x', ${cast.people.staffB.userId}, ${cast.orgB}, current_date)`)
		);
		expect(added.rowCount).toBe(1);
	});

	it('a third organisation cannot add an action to a conference it does not own', async () => {
		const id = await fresh();
		await expect(
			withAccess(database.db, contexts.orgC(), (tx) => tx.execute(sql`insert into conference_actions (conference_id, organization_id, description_sealed, assignee_user_id, assignee_organization_id, due_on) values (${id}, ${orgC}, 'x', ${randomUUID()}, ${orgC}, current_date)`))
		).rejects.toMatchObject(REFUSED);
	});
});
