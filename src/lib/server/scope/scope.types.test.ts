/**
 * What the compiler refuses (checked by `npm run check`: every `@ts-expect-error` below must
 * still be an error, or the check fails), and what `runIn` refuses at run time.
 */
import { describe, expect, it } from 'vitest';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { Reader } from '../db';
import { withAccess } from '../db/tenant';
import { recordAudit, verifyAuditChain } from '../audit';
import { roleOf } from '../network/members';
import { getOrganization, getProgram } from '../directory';
import { runIn, between, ok, refused, type OrganizationScope, type ResidentScope, type Result, type Tx, type Pool, type SecretariatScope, type AccountScope } from './index';

// Signatures shaped like the module operations.
declare function operation(scope: OrganizationScope, input: { code: string }): Promise<Result<number, 'bad_code'>>;
declare function inOrganization(tx: Tx<'organization'>): Promise<void>;
declare function needsSystem(tx: Tx<'system'>): Promise<void>;
declare function forResident(scope: ResidentScope): Promise<void>;
declare function onOwnAccount(scope: AccountScope): Promise<void>;
declare const pool: Pool;
declare const plainDb: NodePgDatabase;
declare const organization: OrganizationScope;
declare const secretariat: SecretariatScope;
declare const resident: ResidentScope;
declare const account: AccountScope;

export function refusedByTheCompiler() {
	// @ts-expect-error an organisation id is not a scope
	void operation('9d3b8f0e-8b7a-4b8e-9a55-2f8b7d1c0a11', { code: 'x' });
	// @ts-expect-error nor is an object that looks like one: the brand is module-private
	void operation({ kind: 'organization', organizationId: 'x', actor: organization.actor, permission: 'attendance.record', origin: {} }, { code: 'x' });
	// @ts-expect-error the pool is not a scope
	void operation(pool, { code: 'x' });
	// @ts-expect-error the pool is not a scoped transaction
	void inOrganization(pool);
	// @ts-expect-error nor is a plain Drizzle handle (what `drizzle(pool)` returns, and what modules once took)
	void inOrganization(plainDb);
	// @ts-expect-error a secretariat scope is not an organisation's
	void operation(secretariat, { code: 'x' });
	// @ts-expect-error a resident's scope is not staff's
	void operation(resident, { code: 'x' });
	// @ts-expect-error staff are not a resident
	void forResident(organization);
	// @ts-expect-error acting for an organisation is not acting on one's own account
	void onOwnAccount(organization);
	// @ts-expect-error nor is a person on their own account acting for an organisation
	void operation(account, { code: 'x' });
	void runIn(account, async (tx) => {
		// @ts-expect-error a person's own transaction carries no system context
		await needsSystem(tx);
		// @ts-expect-error nor an organisation's
		await inOrganization(tx);
	});

	void runIn(organization, async (tx) => {
		await inOrganization(tx);
		// @ts-expect-error an organisation's transaction does not carry the system context
		await needsSystem(tx);
		// @ts-expect-error a scoped transaction is not a pool: no nesting
		await withAccess(tx, {}, async () => undefined);
		// A public read takes a `Reader`: a scoped transaction is one.
		const asReader: Reader = tx;
		void asReader;
	});
	void runIn(resident, async (tx) => {
		await needsSystem(tx);
		// @ts-expect-error a resident's transaction is not an organisation's
		await inOrganization(tx);
	});

	// The module functions under the operations say which handle they take (issue 12).
	// @ts-expect-error the pool is not a scoped transaction: an audit record is written inside one
	void recordAudit(pool, organization.origin, { action: 'x' });
	// @ts-expect-error nor for an organisation's own rows (network's roleOf takes a Tx<'organization'>)
	void roleOf(pool, organization.organizationId, organization.actor.userId);
	void runIn(organization, async (tx) => {
		await roleOf(tx, organization.organizationId, organization.actor.userId);
		await recordAudit(tx, organization.origin, { action: 'x' });
		// @ts-expect-error a scoped transaction is not the pool: verifying the chain opens its own transactions
		await verifyAuditChain(tx);
		// @ts-expect-error nor does the public program page read inside a scope (directory's getProgram takes the pool)
		await getProgram(tx, '9d3b8f0e-8b7a-4b8e-9a55-2f8b7d1c0a11');
		// A public read that both run (a `Reader`) takes either.
		await getOrganization(tx, '9d3b8f0e-8b7a-4b8e-9a55-2f8b7d1c0a11');
	});
	void verifyAuditChain(pool);
	void getOrganization(pool, '9d3b8f0e-8b7a-4b8e-9a55-2f8b7d1c0a11');
	void runIn(resident, async (tx) => {
		// @ts-expect-error a resident's (system) transaction is not an organisation's
		await roleOf(tx, organization.organizationId, organization.actor.userId);
	});

	// @ts-expect-error a crossing needs a declared purpose
	void between(organization, '9d3b8f0e-8b7a-4b8e-9a55-2f8b7d1c0a11', 'curiosity');
	// @ts-expect-error the secretariat does not cross: it reads the network in its own scope
	void between(secretariat, '9d3b8f0e-8b7a-4b8e-9a55-2f8b7d1c0a11', 'referral');

	// The result convention narrows on `ok`.
	const r: Result<number, 'bad_code', { clientKey: string }> = Math.random() > 0.5 ? ok(1) : refused('bad_code', { clientKey: 'k' });
	if (r.ok) {
		const n: number = r.value;
		void n;
		// @ts-expect-error no reason on success
		void r.reason;
	} else {
		const reason: 'bad_code' = r.reason;
		void reason;
		void r.clientKey;
	}
}

describe('scopes', () => {
	it('refuses at run time an object that only claims to be a scope', async () => {
		const forged = { kind: 'organization', organizationId: '9d3b8f0e-8b7a-4b8e-9a55-2f8b7d1c0a11' } as unknown as OrganizationScope;
		await expect(runIn(forged, async () => 1)).rejects.toThrow(/not a scope/);
		expect(() => between(forged, '9d3b8f0e-8b7a-4b8e-9a55-2f8b7d1c0a11', 'card_recognition')).toThrow(/not a scope/);
	});
	it('answers refusals as values', () => {
		expect(ok(3)).toEqual({ ok: true, value: 3 });
		expect(refused('bad_time', { clientKey: 'k' })).toEqual({ ok: false, reason: 'bad_time', clientKey: 'k' });
	});
});
