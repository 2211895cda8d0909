/**
 * Referrals on a real database: the receiver sees exactly the consented items, decrypted, and every
 * opening is recorded; the sender sees the timeline and the names of what it sent, never values; a
 * third organisation sees nothing, down to the rows; a provision record is written with the right
 * basis; without consent nothing leaves unless a basis and a reason are given; closing needs an
 * outcome; withdrawing (or the end of) the consent takes the items from the receiver at once; mails
 * carry a link and no content.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { and, eq } from 'drizzle-orm';
import { testDatabase } from '../../../../tests/helpers/db';
import { makeMember, seedCast, type Cast } from '../../../../tests/helpers/people';
import { makeOccurrence, makeOrganization, makeProgram, makeRegistration } from '../../../../tests/helpers/factories';
import { useDatabase, type Database } from '../db';
import { residentScope } from '../auth/guard';
import type { Permission } from '../auth';
import type { Role } from '../network';
import { readOutbox } from '../mail';
import { encryptText } from '../crypto';
import { runIn, systemScope } from '../scope';
import { consents, consentValuesBinding, networkProvisions, subjectFor, type ShareItem } from '../consent';
import { todayInTokyo } from '../clock';
import { startConsultation } from '../consultations';
import { openReferral, referralMailsSettled, referralsOf, sendReferral, takeReferralStep, referrals, referralItems, referralEvents, type SendInput } from './index';
import { organizationScopeOf, requestOf, secretariatScopeOf } from '../../../../tests/helpers/scopes';

let database: Database;
let admin: pg.Client;
let cast: Cast;
let orgC: string;
let staffC: string;
let outbox: string;
const saved = { ...process.env };

const scopeOf = (userId: string, org: string, role: Role, permission: Permission = 'referrals.send') => organizationScopeOf(userId, org, role, permission);
const counsellorA = (permission: Permission = 'referrals.send') => scopeOf(cast.people.counsellor.userId, cast.orgA, 'counsellor', permission);
const staffA = (permission: Permission = 'referrals.send') => scopeOf(cast.people.staff.userId, cast.orgA, 'staff', permission);
const receiverB = () => scopeOf(cast.people.staffB.userId, cast.orgB, 'staff', 'referrals.receive');
const thirdC = () => scopeOf(staffC, orgC, 'staff', 'referrals.receive');

async function thread(nickname = 'ゆう', contact = '090-1111-2222'): Promise<string> {
	const started = await startConsultation(residentScope(requestOf(null)), { message: '最近ひとりで過ごすことが多くて、誰かと話したいです。', organizationId: cast.orgA, nickname, contact });
	if (!started.ok) throw new Error(started.reason);
	return started.value.id;
}

/** A consent the person gave (the consent helper's pages make these later): a row, values sealed for the holder. */
async function consent(threadId: string, options: { recipient?: string; items?: ShareItem[]; values?: Record<string, string>; validUntil?: string | null; programId?: string | null } = {}): Promise<string> {
	return runIn(systemScope(database.db, 'test'), async (tx) => {
		const subjectId = await subjectFor(tx, cast.orgA, { kind: 'consultation', id: threadId });
		const id = randomUUID();
		await tx.insert(consents).values({
			id,
			subjectId,
			organizationId: cast.orgA,
			recipientOrganizationId: options.recipient ?? cast.orgB,
			recipientProgramId: options.programId ?? null,
			items: options.items ?? ['name', 'contact'],
			purpose: 'カフェの紹介',
			validUntil: options.validUntil ?? null,
			givenVia: 'web',
			givenAt: new Date(),
			valuesSealed: await encryptText(tx, JSON.stringify(options.values ?? { name: '山田ゆう', contact: 'yu@example.org', reach: 'mail' }), consentValuesBinding(id, cast.orgA))
		});
		return id;
	});
}

const base = (threadId: string, over: Partial<SendInput> = {}): SendInput => ({
	source: { kind: 'consultation', id: threadId },
	toOrganizationId: cast.orgB,
	toProgramId: null,
	items: ['name', 'contact'],
	sensitive: false,
	basis: 'consent',
	consentId: null,
	reason: null,
	summary: null,
	needs: null,
	reach: null,
	followUpOn: null,
	...over
});

