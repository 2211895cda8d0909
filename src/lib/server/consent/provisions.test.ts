/**
 * The 協議会 and the provision records on a real database: append-only records (row-level security
 * for organisations and the secretariat), the three-year check, the council basis refused until
 * declared and both organisations are members, the secretariat's list with the reason of a sharing
 * without consent, an organisation's own view, the CSV, and the retention job.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { eq, sql } from 'drizzle-orm';
import { testDatabase } from '../../../../tests/helpers/db';
import { makeOrganization, residentOn } from '../../../../tests/helpers/factories';
import type { Database } from '../db';
import { useDatabase } from '../db';
import type { Permission } from '../auth';
import { runIn, systemScope } from '../scope';
import { todayInTokyo } from '../clock';
import {
	basisAllows,
	consents,
	councilPage,
	declareCouncil,
	endCouncil,
	exportNetworkProvisions,
	exportOrganizationProvisions,
	networkProvisions,
	organizationProvisions,
	provisionRecords,
	publicCouncil,
	purgeExpiredProvisions,
	readProvisionQuery,
	recordProvision,
	setCouncilMembers,
	subjectFor,
	type SharingBasis
} from './index';
import { organizationScopeOf, secretariatScopeOf } from '../../../../tests/helpers/scopes';

let database: Database;
let admin: pg.Client;

let secretariatOrg: string;
const secretariat = (permission: Permission) => secretariatScopeOf(randomUUID(), secretariatOrg, permission);
const orgAdmin = (organizationId: string, permission: Permission = 'privacy.requests') => organizationScopeOf(randomUUID(), organizationId, 'org_admin', permission);
const system = () => systemScope(database.db, 'test');

const today = () => todayInTokyo();
const q = (over: Partial<{ from: string; to: string; withoutConsentOnly: boolean }> = {}) => ({ from: '2000-01-01', to: today(), withoutConsentOnly: false, ...over });

/** A sharing as the referrals module records it: in the provider's transaction (here the system's), the person a subject of the provider. */
async function share(provider: string, recipient: string, basis: SharingBasis, reason: string | null, sensitive = false): Promise<string> {
	return runIn(system(), async (tx) => {
		const subjectId = await subjectFor(tx, provider, { kind: 'consultation', id: randomUUID() });
		let consentId: string | null = null;
		if (basis === 'consent') {
			[{ id: consentId }] = await tx
				.insert(consents)
				.values({ subjectId, organizationId: provider, recipientOrganizationId: recipient, items: ['name', 'contact'], purpose: 'カフェにつなぐ', givenVia: 'web', givenAt: new Date() })
				.returning({ id: consents.id });
		}
		return recordProvision(tx, { subjectId, provider, recipient, items: basis === 'consent' ? ['name', 'contact'] : ['name', 'summary'], sensitive, basis, consentId, reason, referralId: null, providedBy: null });
	});
}

const auditCount = async (action: string) => Number((await admin.query(`select count(*) from audit_events where action = $1`, [action])).rows[0].count);
const rowOf = async (id: string) => (await admin.query(`select * from provision_records where id = $1`, [id])).rows[0];

let orgA: string;
let orgB: string;
let orgC: string;

beforeAll(async () => {
	database = await testDatabase();
	useDatabase(database);
	admin = new pg.Client({ connectionString: database.adminUrl });
	await admin.connect();
	secretariatOrg = await makeOrganization(database.db, { name: '事務局の団体' });
	orgA = await makeOrganization(database.db, { name: '提供する団体A' });
	orgB = await makeOrganization(database.db, { name: '受け取る団体B' });
	orgC = await makeOrganization(database.db, { name: '関係のない団体C' });
}, 60_000);

afterAll(async () => {
	await admin?.end();
	await database?.close();
});

