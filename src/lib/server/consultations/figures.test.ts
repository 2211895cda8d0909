/** Consultation figures and phone / walk-in consultations on a real database, threads made at set times (a fixed clock). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { testDatabase } from '../../../../tests/helpers/db';
import { makeOrganization } from '../../../../tests/helpers/factories';
import type { Database } from '../db';
import { useDatabase } from '../db';
import { residentScope } from '../auth/guard';
import type { Permission } from '../network/permissions';
import { runIn, systemScope } from '../scope';
import {
	consultationFiguresByOrganization,
	consultationFiguresCsv,
	exportNetworkConsultationFigures,
	networkConsultationFigures,
	networkConsultationFiguresCsv,
	exportOrganizationConsultationFigures,
	inbox,
	openThread,
	organizationConsultationFigures,
	recordStaffConsultation,
	staffEntryInput,
	startConsultation,
	type Channel
} from './index';
import { organizationScopeOf, requestOf, secretariatScopeOf } from '../../../../tests/helpers/scopes';

let database: Database;
let admin: pg.Client;

/** The figures a permitted scope gets (a refusal fails the test with its reason). */
const granted = <T>(result: { ok: true; value: T } | { ok: false; reason: string }): T => {
	if (!result.ok) throw new Error(result.reason);
	return result.value;
};
const counsellorOf = (organizationId: string, permission: Permission = 'consultations.read', userId = randomUUID()) => organizationScopeOf(userId, organizationId, 'counsellor', permission);

/** The fixed clock: every time below is an offset from this instant (Tokyo 2026-03-10 10:00). */
const CLOCK = new Date('2026-03-10T10:00:00+09:00');
const at = (minutes: number) => new Date(CLOCK.getTime() + minutes * 60_000);

/**
 * A thread made as the app makes it (the web form or a counsellor's record), then placed at a set
 * time: created `createdAt`, first answered `answeredAt` (null: not yet).
 */
async function makeThread(organizationId: string, options: { createdAt: Date; answeredAt?: Date | null; channel?: Channel; message?: string }) {
	let id: string;
	if (options.channel === 'staff') id = (await recordStaffConsultation(counsellorOf(organizationId, 'consultations.reply'), staffEntryInput.parse({ message: options.message ?? '電話で相談がありました' }))).id;
	else {
		const started = await startConsultation(residentScope(requestOf(null)), { message: options.message ?? '話を聞いてほしい', organizationId }, options.channel ?? 'web');
		if (!started.ok) throw new Error(started.reason);
		id = started.value.id;
	}
	const answeredAt = options.channel === 'staff' ? options.createdAt : (options.answeredAt ?? null);
	await admin.query(`update consultation_threads set created_at = $2, first_answered_at = $3 where id = $1`, [id, options.createdAt, answeredAt]);
	return id;
}

const MARCH = { from: '2026-03-01', to: '2026-03-31' };

beforeAll(async () => {
	database = await testDatabase();
	useDatabase(database);
	admin = new pg.Client({ connectionString: database.adminUrl });
	await admin.connect();
}, 60_000);

afterAll(async () => {
	await admin?.end();
	await database?.close();
});

