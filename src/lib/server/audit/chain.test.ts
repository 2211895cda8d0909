/**
 * The hash chain against a real server: appends (one after another and at the same time) make a
 * chain that verifies; editing, deleting a middle row or the tail as a superuser who bypasses the
 * append-only trigger makes verification fail at the right row; the app role cannot edit at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { testDatabase } from '../../../../tests/helpers/db';
import { makeOrganization } from '../../../../tests/helpers/factories';
import type { Database } from '../db';
import { asSystem, withAccess } from '../db/tenant';
import { recordAudit, verifyAuditChain, auditRowHash, canonicalAuditRow, GENESIS_HASH, AuditEntryError, type AuditOrigin } from './index';

let database: Database;
let admin: pg.Client;
let orgA: string;
let orgB: string;

const origin: AuditOrigin = { actorUserId: null, ip: '192.0.2.1', userAgent: 'vitest', requestId: 'req-1' };
const append = (n: number, action = 'test.append') =>
	asSystem(database.db, async (tx) => {
		for (let i = 0; i < n; i++) await recordAudit(tx, origin, { action, entityType: 'thing', entityId: String(i), changedFields: ['name', 'title'] });
	});
const lastId = async () => Number((await admin.query<{ id: string }>('select max(id)::text as id from audit_events')).rows[0].id);

/** As the superuser, with triggers off for this session only: what an attacker with the server's keys could do. */
async function tamper<T>(statements: (c: pg.Client) => Promise<T>): Promise<T> {
	await admin.query('begin');
	await admin.query('set local session_replication_role = replica');
	try {
		const result = await statements(admin);
		await admin.query('commit');
		return result;
	} catch (error) {
		await admin.query('rollback');
		throw error;
	}
}

beforeAll(async () => {
	database = await testDatabase();
	admin = new pg.Client({ connectionString: database.adminUrl });
	await admin.connect();
	orgA = await makeOrganization(database.db);
	orgB = await makeOrganization(database.db);
});
afterAll(async () => {
	await admin?.end();
	await database?.close();
});

describe('canonical form', () => {
	it('hashes the previous hash and every field, id included', () => {
		const row = { id: '7', at: '2025-04-01T00:00:00.123456Z', actorUserId: null, organizationId: null, action: 'a.b', entityType: null, entityId: null, changedFields: ['x'], ip: null, userAgent: null, requestId: null };
		expect(canonicalAuditRow(row)).toBe('["7","2025-04-01T00:00:00.123456Z",null,null,"a.b",null,null,["x"],null,null,null]');
		const hash = auditRowHash(GENESIS_HASH, row);
		expect(hash).toMatch(/^[0-9a-f]{64}$/);
		expect(auditRowHash(GENESIS_HASH, { ...row, id: '8' })).not.toBe(hash);
		expect(auditRowHash(GENESIS_HASH, { ...row, at: '2025-04-01T00:00:00.123457Z' })).not.toBe(hash);
		expect(auditRowHash('1'.repeat(64), row)).not.toBe(hash);
		// Field boundaries cannot be shifted: ["ab", null] and ["a", "b"] differ.
		expect(auditRowHash(GENESIS_HASH, { ...row, entityType: 'ab', entityId: null })).not.toBe(auditRowHash(GENESIS_HASH, { ...row, entityType: 'a', entityId: 'b' }));
	});
});