describe('provision records at the database level', () => {
	it("cannot be changed or removed from an organisation's or the secretariat's context", async () => {
		const id = await share(orgA, orgB, 'vital_interest', '本人が倒れていて連絡がつかず、救急につなぐため');
		const before = await rowOf(id);
		for (const scope of [orgAdmin(orgA), orgAdmin(orgB), secretariat('network.provisions')]) {
			const changed = await runIn(scope, (tx) =>
				tx
					.update(provisionRecords)
					.set({ keepUntil: '2099-12-31', items: ['name'] })
					.where(eq(provisionRecords.id, id))
					.returning({ id: provisionRecords.id })
			);
			expect(changed, scope.kind).toEqual([]);
			const removed = await runIn(scope, (tx) => tx.delete(provisionRecords).where(eq(provisionRecords.id, id)).returning({ id: provisionRecords.id }));
			expect(removed, scope.kind).toEqual([]);
		}
		// They can read it (provider, recipient, secretariat) — the filter above was not a blind one.
		for (const scope of [orgAdmin(orgA), orgAdmin(orgB), secretariat('network.provisions')]) {
			expect(await runIn(scope, (tx) => tx.select({ id: provisionRecords.id }).from(provisionRecords).where(eq(provisionRecords.id, id)))).toHaveLength(1);
		}
		expect(await runIn(orgAdmin(orgC), (tx) => tx.select({ id: provisionRecords.id }).from(provisionRecords).where(eq(provisionRecords.id, id)))).toEqual([]);
		expect(await rowOf(id)).toEqual(before);
	});

	it('refuses an organisation writing a record in another provider’s name', async () => {
		const subjectId = await runIn(system(), (tx) => subjectFor(tx, orgB, { kind: 'consultation', id: randomUUID() }));
		await expect(runIn(orgAdmin(orgA), (tx) => recordProvision(tx, { subjectId, provider: orgB, recipient: orgA, items: ['name'], sensitive: false, basis: 'legal_duty', consentId: null, reason: '児童虐待の通告のため必要', referralId: null, providedBy: null }))).rejects.toThrow();
	});

	it('keeps every record three years at least: a shorter keep_until is refused, also to the platform', async () => {
		const id = await share(orgA, orgB, 'legal_duty', '児童虐待防止法にもとづく通告のため');
		const row = await rowOf(id);
		const keepUntil = async () => (await admin.query(`select keep_until::text as d from provision_records where id = $1`, [id])).rows[0].d as string;
		// Three years from the Tokyo day it was made (as PostgreSQL counts them: 2月29日 + 3 years is 2月28日).
		const threeYears = (await admin.query(`select ((now() at time zone 'Asia/Tokyo')::date + interval '3 years')::date::text as d`)).rows[0].d as string;
		expect(await keepUntil()).toBe(threeYears);
		await expect(admin.query(`update provision_records set keep_until = keep_until - 1 where id = $1`, [id])).rejects.toThrow(/provision_records_keep_three_years/);
		await expect(
			admin.query(
				`insert into provision_records (subject_id, provider_organization_id, recipient_organization_id, items, basis, reason_sealed, keep_until)
				values ($1, $2, $3, array['name'], 'legal_duty', 'enc:v1:x', (now() at time zone 'Asia/Tokyo')::date + interval '2 years')`,
				[row.subject_id, orgA, orgB]
			)
		).rejects.toThrow(/provision_records_keep_three_years/);
		expect(await keepUntil()).toBe(threeYears);
	});
});