describe('consultation figures', () => {
	let orgA: string;
	let orgB: string;
	beforeAll(async () => {
		orgA = await makeOrganization(database.db);
		orgB = await makeOrganization(database.db);
		// Organisation A in March: five web threads answered after 10…50 minutes, one unanswered,
		// one urgent LINE thread answered after 5 minutes, two phone / walk-in records.
		for (const m of [10, 20, 30, 40, 50]) await makeThread(orgA, { createdAt: at(m * 7), answeredAt: at(m * 7 + m) });
		await makeThread(orgA, { createdAt: at(600) });
		await makeThread(orgA, { createdAt: at(700), answeredAt: at(705), channel: 'line', message: 'もう消えたい' });
		await makeThread(orgA, { createdAt: at(800), channel: 'staff' });
		await makeThread(orgA, { createdAt: at(900), channel: 'staff' });
		// Outside March in Tokyo (the last minutes of February, the first of April), and another organisation's.
		await makeThread(orgA, { createdAt: new Date('2026-02-28T23:50:00+09:00'), answeredAt: new Date('2026-03-01T09:00:00+09:00') });
		await makeThread(orgA, { createdAt: new Date('2026-04-01T00:10:00+09:00') });
		await makeThread(orgA, { createdAt: new Date('2026-03-31T23:50:00+09:00'), answeredAt: new Date('2026-04-01T00:50:00+09:00') });
		await makeThread(orgB, { createdAt: at(0), answeredAt: at(1000) });
		await makeThread(orgB, { createdAt: at(5), message: '死にたい' });
	}, 60_000);

	it("counts the organisation's threads in the period per channel, the urgent share, and the time to first answer (web and LINE)", async () => {
		const scope = counsellorOf(orgA);
		const f = await runIn(scope, (tx) => organizationConsultationFigures(tx, scope, MARCH).then(granted));
		expect(f).toMatchObject({ threads: 10, byChannel: { web: 7, line: 1, staff: 2 }, urgent: 1, answered: 7, unanswered: 1 });
		expect(f.urgentShare).toBeCloseTo(0.1);
		// Answered web and LINE: 5, 10, 20, 30, 40, 50, 60 minutes → median 30, p90 = 50 + 0.4 × 10 = 54 minutes.
		expect(f.medianSecondsToAnswer).toBe(30 * 60);
		expect(f.p90SecondsToAnswer).toBe(54 * 60);
	});

	it('reads the period as Tokyo days: the last minutes of the 31st count, the first of April do not', async () => {
		const scope = counsellorOf(orgA);
		const april = await runIn(scope, (tx) => organizationConsultationFigures(tx, scope, { from: '2026-04-01', to: '2026-04-30' }).then(granted));
		expect(april).toMatchObject({ threads: 1, unanswered: 1, answered: 0, medianSecondsToAnswer: null, p90SecondsToAnswer: null });
		const feb = await runIn(scope, (tx) => organizationConsultationFigures(tx, scope, { from: '2026-02-28', to: '2026-02-28' }).then(granted));
		expect(feb).toMatchObject({ threads: 1, answered: 1, medianSecondsToAnswer: 9 * 3600 + 10 * 60 });
	});

	it('has nothing to show for a period without threads', async () => {
		const scope = counsellorOf(orgA);
		expect(await runIn(scope, (tx) => organizationConsultationFigures(tx, scope, { from: '2025-01-01', to: '2025-01-31' }).then(granted))).toEqual({
			threads: 0,
			byChannel: { web: 0, line: 0, staff: 0 },
			urgent: 0,
			urgentShare: null,
			answered: 0,
			unanswered: 0,
			medianSecondsToAnswer: null,
			p90SecondsToAnswer: null
		});
	});

	it("counts only the organisation's own threads: another organisation's counsellor sees theirs alone", async () => {
		const scope = counsellorOf(orgB);
		const f = await runIn(scope, (tx) => organizationConsultationFigures(tx, scope, MARCH).then(granted));
		expect(f).toMatchObject({ threads: 2, urgent: 1, answered: 1, unanswered: 1, medianSecondsToAnswer: 1000 * 60 });
	});

	it('computes every organisation and the whole in one aggregate, where a context sees them all', async () => {
		const { total, perOrganization } = await runIn(systemScope(database.db, 'test'), (tx) => consultationFiguresByOrganization(tx, MARCH));
		expect(perOrganization.get(orgA)).toMatchObject({ threads: 10, urgent: 1 });
		expect(perOrganization.get(orgB)).toMatchObject({ threads: 2, urgent: 1 });
		// The whole is its own percentile, not a mean of the rows'.
		expect(total.threads).toBeGreaterThanOrEqual(12);
	});

	it('are refused to someone at the organisation who may not read its consultations (its admin, with figures.view), and nothing is recorded', async () => {
		const scope = organizationScopeOf(randomUUID(), orgA, 'org_admin', 'figures.view');
		expect(await exportOrganizationConsultationFigures(scope, MARCH)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await runIn(scope, (tx) => organizationConsultationFigures(tx, scope, MARCH))).toEqual({ ok: false, reason: 'forbidden' });
		expect((await admin.query(`select count(*)::int as n from audit_events where actor_user_id = $1`, [scope.actor.userId])).rows[0].n).toBe(0);
	});

	it('records the CSV export in the audit log, and writes the section with minutes', async () => {
		const scope = counsellorOf(orgA);
		const f = granted(await exportOrganizationConsultationFigures(scope, MARCH));
		const [event] = (await admin.query(`select action, organization_id, actor_user_id from audit_events where action = 'consultation.figures_export' order by id desc limit 1`)).rows;
		expect(event).toMatchObject({ organization_id: orgA, actor_user_id: scope.actor.userId });
		const labels = { title: 'T', item: 'I', value: 'V', threads: 'N', channels: { web: 'W', line: 'L', staff: 'S' }, urgent: 'U', urgentShare: 'US', median: 'M', p90: 'P', unanswered: 'X' };
		const csv = consultationFiguresCsv(labels, f);
		expect(csv.startsWith('\uFEFF')).toBe(false);
		expect(csv.split('\r\n')).toEqual(['', 'T', 'I,V', 'N,10', 'W,7', 'L,1', 'S,2', 'U,1', 'US,0.100', 'M,30.0', 'P,54.0', 'X,1', '']);
	});
});

