/**
 * The secretariat's rules page through its real load and actions: who may open it, a refused save
 * (Japanese problems, the posted text kept, nothing saved), save → measured version → activate, and
 * activation refused below the floor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { testDatabase } from '../../../../../tests/helpers/db';
import { seedCast, type Cast } from '../../../../../tests/helpers/people';
import type { Database } from '$lib/server/db';
import { useDatabase } from '$lib/server/db';
import type { Actor } from '$lib/server/auth/actor';
import type { Role } from '$lib/server/network';
import { DEFAULT_RULES } from '$lib/server/consultations/triage';
import { formOf } from '$lib/server/consultations/triage/review';
import { actions, load } from './+page.server';

let database: Database;
let admin: pg.Client;
let cast: Cast;

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

const PATH = '/staff/network/triage';
const event = (who: Actor | null, path = PATH, body?: Record<string, string>) => ({
	locals: { actor: who, ip: '198.51.100.7', userAgent: 'vitest-rules-page', requestId: 'req-rules', locale: 'ja', largeText: false },
	url: new URL(path, 'http://localhost'),
	params: {},
	request: new Request(new URL(path, 'http://localhost'), body ? { method: 'POST', body: new URLSearchParams(body) } : undefined)
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the handlers read only locals, url, params and request
type Handler = (event: any) => unknown;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test reads its own data
async function run(handler: Handler, ...args: Parameters<typeof event>): Promise<{ status: number; data?: any; location?: string }> {
	try {
		const result = (await handler(event(...args))) as { status?: number; data?: unknown } | undefined;
		// fail() answers an ActionFailure: { status, data }.
		if (result && typeof result === 'object' && 'status' in result && 'data' in result && typeof result.status === 'number') return { status: result.status, data: result.data };
		return { status: 200, data: result };
	} catch (thrown) {
		const t = thrown as { status?: number; location?: string };
		if (typeof t.status === 'number') return { status: t.status, location: t.location };
		throw thrown;
	}
}

/** The editing form of the shipped rules as the page posts it, with changes. */
function saveBody(version: string, change: (fields: Record<string, string>) => void = () => {}): Record<string, string> {
	const form = formOf(DEFAULT_RULES);
	const fields: Record<string, string> = { base: DEFAULT_RULES.version, version, note: 'テスト', exclusions: form.exclusions };
	for (const r of form.rules) {
		fields[`patterns.${r.id}`] = r.patterns;
		fields[`exclusions.${r.id}`] = r.exclusions;
	}
	change(fields);
	return fields;
}

let secretariat: Actor;
const rowCount = async () => Number((await admin.query(`select count(*) from triage_rule_versions`)).rows[0].count);

beforeAll(async () => {
	database = await testDatabase();
	useDatabase(database);
	admin = new pg.Client({ connectionString: database.adminUrl });
	await admin.connect();
	cast = await seedCast(database, 'rp');
	secretariat = actor(cast.people.secretariat.userId, [[cast.secretariatOrg, 'secretariat_admin']], true);
}, 60_000);
afterAll(async () => {
	await admin?.end();
	await database?.close();
});

describe('who may open the rules page', () => {
	it('sends an anonymous visitor to the login, refuses an organisation admin and a counsellor, opens for the secretariat', async () => {
		const anonymous = await run(load as Handler, null);
		expect(anonymous.status).toBe(303);
		expect(anonymous.location).toMatch(/^\/login\?next=/);
		const orgAdmin = actor(cast.people.org_admin.userId, [[cast.orgA, 'org_admin']]);
		const counsellor = actor(cast.people.counsellor.userId, [[cast.orgA, 'counsellor']]);
		expect((await run(load as Handler, orgAdmin)).status).toBe(403);
		expect((await run(load as Handler, counsellor)).status).toBe(403);
		expect((await run(actions.save as Handler, orgAdmin, `${PATH}?/save`, saveBody('x-1'))).status).toBe(403);
		expect((await run(actions.activate as Handler, counsellor, `${PATH}?/activate`, { version: DEFAULT_RULES.version })).status).toBe(403);
		const page = await run(load as Handler, secretariat);
		expect(page.status).toBe(200);
		expect(page.data.active).toMatchObject({ version: DEFAULT_RULES.version, shipped: true, active: true });
		expect(page.data.active.measured.heldout.recall).toBeGreaterThanOrEqual(0.95);
		expect(page.data.selected.form.rules.length).toBe(DEFAULT_RULES.rules.length);
		expect(await rowCount()).toBe(0);
	});
});