async function send(threadId: string, over: Partial<SendInput> = {}): Promise<string> {
	const sent = await sendReferral(counsellorA(), base(threadId, over));
	if (!sent.ok) throw new Error(sent.reason);
	return sent.value.referralId;
}

const count = async (table: string, where = 'true', params: unknown[] = []) => (await admin.query<{ n: number }>(`select count(*)::int as n from ${table} where ${where}`, params)).rows[0].n;
const audits = (action: string, entityId: string) => count('audit_events', 'action = $1 and entity_id = $2', [action, entityId]);

beforeAll(async () => {
	database = await testDatabase();
	useDatabase(database);
	admin = new pg.Client({ connectionString: database.adminUrl });
	await admin.connect();
	cast = await seedCast(database, 'referrals');
	orgC = await makeOrganization(database.db);
	staffC = await makeMember(database.db, orgC, 'staff', 'referrals-staff-c@example.org');
	outbox = mkdtempSync(path.join(tmpdir(), 'tsunagu-referrals-'));
	Object.assign(process.env, { OUTBOX_DIR: outbox, ORIGIN: 'https://tsunagu.example' });
}, 60_000);

afterAll(async () => {
	await referralMailsSettled();
	process.env = saved;
	await admin?.end();
	await database?.close();
	rmSync(outbox, { recursive: true, force: true });
});

describe('sending with consent', () => {
	it('gives the receiver exactly the consented items, decrypted, and records every opening', async () => {
		const t = await thread();
		const consentId = await consent(t, { items: ['name', 'contact'] });
		const id = await send(t, { consentId });
		const first = await openReferral(receiverB(), { referralId: id });
		expect(first.ok).toBe(true);
		if (!first.ok) return;
		expect(first.value.side).toBe('receiver');
		// The consent's own values, not the thread's nickname.
		expect(first.value.values).toEqual([
			{ item: 'name', value: '山田ゆう' },
			{ item: 'contact', value: 'yu@example.org' }
		]);
		expect(first.value.contactPreference).toBe('mail');
		expect(first.value.actions).toEqual(['accept', 'decline', 'redirect', 'close']);
		await openReferral(receiverB(), { referralId: id });
		await openReferral(receiverB(), { referralId: id });
		expect(await audits('referral.view', id)).toBe(3);
		expect(await count('audit_events', "action = 'referral.view' and entity_id = $1 and organization_id = $2", [id, cast.orgB])).toBe(3);
		// Stored sealed, one row per item, bound to the receiver.
		const rows = (await admin.query(`select item, value_sealed, to_organization_id from referral_items where referral_id = $1 order by item`, [id])).rows;
		expect(rows.map((r) => r.item)).toEqual(['contact', 'name']);
		for (const r of rows) {
			expect(r.value_sealed).toMatch(/^enc:v1:/);
			expect(r.value_sealed).not.toContain('山田');
			expect(r.to_organization_id).toBe(cast.orgB);
		}
	});

	it('shows the sender the timeline and the names of what it sent, never their values', async () => {
		const t = await thread();
		const id = await send(t, { consentId: await consent(t) });
		const opened = await openReferral(counsellorA('referrals.receive'), { referralId: id });
		expect(opened.ok).toBe(true);
		if (!opened.ok) return;
		expect(opened.value.side).toBe('sender');
		expect(opened.value.values).toBeNull();
		expect(opened.value.items).toEqual(['name', 'contact']);
		expect(JSON.stringify(opened.value)).not.toContain('山田ゆう');
		expect(opened.value.timeline.map((e) => e.status)).toEqual(['sent']);
		expect(opened.value.actions).toEqual(['close']);
		const lists = await referralsOf(counsellorA('referrals.receive'));
		expect(lists.sent.map((r) => r.id)).toContain(id);
		expect(lists.received.map((r) => r.id)).not.toContain(id);
		expect((await referralsOf(receiverB())).received.map((r) => r.id)).toContain(id);
	});

	it('writes the provision record with the consent as its basis, in the same transaction', async () => {
		const t = await thread();
		const consentId = await consent(t, { items: ['name', 'contact', 'needs'] });
		const id = await send(t, { consentId, items: ['name', 'needs'], needs: '人と話せる場所を探しています', sensitive: true });
		const record = (await admin.query(`select * from provision_records where referral_id = $1`, [id])).rows;
		expect(record).toHaveLength(1);
		expect(record[0]).toMatchObject({ basis: 'consent', consent_id: consentId, provider_organization_id: cast.orgA, recipient_organization_id: cast.orgB, items: ['name', 'needs'], sensitive: true, reason_sealed: null, provided_by: cast.people.counsellor.userId });
		expect(await audits('referral.send', id)).toBe(1);
		expect(await count('referral_events', "referral_id = $1 and status = 'sent'", [id])).toBe(1);
		const opened = await openReferral(receiverB(), { referralId: id });
		expect(opened.ok && opened.value.values).toEqual([
			{ item: 'name', value: '山田ゆう' },
			{ item: 'needs', value: '人と話せる場所を探しています' }
		]);
	});

	it('refuses without consent, with a consent not in force, for other items or another recipient — and writes nothing', async () => {
		const t = await thread();
		const before = await count('referrals');
		const provisions = await count('provision_records');
		const consentId = await consent(t, { items: ['name'] });
		const refusal = async (over: Partial<SendInput>) => {
			const r = await sendReferral(counsellorA(), base(t, over));
			return r.ok ? 'ok' : r.reason;
		};
		expect(await refusal({ consentId: null })).toBe('no_consent');
		expect(await refusal({ consentId: randomUUID() })).toBe('no_consent');
		expect(await refusal({ consentId })).toBe('items_not_consented');
		expect(await refusal({ consentId, toOrganizationId: orgC, items: ['name'] })).toBe('no_consent');
		// Another person's consent does not carry this person.
		const other = await thread();
		expect(await refusal({ consentId: await consent(other, { items: ['name'] }), items: ['name'] })).toBe('no_consent');
		expect(await refusal({ consentId: await consent(t, { validUntil: '2020-01-01' }) })).toBe('consent_not_in_force');
		expect(await refusal({ consentId, items: [] })).toBe('empty_items');
		expect(await refusal({ consentId, toOrganizationId: cast.orgA })).toBe('same_organization');
		expect(await refusal({ consentId, toOrganizationId: randomUUID() })).toBe('unknown_recipient');
		expect(await refusal({ consentId, items: ['name'], toProgramId: randomUUID() })).toBe('unknown_recipient');
		// Without consent: a basis alone is not enough.
		expect(await refusal({ basis: 'vital_interest', reason: null })).toBe('reason_required');
		expect(await refusal({ basis: 'legal_duty', reason: '   ' })).toBe('reason_required');
		expect(await refusal({ basis: 'council', reason: '協議会で支援方針を話し合うため' })).toBe('not_a_council_member');
		// Staff (no consultations.read) cannot refer from a thread.
		const byStaff = await sendReferral(staffA(), base(t, { consentId, items: ['name'] }));
		expect(byStaff.ok ? 'ok' : byStaff.reason).toBe('source_not_allowed');
		expect(await count('referrals')).toBe(before);
		expect(await count('provision_records')).toBe(provisions);
	});
});

