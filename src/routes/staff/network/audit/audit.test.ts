/**
 * The audit viewers through their real load functions and CSV handlers: who may open which log,
 * what each sees, messages for bad filters, the CSV file and the record of its download.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../../../tests/helpers/db';
import { seedCast, type Cast } from '../../../../../tests/helpers/people';
import { makeAuditEvents } from '../../../../../tests/helpers/factories';
import type { Database } from '$lib/server/db';
import { useDatabase } from '$lib/server/db';
import { withAccess } from '$lib/server/db/tenant';
import { listAuditEvents, verifyAuditChain, type AuditEntry } from '$lib/server/audit';
import type { Actor } from '$lib/server/auth/actor';
import type { Role } from '$lib/server/network';
import type { Locale } from '$lib/i18n';
import { load as networkLoad } from './+page.server';
import { GET as networkCsv } from '../audit.csv/+server';
import { load as orgLoad } from '../../orgs/[orgId]/audit/+page.server';
import { GET as orgCsv } from '../../orgs/[orgId]/audit.csv/+server';

let database: Database;
let cast: Cast;
let orgAdminA: Actor;
let staffA: Actor;
let orgAdminB: Actor;
let secretariat: Actor;

const actor = (userId: string, memberships: [string, Role][], isSecretariat = false): Actor => ({
	userId,
	email: `${userId}@example.org`,
	displayName: 'test',
	sessionId: 'test-session',
	memberships: memberships.map(([organizationId, role]) => ({ organizationId, organizationName: '', role })),
	secretariat: isSecretariat,
	mfaRequired: isSecretariat,
	mfaEnrolled: true
});

// The handlers read only locals, url and params.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Handler = (event: any) => unknown;
const event = (who: Actor | null, path: string, params: Record<string, string> = {}, locale: Locale = 'ja') => ({
	locals: { actor: who, ip: '198.51.100.4', userAgent: 'vitest-viewer', requestId: 'req-viewer', locale, largeText: false },
	url: new URL(path, 'http://localhost'),
	params
});

/** What a handler did: its data or response, or the redirect / HTTP error it threw. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test reads its own page's data
async function run(handler: Handler, ...args: Parameters<typeof event>): Promise<{ status: number; data?: any; response?: Response; location?: string }> {
	try {
		const result = await handler(event(...args));
		return result instanceof Response ? { status: result.status, response: result } : { status: 200, data: result };
	} catch (thrown) {
		const t = thrown as { status?: number; location?: string };
		if (typeof t.status === 'number') return { status: t.status, location: t.location };
		throw thrown;
	}
}

beforeAll(async () => {
	database = await testDatabase();
	useDatabase(database);
	cast = await seedCast(database, 'av');
	orgAdminA = actor(cast.people.org_admin.userId, [[cast.orgA, 'org_admin']]);
	staffA = actor(cast.people.staff.userId, [[cast.orgA, 'staff']]);
	orgAdminB = actor(cast.people.adminB.userId, [[cast.orgB, 'org_admin']]);
	secretariat = actor(cast.people.secretariat.userId, [[cast.secretariatOrg, 'secretariat_admin']], true);
	const o = (who: Actor, userAgent = 'vitest') => ({ actorUserId: who.userId, ip: '192.0.2.9', userAgent, requestId: 'seed' });
	const by = (who: Actor, entry: AuditEntry, userAgent?: string) => ({ origin: o(who, userAgent), entry });
	await makeAuditEvents(database.db, [
		...[0, 1, 2].map((i) => by(orgAdminA, { action: 'member.role_change', organizationId: cast.orgA, entityType: 'membership', entityId: `a${i}`, changedFields: ['role'] })),
		by(orgAdminA, { action: 'member.invite', organizationId: cast.orgA, entityType: 'invitation', changedFields: ['email', 'role'] }, '=HYPERLINK("http://evil.example","click")'),
		...[0, 1].map((i) => by(orgAdminB, { action: 'member.remove', organizationId: cast.orgB, entityType: 'membership', entityId: `b${i}`, changedFields: ['role'] })),
		by(secretariat, { action: 'session.login', entityType: 'user', entityId: secretariat.userId })
	]);
});
afterAll(() => database?.close());

const orgPage = (orgId: string, qs = '') => `/staff/orgs/${orgId}/audit${qs}`;

describe('who may open which log', () => {
	it.each([
		['an organisation admin, own organisation', () => orgAdminA, () => cast.orgA, 200],
		['an organisation admin, another organisation', () => orgAdminA, () => cast.orgB, 403],
		['staff of the organisation', () => staffA, () => cast.orgA, 403],
		['the secretariat, any organisation', () => secretariat, () => cast.orgB, 200]
	])('%s', async (_, who, org, status) => {
		expect((await run(orgLoad, who(), orgPage(org()), { orgId: org() })).status).toBe(status);
		expect((await run(orgCsv, who(), orgPage(org(), '.csv'), { orgId: org() })).status).toBe(status);
	});

	it('sends anonymous visitors to the login page and back', async () => {
		const result = await run(orgLoad, null, orgPage(cast.orgA, '?action=member.'), { orgId: cast.orgA });
		expect(result.status).toBe(303);
		expect(result.location).toBe(`/login?next=${encodeURIComponent(`/staff/orgs/${cast.orgA}/audit?action=member.`)}`);
		expect((await run(networkCsv, null, '/staff/network/audit.csv')).status).toBe(303);
	});

	it('404 for a malformed or unknown organisation', async () => {
		expect((await run(orgLoad, secretariat, orgPage('nope'), { orgId: 'nope' })).status).toBe(404);
		const unknown = '00000000-0000-4000-8000-000000000000';
		expect((await run(orgLoad, secretariat, orgPage(unknown), { orgId: unknown })).status).toBe(404);
		expect((await run(orgCsv, secretariat, orgPage(unknown), { orgId: unknown })).status).toBe(404);
	});

	it('the network log is for the secretariat only', async () => {
		for (const who of [orgAdminA, orgAdminB, staffA]) {
			expect((await run(networkLoad, who, '/staff/network/audit')).status).toBe(403);
			expect((await run(networkCsv, who, '/staff/network/audit.csv')).status).toBe(403);
		}
		expect((await run(networkLoad, secretariat, '/staff/network/audit')).status).toBe(200);
	});
});

// The permission checks above downloaded CSVs, which left audit.export events: leave them aside here.
describe('what each sees', () => {
	it('an organisation’s page holds its own events, newest first, with links that filter', async () => {
		const { data } = await run(orgLoad, orgAdminA, orgPage(cast.orgA, '?action=member.'), { orgId: cast.orgA });
		expect(data.organization).toEqual({ id: cast.orgA, name: expect.any(String) });
		expect(data.scope).toEqual({ organizationId: cast.orgA, network: false });
		expect(data.events.map((e: { action: string }) => e.action)).toEqual(['member.invite', 'member.role_change', 'member.role_change', 'member.role_change']);
		const [invite] = data.events;
		expect(invite.actionLabel).toBe('メンバーの招待');
		expect(invite.actor).toEqual({ name: 'org-admin', known: true, href: `/staff/orgs/${cast.orgA}/audit?action=member.&actor=${orgAdminA.userId}` });
		expect(invite.at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
		expect(data.links.csv).toBe(`/staff/orgs/${cast.orgA}/audit.csv?action=member.`);
		expect(data.errors).toEqual({});
		const everything = await run(orgLoad, orgAdminA, orgPage(cast.orgA), { orgId: cast.orgA });
		expect(new Set(everything.data.events.map((e: { action: string }) => e.action))).toEqual(new Set(['member.invite', 'member.role_change', 'audit.export']));
	});

	it('the organisation in the path wins over an org parameter', async () => {
		const { data } = await run(orgLoad, secretariat, orgPage(cast.orgA, `?org=${cast.orgB}&action=member.`), { orgId: cast.orgA });
		expect(data.events).toHaveLength(4);
		expect(data.values.org).toBeUndefined();
	});

	it('the network page shows every organisation’s events and the organisation-less ones', async () => {
		const { data } = await run(networkLoad, secretariat, '/staff/network/audit');
		expect(data.scope.network).toBe(true);
		const events = data.events.filter((e: { action: string }) => e.action !== 'audit.export');
		expect(events).toHaveLength(7);
		expect(events[0]).toMatchObject({ action: 'session.login', organization: null });
		expect(new Set(data.events.map((e: { organization: { name: string } | null }) => e.organization?.name ?? null)).size).toBe(3);
		expect(data.events.find((e: { action: string }) => e.action === 'member.remove').organization.href).toBe(`/staff/network/audit?org=${cast.orgB}`);
	});

	it('filters and pages keep each other', async () => {
		const { data } = await run(networkLoad, secretariat, '/staff/network/audit?action=member.&entity_type=membership');
		expect(data.events).toHaveLength(5);
		expect(data.values).toEqual({ action: 'member.', entity_type: 'membership' });
		expect(data.links.csv).toBe('/staff/network/audit.csv?action=member.&entity_type=membership');
		expect(data.links.older).toBeNull();
		expect(data.links.newest).toBeNull();
	});
});

describe('bad filters', () => {
	it('come back as Japanese messages beside their fields, with no rows', async () => {
		const { status, data } = await run(orgLoad, orgAdminA, orgPage(cast.orgA, '?from=2025-02-30&to=2025-01-01&action=Member&actor=123'), { orgId: cast.orgA });
		expect(status).toBe(200);
		expect(data.events).toEqual([]);
		expect(data.errors.from).toBe('日付は「2025-04-01」の形で入力してください。');
		expect(data.errors.action).toContain('半角の英小文字');
		expect(data.errors.actor).toContain('IDの形');
		expect(data.values.from).toBe('2025-02-30');
	});

	it('in English for an English reader', async () => {
		const { data } = await run(networkLoad, secretariat, '/staff/network/audit?from=2025-04-02&to=2025-04-01', {}, 'en');
		expect(data.errors.to).toBe('“To” must be the same day as “From” or later.');
	});

	it('a broken paging cursor says so at the top', async () => {
		const { data } = await run(networkLoad, secretariat, '/staff/network/audit?before=xyz');
		expect(data.cursorError).toContain('ページの指定');
		expect(data.links.newest).toBe('/staff/network/audit');
	});

	it('make the CSV a 400 with a structured JSON error and no stack trace', async () => {
		const { status, response } = await run(orgCsv, orgAdminA, orgPage(cast.orgA, '.csv?from=2025-13-01&entity_type=A'), { orgId: cast.orgA });
		expect(status).toBe(400);
		expect(response!.headers.get('content-type')).toMatch(/application\/json/);
		const body = await response!.json();
		expect(body.error.code).toBe('invalid_parameter');
		expect(body.error.message).toBe('絞り込みの条件が正しくありません。');
		expect(body.error.details.map((d: { param: string }) => d.param).sort()).toEqual(['entity_type', 'from']);
		expect(JSON.stringify(body)).not.toMatch(/\.ts:\d+|at \w+ \(/);
	});
});

describe('the CSV download', () => {
	it('is an attachment in UTF-8 with a BOM and Japanese headers, formulas neutralised, and is itself recorded', async () => {
		const exportsOf = () => withAccess(database.db, { secretariat: true }, (tx) => listAuditEvents(tx, { action: 'audit.export', actorUserId: orgAdminA.userId }));
		const before = (await exportsOf()).events.length;
		const { status, response } = await run(orgCsv, orgAdminA, orgPage(cast.orgA, '.csv?action=member.'), { orgId: cast.orgA });
		expect(status).toBe(200);
		expect(response!.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(response!.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-[0-9a-f]{8}-\d{8}-\d{4}\.csv"$/);
		expect(response!.headers.get('cache-control')).toBe('private, no-store');
		const bytes = new Uint8Array(await response!.arrayBuffer());
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const text = new TextDecoder().decode(bytes.slice(3));
		const lines = text.split('\r\n').filter(Boolean);
		expect(lines[0].startsWith('記録番号,日時(日本時間),操作した人のID,操作した人,')).toBe(true);
		expect(lines).toHaveLength(1 + 4);
		expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
		expect(text).not.toContain('member.remove');

		const exports = await exportsOf();
		expect(exports.events).toHaveLength(before + 1);
		expect(exports.events[0]).toMatchObject({ actorUserId: orgAdminA.userId, organizationId: cast.orgA, entityType: 'audit_log', entityId: cast.orgA, ip: '198.51.100.4', userAgent: 'vitest-viewer', requestId: 'req-viewer' });

		// The next download shows the first one.
		const again = await run(orgCsv, orgAdminA, orgPage(cast.orgA, '.csv?action=audit.'), { orgId: cast.orgA });
		expect(await again.response!.text()).toContain('audit.export');
	});

	it('of the network is recorded without an organisation', async () => {
		const { status, response } = await run(networkCsv, secretariat, '/staff/network/audit.csv');
		expect(status).toBe(200);
		expect(response!.headers.get('content-disposition')).toMatch(/filename="audit-network-/);
		const exports = await withAccess(database.db, { secretariat: true }, (tx) => listAuditEvents(tx, { action: 'audit.export', actorUserId: secretariat.userId }));
		expect(exports.events[0]).toMatchObject({ organizationId: null, entityId: 'network' });
	});

	it('leaves the chain intact', async () => {
		expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
	});
});