describe('saving from the form', () => {
	it('refuses an invalid regular expression with a Japanese message, keeps the posted text, and saves nothing', async () => {
		const body = saveBody('form-bad', (f) => (f['patterns.suicide.disappear'] += '\n(消えたい'));
		const r = await run(actions.save as Handler, secretariat, `${PATH}?/save`, body);
		expect(r.status).toBe(400);
		expect(r.data.heading).toBe('保存できませんでした。次の点を直してください。');
		expect(r.data.problems.join('\n')).toMatch(/規則 suicide\.disappear の語 \d+: 正規表現として読めません/);
		expect(r.data.posted.rules['suicide.disappear'].patterns).toContain('(消えたい');
		expect(await rowCount()).toBe(0);
	});

	it('refuses an exclusion line without its id, an emptied rule, and a rule the base does not have', async () => {
		const noId = await run(
			actions.save as Handler,
			secretariat,
			`${PATH}?/save`,
			saveBody('form-bad', (f) => (f.exclusions += '\nただのことば'))
		);
		expect(noId.status).toBe(400);
		expect(noId.data.problems.join('\n')).toContain('「id: パターン」の形で書いてください');
		const emptied = await run(
			actions.save as Handler,
			secretariat,
			`${PATH}?/save`,
			saveBody('form-bad', (f) => (f['patterns.abuse.word'] = '\n  \n'))
		);
		expect(emptied.status).toBe(400);
		expect(emptied.data.problems.join('\n')).toContain('規則 abuse.word の語: 語が一つもありません');
		const unknown = await run(
			actions.save as Handler,
			secretariat,
			`${PATH}?/save`,
			saveBody('form-bad', (f) => (f['patterns.suicide.new'] = 'あたらしい'))
		);
		expect(unknown.status).toBe(400);
		expect(unknown.data.problems.join('\n')).toContain('規則 suicide.new: もとの版にない規則です');
		const badName = await run(actions.save as Handler, secretariat, `${PATH}?/save`, saveBody('版 2'));
		expect(badName.status).toBe(400);
		expect(badName.data.problems.join('\n')).toContain('版の名前は英数字と . _ - で書いてください');
		expect(await rowCount()).toBe(0);
	});

	it('saves and measures a version, shows its figures and difference, activates it, and refuses one below the floor', async () => {
		const saved = await run(
			actions.save as Handler,
			secretariat,
			`${PATH}?/save`,
			saveBody('form-2', (f) => (f['patterns.suicide.disappear'] += '\nいなくなってしまいたいよう'))
		);
		expect(saved).toMatchObject({ status: 303, location: `${PATH}?version=form-2&saved=1` });
		const page = await run(load as Handler, secretariat, `${PATH}?version=form-2&saved=1`);
		expect(page.data).toMatchObject({ saved: true, selected: { version: 'form-2', active: false, note: 'テスト', measured: { meetsFloor: true } } });
		expect(page.data.selected.diff.categories).toEqual([{ category: 'suicide', added: ['いなくなってしまいたいよう'], removed: [] }]);
		expect(page.data.versions.map((v: { version: string }) => v.version)).toEqual(['form-2', DEFAULT_RULES.version]);

		const weak = await run(
			actions.save as Handler,
			secretariat,
			`${PATH}?/save`,
			saveBody('form-weak', (f) => {
				for (const key of Object.keys(f)) if (key.startsWith('patterns.')) f[key] = `ないことば${key.replace(/[^a-z]/g, '')}`;
			})
		);
		expect(weak.status).toBe(303);
		const refused = await run(actions.activate as Handler, secretariat, `${PATH}?/activate`, { version: 'form-weak' });
		expect(refused.status).toBe(409);
		expect(refused.data.activateError).toMatch(/^基準を満たしていないので有効にしませんでした。検証用の検出率 \d+\.\d%/);

		const activated = await run(actions.activate as Handler, secretariat, `${PATH}?/activate`, { version: 'form-2' });
		expect(activated).toMatchObject({ status: 303, location: `${PATH}?version=form-2&activated=1` });
		expect((await run(load as Handler, secretariat)).data.active).toMatchObject({ version: 'form-2', active: true });
		expect((await run(actions.activate as Handler, secretariat, `${PATH}?/activate`, { version: 'nothing-here' })).status).toBe(404);
		expect((await run(load as Handler, secretariat, `${PATH}?version=nothing-here`)).status).toBe(404);
	});
});