describe('sending without consent', () => {
	it('goes with a basis and a written reason, values from the thread, the reason in the provision record', async () => {
		const t = await thread('みき', '080-3333-4444');
		const id = await send(t, { basis: 'vital_interest', reason: '命の危険があり、本人と連絡がとれないため', items: ['name', 'contact', 'summary'], summary: '強い孤立感', sensitive: true, reach: 'phone' });
		const record = (await admin.query(`select basis, consent_id, reason_sealed, sensitive from provision_records where referral_id = $1`, [id])).rows[0];
		expect(record.basis).toBe('vital_interest');
		expect(record.consent_id).toBeNull();
		expect(record.reason_sealed).toMatch(/^enc:v1:/);
		const opened = await openReferral(receiverB(), { referralId: id });
		expect(opened.ok && opened.value.values).toEqual([
			{ item: 'name', value: 'みき' },
			{ item: 'contact', value: '080-3333-4444' },
			{ item: 'summary', value: '強い孤立感' }
		]);
		expect(opened.ok && opened.value.contactPreference).toBe('phone');
		expect(opened.ok && opened.value.basis).toBe('vital_interest');
		// The secretariat is shown the sharing without consent, with its reason (consent's provision list).
		const secretariat = secretariatScopeOf(cast.people.secretariat.userId, cast.secretariatOrg, 'network.provisions');
		const today = todayInTokyo();
		const listed = await networkProvisions(secretariat, { from: today, to: today, withoutConsentOnly: true });
		expect(listed.ok && listed.value.withoutConsent.find((r) => r.referralId === id)).toMatchObject({ basis: 'vital_interest', reason: '命の危険があり、本人と連絡がとれないため', sensitive: true, provider: { id: cast.orgA }, recipient: { id: cast.orgB } });
	});

	it('goes on the council basis once the 協議会 is declared with both as members', async () => {
		const t = await thread();
		await admin.query(`insert into regional_council (name) values ('テスト地域協議会') on conflict do nothing`);
		await admin.query(`insert into council_members (organization_id) values ($1), ($2) on conflict do nothing`, [cast.orgA, cast.orgB]);
		try {
			const id = await send(t, { basis: 'council', reason: '協議会で見守りを分担するため', items: ['name'], reach: 'self' });
			expect((await admin.query(`select basis from provision_records where referral_id = $1`, [id])).rows[0].basis).toBe('council');
			const c = await sendReferral(counsellorA(), base(t, { toOrganizationId: orgC, basis: 'council', reason: '協議会で見守りを分担するため', items: ['name'], reach: 'self' }));
			expect(c.ok ? 'ok' : c.reason).toBe('not_a_council_member');
		} finally {
			await admin.query(`delete from council_members; delete from regional_council`);
		}
	});

	it('refuses an item the source has no value for, and asks how to reach the person', async () => {
		const t = (await startConsultation(residentScope(requestOf(null)), { message: '話を聞いてほしい', organizationId: cast.orgA })) as { ok: true; value: { id: string } };
		const noName = await sendReferral(counsellorA(), base(t.value.id, { basis: 'vital_interest', reason: '命の危険があるため急いで', items: ['name'], reach: 'phone' }));
		expect(noName.ok ? 'ok' : noName.reason).toBe('item_unavailable');
		const t2 = await thread();
		const noReach = await sendReferral(counsellorA(), base(t2, { basis: 'vital_interest', reason: '命の危険があるため急いで', items: ['name'] }));
		expect(noReach.ok ? 'ok' : noReach.reason).toBe('reach_required');
	});

	it('starts from a registration for staff (registrations.view), not for a counsellor', async () => {
		const program = await makeProgram(database.db, cast.orgA);
		const occurrence = await makeOccurrence(database.db, cast.orgA, program);
		const registration = await makeRegistration(database.db, occurrence.id, { name: '佐藤はな', contact: 'hana@example.org', needs: '車いすを使います' });
		const input = base(randomUUID(), { source: { kind: 'registration', id: registration.registrationId }, basis: 'legal_duty', reason: '法律にもとづく通告のため', items: ['name', 'needs'], needs: '車いすを使います', reach: 'mail' });
		const byCounsellor = await sendReferral(counsellorA(), input);
		expect(byCounsellor.ok ? 'ok' : byCounsellor.reason).toBe('source_not_allowed');
		const sent = await sendReferral(staffA(), input);
		expect(sent.ok).toBe(true);
		if (!sent.ok) return;
		const opened = await openReferral(receiverB(), { referralId: sent.value.referralId });
		expect(opened.ok && opened.value.values).toEqual([
			{ item: 'name', value: '佐藤はな' },
			{ item: 'needs', value: '車いすを使います' }
		]);
		// Another organisation's registration is not a source.
		const other = await sendReferral(scopeOf(cast.people.adminB.userId, cast.orgB, 'org_admin'), { ...input, toOrganizationId: orgC });
		expect(other.ok ? 'ok' : other.reason).toBe('source_not_found');
	});
});