describe("the network's consultation figures (the secretariat: aggregates only, under 5 hidden)", () => {
	const JUNE = { from: '2025-06-01', to: '2025-06-30' };
	const june = (minutes: number) => new Date(new Date('2025-06-10T10:00:00+09:00').getTime() + minutes * 60_000);
	const secretariat = (permission: Permission = 'network.consultation_figures') => secretariatScopeOf(randomUUID(), randomUUID(), permission);
	let orgC: string;
	let orgD: string;
	let orgE: string;
	const threadIds: string[] = [];
	const SECRET = '誰にも言えない相談の中身';

	beforeAll(async () => {
		[orgC, orgD, orgE] = [await makeOrganization(database.db), await makeOrganization(database.db), await makeOrganization(database.db)];
		// C: ten web threads answered after 1…10 minutes (two urgent), six phone / walk-in records.
		for (let m = 1; m <= 10; m++) threadIds.push(await makeThread(orgC, { createdAt: june(m * 60), answeredAt: june(m * 60 + m), message: m <= 2 ? `${SECRET} もう消えたい` : SECRET }));
		for (let i = 0; i < 6; i++) threadIds.push(await makeThread(orgC, { createdAt: june(900 + i), channel: 'staff', message: SECRET }));
		// D: three unanswered web threads. E: seven web threads, five urgent, each answered after 20 minutes.
		for (let i = 0; i < 3; i++) threadIds.push(await makeThread(orgD, { createdAt: june(i), message: SECRET }));
		for (let i = 0; i < 7; i++) threadIds.push(await makeThread(orgE, { createdAt: june(i * 30), answeredAt: june(i * 30 + 20), message: i < 5 ? `${SECRET} 死にたい` : SECRET }));
	}, 120_000);

	it('counts every organisation and the network, hiding counts under 5 and the counts the sums would give back', async () => {
		const result = await networkConsultationFigures(secretariat(), JUNE);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		const row = (id: string) => result.value.organizations.find((o) => o.id === id)!.figures;
		// C: 16 threads (web 10, phone 6); LINE 0 and urgent 2 are under 5. Times from 10 answered: median 5.5, p90 9.1 minutes.
		expect(row(orgC)).toEqual({ threads: 16, byChannel: { web: 10, line: null, staff: 6 }, urgent: null, urgentShare: null, medianSecondsToAnswer: 330, p90SecondsToAnswer: 546 });
		// D: three threads, nothing shown; no time from fewer than 5 answered.
		expect(row(orgD)).toEqual({ threads: null, byChannel: { web: null, line: null, staff: null }, urgent: null, urgentShare: null, medianSecondsToAnswer: null, p90SecondsToAnswer: null });
		// E: 7 threads and 5 urgent are not under 5, but hidden with D's 3 and C's 2 — the network's
		// totals would give those back (26 − 16 − 7 = 3, 7 − 5 = 2). Its times come from 7 answered.
		expect(row(orgE)).toEqual({ threads: null, byChannel: { web: null, line: null, staff: null }, urgent: null, urgentShare: null, medianSecondsToAnswer: 1200, p90SecondsToAnswer: 1200 });
		// The network: its own median and p90 over all 17 answered (1…10 and seven times 20 minutes), not a mean of the rows.
		expect(result.value.total).toEqual({ threads: 26, byChannel: { web: 20, line: null, staff: 6 }, urgent: 7, urgentShare: 7 / 26, medianSecondsToAnswer: 540, p90SecondsToAnswer: 1200 });
		// Every other organisation (the demo region's) is listed with nothing to show.
		for (const o of result.value.organizations.filter((o) => ![orgC, orgD, orgE].includes(o.id))) expect(o.figures.threads).toBeNull();
	});

	it('tells nothing of a thread: no text, no thread id, one row per organisation and nothing per thread', async () => {
		const result = await networkConsultationFigures(secretariat(), JUNE);
		if (!result.ok) throw new Error(result.reason);
		const json = JSON.stringify(result.value);
		expect(json).not.toContain(SECRET);
		expect(json).not.toContain('消えたい');
		for (const id of threadIds) expect(json).not.toContain(id);
		expect(Object.keys(result.value).sort()).toEqual(['organizations', 'total']);
		const organizations = Number((await admin.query(`select count(*) from organizations`)).rows[0].count);
		expect(result.value.organizations).toHaveLength(organizations);
		for (const o of result.value.organizations) {
			expect(Object.keys(o).sort()).toEqual(['figures', 'id', 'name']);
			expect(Object.keys(o.figures).sort()).toEqual(['byChannel', 'medianSecondsToAnswer', 'p90SecondsToAnswer', 'threads', 'urgent', 'urgentShare']);
		}
	});

	it('refuses a secretariat scope made for another permission, before reading anything', async () => {
		expect(await networkConsultationFigures(secretariat('network.attendance'), JUNE)).toEqual({ ok: false, reason: 'forbidden' });
		const before = Number((await admin.query(`select count(*) from audit_events where action = 'consultation.figures_export_network'`)).rows[0].count);
		expect(await exportNetworkConsultationFigures(secretariat('network.attendance'), JUNE)).toEqual({ ok: false, reason: 'forbidden' });
		expect(Number((await admin.query(`select count(*) from audit_events where action = 'consultation.figures_export_network'`)).rows[0].count)).toBe(before);
	});

	it('writes the CSV section with its columns and 5件未満 for hidden cells, and records the export as the secretariat', async () => {
		const scope = secretariat();
		const result = await exportNetworkConsultationFigures(scope, JUNE);
		if (!result.ok) throw new Error(result.reason);
		const [event] = (await admin.query(`select actor_user_id, entity_type, entity_id from audit_events where action = 'consultation.figures_export_network' order by id desc limit 1`)).rows;
		expect(event).toEqual({ actor_user_id: scope.actor.userId, entity_type: 'network', entity_id: '2025-06-01/2025-06-30' });
		const labels = { title: 'T', organization: 'O', total: 'ALL', threads: 'N', channels: { web: 'W', line: 'L', staff: 'S' }, urgent: 'U', urgentShare: 'US', median: 'M', p90: 'P', suppressed: '5件未満' };
		const lines = networkConsultationFiguresCsv(labels, result.value).split('\r\n');
		expect(lines.slice(0, 3)).toEqual(['', 'T', 'O,N,W,L,S,U,US,M,P']);
		const names = new Map((await admin.query(`select id, name from organizations where id = any($1::uuid[])`, [[orgC, orgD, orgE]])).rows.map((r) => [r.id, r.name]));
		expect(lines).toContain(`${names.get(orgC)},16,10,5件未満,6,5件未満,5件未満,5.5,9.1`);
		expect(lines).toContain(`${names.get(orgD)},5件未満,5件未満,5件未満,5件未満,5件未満,5件未満,5件未満,5件未満`);
		expect(lines).toContain(`${names.get(orgE)},5件未満,5件未満,5件未満,5件未満,5件未満,5件未満,20.0,20.0`);
		expect(lines.at(-2)).toBe('ALL,26,20,5件未満,6,7,0.269,9.0,20.0');
		expect(lines.at(-1)).toBe('');
	});
});

