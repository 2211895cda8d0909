/**
 * Reading the log: row-level security decides whose rows and whose names show; filters, Tokyo
 * days and keyset paging; the query-string parser.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { testDatabase } from '../../../../tests/helpers/db';
import { seedCast, type Cast } from '../../../../tests/helpers/people';
import type { Database } from '../db';
import { ANONYMOUS, asSystem, withAccess, type AccessContext } from '../db/tenant';
import { listAuditEvents, parseAuditQuery, recordAudit, type AuditFilters, type AuditPageRequest } from './index';
import { auditNames, organizationAuditPage } from '../network';
import { useDatabase } from '../db';
import { organizationScopeOf } from '../../../../tests/helpers/scopes';

let database: Database;
let admin: pg.Client;
let cast: Cast;
let adminA: string;
let adminB: string;
let secretariat: string;

const tokyoDay = (offsetDays = 0) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date(Date.now() + offsetDays * 86_400_000));
const list = (context: AccessContext, filters: AuditFilters = {}, page: AuditPageRequest = {}) => withAccess(database.db, context, (tx) => listAuditEvents(tx, filters, page, auditNames(tx)));

beforeAll(async () => {
	database = await testDatabase();
	useDatabase(database);
	admin = new pg.Client({ connectionString: database.adminUrl });
	await admin.connect();
	cast = await seedCast(database, 'aq');
	adminA = cast.people.org_admin.userId;
	adminB = cast.people.adminB.userId;
	secretariat = cast.people.secretariat.userId;
	const o = (actorUserId: string | null) => ({ actorUserId, ip: '192.0.2.7', userAgent: 'vitest', requestId: 'q' });
	await asSystem(database.db, async (tx) => {
		for (let i = 0; i < 4; i++) await recordAudit(tx, o(adminA), { action: 'member.role_change', organizationId: cast.orgA, entityType: 'membership', entityId: `m${i}`, changedFields: ['role'] });
		await recordAudit(tx, o(secretariat), { action: 'member.invite', organizationId: cast.orgA, entityType: 'invitation', changedFields: ['email', 'role'] });
		for (let i = 0; i < 3; i++) await recordAudit(tx, o(adminB), { action: 'member.remove', organizationId: cast.orgB, entityType: 'membership', entityId: `b${i}`, changedFields: ['role'] });
		await recordAudit(tx, o(adminA), { action: 'session.login', entityType: 'user', entityId: adminA });
		await recordAudit(tx, o(null), { action: 'session.login_failed', entityType: 'user' });
	});
});
afterAll(async () => {
	await admin?.end();
	await database?.close();
});

describe('row-level security decides what shows', () => {
	it('an organisation sees its own events only, with the names of its own people', async () => {
		const { events } = await list({ userId: adminA, organizationIds: [cast.orgA] });
		expect(events).toHaveLength(5);
		expect(new Set(events.map((e) => e.organizationId))).toEqual(new Set([cast.orgA]));
		expect(events.filter((e) => e.actorUserId === adminA).every((e) => e.actorName === 'org-admin')).toBe(true);
		// The secretariat's person is not a member of A: the row shows, the name does not.
		const invite = events.find((e) => e.action === 'member.invite')!;
		expect(invite.actorUserId).toBe(secretariat);
		expect(invite.actorName).toBeNull();
		expect(invite.organizationName).toBeTruthy();
	});

	it('an organisation’s log page names the secretariat’s person who acted there, as the secretariat', async () => {
		// Found by a coordinator: in an organisation's log the secretariat's actions had no 操作した人.
		const page = await organizationAuditPage(organizationScopeOf(adminA, cast.orgA, 'org_admin', 'audit.view'), { query: parseAuditQuery(new URLSearchParams()), locale: 'ja' });
		const invite = page!.events.find((e) => e.action === 'member.invite')!;
		expect(invite.actor).toMatchObject({ name: 'secretariat(事務局)', known: true });
		// Its own people as before; nobody else's name is looked up for it.
		expect(page!.events.filter((e) => e.action === 'member.role_change').every((e) => e.actor.name === 'org-admin')).toBe(true);
	});

	it('the other organisation sees only its own', async () => {
		const { events } = await list({ userId: adminB, organizationIds: [cast.orgB] });
		expect(events.map((e) => e.action)).toEqual(['member.remove', 'member.remove', 'member.remove']);
		expect(events.every((e) => e.actorName === 'admin-b')).toBe(true);
	});

	it('no context, or only a person, sees nothing — not even their own logins', async () => {
		expect((await list(ANONYMOUS)).events).toEqual([]);
		expect((await list({ userId: adminA })).events).toEqual([]);
	});

	it('the secretariat sees every event, organisation-less ones included, with every name', async () => {
		const { events } = await list({ userId: secretariat, organizationIds: [cast.secretariatOrg], secretariat: true });
		expect(events).toHaveLength(10);
		expect(events.map((e) => e.action).slice(0, 2)).toEqual(['session.login_failed', 'session.login']);
		expect(events.find((e) => e.action === 'member.invite')!.actorName).toBe('secretariat');
		expect(events[0].actorUserId).toBeNull();
	});

	it('a filter for another organisation does not widen an organisation’s view', async () => {
		expect((await list({ userId: adminA, organizationIds: [cast.orgA] }, { organizationId: cast.orgB })).events).toEqual([]);
	});
});

describe('filters', () => {
	const all: AccessContext = { secretariat: true };
	const actions = async (filters: AuditFilters) => (await list(all, filters)).events.map((e) => e.action);

	it('action is a prefix (an underscore is not a wildcard)', async () => {
		expect(await actions({ action: 'member.' })).toHaveLength(8);
		expect(await actions({ action: 'member.role' })).toEqual(Array(4).fill('member.role_change'));
		expect(await actions({ action: 'session.login' })).toEqual(['session.login_failed', 'session.login']);
		expect(await actions({ action: 'member_' })).toEqual([]);
	});

	it('organisation, person, kind and id of the record', async () => {
		expect(await actions({ organizationId: cast.orgB })).toEqual(Array(3).fill('member.remove'));
		expect(await actions({ actorUserId: adminA })).toHaveLength(5);
		expect(await actions({ entityType: 'invitation' })).toEqual(['member.invite']);
		expect(await actions({ entityType: 'membership', entityId: 'b1' })).toEqual(['member.remove']);
		expect(await actions({ actorUserId: adminA, action: 'session.' })).toEqual(['session.login']);
	});

	it('days are Tokyo days, both ends included', async () => {
		expect(await actions({ from: tokyoDay(), to: tokyoDay() })).toHaveLength(10);
		expect(await actions({ to: tokyoDay(-1) })).toEqual([]);
		expect(await actions({ from: tokyoDay(1) })).toEqual([]);
	});

	it('a day begins at midnight in Tokyo, not on the server’s clock', async () => {
		// Rows at the edge of 1 April 2024 in Tokyo, written straight into this test's database.
		await admin.query(`insert into audit_events (at, action, prev_hash, hash) values
			('2024-03-31T14:59:59.999999Z', 'edge.before', repeat('0', 64), repeat('0', 64)),
			('2024-03-31T15:00:00.000000Z', 'edge.after', repeat('0', 64), repeat('0', 64))`);
		expect(await actions({ action: 'edge.', from: '2024-04-01', to: '2024-04-01' })).toEqual(['edge.after']);
		expect(await actions({ action: 'edge.', to: '2024-03-31' })).toEqual(['edge.before']);
		expect(await actions({ action: 'edge.', from: '2024-03-31', to: '2024-04-01' })).toEqual(['edge.after', 'edge.before']);
		const [row] = (await list(all, { action: 'edge.after' })).events;
		expect(row.atTokyo).toBe('2024-04-01T00:00:00.000000+09:00');
	});
});

describe('paging, newest first', () => {
	it('walks older and back newer with keyset cursors', async () => {
		const filters = { action: 'member.' };
		const all = (await list({ secretariat: true }, filters, { limit: 100 })).events.map((e) => e.id);
		expect(all).toEqual([...all].sort((a, b) => b - a));
		const first = await list({ secretariat: true }, filters, { limit: 3 });
		expect(first.events.map((e) => e.id)).toEqual(all.slice(0, 3));
		expect(first.newer).toBeNull();
		expect(first.older).toBe(all[2]);
		const second = await list({ secretariat: true }, filters, { limit: 3, before: first.older! });
		expect(second.events.map((e) => e.id)).toEqual(all.slice(3, 6));
		expect(second.newer).toBe(all[3]);
		const third = await list({ secretariat: true }, filters, { limit: 3, before: second.older! });
		expect(third.events.map((e) => e.id)).toEqual(all.slice(6, 8));
		expect(third.older).toBeNull();
		const back = await list({ secretariat: true }, filters, { limit: 3, after: third.newer! });
		expect(back.events.map((e) => e.id)).toEqual(all.slice(3, 6));
		expect(back.older).toBe(all[5]);
		const top = await list({ secretariat: true }, filters, { limit: 3, after: back.newer! });
		expect(top.events.map((e) => e.id)).toEqual(all.slice(0, 3));
		expect(top.newer).toBeNull();
	});
});

describe('parseAuditQuery', () => {
	const parse = (qs: string) => parseAuditQuery(new URLSearchParams(qs));
	const UUID = '3f2b6c1e-8d4a-4b2c-9e1f-0a1b2c3d4e5f';

	it('reads every filter, trims, ignores empty fields', () => {
		const parsed = parse(`org=${UUID.toUpperCase()}&actor=${UUID}&action=+member.+&entity_type=membership&entity_id=m1&from=2025-04-01&to=2025-04-30&before=99&unknown=x&to=2025-05-01`);
		expect(parsed).toMatchObject({
			ok: true,
			filters: { organizationId: UUID, actorUserId: UUID, action: 'member.', entityType: 'membership', entityId: 'm1', from: '2025-04-01', to: '2025-04-30' },
			page: { before: 99 }
		});
		expect(parse('action=&from=&entity_id=%20')).toEqual({ ok: true, values: {}, filters: {}, page: {} });
	});

	it.each([
		['org=123', 'org', 'invalid'],
		['actor=zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz', 'actor', 'invalid'],
		['action=Member.Invite', 'action', 'invalid'],
		['action=member%25', 'action', 'invalid'],
		['entity_type=Membership', 'entity_type', 'invalid'],
		['entity_id=' + 'x'.repeat(201), 'entity_id', 'invalid'],
		['from=2025-02-30', 'from', 'invalid'],
		['from=2025/04/01', 'from', 'invalid'],
		['to=tomorrow', 'to', 'invalid'],
		['from=2025-04-02&to=2025-04-01', 'to', 'range'],
		['before=abc', 'before', 'invalid'],
		['before=-1', 'before', 'invalid'],
		['before=5&after=3', 'after', 'invalid']
	])('%s → %s %s', (qs, param, code) => {
		const parsed = parse(qs);
		expect(parsed.ok).toBe(false);
		if (!parsed.ok) expect(parsed.errors).toContainEqual({ param, code });
	});

	it('echoes back at most 300 characters of a value', () => {
		const parsed = parse('entity_id=' + 'x'.repeat(10_000));
		expect(parsed.values.entity_id).toHaveLength(300);
	});
});