describe('appending', () => {
	it('an empty log verifies', async () => {
		expect(await verifyAuditChain(database.db)).toEqual({ ok: true, checked: 0, head: { lastId: 0, lastHash: GENESIS_HASH } });
	});

	it('chains rows in order, with the time stored to the microsecond as hashed', async () => {
		await append(3);
		const { rows } = await admin.query<{ id: string; at: string; prev_hash: string; hash: string }>(`select id::text, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at, prev_hash, hash from audit_events order by id`);
		expect(rows).toHaveLength(3);
		expect(rows[0].prev_hash).toBe(GENESIS_HASH);
		expect(rows[1].prev_hash).toBe(rows[0].hash);
		expect(rows[2].prev_hash).toBe(rows[1].hash);
		const head = (await admin.query('select last_id::text, last_hash from audit_chain')).rows[0];
		expect(head).toEqual({ last_id: rows[2].id, last_hash: rows[2].hash });
		expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, checked: 3 });
	});

	it('rolls back with the caller: no row, no change to the head', async () => {
		const before = (await admin.query('select last_id, last_hash from audit_chain')).rows[0];
		await expect(
			asSystem(database.db, async (tx) => {
				await recordAudit(tx, origin, { action: 'test.rolled_back' });
				throw new Error('the change failed');
			})
		).rejects.toThrow('the change failed');
		expect((await admin.query('select last_id, last_hash from audit_chain')).rows[0]).toEqual(before);
		expect((await admin.query(`select count(*)::int as n from audit_events where action = 'test.rolled_back'`)).rows[0].n).toBe(0);
		// The id the rolled-back row took is a gap; the chain does not care.
		await append(1);
		expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, checked: 4 });
	});

	it('stays valid under concurrent writers in different contexts', async () => {
		const writers = Array.from({ length: 12 }, (_, i) => {
			const org = i % 2 ? orgA : orgB;
			return withAccess(database.db, { organizationIds: [org] }, async (tx) => {
				await tx.execute(sql`select pg_sleep(${(i % 3) * 0.01})`);
				await recordAudit(tx, { ...origin, requestId: `w${i}` }, { action: 'test.concurrent', organizationId: org, entityType: 'thing', entityId: `c${i}` });
				await recordAudit(tx, { ...origin, requestId: `w${i}` }, { action: 'test.concurrent', organizationId: org, entityType: 'thing', entityId: `c${i}b` });
			});
		});
		await Promise.all([...writers, append(5, 'test.sequential')]);
		const report = await verifyAuditChain(database.db);
		expect(report).toMatchObject({ ok: true, checked: 4 + 24 + 5 });
		// Ids grow in chain order: every row links to the row with the next lower id.
		const { rows } = await admin.query<{ broken: number }>(`select count(*)::int as broken from (select prev_hash, lag(hash) over (order by id) as before from audit_events) x where before is not null and prev_hash <> before`);
		expect(rows[0].broken).toBe(0);
	});

	it('verifies in small batches and while others append', async () => {
		const [report] = await Promise.all([verifyAuditChain(database.db, { batchSize: 2 }), append(10, 'test.meanwhile')]);
		expect(report.ok).toBe(true);
		expect(await verifyAuditChain(database.db, { batchSize: 3 })).toMatchObject({ ok: true, checked: 43 });
	});

	it('records the organisation-less events of a person who can read none of them (no RETURNING)', async () => {
		const userId = (await admin.query<{ id: string }>(`insert into users (email, display_name, password_hash) values ('audit-self@example.org', 'Self', 'x') returning id`)).rows[0].id;
		await withAccess(database.db, { userId }, (tx) => recordAudit(tx, { ...origin, actorUserId: userId }, { action: 'session.logout_everywhere', entityType: 'user', entityId: userId }));
		expect((await admin.query('select actor_user_id from audit_events where id = $1', [await lastId()])).rows[0].actor_user_id).toBe(userId);
	});
});