describe('phone and walk-in consultations', () => {
	let org: string;
	beforeAll(async () => {
		org = await makeOrganization(database.db);
	});

	it('records a consultation in the inbox: channel staff, open, assigned to the counsellor, sealed, audited', async () => {
		const userId = randomUUID();
		const scope = counsellorOf(org, 'consultations.reply', userId);
		const entered = await recordStaffConsultation(scope, staffEntryInput.parse({ message: '子どもの登校のことで電話がありました', nickname: 'たなか', contact: '090-0000-0000' }));
		expect(entered).toMatchObject({ urgent: false, triageUrgent: false });
		const [row] = (await admin.query(`select channel, status, urgent, assigned_to, nickname_sealed, contact_sealed, first_answered_at, created_at from consultation_threads where id = $1`, [entered.id])).rows;
		expect(row).toMatchObject({ channel: 'staff', status: 'open', urgent: false, assigned_to: userId });
		expect(row.first_answered_at).toEqual(row.created_at);
		const [message] = (await admin.query(`select author, author_user_id, body_sealed from consultation_messages where thread_id = $1`, [entered.id])).rows;
		expect(message).toMatchObject({ author: 'person', author_user_id: userId });
		for (const sealed of [row.nickname_sealed, row.contact_sealed, message.body_sealed]) expect(sealed).toMatch(/^enc:v1:/);
		const [audit] = (await admin.query(`select action, actor_user_id, organization_id from audit_events where entity_id = $1`, [entered.id])).rows;
		expect(audit).toEqual({ action: 'consultation.staff_entry', actor_user_id: userId, organization_id: org });

		const mine = await inbox(counsellorOf(org, 'consultations.read', userId), { view: 'mine' });
		expect(mine.threads.map((t) => [t.id, t.channel])).toContainEqual([entered.id, 'staff']);
		const opened = await openThread(scope, { threadId: entered.id });
		expect(opened.ok && [opened.value.nickname, opened.value.contact, opened.value.messages.map((m) => m.body)]).toEqual(['たなか', '090-0000-0000', ['子どもの登校のことで電話がありました']]);
	});

	it("marks it urgent by the counsellor's judgement, or by triage, either one", async () => {
		const scope = counsellorOf(org, 'consultations.reply');
		const judged = await recordStaffConsultation(scope, staffEntryInput.parse({ message: '声の様子が心配だった', urgent: 'on' }));
		expect(judged).toMatchObject({ urgent: true, triageUrgent: false });
		const triaged = await recordStaffConsultation(scope, staffEntryInput.parse({ message: 'もう消えたいと話していた' }));
		expect(triaged).toMatchObject({ urgent: true, triageUrgent: true });
		const [row] = (await admin.query(`select urgent, crisis_categories from consultation_threads where id = $1`, [triaged.id])).rows;
		expect(row).toEqual({ urgent: true, crisis_categories: ['suicide'] });
		const [audit] = (await admin.query(`select action from audit_events where entity_id = $1`, [judged.id])).rows;
		expect(audit.action).toBe('consultation.staff_entry_urgent');
		const urgent = await inbox(counsellorOf(org), { view: 'urgent' });
		expect(urgent.threads.map((t) => t.id)).toEqual(expect.arrayContaining([judged.id, triaged.id]));
	});

	it('refuses an empty or overlong record', () => {
		expect(staffEntryInput.safeParse({ message: '   ' }).success).toBe(false);
		expect(staffEntryInput.safeParse({ message: 'あ'.repeat(4001) }).success).toBe(false);
		expect(staffEntryInput.safeParse({ message: 'x', nickname: 'あ'.repeat(41) }).success).toBe(false);
		expect(staffEntryInput.parse({ message: ' x ', nickname: '' })).toEqual({ message: 'x', nickname: undefined, contact: undefined, urgent: false });
	});
});