describe('the 協議会 basis', () => {
	const allows = (provider = orgA, recipient = orgB) => runIn(orgAdmin(provider, 'referrals.send'), (tx) => basisAllows(tx, { basis: 'council', reason: '孤立が深刻で、見守りの団体と情報を共有する必要がある', provider, recipient }));

	it('is refused until the council is declared and both organisations are members, allowed after, refused again once ended', async () => {
		const council = secretariat('network.council');
		expect(await allows()).toEqual({ ok: false, reason: 'not_a_council_member' });
		expect(await publicCouncil(residentOn(database.db))).toBeNull();

		// Members cannot be named before a declaration.
		expect(await setCouncilMembers(council, { organizationIds: [orgA, orgB] })).toEqual({ ok: false, reason: 'not_declared' });
		expect(await declareCouncil(council, { name: '荒川区孤独・孤立対策地域協議会' })).toEqual({ ok: true, value: undefined });
		expect(await declareCouncil(council, { name: '二度目' })).toEqual({ ok: false, reason: 'already_declared' });
		expect(await allows()).toEqual({ ok: false, reason: 'not_a_council_member' });

		expect((await setCouncilMembers(council, { organizationIds: [orgA] })).ok).toBe(true);
		expect(await allows()).toEqual({ ok: false, reason: 'not_a_council_member' });

		expect(await setCouncilMembers(council, { organizationIds: [orgA, orgB] })).toEqual({ ok: true, value: { added: 1, removed: 0 } });
		expect(await allows()).toEqual({ ok: true, value: undefined });
		// A third organisation outside the council is still refused with a member.
		expect(await allows(orgA, orgC)).toEqual({ ok: false, reason: 'not_a_council_member' });
		// A reason is still required.
		expect(await runIn(orgAdmin(orgA, 'referrals.send'), (tx) => basisAllows(tx, { basis: 'council', reason: ' ', provider: orgA, recipient: orgB }))).toEqual({ ok: false, reason: 'reason_required' });

		const shown = await publicCouncil(residentOn(database.db));
		expect(shown?.name).toBe('荒川区孤独・孤立対策地域協議会');
		expect(shown?.members.map((m) => m.name).sort()).toEqual(['受け取る団体B', '提供する団体A'].sort());
		const page = await councilPage(council);
		expect(
			page.ok &&
				page.value.organizations
					.filter((o) => o.member)
					.map((o) => o.id)
					.sort()
		).toEqual([orgA, orgB].sort());

		expect(await endCouncil(council)).toEqual({ ok: true, value: undefined });
		expect(await allows()).toEqual({ ok: false, reason: 'not_a_council_member' });
		expect(await publicCouncil(residentOn(database.db))).toBeNull();
		expect(await endCouncil(council)).toEqual({ ok: false, reason: 'not_declared' });
		// A new declaration replaces the row and starts without members.
		expect((await declareCouncil(council, { name: '新しい協議会' })).ok).toBe(true);
		expect(await allows()).toEqual({ ok: false, reason: 'not_a_council_member' });
		expect((await publicCouncil(residentOn(database.db)))?.members).toEqual([]);
		expect(Number((await admin.query(`select count(*) from regional_council`)).rows[0].count)).toBe(1);

		expect(await auditCount('council.declare')).toBe(2);
		expect(await auditCount('council.members')).toBe(2);
		expect(await auditCount('council.end')).toBe(1);
	});

	it('takes only published organisations as members, and only from a scope made for network.council', async () => {
		const hidden = await makeOrganization(database.db, { name: '非公開の団体' });
		await admin.query(`update organizations set published = false where id = $1`, [hidden]);
		const before = (await admin.query(`select organization_id from council_members order by 1`)).rows;
		expect(await setCouncilMembers(secretariat('network.council'), { organizationIds: [orgA, hidden] })).toEqual({ ok: false, reason: 'unknown_organization' });
		expect(await setCouncilMembers(secretariat('network.council'), { organizationIds: [randomUUID()] })).toEqual({ ok: false, reason: 'unknown_organization' });
		expect(await setCouncilMembers(secretariat('network.provisions'), { organizationIds: [orgA] })).toEqual({ ok: false, reason: 'forbidden' });
		expect(await declareCouncil(secretariat('network.audit'), { name: 'x' })).toEqual({ ok: false, reason: 'forbidden' });
		expect((await admin.query(`select organization_id from council_members order by 1`)).rows).toEqual(before);
		// Row-level security: an organisation cannot name itself a member.
		const refusal = await runIn(orgAdmin(orgC), (tx) => tx.execute(sql`insert into council_members (organization_id) values (${orgC})`)).catch((e: Error) => e);
		expect(String((refusal as Error & { cause?: Error }).cause?.message)).toMatch(/row-level security/);
	});
});

