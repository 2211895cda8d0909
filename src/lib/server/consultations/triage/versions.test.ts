/**
 * The secretariat's rule versions on a real database: a save is validated, measured on both sets
 * and audited; activation is refused below the floor with the figures; an activated version is what
 * the next message is triaged with (in this process at once, in another within the TTL); rolling
 * back is activating an older version; only the secretariat's context sees the versions.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import pg from 'pg';
import { testDatabase } from '../../../../../tests/helpers/db';
import { seedCast, type Cast } from '../../../../../tests/helpers/people';
import type { Database } from '../../db';
import { useDatabase } from '../../db';
import { withAccess } from '../../db/tenant';
import { requireOrganization, requireSecretariat, residentScope } from '../../auth/guard';
import type { Actor } from '../../auth/actor';
import { activateTriageRuleVersion, activeTriage, ACTIVE_RULES_TTL_MS, listTriageRuleVersions, recordStaffConsultation, saveTriageRuleVersion, staffEntryInput, startConsultation, triageRuleVersion, triageRuleVersions } from '../index';
import { DEFAULT_RULES, type TriageRules } from './index';
import { requestOf as requestOfAny } from '../../../../../tests/helpers/scopes';

let database: Database;
let admin: pg.Client;
let cast: Cast;

const requestOf = (actor: Actor | null, orgId?: string) => requestOfAny(actor, orgId, { userAgent: 'vitest-rules', requestId: 'vitest-rules', path: '/staff/network/triage' });
const secretariatActor = (): Actor => ({
	userId: cast.people.secretariat.userId,
	email: 'sec@example.org',
	displayName: 'sec',
	sessionId: 's',
	memberships: [{ organizationId: cast.secretariatOrg, organizationName: '', role: 'secretariat_admin' }],
	secretariat: true,
	mfaRequired: true,
	mfaEnrolled: true
});
const secretariat = () => requireSecretariat(requestOf(secretariatActor()), 'network.triage');

/** The shipped rules with a term added to one rule, as a new version. */
function withTerm(version: string, ruleId: string, term: string): TriageRules {
	const copy = structuredClone(DEFAULT_RULES);
	copy.version = version;
	copy.rules.find((r) => r.id === ruleId)!.patterns.push(term);
	return copy;
}

const auditOf = async (action: string) => (await admin.query<{ entity_id: string; actor_user_id: string; user_agent: string; request_id: string }>(`select entity_id, actor_user_id, user_agent, request_id from audit_events where action = $1 order by id`, [action])).rows;
const rowCount = async () => Number((await admin.query(`select count(*) from triage_rule_versions`)).rows[0].count);

async function consult(message: string) {
	const r = await startConsultation(residentScope(requestOf(null)), { message });
	if (!r.ok) throw new Error(r.reason);
	const [row] = (await admin.query<{ urgent: boolean; rules_version: string }>(`select urgent, rules_version from consultation_threads where id = $1`, [r.value.id])).rows;
	return row;
}

beforeAll(async () => {
	database = await testDatabase();
	useDatabase(database);
	admin = new pg.Client({ connectionString: database.adminUrl });
	await admin.connect();
	cast = await seedCast(database, 'rules');
}, 60_000);

afterAll(async () => {
	await admin?.end();
	await database?.close();
});

