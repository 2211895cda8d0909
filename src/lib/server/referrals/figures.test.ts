/**
 * Referral figures on a real database, referrals placed at set times: an organisation's own sent and
 * received referrals in its scope (row-level security shows exactly those), and the network's in the
 * platform's context behind the secretariat's check, under 5 hidden with complementary suppression.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { testDatabase } from '../../../../tests/helpers/db';
import { makeOrganization } from '../../../../tests/helpers/factories';
import { insertReferral } from '../../../../tests/helpers/referrals';
import { useDatabase, type Database } from '../db';
import { requireOrganization } from '../auth/guard';
import type { Role } from '../network';
import type { Permission } from '../auth';
import { translator } from '$lib/i18n';
import { runIn } from '../scope';
import { exportNetworkReferralFigures, exportOrganizationReferralFigures, networkReferralFigures, networkReferralFiguresCsv, organizationReferralFigures, referralFiguresCsv, seesReferralFigures } from './index';
import { actorOf, organizationScopeOf, requestOf, secretariatScopeOf } from '../../../../tests/helpers/scopes';

let database: Database;
let admin: pg.Client;
let orgC: string;
let orgD: string;
let orgE: string;
const referralIds: string[] = [];

const staffOf = (organizationId: string, role: Role = 'staff') => organizationScopeOf(randomUUID(), organizationId, role, 'figures.view');
const secretariat = (permission: Permission = 'network.referrals') => secretariatScopeOf(randomUUID(), randomUUID(), permission);

const JUNE = { from: '2025-06-01', to: '2025-06-30' };
const DAY = 86_400_000;
const june = (hours: number) => new Date(new Date('2025-06-10T10:00:00+09:00').getTime() + hours * 3600_000);
const after = (from: Date, days: number) => new Date(from.getTime() + days * DAY);
const t = translator('ja');

beforeAll(async () => {
	database = await testDatabase();
	useDatabase(database);
	admin = new pg.Client({ connectionString: database.adminUrl });
	await admin.connect();
	[orgC, orgD, orgE] = [await makeOrganization(database.db), await makeOrganization(database.db), await makeOrganization(database.db)];
	const add = async (r: Parameters<typeof insertReferral>[1]) => {
		const id = await insertReferral(admin, r);
		referralIds.push(id);
		return id;
	};
	// C → D, twelve in June: ten accepted after 1…10 days; six of them contacted 2…7 days after sending;
	// three completed, five closed (got help ×2, could not reach, no capacity, no longer wanted), two
	// still accepted, one declined, one still waiting. Two went to the secretariat's queue.
	for (let i = 0; i < 12; i++) {
		const createdAt = june(i);
		const accepted = i < 10 ? after(createdAt, i + 1) : null;
		const contacted = i < 6 ? after(createdAt, i + 2) : null;
		const [status, outcome] = i < 3 ? ['completed', null] : i < 5 ? ['closed', 'got_help'] : i === 5 ? ['closed', 'could_not_reach'] : i === 6 ? ['closed', 'no_capacity'] : i === 7 ? ['closed', 'no_longer_wanted'] : i < 10 ? ['accepted', null] : i === 10 ? ['declined', null] : ['sent', null];
		const id = await add({ from: orgC, to: orgD, createdAt, acceptedAt: accepted, firstContactAt: contacted, closedAt: status === 'closed' ? after(createdAt, 20) : null, status: status as 'sent', outcome: outcome as 'got_help' | null });
		if (i === 8 || i === 11) await admin.query(`insert into referral_queue (referral_id, from_organization_id, to_organization_id, reason, waiting_since) values ($1, $2, $3, $4, $5)`, [id, orgC, orgD, i === 8 ? 'no_first_contact' : 'not_accepted', createdAt]);
	}
	// D → C three waiting, D → E one; E → C six accepted after two days, none contacted yet.
	for (let i = 0; i < 3; i++) await add({ from: orgD, to: orgC, createdAt: june(20 + i) });
	await add({ from: orgD, to: orgE, createdAt: june(30) });
	for (let i = 0; i < 6; i++) await add({ from: orgE, to: orgC, createdAt: june(40 + i), status: 'accepted', acceptedAt: after(june(40 + i), 2) });
	// Outside June in Tokyo: the last minutes of May, the first of July.
	await add({ from: orgC, to: orgD, createdAt: new Date('2025-05-31T23:50:00+09:00') });
	await add({ from: orgC, to: orgD, createdAt: new Date('2025-07-01T00:10:00+09:00') });
}, 60_000);

afterAll(async () => {
	await admin?.end();
	await database?.close();
});

describe("an organisation's referral figures", () => {
	it('counts what it sent and what it received in the period, with the outcome mix, the queued share and the median days', async () => {
		const scope = staffOf(orgC);
		const f = await runIn(scope, (tx) => organizationReferralFigures(tx, scope, JUNE));
		expect(f.sent).toEqual({
			referrals: 12,
			accepted: 10,
			contacted: 6,
			completed: 3,
			closed: 5,
			outcomes: { got_help: 2, could_not_reach: 1, no_capacity: 1, no_longer_wanted: 1 },
			queued: 2,
			queuedShare: 2 / 12,
			medianDaysToAcceptance: 5.5,
			medianDaysToFirstContact: 4.5
		});
		expect(f.received).toEqual({ referrals: 9, accepted: 6, contacted: 0, completed: 0, closed: 0, outcomes: { got_help: 0, could_not_reach: 0, no_capacity: 0, no_longer_wanted: 0 }, queued: 0, queuedShare: 0, medianDaysToAcceptance: 2, medianDaysToFirstContact: null });
	});

	it('reads the period as Tokyo days, and sees only its own referrals', async () => {
		const scope = staffOf(orgC);
		const may = await runIn(scope, (tx) => organizationReferralFigures(tx, scope, { from: '2025-05-31', to: '2025-05-31' }));
		expect([may.sent.referrals, may.received.referrals]).toEqual([1, 0]);
		const july = await runIn(scope, (tx) => organizationReferralFigures(tx, scope, { from: '2025-07-01', to: '2025-07-31' }));
		expect(july.sent.referrals).toBe(1);
		// E: its six sent and the one D sent it; D → C is not E's to see.
		const e = staffOf(orgE);
		const fe = await runIn(e, (tx) => organizationReferralFigures(tx, e, JUNE));
		expect([fe.sent.referrals, fe.received.referrals]).toEqual([6, 1]);
		// A fourth organisation sees nothing at all, even without the query naming it.
		const outsider = staffOf(await makeOrganization(database.db));
		const none = await runIn(outsider, async (tx) => (await tx.execute<{ n: number }>(sql`select count(*)::int as n from referrals`)).rows[0].n);
		expect(none).toBe(0);
	});

	it('is for whoever may send or receive referrals there', () => {
		expect(seesReferralFigures(staffOf(orgC, 'staff'))).toBe(true);
		expect(seesReferralFigures(staffOf(orgC, 'counsellor'))).toBe(true);
		// The secretariat acting at another organisation holds figures.view there, not referrals.
		const elsewhere = requireOrganization(requestOf(actorOf(randomUUID(), randomUUID(), 'secretariat_admin'), orgC), 'figures.view');
		expect(seesReferralFigures(elsewhere)).toBe(false);
	});

	it('records the CSV export and writes its section: item, sent, received', async () => {
		const scope = staffOf(orgC);
		const f = await exportOrganizationReferralFigures(scope, JUNE);
		const [event] = (await admin.query(`select organization_id, actor_user_id from audit_events where action = 'referral.figures_export' order by id desc limit 1`)).rows;
		expect(event).toEqual({ organization_id: orgC, actor_user_id: scope.actor.userId });
		const lines = referralFiguresCsv(t, f).split('\r\n');
		expect(lines.slice(0, 4)).toEqual(['', '紹介(つなぎ)の実績', '項目,送った紹介,受けた紹介', '紹介の数,12,9']);
		expect(lines).toContain('終了:支援につながった,2,0');
		expect(lines).toContain('事務局に知らせた割合,0.167,0.000');
		expect(lines).toContain('受けてもらえるまでの日数(中央値),5.5,2.0');
		expect(lines).toContain('本人に連絡できるまでの日数(中央値),4.5,');
	});
});

describe("the network's referral figures (the secretariat: counts only, under 5 hidden)", () => {
	it('counts each organisation and the network, hiding counts under 5 and those the sums give back', async () => {
		const result = await networkReferralFigures(secretariat(), JUNE);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		const row = (id: string) => result.value.organizations.find((o) => o.id === id)!.figures;
		const hiddenOutcomes = { got_help: null, could_not_reach: null, no_capacity: null, no_longer_wanted: null };
		// C: completed 3, the outcomes and queued 2 are under 5; its 9 received would give E's 1 back from the total.
		expect(row(orgC)).toEqual({ sent: 12, received: null, accepted: 10, completed: null, closed: 5, ...hiddenOutcomes, queued: null, queuedShare: null, medianDaysToAcceptance: 5.5, medianDaysToFirstContact: 4.5 });
		// D sent 4 (under 5); E's 6 sent are hidden with it, or 22 − 12 − 6 would give D's 4 back.
		expect(row(orgD)).toEqual({ sent: null, received: 12, accepted: null, completed: null, closed: null, ...hiddenOutcomes, queued: null, queuedShare: null, medianDaysToAcceptance: null, medianDaysToFirstContact: null });
		expect(row(orgE)).toEqual({ sent: null, received: null, accepted: 6, completed: null, closed: null, ...hiddenOutcomes, queued: null, queuedShare: null, medianDaysToAcceptance: 2, medianDaysToFirstContact: null });
		// The network: its own medians over every referral (1…10 and six times 2 days → 2.5), not a mean of the rows.
		expect(result.value.total).toEqual({ sent: 22, received: 22, accepted: 16, completed: null, closed: 5, ...hiddenOutcomes, queued: null, queuedShare: null, medianDaysToAcceptance: 2.5, medianDaysToFirstContact: 4.5 });
		for (const o of result.value.organizations.filter((o) => ![orgC, orgD, orgE].includes(o.id))) expect(o.figures.sent).toBeNull();
	});

	it('tells nothing of a referral: no id, one row per organisation', async () => {
		const result = await networkReferralFigures(secretariat(), JUNE);
		if (!result.ok) throw new Error(result.reason);
		const json = JSON.stringify(result.value);
		for (const id of referralIds) expect(json).not.toContain(id);
		const organizations = Number((await admin.query(`select count(*) from organizations`)).rows[0].count);
		expect(result.value.organizations).toHaveLength(organizations);
	});

	it('refuses a secretariat scope made for another permission, before reading or recording anything', async () => {
		expect(await networkReferralFigures(secretariat('network.attendance'), JUNE)).toEqual({ ok: false, reason: 'forbidden' });
		const count = async () => Number((await admin.query(`select count(*) from audit_events where action = 'referral.figures_export_network'`)).rows[0].count);
		const before = await count();
		expect(await exportNetworkReferralFigures(secretariat('network.consultation_figures'), JUNE)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await count()).toBe(before);
	});

	it('writes the CSV section with 5件未満 for hidden cells, and records the export as the secretariat', async () => {
		const scope = secretariat();
		const result = await exportNetworkReferralFigures(scope, JUNE);
		if (!result.ok) throw new Error(result.reason);
		const [event] = (await admin.query(`select actor_user_id, entity_type, entity_id from audit_events where action = 'referral.figures_export_network' order by id desc limit 1`)).rows;
		expect(event).toEqual({ actor_user_id: scope.actor.userId, entity_type: 'network', entity_id: '2025-06-01/2025-06-30' });
		const lines = networkReferralFiguresCsv(t, result.value).split('\r\n');
		expect(lines.slice(0, 2)).toEqual(['', 'ネットワークの紹介(つなぎ)']);
		expect(lines[2].split(',')).toHaveLength(14);
		const name = (await admin.query(`select name from organizations where id = $1`, [orgC])).rows[0].name;
		expect(lines).toContain(`${name},12,5件未満,10,5件未満,5,5件未満,5件未満,5件未満,5件未満,5件未満,5件未満,5.5,4.5`);
		expect(lines.at(-2)).toBe('ネットワーク全体,22,22,16,5件未満,5,5件未満,5件未満,5件未満,5件未満,5件未満,5件未満,2.5,4.5');
	});
});