describe('a third organisation', () => {
	it('sees nothing: not through the operations, not at the database level', async () => {
		const t = await thread();
		const id = await send(t, { consentId: await consent(t) });
		expect(await openReferral(thirdC(), { referralId: id })).toEqual({ ok: false, reason: 'not_found' });
		const step = await takeReferralStep(thirdC(), { referralId: id, action: 'close', note: null, outcome: 'got_help', redirectTo: null });
		expect(step).toEqual({ ok: false, reason: 'not_found' });
		const lists = await referralsOf(thirdC());
		expect([...lists.received, ...lists.sent].map((r) => r.id)).not.toContain(id);
		const seen = await runIn(thirdC(), async (tx) => ({
			referrals: (await tx.select().from(referrals).where(eq(referrals.id, id))).length,
			items: (await tx.select().from(referralItems).where(eq(referralItems.referralId, id))).length,
			events: (await tx.select().from(referralEvents).where(eq(referralEvents.referralId, id))).length,
			provisions: (await tx.execute(`select 1 from provision_records where referral_id = '${id}'`)).rows.length,
			// Nor can it write a step or erase an item.
			changed: (await tx.update(referrals).set({ status: 'closed', outcome: 'got_help' }).where(eq(referrals.id, id)).returning({ id: referrals.id })).length,
			erased: (await tx.delete(referralItems).where(eq(referralItems.referralId, id)).returning({ id: referralItems.id })).length
		}));
		expect(seen).toEqual({ referrals: 0, items: 0, events: 0, provisions: 0, changed: 0, erased: 0 });
		expect(await count('referral_items', 'referral_id = $1', [id])).toBe(2);
		// The receiver's steps are not the sender's either.
		const bySender = await takeReferralStep(counsellorA(), { referralId: id, action: 'accept', note: null, outcome: null, redirectTo: null });
		expect(bySender).toEqual({ ok: false, reason: 'not_your_step' });
	});
});