describe('saving a version', () => {
	it('refuses a broken set with every problem in Japanese, and saves nothing', async () => {
		const bad = structuredClone(DEFAULT_RULES) as unknown as Record<string, unknown> & { rules: Array<Record<string, unknown>> };
		bad.version = 'bad-1';
		bad.rules[0].patterns = ['(死にたい', ...(bad.rules[0].patterns as string[])];
		bad.rules[1].patterns = [];
		bad.rules[2].colour = 'red';
		bad.rules = bad.rules.filter((r) => r.category !== 'abuse');
		const r = await saveTriageRuleVersion(secretariat(), { rules: bad, note: 'こわれた版' });
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.reason).toBe('invalid');
		const problems = r.problems.join('\n');
		expect(problems).toContain(`規則 ${DEFAULT_RULES.rules[0].id} の語 1: 正規表現として読めません`);
		expect(problems).toContain(`規則 ${DEFAULT_RULES.rules[1].id} の語: 語が一つもありません`);
		expect(problems).toMatch(/認識されていないキー: "colour"/);
		expect(problems).toContain('分類 abuse の規則がありません');
		expect(await rowCount()).toBe(0);
		expect(await auditOf('triage_rules.save')).toEqual([]);
	});

	it('measures a good set on both labelled sets, stores the figures and the misclassified messages, and records the save', async () => {
		const r = await saveTriageRuleVersion(secretariat(), { rules: withTerm('test-2', 'suicide.want-to-die', 'ばななじけん'), note: '  試しの語  ' });
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		const { heldout, tuning, meetsFloor } = r.value.measured;
		expect(meetsFloor).toBe(true);
		expect(heldout.messages).toBeGreaterThanOrEqual(100);
		expect(tuning.messages).toBeGreaterThanOrEqual(150);
		expect(heldout.recall).toBeGreaterThanOrEqual(0.95);
		expect(heldout.missed).toHaveLength(heldout.crisis - heldout.caught);
		expect(tuning.alarms.map((a) => a.ruleIds.length > 0)).toEqual(tuning.alarms.map(() => true));
		const [row] = (await admin.query(`select version, note, measured, created_by, activated_at from triage_rule_versions where version = 'test-2'`)).rows;
		expect(row).toMatchObject({ version: 'test-2', note: '試しの語', created_by: cast.people.secretariat.userId, activated_at: null });
		expect(row.measured.heldout.recall).toBe(heldout.recall);
		expect(await auditOf('triage_rules.save')).toEqual([{ entity_id: 'test-2', actor_user_id: cast.people.secretariat.userId, user_agent: 'vitest-rules', request_id: 'vitest-rules' }]);
	});

	it('never changes a saved version: its name, or the shipped one, is refused', async () => {
		const again = await saveTriageRuleVersion(secretariat(), { rules: withTerm('test-2', 'suicide.want-to-die', 'べつのことば') });
		expect(again).toMatchObject({ ok: false, reason: 'version_taken' });
		const shipped = await saveTriageRuleVersion(secretariat(), { rules: withTerm(DEFAULT_RULES.version, 'suicide.want-to-die', 'べつのことば') });
		expect(shipped).toMatchObject({ ok: false, reason: 'version_taken' });
		const stored = await triageRuleVersion(secretariat(), 'test-2');
		expect(stored?.rules.rules.find((r) => r.id === 'suicide.want-to-die')?.patterns).not.toContain('べつのことば');
	});

	it('shows a version with its difference from the active one', async () => {
		const detail = await triageRuleVersion(secretariat(), 'test-2');
		expect(detail?.diff).toMatchObject({ same: false, categories: [{ category: 'suicide', added: ['ばななじけん'], removed: [] }], rulesAdded: [], rulesRemoved: [] });
		expect(detail?.form.rules.find((r) => r.id === 'suicide.want-to-die')?.patterns.split('\n')).toContain('ばななじけん');
		expect(await triageRuleVersion(secretariat(), 'no-such-version')).toBeNull();
	});
});