describe('what may be recorded', () => {
	const one = (entry: Parameters<typeof recordAudit>[2], o: AuditOrigin = origin) => asSystem(database.db, (tx) => recordAudit(tx, o, entry));

	it.each(['Program.update', 'program', 'program.update.more', 'program.update!', 'プログラム.更新', ''])('refuses the action %j', async (action) => {
		await expect(one({ action })).rejects.toBeInstanceOf(AuditEntryError);
	});

	it.each([['taro@example.org'], ['password=hunter2'], ['new value'], ['090-1234-5678'], ['1st'], ['a'.repeat(80)]])('refuses %j as a changed field (a value, not a name)', async (field) => {
		await expect(one({ action: 'test.fields', changedFields: [field] })).rejects.toBeInstanceOf(AuditEntryError);
	});

	it('accepts snake_case, camelCase and dotted names, once each', async () => {
		await one({ action: 'test.fields', changedFields: ['display_name', 'organizationName', 'address.city', 'display_name'] });
		expect((await admin.query('select changed_fields from audit_events where id = $1', [await lastId()])).rows[0].changed_fields).toEqual(['display_name', 'organizationName', 'address.city']);
	});

	it('refuses ids that are not UUIDs and malformed entity types', async () => {
		await expect(one({ action: 'test.ids', organizationId: 'org-1' })).rejects.toBeInstanceOf(AuditEntryError);
		await expect(one({ action: 'test.ids' }, { actorUserId: "1' or 1=1" })).rejects.toBeInstanceOf(AuditEntryError);
		await expect(one({ action: 'test.ids', entityType: 'Some Thing' })).rejects.toBeInstanceOf(AuditEntryError);
		await expect(one({ action: 'test.ids', entityId: 'x'.repeat(201) })).rejects.toBeInstanceOf(AuditEntryError);
		await expect(one({ action: 'test.ids', entityId: 'a\u0000b' })).rejects.toBeInstanceOf(AuditEntryError);
	});

	it('stores what it hashed: upper-case UUIDs lowered, client text cleaned and cut', async () => {
		await one({ action: 'test.clean', organizationId: orgA.toUpperCase(), entityId: '名前😀' }, { actorUserId: null, ip: '2001:db8::1\u0000', userAgent: 'Mozilla/5.0 ' + '😀'.repeat(400), requestId: 'r\n1' });
		const row = (await admin.query('select organization_id, entity_id, ip, user_agent, request_id from audit_events where id = $1', [await lastId()])).rows[0];
		expect(row.organization_id).toBe(orgA);
		expect(row.entity_id).toBe('名前😀');
		expect(row.ip).toBe('2001:db8::1');
		expect(row.request_id).toBe('r1');
		expect(row.user_agent.length).toBeLessThanOrEqual(512);
		expect(row.user_agent).not.toMatch(/[\uD800-\uDBFF]$/);
		expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
	});

	it('must run inside a transaction', async () => {
		// @ts-expect-error the pool is no transaction: the compiler refuses it, and so does recordAudit at run time (checked here)
		await expect(recordAudit(database.db, origin, { action: 'test.outside' })).rejects.toThrow(/inside a transaction/);
	});

	it('refuses another organisation (row-level security on insert)', async () => {
		await expect(withAccess(database.db, { organizationIds: [orgA] }, (tx) => recordAudit(tx, origin, { action: 'test.other', organizationId: orgB }))).rejects.toMatchObject({
			cause: { message: expect.stringMatching(/row-level security/) }
		});
	});
});

describe('append-only', () => {
	it('the app role may neither update, delete nor truncate', async () => {
		const id = await lastId();
		for (const statement of [sql`update audit_events set action = 'test.changed' where id = ${id}`, sql`delete from audit_events where id = ${id}`, sql`truncate audit_events`]) {
			await expect(asSystem(database.db, (tx) => tx.execute(statement))).rejects.toMatchObject({ cause: { message: expect.stringMatching(/permission denied/) } });
		}
	});

	it('the owner is stopped by the trigger unless triggers are switched off', async () => {
		await expect(admin.query(`update audit_events set action = 'test.changed' where id = (select max(id) from audit_events)`)).rejects.toThrow(/append-only/);
		await expect(admin.query(`delete from audit_events`)).rejects.toThrow(/append-only/);
	});
});

