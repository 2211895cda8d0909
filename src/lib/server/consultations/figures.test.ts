/** Consultation figures and phone / walk-in consultations on a real database, threads made at set times (a fixed clock). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { RequestEvent } from '@sveltejs/kit';
import { testDatabase } from '../../../../tests/helpers/db';
import { makeOrganization } from '../../../../tests/helpers/factories';
import type { Database } from '../db';
import { useDatabase } from '../db';
import { requireOrganization, residentScope } from '../auth/guard';
import type { Actor } from '../auth/actor';
import type { Role } from '../network';
import type { Permission } from '../network/permissions';
import { runIn, systemScope } from '../scope';
import { consultationFiguresByOrganization, consultationFiguresCsv, exportOrganizationConsultationFigures, inbox, openThread, organizationConsultationFigures, recordStaffConsultation, staffEntryInput, startConsultation, type Channel } from './index';

let database: Database;
let admin: pg.Client;

const requestOf = (actor: Actor | null, orgId?: string) => ({ locals: { actor, ip: '192.0.2.78', userAgent: 'vitest', requestId: 'vitest' }, url: new URL('http://localhost/staff'), params: { orgId } }) as unknown as RequestEvent;
const actorOf = (userId: string, organizationId: string, role: Role): Actor => ({ userId, email: `${role}@example.org`, displayName: role, sessionId: 's', memberships: [{ organizationId, organizationName: '', role }], secretariat: false, mfaRequired: true, mfaEnrolled: true });
const counsellorOf = (organizationId: string, permission: Permission = 'consultations.read', userId = randomUUID()) => requireOrganization(requestOf(actorOf(userId, organizationId, 'counsellor'), organizationId), permission);

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
		const f = await runIn(scope, (tx) => organizationConsultationFigures(tx, scope, MARCH));
		expect(f).toMatchObject({ threads: 10, byChannel: { web: 7, line: 1, staff: 2 }, urgent: 1, answered: 7, unanswered: 1 });
		expect(f.urgentShare).toBeCloseTo(0.1);
		// Answered web and LINE: 5, 10, 20, 30, 40, 50, 60 minutes → median 30, p90 = 50 + 0.4 × 10 = 54 minutes.
		expect(f.medianSecondsToAnswer).toBe(30 * 60);
		expect(f.p90SecondsToAnswer).toBe(54 * 60);
	});

	it('reads the period as Tokyo days: the last minutes of the 31st count, the first of April do not', async () => {
		const scope = counsellorOf(orgA);
		const april = await runIn(scope, (tx) => organizationConsultationFigures(tx, scope, { from: '2026-04-01', to: '2026-04-30' }));
		expect(april).toMatchObject({ threads: 1, unanswered: 1, answered: 0, medianSecondsToAnswer: null, p90SecondsToAnswer: null });
		const feb = await runIn(scope, (tx) => organizationConsultationFigures(tx, scope, { from: '2026-02-28', to: '2026-02-28' }));
		expect(feb).toMatchObject({ threads: 1, answered: 1, medianSecondsToAnswer: 9 * 3600 + 10 * 60 });
	});

	it('has nothing to show for a period without threads', async () => {
		const scope = counsellorOf(orgA);
		expect(await runIn(scope, (tx) => organizationConsultationFigures(tx, scope, { from: '2025-01-01', to: '2025-01-31' }))).toEqual({
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
		const f = await runIn(scope, (tx) => organizationConsultationFigures(tx, scope, MARCH));
		expect(f).toMatchObject({ threads: 2, urgent: 1, answered: 1, unanswered: 1, medianSecondsToAnswer: 1000 * 60 });
	});

	it('computes every organisation and the whole in one aggregate, where a context sees them all', async () => {
		const { total, perOrganization } = await runIn(systemScope(database.db, 'test'), (tx) => consultationFiguresByOrganization(tx, MARCH));
		expect(perOrganization.get(orgA)).toMatchObject({ threads: 10, urgent: 1 });
		expect(perOrganization.get(orgB)).toMatchObject({ threads: 2, urgent: 1 });
		// The whole is its own percentile, not a mean of the rows'.
		expect(total.threads).toBeGreaterThanOrEqual(12);
	});

	it('records the CSV export in the audit log, and writes the section with minutes', async () => {
		const scope = counsellorOf(orgA);
		const f = await exportOrganizationConsultationFigures(scope, MARCH);
		const [event] = (await admin.query(`select action, organization_id, actor_user_id from audit_events where action = 'consultation.figures_export' order by id desc limit 1`)).rows;
		expect(event).toMatchObject({ organization_id: orgA, actor_user_id: scope.actor.userId });
		const labels = { title: 'T', item: 'I', value: 'V', threads: 'N', channels: { web: 'W', line: 'L', staff: 'S' }, urgent: 'U', urgentShare: 'US', median: 'M', p90: 'P', unanswered: 'X' };
		const csv = consultationFiguresCsv(labels, f);
		expect(csv.startsWith('\uFEFF')).toBe(false);
		expect(csv.split('\r\n')).toEqual(['', 'T', 'I,V', 'N,10', 'W,7', 'L,1', 'S,2', 'U,1', 'US,0.100', 'M,30.0', 'P,54.0', 'X,1', '']);
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
