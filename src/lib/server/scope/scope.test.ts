/** Scopes on the database: each transaction's context, and crossings between organisations. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { RequestEvent } from '@sveltejs/kit';
import { testDatabase } from '../../../../tests/helpers/db';
import { makeOrganization } from '../../../../tests/helpers/factories';
import type { Database } from '../db';
import { asSystem } from '../db/tenant';
import { useDatabase } from '../db';
import type { Actor } from '../auth/actor';
import { requireAccount, requireOrganization, requireSecretariat, residentScope } from '../auth/guard';
import { between, runAcross, runIn, systemScope } from './index';

let database: Database;
let orgA: string;
let orgB: string;
const staff: Actor = { userId: randomUUID(), email: 'scope@example.org', displayName: 'scope', sessionId: 's', memberships: [], secretariat: false, mfaRequired: false, mfaEnrolled: false };
const requestOf = (actor: Actor | null, orgId?: string) => ({ locals: { actor, ip: '192.0.2.10', userAgent: 'vitest', requestId: 'scope-test' }, url: new URL('http://localhost/staff'), params: { orgId } }) as unknown as RequestEvent;
const settings = sql`select current_setting('app.user_id', true) as user_id, current_setting('app.org_ids', true) as orgs, current_setting('app.secretariat', true) as secretariat, current_setting('app.system', true) as system, current_setting('transaction_read_only') as read_only`;
type Settings = { user_id: string; orgs: string; secretariat: string; system: string; read_only: string };

beforeAll(async () => {
	database = await testDatabase();
	useDatabase(database);
	orgA = await makeOrganization(database.db);
	orgB = await makeOrganization(database.db);
	staff.memberships.push({ organizationId: orgA, organizationName: 'A', role: 'staff' }, { organizationId: orgB, organizationName: 'B', role: 'staff' });
});
afterAll(() => database.close());

describe('a scope’s transaction', () => {
	it('carries exactly the standing the guard checked', async () => {
		const inA = await runIn(requireOrganization(requestOf(staff, orgA), 'attendance.record'), (tx) => tx.execute<Settings>(settings));
		expect(inA.rows[0]).toMatchObject({ orgs: `{${orgA}}`, secretariat: '', system: '' });
		const secretariat = await runIn(requireSecretariat(requestOf({ ...staff, secretariat: true }), 'network.attendance'), (tx) => tx.execute<Settings>(settings));
		expect(secretariat.rows[0]).toMatchObject({ orgs: '', secretariat: 'on', system: '' });
		const resident = await runIn(residentScope(requestOf(null)), (tx) => tx.execute<Settings>(settings));
		expect(resident.rows[0]).toMatchObject({ orgs: '', system: 'on' });
		const job = await runIn(systemScope(database.db, 'test'), (tx) => tx.execute<Settings>(settings));
		expect(job.rows[0]).toMatchObject({ system: 'on' });
	});

	it('for a person on their own account: their user id only, whatever roles they hold', async () => {
		const account = requireAccount(requestOf({ ...staff, secretariat: true }));
		expect(account).toMatchObject({ kind: 'account', userId: staff.userId, sessionId: staff.sessionId, origin: { actorUserId: staff.userId, requestId: 'scope-test' } });
		const seen = await runIn(account, (tx) => tx.execute<Settings>(settings));
		expect(seen.rows[0]).toMatchObject({ user_id: staff.userId, orgs: '', secretariat: '', system: '' });
	});
});

describe('between two scopes', () => {
	it('reads in the other organisation’s context only, read-only when the purpose leaves the record to its caller', async () => {
		const crossing = between(residentScope(requestOf(null)), orgB, 'card_recognition');
		const seen = await runAcross(crossing, (tx) => tx.execute<Settings>(settings));
		expect(seen.rows[0]).toMatchObject({ orgs: `{${orgB}}`, secretariat: '', system: '', read_only: 'on' });
		await expect(runAcross(crossing, (tx) => tx.execute(sql`update card_consents set organization_id = organization_id`))).rejects.toThrow();
	});

	it('records a crossing whose purpose says so', async () => {
		const fromA = requireOrganization(requestOf(staff, orgA), 'attendance.record');
		const before = await asSystem(database.db, (tx) => tx.execute<{ n: number }>(sql`select count(*)::int as n from audit_events where action = 'crossing.referral'`));
		const seen = await runAcross(between(fromA, orgB, 'referral'), (tx) => tx.execute<Settings>(settings));
		expect(seen.rows[0]).toMatchObject({ orgs: `{${orgB}}`, read_only: 'off' });
		const rows = await asSystem(database.db, (tx) => tx.execute<{ organization_id: string; actor_user_id: string; entity_type: string; entity_id: string }>(sql`select organization_id, actor_user_id, entity_type, entity_id from audit_events where action = 'crossing.referral' order by id desc`));
		expect(rows.rows.length).toBe(before.rows[0].n + 1);
		expect(rows.rows[0]).toEqual({ organization_id: orgB, actor_user_id: staff.userId, entity_type: 'organization', entity_id: orgA });
	});

	it('refuses an organisation that is not an id', () => {
		expect(() => between(residentScope(requestOf(null)), 'not-an-id', 'card_recognition')).toThrow();
	});
});