describe('activating a version', () => {
	it('refuses a version below the floor with its figures, and changes nothing', async () => {
		const weak = structuredClone(DEFAULT_RULES);
		weak.version = 'weak-1';
		for (const rule of weak.rules) rule.patterns = [`ないことば${rule.id.replace(/[^a-z]/g, '')}`];
		const saved = await saveTriageRuleVersion(secretariat(), { rules: weak });
		expect(saved.ok && saved.value.measured.meetsFloor).toBe(false);
		const r = await activateTriageRuleVersion(secretariat(), 'weak-1');
		expect(r).toMatchObject({ ok: false, reason: 'below_floor' });
		if (r.ok) return;
		expect(r.measured?.heldout.recall).toBeLessThan(0.95);
		expect(r.measured?.heldout.missed.length).toBeGreaterThan(0);
		expect((await admin.query(`select count(*) from triage_rule_versions where activated_at is not null`)).rows[0].count).toBe('0');
		expect(await auditOf('triage_rules.activate')).toEqual([]);
		expect(await activateTriageRuleVersion(secretariat(), 'no-such-version')).toEqual({ ok: false, reason: 'not_found' });
		expect(await activateTriageRuleVersion(secretariat(), DEFAULT_RULES.version)).toEqual({ ok: false, reason: 'already_active' });
	});

	it('triages the next message with the version just activated, and records the version on the thread', async () => {
		const before = await consult('ばななじけん');
		expect(before).toEqual({ urgent: false, rules_version: DEFAULT_RULES.version });
		const r = await activateTriageRuleVersion(secretariat(), 'test-2');
		expect(r).toMatchObject({ ok: true, value: { version: 'test-2', previous: DEFAULT_RULES.version } });
		expect(await consult('ばななじけん')).toEqual({ urgent: true, rules_version: 'test-2' });
		expect(await consult('子ども食堂の日程を教えてください')).toEqual({ urgent: false, rules_version: 'test-2' });
		const staff = requireOrganization(requestOf({ ...secretariatActor(), userId: cast.people.counsellor.userId, secretariat: false, memberships: [{ organizationId: cast.orgA, organizationName: '', role: 'counsellor' }] }, cast.orgA), 'consultations.reply');
		expect(await recordStaffConsultation(staff, staffEntryInput.parse({ message: '電話で「ばななじけん」と話していた' }))).toMatchObject({ triageUrgent: true });
		expect(await auditOf('triage_rules.activate')).toEqual([{ entity_id: 'test-2', actor_user_id: cast.people.secretariat.userId, user_agent: 'vitest-rules', request_id: 'vitest-rules' }]);
		const { active, versions } = await listTriageRuleVersions(secretariat());
		expect(active).toMatchObject({ version: 'test-2', active: true, activatedBy: expect.any(String), createdBy: expect.any(String) });
		expect(versions.map((v) => v.version)).toEqual(['weak-1', 'test-2', DEFAULT_RULES.version]);
		expect(versions.at(-1)).toMatchObject({ shipped: true, active: false, createdAt: null });
	});

	it('rolls back by activating an older version: the shipped rules are saved as a row and apply at once', async () => {
		const r = await activateTriageRuleVersion(secretariat(), DEFAULT_RULES.version);
		expect(r).toMatchObject({ ok: true, value: { version: DEFAULT_RULES.version, previous: 'test-2' } });
		expect(await consult('ばななじけん')).toEqual({ urgent: false, rules_version: DEFAULT_RULES.version });
		expect((await auditOf('triage_rules.save')).map((a) => a.entity_id)).toEqual(['test-2', 'weak-1', DEFAULT_RULES.version]);
		expect((await auditOf('triage_rules.activate')).map((a) => a.entity_id)).toEqual(['test-2', DEFAULT_RULES.version]);
		// And forward again: test-2 is an older version too now.
		expect(await activateTriageRuleVersion(secretariat(), 'test-2')).toMatchObject({ ok: true, value: { previous: DEFAULT_RULES.version } });
		expect((await activeTriage('ばななじけん')).rulesVersion).toBe('test-2');
		const { active, versions } = await listTriageRuleVersions(secretariat());
		expect(active.version).toBe('test-2');
		expect(versions.filter((v) => v.shipped)).toHaveLength(1);
	});

	it('another process sees an activation within the TTL, and no database query runs per message before then', async () => {
		// Another server activates: only the row changes, not this process's cache.
		await admin.query(`update triage_rule_versions set activated_at = clock_timestamp() where version = $1`, [DEFAULT_RULES.version]);
		expect((await activeTriage('ばななじけん')).urgent).toBe(true);
		const now = Date.now();
		const clock = vi.spyOn(Date, 'now').mockReturnValue(now + ACTIVE_RULES_TTL_MS + 1);
		try {
			expect(await activeTriage('ばななじけん')).toMatchObject({ urgent: false, rulesVersion: DEFAULT_RULES.version });
		} finally {
			clock.mockRestore();
		}
	});
});

describe('who sees the versions', () => {
	it("no organisation's context reads them; the secretariat's does", async () => {
		const asOrg = await withAccess(database.db, { userId: cast.people.org_admin.userId, organizationIds: [cast.orgA] }, (tx) => tx.select().from(triageRuleVersions));
		expect(asOrg).toEqual([]);
		expect((await listTriageRuleVersions(secretariat())).versions.length).toBeGreaterThan(1);
	});
});