describe('steps', () => {
	it('follows the loop: accept, first contact, ongoing, complete; each an event, an audit entry and a mail to the referrer', async () => {
		const t = await thread();
		const id = await send(t, { consentId: await consent(t) });
		await referralMailsSettled();
		// The receiving organisation's members who may receive referrals got a link, and nothing about the person.
		const arrived = readOutbox(500, outbox).filter((m) => m.text.includes(`/staff/orgs/${cast.orgB}/referrals/${id}`));
		expect(arrived.map((m) => m.to).sort()).toEqual([cast.people.adminB.email, cast.people.staffB.email].sort());
		for (const m of arrived) expect(m.text).not.toContain('山田');
		const step = (action: 'accept' | 'first_contact' | 'ongoing' | 'complete', note: string | null = null) => takeReferralStep(receiverB(), { referralId: id, action, note, outcome: null, redirectTo: null });
		expect(await takeReferralStep(receiverB(), { referralId: id, action: 'first_contact', note: null, outcome: null, redirectTo: null })).toEqual({ ok: false, reason: 'illegal_transition' });
		expect(await step('accept', '来週お電話します')).toEqual({ ok: true, value: { status: 'accepted' } });
		expect(await step('first_contact')).toEqual({ ok: true, value: { status: 'first_contact' } });
		expect(await step('ongoing')).toEqual({ ok: true, value: { status: 'ongoing' } });
		expect(await step('complete')).toEqual({ ok: true, value: { status: 'completed' } });
		expect(await step('ongoing')).toEqual({ ok: false, reason: 'illegal_transition' });
		const row = (await admin.query(`select status, accepted_at, first_contact_at, closed_at from referrals where id = $1`, [id])).rows[0];
		expect(row.status).toBe('completed');
		expect(row.accepted_at && row.first_contact_at && row.closed_at).toBeTruthy();
		for (const s of ['accepted', 'first_contact', 'ongoing', 'completed']) expect(await audits(`referral.${s}`, id), s).toBe(1);
		const seen = await openReferral(counsellorA('referrals.receive'), { referralId: id });
		expect(seen.ok && seen.value.timeline.map((e) => [e.status, e.note])).toEqual([
			['sent', null],
			['accepted', '来週お電話します'],
			['first_contact', null],
			['ongoing', null],
			['completed', null]
		]);
		await referralMailsSettled();
		const steps = readOutbox(500, outbox).filter((m) => m.to === cast.people.counsellor.email && m.text.includes(`/staff/orgs/${cast.orgA}/referrals/${id}`));
		expect(steps).toHaveLength(4);
		for (const m of steps) expect(m.text).not.toContain('来週');
	});

	it('needs an outcome to close and a reason to decline; either side may close', async () => {
		const t = await thread();
		const a = await send(t, { consentId: await consent(t) });
		expect(await takeReferralStep(receiverB(), { referralId: a, action: 'close', note: null, outcome: null, redirectTo: null })).toEqual({ ok: false, reason: 'outcome_required' });
		expect(await takeReferralStep(receiverB(), { referralId: a, action: 'decline', note: '  ', outcome: null, redirectTo: null })).toEqual({ ok: false, reason: 'note_required' });
		// Also at the database level.
		await expect(admin.query(`update referrals set status = 'closed' where id = $1`, [a])).rejects.toThrow(/referrals_closed_has_outcome/);
		expect(await takeReferralStep(counsellorA(), { referralId: a, action: 'close', note: null, outcome: 'no_longer_wanted', redirectTo: null })).toEqual({ ok: true, value: { status: 'closed' } });
		expect((await admin.query(`select status, outcome from referrals where id = $1`, [a])).rows[0]).toEqual({ status: 'closed', outcome: 'no_longer_wanted' });
		expect(await audits('referral.closed', a)).toBe(1);

		const b = await send(t, { consentId: await consent(t) });
		expect(await takeReferralStep(receiverB(), { referralId: b, action: 'decline', note: '定員がいっぱいです', outcome: null, redirectTo: null })).toEqual({ ok: true, value: { status: 'declined' } });
		const note = (await admin.query(`select note_sealed from referral_events where referral_id = $1 and status = 'declined'`, [b])).rows[0].note_sealed;
		expect(note).toMatch(/^enc:v1:/);
		const seen = await openReferral(counsellorA('referrals.receive'), { referralId: b });
		expect(seen.ok && seen.value.timeline.at(-1)?.note).toBe('定員がいっぱいです');
		expect(seen.ok && seen.value.actions).toEqual([]);
	});

	it('redirects to another organisation with a note', async () => {
		const t = await thread();
		const id = await send(t, { consentId: await consent(t) });
		expect(await takeReferralStep(receiverB(), { referralId: id, action: 'redirect', note: 'こちらの団体が合っています', outcome: null, redirectTo: cast.orgB })).toEqual({ ok: false, reason: 'unknown_organization' });
		expect(await takeReferralStep(receiverB(), { referralId: id, action: 'redirect', note: 'こちらの団体が合っています', outcome: null, redirectTo: orgC })).toEqual({ ok: true, value: { status: 'redirected' } });
		const seen = await openReferral(counsellorA('referrals.receive'), { referralId: id });
		expect(seen.ok && seen.value.redirectOrganizationName).toBeTruthy();
		expect(seen.ok && seen.value.status).toBe('redirected');
	});
});

