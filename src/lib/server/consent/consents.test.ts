/** Consent records on a real database: proposals, the person's answer, staff notes, withdrawal (and its trigger), requests, the wall between organisations. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { testDatabase } from '../../../../tests/helpers/db';
import { makeOccurrence, makeOrganization, makeOrganizationWithProgram, makeProgram, makeRegistration } from '../../../../tests/helpers/factories';
import type { Database } from '../db';
import { useDatabase } from '../db';
import { withAccess } from '../db/tenant';
import { residentScope } from '../auth/guard';
import type { Permission } from '../auth';
import type { Role } from '../network';
import { runIn } from '../scope';
import { startConsultation } from '../consultations';
import { answerConsent, askOrganization, consentInForce, consentsByLink, myInformation, openSubjectRequest, answerSubjectRequest, recordConsent, requestConsent, subjectRequestsPage, threadConsents, withdrawConsent, recordProvision } from './index';
import { organizationScopeOf, requestOf } from '../../../../tests/helpers/scopes';

let database: Database;
let admin: pg.Client;
let holder: string;
let recipient: { organizationId: string; programId: string };
let hidden: string;
let third: string;
const counsellorId = randomUUID();

const staffOf = (organizationId: string, role: Role, permission: Permission, userId = counsellorId) => organizationScopeOf(userId, organizationId, role, permission);
const counsellor = (permission: Permission = 'consultations.reply') => staffOf(holder, 'counsellor', permission);
const resident = () => residentScope(requestOf(null));

async function thread(organizationId = holder) {
	const r = await startConsultation(resident(), { message: 'ひとりでいるのがつらい', organizationId, nickname: 'みどり', contact: '090-1234-5678' });
	if (!r.ok) throw new Error(r.reason);
	return r.value;
}

const propose = (threadId: string, extra: Partial<Parameters<typeof requestConsent>[1]> = {}) =>
	requestConsent(counsellor(), { threadId, recipientOrganizationId: recipient.organizationId, recipientProgramId: recipient.programId, items: ['name', 'contact'], purpose: 'カフェの活動につなぐため', ...extra });
const auditOf = async (entityId: string) => (await admin.query<{ action: string; organization_id: string }>(`select action, organization_id from audit_events where entity_id = $1 order by id`, [entityId])).rows.map((r) => r.action);
const row = async (consentId: string) => (await admin.query(`select * from consents where id = $1`, [consentId])).rows[0];

beforeAll(async () => {
	database = await testDatabase();
	useDatabase(database);
	admin = new pg.Client({ connectionString: database.adminUrl });
	await admin.connect();
	holder = await makeOrganization(database.db);
	recipient = await makeOrganizationWithProgram(database.db);
	hidden = await makeProgram(database.db, recipient.organizationId, { published: false });
	third = await makeOrganization(database.db);
}, 60_000);

afterAll(async () => {
	await admin?.end();
	await database?.close();
});

describe('a counsellor proposes a consent', () => {
	it('makes the data subject and a consent with nothing given yet, recorded consent.request', async () => {
		const t = await thread();
		const proposed = await propose(t.id);
		expect(proposed.ok).toBe(true);
		if (!proposed.ok) return;
		const c = await row(proposed.value.consentId);
		expect(c).toMatchObject({ organization_id: holder, recipient_organization_id: recipient.organizationId, recipient_program_id: recipient.programId, items: ['name', 'contact'], requested_by: counsellorId, given_at: null, given_via: null, values_sealed: null });
		const subject = (await admin.query(`select * from data_subjects where id = $1`, [c.subject_id])).rows[0];
		expect(subject).toMatchObject({ organization_id: holder, source_kind: 'consultation', source_id: t.id });
		expect(await auditOf(proposed.value.consentId)).toEqual(['consent.request']);
		const panel = await threadConsents(counsellor('consultations.read'), { threadId: t.id });
		expect(panel.ok && panel.value.consents.map((x) => x.status)).toEqual(['pending']);
		expect(panel.ok && panel.value.prefill).toEqual({ name: 'みどり', contact: '090-1234-5678' });
		expect(panel.ok && panel.value.choices.organizations.some((o) => o.id === holder)).toBe(false);
	});

	it('refuses its own organisation, an unknown or unpublished recipient or program, another organisation’s thread, a past date, a scope without reply', async () => {
		const t = await thread();
		expect(await propose(t.id, { recipientOrganizationId: holder, recipientProgramId: null })).toEqual({ ok: false, reason: 'own_organization' });
		expect(await propose(t.id, { recipientOrganizationId: randomUUID(), recipientProgramId: null })).toEqual({ ok: false, reason: 'unknown_recipient' });
		expect(await propose(t.id, { recipientProgramId: hidden })).toEqual({ ok: false, reason: 'unknown_program' });
		const elsewhere = await makeOrganizationWithProgram(database.db);
		expect(await propose(t.id, { recipientProgramId: elsewhere.programId })).toEqual({ ok: false, reason: 'unknown_program' });
		expect(await propose(t.id, { validUntil: '2001-01-01' })).toEqual({ ok: false, reason: 'past_date' });
		const theirs = await thread(third);
		expect(await propose(theirs.id)).toEqual({ ok: false, reason: 'not_found' });
		expect(await requestConsent(counsellor('consultations.read'), { threadId: t.id, recipientOrganizationId: recipient.organizationId, items: ['name'], purpose: 'x' })).toEqual({ ok: false, reason: 'forbidden' });
		expect((await admin.query(`select count(*)::int as n from consents c join data_subjects s on s.id = c.subject_id where s.source_id = any($1)`, [[t.id, theirs.id]])).rows[0].n).toBe(0);
	});
});

describe('the person answers through their link', () => {
	it('gives with their values sealed (web), and the consent is then in force for exactly those items', async () => {
		const t = await thread();
		const proposed = await propose(t.id);
		if (!proposed.ok) throw new Error(proposed.reason);
		const consentId = proposed.value.consentId;
		const listed = await consentsByLink(resident(), t.token);
		expect(listed?.consents.map((c) => [c.id, c.status])).toEqual([[consentId, 'pending']]);
		expect(listed?.prefill).toEqual({ name: 'みどり', contact: '090-1234-5678' });
		expect(await answerConsent(resident(), { token: t.token, consentId, answer: 'give', values: { name: '', contact: 'x', reach: 'phone' } })).toEqual({ ok: false, reason: 'name_required' });
		expect(await answerConsent(resident(), { token: t.token, consentId, answer: 'give', values: { name: '緑', contact: '', reach: 'mail' } })).toEqual({ ok: false, reason: 'contact_required' });
		expect((await row(consentId)).given_at).toBeNull();
		expect(await answerConsent(resident(), { token: t.token, consentId, answer: 'give', values: { name: '緑', contact: 'midori@example.org', reach: 'mail' } })).toEqual({ ok: true, value: undefined });
		const c = await row(consentId);
		expect(c.given_via).toBe('web');
		expect(c.values_sealed).toMatch(/^enc:v1:/);
		expect(c.values_sealed).not.toContain('midori');
		const inForce = await runIn(counsellor(), (tx) => consentInForce(tx, { consentId, holder, recipient: recipient.organizationId, items: ['name', 'contact'] }));
		expect(inForce.ok && inForce.value.values).toEqual({ name: '緑', contact: 'midori@example.org', reach: 'mail' });
		const summary = await runIn(counsellor(), (tx) => consentInForce(tx, { consentId, holder, recipient: recipient.organizationId, items: ['summary'] }));
		expect(summary).toEqual({ ok: false, reason: 'items_not_consented' });
		expect(await answerConsent(resident(), { token: t.token, consentId, answer: 'refuse' })).toEqual({ ok: false, reason: 'not_pending' });
		expect(await auditOf(consentId)).toEqual(['consent.request', 'consent.give']);
	});

	it('lets "I will go myself" go without a contact, and refuses for the person (consent.refuse)', async () => {
		const t = await thread();
		const a = await propose(t.id);
		const b = await propose(t.id, { items: ['name'] });
		if (!a.ok || !b.ok) throw new Error('propose');
		expect((await answerConsent(resident(), { token: t.token, consentId: a.value.consentId, answer: 'give', values: { name: '緑', contact: null, reach: 'self' } })).ok).toBe(true);
		expect((await answerConsent(resident(), { token: t.token, consentId: b.value.consentId, answer: 'refuse' })).ok).toBe(true);
		expect((await row(b.value.consentId)).refused_at).not.toBeNull();
		expect(await auditOf(b.value.consentId)).toEqual(['consent.request', 'consent.refuse']);
	});

	it('answers not_found for another thread’s link, a malformed link, another consent', async () => {
		const t = await thread();
		const other = await thread();
		const proposed = await propose(t.id);
		if (!proposed.ok) throw new Error(proposed.reason);
		const consentId = proposed.value.consentId;
		expect(await answerConsent(resident(), { token: other.token, consentId, answer: 'refuse' })).toEqual({ ok: false, reason: 'not_found' });
		expect(await answerConsent(resident(), { token: 'nope', consentId, answer: 'refuse' })).toEqual({ ok: false, reason: 'not_found' });
		expect(await consentsByLink(resident(), 'x'.repeat(43))).toBeNull();
		expect(await withdrawConsent(resident(), { token: other.token, consentId })).toEqual({ ok: false, reason: 'not_found' });
		expect((await row(consentId)).refused_at).toBeNull();
	});
});

describe('staff record a consent given on paper or spoken', () => {
	it('from a thread: given at once, recorded by the actor, the thread’s nickname and contact by default (consent.record)', async () => {
		const t = await thread();
		const recorded = await recordConsent(counsellor(), { source: { kind: 'consultation', id: t.id }, recipientOrganizationId: recipient.organizationId, items: ['name', 'contact'], purpose: '電話で同意を得た', via: 'spoken', values: { reach: 'phone' } });
		if (!recorded.ok) throw new Error(recorded.reason);
		const c = await row(recorded.value.consentId);
		expect(c).toMatchObject({ given_via: 'spoken', recorded_by: counsellorId });
		expect(c.given_at).not.toBeNull();
		const inForce = await runIn(counsellor(), (tx) => consentInForce(tx, { consentId: c.id, holder, recipient: recipient.organizationId, items: ['name'] }));
		expect(inForce.ok && inForce.value.values).toEqual({ name: 'みどり', contact: '090-1234-5678', reach: 'phone' });
		expect(await auditOf(c.id)).toEqual(['consent.record']);
	});

	it('from a registration of the organisation only (registrations staff), not another organisation’s', async () => {
		const own = await makeOrganizationWithProgram(database.db);
		const occurrence = await makeOccurrence(database.db, own.organizationId, own.programId);
		const registration = await makeRegistration(database.db, occurrence.id, { name: '山田花子', contact: 'hanako@example.org' });
		const staff = staffOf(own.organizationId, 'staff', 'referrals.send');
		const input = { source: { kind: 'registration' as const, id: registration.registrationId }, recipientOrganizationId: recipient.organizationId, items: ['name' as const, 'contact' as const], purpose: '受付で紙の同意書をもらった', via: 'paper' as const, values: { reach: 'mail' as const } };
		const recorded = await recordConsent(staff, input);
		expect(recorded.ok).toBe(true);
		expect(await recordConsent(counsellor(), input)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await recordConsent(staffOf(third, 'staff', 'referrals.send'), input)).toEqual({ ok: false, reason: 'not_found' });
		// The registration's own page shows it to the person.
		const mine = await myInformation(resident(), registration.token!);
		expect(mine?.kind).toBe('registration');
		expect(mine?.holdings[0]).toMatchObject({ kind: 'registration', organizationId: own.organizationId, name: '山田花子', contact: 'hanako@example.org' });
		expect(mine?.consents.map((c) => [c.status, c.givenVia])).toEqual([['given', 'paper']]);
	});
});

describe('withdrawal', () => {
	async function given() {
		const t = await thread();
		const proposed = await propose(t.id);
		if (!proposed.ok) throw new Error(proposed.reason);
		const consentId = proposed.value.consentId;
		await answerConsent(resident(), { token: t.token, consentId, answer: 'give', values: { name: '緑', contact: 'midori@example.org', reach: 'phone' } });
		// A referral under it, with one shared item, as the referrals module would make it (written here as the database owner).
		const subjectId = (await row(consentId)).subject_id;
		const referral = (
			await admin.query(`insert into referrals (subject_id, from_organization_id, to_organization_id, source_kind, source_id, referred_by, contact_preference, basis, consent_id, items) values ($1, $2, $3, 'consultation', $4, $5, 'phone', 'consent', $6, '{name}') returning id`, [
				subjectId,
				holder,
				recipient.organizationId,
				t.id,
				counsellorId,
				consentId
			])
		).rows[0].id;
		await admin.query(`insert into referral_items (referral_id, from_organization_id, to_organization_id, consent_id, item, value_sealed) values ($1, $2, $3, $4, 'name', 'enc:v1:test')`, [referral, holder, recipient.organizationId, consentId]);
		return { t, consentId, referral };
	}

	it('by the person: effective at once — not in force, the shared items erased, the referral marked (consent.withdraw)', async () => {
		const { t, consentId, referral } = await given();
		expect((await admin.query(`select count(*)::int as n from referral_items where consent_id = $1`, [consentId])).rows[0].n).toBe(1);
		expect(await withdrawConsent(resident(), { token: t.token, consentId })).toEqual({ ok: true, value: undefined });
		expect((await row(consentId)).withdrawn_via).toBe('web');
		expect(await runIn(counsellor(), (tx) => consentInForce(tx, { consentId, holder, recipient: recipient.organizationId, items: ['name'] }))).toEqual({ ok: false, reason: 'consent_not_in_force' });
		expect((await admin.query(`select count(*)::int as n from referral_items where consent_id = $1`, [consentId])).rows[0].n).toBe(0);
		expect((await admin.query(`select consent_withdrawn_at from referrals where id = $1`, [referral])).rows[0].consent_withdrawn_at).not.toBeNull();
		expect(await withdrawConsent(resident(), { token: t.token, consentId })).toEqual({ ok: false, reason: 'not_given' });
		expect(await auditOf(consentId)).toEqual(['consent.request', 'consent.give', 'consent.withdraw']);
	});

	it('noted by staff (paper): the same, in the holder’s context; another organisation cannot', async () => {
		const { consentId } = await given();
		expect(await withdrawConsent(staffOf(third, 'counsellor', 'consultations.reply'), { consentId, via: 'paper' })).toEqual({ ok: false, reason: 'not_found' });
		expect(await withdrawConsent(counsellor(), { consentId, via: 'paper' })).toEqual({ ok: true, value: undefined });
		expect((await row(consentId)).withdrawn_via).toBe('paper');
		expect((await admin.query(`select count(*)::int as n from referral_items where consent_id = $1`, [consentId])).rows[0].n).toBe(0);
	});
});

describe('わたしの情報 and the person’s requests', () => {
	it('shows the thread’s holder, provision records and consents; a request reaches the organisation with a due date 14 days later', async () => {
		const t = await thread();
		const proposed = await propose(t.id);
		if (!proposed.ok) throw new Error(proposed.reason);
		await answerConsent(resident(), { token: t.token, consentId: proposed.value.consentId, answer: 'give', values: { name: '緑', contact: 'midori@example.org', reach: 'phone' } });
		const subjectId = (await row(proposed.value.consentId)).subject_id;
		await runIn(counsellor(), (tx) => recordProvision(tx, { subjectId, provider: holder, recipient: recipient.organizationId, items: ['name'], sensitive: false, basis: 'consent', consentId: proposed.value.consentId, reason: null, referralId: null, providedBy: counsellorId }));
		const mine = await myInformation(resident(), t.token);
		expect(mine?.holdings).toEqual([expect.objectContaining({ kind: 'consultation', organizationId: holder, nickname: 'みどり', contact: '090-1234-5678', messages: 1 })]);
		expect(mine?.provisions).toEqual([expect.objectContaining({ items: ['name'], basis: 'consent' })]);
		expect(mine?.consents.map((c) => c.status)).toEqual(['given']);
		expect(mine?.askable.map((a) => a.id)).toEqual([holder]);

		expect(await askOrganization(resident(), { token: t.token, organizationId: third, kind: 'deletion', body: '消してください' })).toEqual({ ok: false, reason: 'not_holder' });
		const asked = await askOrganization(resident(), { token: t.token, organizationId: holder, kind: 'disclosure', body: '持っている情報を見せてください。メールで。' });
		if (!asked.ok) throw new Error(asked.reason);
		const stored = (await admin.query(`select body_sealed, (due_on - (now() at time zone 'Asia/Tokyo')::date) as days from subject_requests where id = $1`, [asked.value.requestId])).rows[0];
		expect(stored.days).toBe(14);
		expect(stored.body_sealed).not.toContain('見せて');
		expect(await auditOf(asked.value.requestId)).toEqual(['privacy.request']);

		const adminScope = staffOf(holder, 'org_admin', 'privacy.requests', randomUUID());
		const list = await subjectRequestsPage(adminScope);
		expect(list.ok && list.value.map((r) => [r.id, r.kind, r.status, r.overdue, r.source])).toEqual([[asked.value.requestId, 'disclosure', 'open', false, 'consultation']]);
		expect(await subjectRequestsPage(staffOf(holder, 'counsellor', 'consultations.read'))).toEqual({ ok: false, reason: 'forbidden' });
		const opened = await openSubjectRequest(adminScope, { requestId: asked.value.requestId });
		expect(opened.ok && opened.value.body).toBe('持っている情報を見せてください。メールで。');
		expect(await openSubjectRequest(staffOf(third, 'org_admin', 'privacy.requests', randomUUID()), { requestId: asked.value.requestId })).toEqual({ ok: false, reason: 'not_found' });
		expect((await answerSubjectRequest(adminScope, { requestId: asked.value.requestId })).ok).toBe(true);
		expect(await answerSubjectRequest(adminScope, { requestId: asked.value.requestId })).toEqual({ ok: false, reason: 'already_answered' });
		expect(await auditOf(asked.value.requestId)).toEqual(['privacy.request', 'privacy.request_view', 'privacy.request_answer']);
		expect((await myInformation(resident(), t.token))?.requests.map((r) => r.status)).toEqual(['answered']);
	});

	it('is null for an unknown or malformed link', async () => {
		expect(await myInformation(resident(), 'y'.repeat(43))).toBeNull();
		expect(await myInformation(resident(), '../../etc')).toBeNull();
	});
});

describe('row-level security', () => {
	it('shows another organisation’s context none of the holder’s subjects, consents or requests', async () => {
		const t = await thread();
		await propose(t.id);
		const seen = await withAccess(database.db, { userId: randomUUID(), organizationIds: [third] }, async (tx) => {
			const count = async (table: string) => (await tx.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table} where organization_id = '${holder}'`))).rows[0].n;
			return { subjects: await count('data_subjects'), consents: await count('consents'), requests: await count('subject_requests') };
		});
		expect(seen).toEqual({ subjects: 0, consents: 0, requests: 0 });
		const own = await withAccess(database.db, { userId: randomUUID(), organizationIds: [holder] }, async (tx) => (await tx.execute<{ n: number }>(sql.raw(`select count(*)::int as n from consents where organization_id = '${holder}'`))).rows[0].n);
		expect(own).toBeGreaterThan(0);
	});
});