describe('tampering is found', () => {
	let middle: number;
	let next: number;
	beforeAll(async () => {
		const { rows } = await admin.query<{ id: string }>('select id::text from audit_events order by id');
		middle = Number(rows[Math.floor(rows.length / 2)].id);
		next = Number(rows[Math.floor(rows.length / 2) + 1].id);
		expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
	});

	/** Each case undoes itself, and the chain must verify again afterwards. */
	async function expectBroken(change: string, undo: string, expected: { firstBrokenId: number; reason: string }) {
		await tamper((c) => c.query(change));
		try {
			expect(await verifyAuditChain(database.db, { batchSize: 7 })).toMatchObject({ ok: false, ...expected });
		} finally {
			await tamper((c) => c.query(undo));
		}
		expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
	}

	it('an edited field fails at that row', async () => {
		const { action } = (await admin.query('select action from audit_events where id = $1', [middle])).rows[0];
		await expectBroken(`update audit_events set action = 'test.forged' where id = ${middle}`, `update audit_events set action = '${action}' where id = ${middle}`, { firstBrokenId: middle, reason: 'hash_mismatch' });
	});

	it('an edit of a microsecond, of the changed fields or of a null fails too', async () => {
		await expectBroken(`update audit_events set at = at + interval '1 microsecond' where id = ${middle}`, `update audit_events set at = at - interval '1 microsecond' where id = ${middle}`, { firstBrokenId: middle, reason: 'hash_mismatch' });
		await expectBroken(`update audit_events set changed_fields = changed_fields || '{password}' where id = ${middle}`, `update audit_events set changed_fields = changed_fields[1:array_length(changed_fields, 1) - 1] where id = ${middle}`, {
			firstBrokenId: middle,
			reason: 'hash_mismatch'
		});
		const { ip } = (await admin.query('select ip from audit_events where id = $1', [middle])).rows[0];
		await expectBroken(`update audit_events set ip = null where id = ${middle}`, `update audit_events set ip = '${ip}' where id = ${middle}`, { firstBrokenId: middle, reason: 'hash_mismatch' });
	});

	it('an edited row whose hash was recomputed breaks the next row’s link', async () => {
		const { hash } = (await admin.query('select hash from audit_events where id = $1', [middle])).rows[0];
		await expectBroken(`update audit_events set hash = repeat('f', 64) where id = ${middle}`, `update audit_events set hash = '${hash}' where id = ${middle}`, { firstBrokenId: middle, reason: 'hash_mismatch' });
		await expectBroken(`update audit_events set prev_hash = repeat('f', 64) where id = ${next}`, `update audit_events set prev_hash = '${hash}' where id = ${next}`, { firstBrokenId: next, reason: 'link_broken' });
	});

	it('a deleted middle row fails at the row after it', async () => {
		await tamper(async (c) => {
			await c.query('create table if not exists audit_saved as select * from audit_events where false');
			await c.query('insert into audit_saved select * from audit_events where id = $1', [middle]);
		});
		await expectBroken(`delete from audit_events where id = ${middle}`, `insert into audit_events overriding system value select * from audit_saved where id = ${middle}`, { firstBrokenId: next, reason: 'link_broken' });
	});

	it('a deleted first row fails at the new first row', async () => {
		const first = Number((await admin.query('select min(id)::text as id from audit_events')).rows[0].id);
		const second = Number((await admin.query('select min(id)::text as id from audit_events where id > $1', [first])).rows[0].id);
		await tamper((c) => c.query('insert into audit_saved select * from audit_events where id = $1', [first]));
		await expectBroken(`delete from audit_events where id = ${first}`, `insert into audit_events overriding system value select * from audit_saved where id = ${first}`, { firstBrokenId: second, reason: 'link_broken' });
	});

	it('a deleted last row (or tail) fails at the head', async () => {
		const last = await lastId();
		await tamper((c) => c.query('insert into audit_saved select * from audit_events where id >= $1', [last - 2]));
		await expectBroken(`delete from audit_events where id = ${last}`, `insert into audit_events overriding system value select * from audit_saved where id = ${last}`, { firstBrokenId: last, reason: 'head_mismatch' });
		await expectBroken(`delete from audit_events where id >= ${last - 2}`, `insert into audit_events overriding system value select * from audit_saved where id >= ${last - 2}`, { firstBrokenId: last, reason: 'head_mismatch' });
	});

	it('an edited head fails, and so does a row added beyond it', async () => {
		const last = await lastId();
		const { last_hash } = (await admin.query('select last_hash from audit_chain')).rows[0];
		await expectBroken(`update audit_chain set last_hash = repeat('e', 64)`, `update audit_chain set last_hash = '${last_hash}'`, { firstBrokenId: last, reason: 'head_mismatch' });
		// A forged row after the last one, with a wrong hash, and with a right one (the head not moved).
		const forged = last + 1000;
		await expectBroken(`insert into audit_events (id, action, prev_hash, hash) overriding system value values (${forged}, 'test.forged', '${last_hash}', repeat('d', 64))`, `delete from audit_events where action = 'test.forged'`, { firstBrokenId: forged, reason: 'hash_mismatch' });
		const at = '2030-01-01T00:00:00.000000Z';
		const hash = auditRowHash(last_hash, { id: String(forged), at, actorUserId: null, organizationId: null, action: 'test.forged', entityType: null, entityId: null, changedFields: [], ip: null, userAgent: null, requestId: null });
		await expectBroken(`insert into audit_events (id, at, action, prev_hash, hash) overriding system value values (${forged}, '${at}', 'test.forged', '${last_hash}', '${hash}')`, `delete from audit_events where action = 'test.forged'`, { firstBrokenId: forged, reason: 'head_mismatch' });
	});
});