describe("the secretariat's list and an organisation's own", () => {
	let without: string;
	let withConsent: string;
	const REASON = '命に関わる状態で本人の同意を得られず、病院に連絡先を伝えた';

	beforeAll(async () => {
		without = await share(orgA, orgB, 'vital_interest', REASON, true);
		withConsent = await share(orgA, orgB, 'consent', null);
	});

	it('shows a sharing without consent apart, with its reason, and audits the view', async () => {
		const views = await auditCount('provision.view');
		const page = await networkProvisions(secretariat('network.provisions'), q());
		if (!page.ok) throw new Error(page.reason);
		const row = page.value.withoutConsent.find((r) => r.id === without);
		expect(row).toMatchObject({ provider: { id: orgA, name: '提供する団体A' }, recipient: { id: orgB, name: '受け取る団体B' }, items: ['name', 'summary'], sensitive: true, basis: 'vital_interest', reason: REASON });
		expect(page.value.withoutConsent.every((r) => r.basis !== 'consent')).toBe(true);
		expect(page.value.withConsent.find((r) => r.id === withConsent)).toMatchObject({ basis: 'consent', reason: null, items: ['name', 'contact'] });
		expect(page.value.withConsent.some((r) => r.id === without)).toBe(false);
		expect(await auditCount('provision.view')).toBe(views + 1);

		const only = await networkProvisions(secretariat('network.provisions'), q({ withoutConsentOnly: true }));
		expect(only.ok && only.value.withConsent).toEqual([]);
		expect(only.ok && only.value.withoutConsent.some((r) => r.id === without)).toBe(true);
		// A period before today holds none of them.
		const past = await networkProvisions(secretariat('network.provisions'), q({ from: '2020-01-01', to: '2020-12-31' }));
		expect(past.ok && [...past.value.withoutConsent, ...past.value.withConsent]).toEqual([]);
		// Another network permission opens nothing.
		expect(await networkProvisions(secretariat('network.audit'), q())).toEqual({ ok: false, reason: 'forbidden' });
	});

	it('exports the same as CSV, without consent first, in plain words, and audits the download', async () => {
		const exports = await auditCount('provision.export');
		const csv = await exportNetworkProvisions(secretariat('network.provisions'), q(), 'ja');
		if (!csv.ok) throw new Error(csv.reason);
		const lines = csv.value.split('\r\n');
		expect(lines[0]).toBe('\uFEFF日時,渡した団体,受け取った団体,渡した項目,要配慮個人情報,同意なし,根拠,理由,記録の番号');
		const withoutLine = lines.findIndex((l) => l.endsWith(without));
		const withLine = lines.findIndex((l) => l.endsWith(withConsent));
		expect(withoutLine).toBeGreaterThan(0);
		expect(withoutLine).toBeLessThan(withLine);
		expect(lines[withoutLine]).toContain(REASON);
		expect(lines[withoutLine]).toContain('名前・相談の概要,はい,はい,命や体を守るため');
		expect(lines[withLine]).toContain(',本人の同意,,');
		expect(await auditCount('provision.export')).toBe(exports + 1);
	});

	it('shows the provider what it gave (with its reason), the recipient what it got, a third organisation nothing', async () => {
		const a = await organizationProvisions(orgAdmin(orgA), q());
		expect(a.ok && a.value.provided.find((r) => r.id === without)?.reason).toBe(REASON);
		expect(a.ok && a.value.received.some((r) => r.id === without)).toBe(false);
		const b = await organizationProvisions(orgAdmin(orgB), q());
		expect(b.ok && b.value.received.find((r) => r.id === without)).toMatchObject({ basis: 'vital_interest', reason: null });
		expect(b.ok && b.value.provided.some((r) => r.id === without)).toBe(false);
		const c = await organizationProvisions(orgAdmin(orgC), q());
		expect(c.ok && [...c.value.provided, ...c.value.received].filter((r) => r.id === without || r.id === withConsent)).toEqual([]);
		// Another permission of the organisation opens nothing.
		expect(await organizationProvisions(orgAdmin(orgA, 'members.manage'), q())).toEqual({ ok: false, reason: 'forbidden' });
		const csv = await exportOrganizationProvisions(orgAdmin(orgB), q(), 'ja');
		expect(csv.ok && csv.value).toContain(without);
		expect(csv.ok && csv.value).not.toContain(REASON);
	});

	it('reads the period from the query string and refuses what it cannot read', () => {
		const params = (s: string) => new URLSearchParams(s);
		expect(readProvisionQuery(params(''), '2026-05-10')).toEqual({ from: '2025-05-10', to: '2026-05-10', withoutConsentOnly: false });
		expect(readProvisionQuery(params('from=2026-01-01&to=2026-01-31&without=1'), '2026-05-10')).toEqual({ from: '2026-01-01', to: '2026-01-31', withoutConsentOnly: true });
		for (const bad of ['from=2026-02-30', 'to=yesterday', 'from=2026-03-01&to=2026-02-01', 'without=yes', 'from=1999-12-31']) expect(readProvisionQuery(params(bad), '2026-05-10'), bad).toBeNull();
	});
});

describe('retention', () => {
	it('deletes only the records past keep_until, in the platform’s context, and says how many', async () => {
		const kept = await share(orgA, orgC, 'legal_duty', '法律にもとづく通告のため必要だった');
		const subject = (await rowOf(kept)).subject_id;
		const old = (
			await admin.query(
				`insert into provision_records (subject_id, provider_organization_id, recipient_organization_id, items, basis, reason_sealed, provided_at, keep_until)
				values ($1, $2, $3, array['name'], 'legal_duty', 'enc:v1:x', now() - interval '4 years', ((now() - interval '4 years') at time zone 'Asia/Tokyo')::date + interval '3 years') returning id`,
				[subject, orgA, orgC]
			)
		).rows[0].id;
		const run = await purgeExpiredProvisions(system(), { now: new Date() });
		expect(run.deleted).toBe(1);
		expect(run.keptUntilBefore).toBe(today());
		expect(await rowOf(old)).toBeUndefined();
		expect(await rowOf(kept)).toBeDefined();
		expect(await auditCount('provision.purge')).toBe(1);
		// Three years and a day on, the record made today goes too.
		const later = await purgeExpiredProvisions(system(), { now: new Date(Date.now() + (3 * 366 + 1) * 86_400_000) });
		expect(later.deleted).toBeGreaterThanOrEqual(1);
		expect(await rowOf(kept)).toBeUndefined();
	});
});