describe('when the consent ends', () => {
	it('withdrawn: the receiver loses the items at once and sees that the person withdrew; only closing is left', async () => {
		const t = await thread();
		const consentId = await consent(t);
		const id = await send(t, { consentId });
		await takeReferralStep(receiverB(), { referralId: id, action: 'accept', note: null, outcome: null, redirectTo: null });
		// The holder (the sender) withdraws it for the person, in its own context.
		await runIn(counsellorA(), (tx) =>
			tx
				.update(consents)
				.set({ withdrawnAt: new Date(), withdrawnVia: 'spoken' })
				.where(and(eq(consents.id, consentId)))
		);
		expect(await count('referral_items', 'referral_id = $1', [id])).toBe(0);
		const opened = await openReferral(receiverB(), { referralId: id });
		expect(opened.ok && opened.value.consentEnded).toBe('withdrawn');
		expect(opened.ok && opened.value.values).toBeNull();
		expect(opened.ok && opened.value.actions).toEqual(['close']);
		expect(await takeReferralStep(receiverB(), { referralId: id, action: 'first_contact', note: null, outcome: null, redirectTo: null })).toEqual({ ok: false, reason: 'consent_ended' });
		expect((await referralsOf(receiverB())).received.find((r) => r.id === id)?.consentEnded).toBe(true);
		expect(await audits('referral.view', id)).toBe(1);
	});

	it('expired: the receiver sees no items, and they are erased at that opening', async () => {
		const t = await thread();
		const consentId = await consent(t);
		const id = await send(t, { consentId });
		await admin.query(`update consents set valid_until = current_date - 1 where id = $1`, [consentId]);
		const opened = await openReferral(receiverB(), { referralId: id });
		expect(opened.ok && opened.value.consentEnded).toBe('ended');
		expect(opened.ok && opened.value.values).toBeNull();
		expect(await count('referral_items', 'referral_id = $1', [id])).toBe(0);
		// The check read the holder's consent through a recorded crossing.
		expect(await count('audit_events', "action = 'crossing.referral' and organization_id = $1", [cast.orgA])).toBeGreaterThan(0);
	});
});
