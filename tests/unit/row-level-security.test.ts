/**
 * The second wall: every table is under forced row-level security unless it is listed here with
 * the reason it holds nothing to isolate; private tables show nothing without a context; a
 * context for one organisation can neither see nor change another's private rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { eq, sql } from 'drizzle-orm';
import { testDatabase } from '../helpers/db';
import { seedCast, type Cast } from '../helpers/people';
import { makeProgram } from '../helpers/factories';
import type { Database } from '../../src/lib/server/db';
import { withAccess, ANONYMOUS } from '../../src/lib/server/db/tenant';
import { programs, locations } from '../../src/lib/server/directory/schema';
import { memberships } from '../../src/lib/server/network/schema';

const WITHOUT_RLS: Record<string, string> = {
	auth_throttle: 'attempt counters keyed by digests of addresses and networks; no organisation, no person',
	audit_chain: 'one row: the hash at the head of the audit chain',
	encryption_keys: 'data keys wrapped by the master key, which never enters the database'
};

/** drizzle wraps the database's error; its cause says why. */
const REFUSED = { cause: { message: expect.stringMatching(/row-level security/) } };

/** Tables whose rows are about people or an organisation's private business. */
const PRIVATE = ['users', 'sessions', 'recovery_codes', 'email_tokens', 'memberships', 'join_requests', 'audit_events', 'registrations', 'participation_cards', 'card_consents', 'visits', 'registration_notices', 'spreadsheet_imports'];

let database: Database;
let admin: pg.Client;
let cast: Cast;
let programB: string;

beforeAll(async () => {
	database = await testDatabase();
	admin = new pg.Client({ connectionString: database.adminUrl });
	await admin.connect();
	cast = await seedCast(database, 'rls');
	programB = await makeProgram(database.db, cast.orgB);
	// Give every private table some rows (as the owner, a superuser here).
	await admin.query(`insert into join_requests (organization_name, applicant_name, applicant_email) values ('テスト団体', '申込者', 'apply@example.org')`);
	await admin.query(`insert into email_tokens (id, purpose, email, organization_id, role, expires_at) values (repeat('a', 64), 'invitation', 'x@example.org', $1, 'staff', now() + interval '1 day')`, [cast.orgB]);
	await admin.query(`insert into recovery_codes (user_id, code_hash) values ($1, repeat('b', 64))`, [cast.people.adminB.userId]);
	// Events and participation: a registration, a card allowed at B, a visit at B.
	const program = programB;
	const occurrence = (await admin.query(`insert into occurrences (organization_id, program_id, day, starts_at) values ($1, $2, current_date, now()) returning id`, [cast.orgB, program])).rows[0].id;
	const registration = (
		await admin.query(
			`insert into registrations (id, organization_id, occurrence_id, status, name_sealed, contact_sealed, contact_kind, submission_key, access_digest, reference_code)
		values (gen_random_uuid(), $1, $2, 'registered', 'x', 'x', 'email', 'k', 'd', 'ABC123') returning id`,
			[cast.orgB, occurrence]
		)
	).rows[0].id;
	// What the registrant was told (issue 16): as private as the registration.
	await admin.query(`insert into registration_notices (organization_id, registration_id, kind, channel, change_key, outcome) values ($1, $2, 'cancelled', 'email', 'cancelled@2030-01-01T00:00:00.000Z', 'sent')`, [cast.orgB, registration]);
	const card = (await admin.query(`insert into participation_cards (code, manage_digest) values ('ABCDE12345', 'm') returning id`)).rows[0].id;
	await admin.query(`insert into card_consents (card_id, organization_id) values ($1, $2)`, [card, cast.orgB]);
	await admin.query(`insert into visits (organization_id, program_id, occurrence_id, day, counted_at, source, person_key, card_id) values ($1, $2, $3, current_date, now(), 'card', 'card:' || $4::text, $4::uuid)`, [cast.orgB, program, occurrence, card]);
	// A pending spreadsheet import of B's admin, and a region-wide one of the secretariat (issue 16).
	await admin.query(`insert into spreadsheet_imports (organization_id, created_by, kind, file_name, file_digest, header, rows, row_count) values ($1, $2, 'programs', 'b.xlsx', 'd', '[]', '[]', 0), (null, $3, 'organizations', 'r.xlsx', 'd', '[]', '[]', 0)`, [
		cast.orgB,
		cast.people.adminB.userId,
		cast.people.secretariat.userId
	]);
	await withAccess(database.db, { system: true }, (tx) => tx.execute(sql`insert into audit_events (organization_id, action, prev_hash, hash) values (${cast.orgB}, 'test.event', ${'0'.repeat(64)}, ${'1'.repeat(64)})`));
});
afterAll(async () => {
	await admin?.end();
	await database?.close();
});

describe('row-level security', () => {
	it('is enabled and forced on every table but the listed ones', async () => {
		const { rows } = await admin.query<{ name: string; enabled: boolean; forced: boolean }>(`
			select c.relname as name, c.relrowsecurity as enabled, c.relforcerowsecurity as forced
			from pg_class c join pg_namespace n on n.oid = c.relnamespace
			where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1`);
		expect(rows.length).toBeGreaterThan(15);
		const unguarded = rows.filter((r) => !(r.enabled && r.forced) && !(r.name in WITHOUT_RLS)).map((r) => r.name);
		expect(unguarded).toEqual([]);
		for (const name of Object.keys(WITHOUT_RLS)) expect(rows.map((r) => r.name)).toContain(name);
	});

	it('guards every table with an organisation column', async () => {
		const { rows } = await admin.query<{ name: string; forced: boolean }>(`
			select c.relname as name, c.relforcerowsecurity as forced from pg_attribute a
			join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
			where n.nspname = 'public' and c.relkind = 'r' and a.attname = 'organization_id' and not a.attisdropped`);
		expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining(['programs', 'locations', 'memberships', 'email_tokens', 'join_requests', 'audit_events']));
		expect(rows.filter((r) => !r.forced)).toEqual([]);
	});

	it('has a WITH CHECK on every policy that lets rows be written', async () => {
		const { rows } = await admin.query<{ tablename: string; policyname: string; cmd: string; qual: string | null; with_check: string | null }>(`select tablename, policyname, cmd, qual, with_check from pg_policies where schemaname = 'public'`);
		const missing = rows.filter((p) => (p.cmd === 'INSERT' && !p.with_check) || ((p.cmd === 'ALL' || p.cmd === 'UPDATE') && (!p.with_check || !p.qual)));
		expect(missing).toEqual([]);
	});

	it('shows no private row without a context, though every private table has rows', async () => {
		for (const table of PRIVATE) {
			const total = (await admin.query(`select count(*)::int as n from ${table}`)).rows[0].n;
			expect(total, table).toBeGreaterThan(0);
			const seen = await withAccess(database.db, ANONYMOUS, (tx) => tx.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`)));
			expect(seen.rows[0].n, table).toBe(0);
			const plain = await database.pool.query(`select count(*)::int as n from ${table}`);
			expect(plain.rows[0].n, `${table} outside any transaction context`).toBe(0);
		}
	});

	it("keeps one organisation's context out of another's rows, for reading and writing", async () => {
		const contextA = { userId: cast.people.org_admin.userId, organizationIds: [cast.orgA] };
		// There is something to take: A has a program, B has programs and places.
		const owned = async (table: string, org: string) => (await admin.query(`select count(*)::int as n from ${table} where organization_id = $1`, [org])).rows[0].n;
		expect([await owned('programs', cast.orgA), await owned('programs', cast.orgB), await owned('locations', cast.orgB)]).not.toContain(0);
		await withAccess(database.db, contextA, async (tx) => {
			const visible = await tx.select({ org: memberships.organizationId }).from(memberships);
			expect(new Set(visible.map((m) => m.org))).toEqual(new Set([cast.orgA]));
			const tokens = await tx.execute<{ n: number }>(sql`select count(*)::int as n from email_tokens`);
			expect(tokens.rows[0].n).toBe(0);
			const audit = await tx.execute<{ n: number }>(sql`select count(*)::int as n from audit_events where organization_id = ${cast.orgB}`);
			expect(audit.rows[0].n).toBe(0);
			// The public directory stays readable, but B's rows cannot be changed from A's context.
			const changed = await tx.update(programs).set({ title: '乗っ取り' }).where(eq(programs.organizationId, cast.orgB)).returning({ id: programs.id });
			expect(changed).toEqual([]);
			const removed = await tx.delete(locations).where(eq(locations.organizationId, cast.orgB)).returning({ id: locations.id });
			expect(removed).toEqual([]);
		});
		// Moving one's own program into B, or creating one for B, is refused by WITH CHECK.
		await expect(withAccess(database.db, contextA, (tx) => tx.update(programs).set({ organizationId: cast.orgB }).where(eq(programs.organizationId, cast.orgA)))).rejects.toMatchObject(REFUSED);
		await expect(withAccess(database.db, contextA, (tx) => tx.insert(memberships).values({ organizationId: cast.orgB, userId: cast.people.org_admin.userId, role: 'org_admin' }))).rejects.toMatchObject(REFUSED);
		const after = await admin.query('select count(*)::int as n from programs where organization_id = $1 and title = $2', [cast.orgB, '乗っ取り']);
		expect(after.rows[0].n).toBe(0);
	});

	it("keeps a pending spreadsheet import its author's: not another member of the organisation, not the secretariat, not another organisation", async () => {
		const seen = (context: Parameters<typeof withAccess>[1]) => withAccess(database.db, context, async (tx) => (await tx.execute<{ file_name: string }>(sql`select file_name from spreadsheet_imports order by 1`)).rows.map((r) => r.file_name));
		expect(await seen({ userId: cast.people.adminB.userId, organizationIds: [cast.orgB] })).toEqual(['b.xlsx']);
		expect(await seen({ userId: cast.people.staffB.userId, organizationIds: [cast.orgB] })).toEqual([]);
		expect(await seen({ userId: cast.people.org_admin.userId, organizationIds: [cast.orgA] })).toEqual([]);
		expect(await seen({ userId: cast.people.secretariat.userId, secretariat: true })).toEqual(['r.xlsx']);
		expect(await seen({ userId: cast.people.adminB.userId, secretariat: true })).toEqual([]);
		// Nor written in another's name or for another organisation.
		await expect(
			withAccess(database.db, { userId: cast.people.org_admin.userId, organizationIds: [cast.orgA] }, (tx) =>
				tx.execute(sql`insert into spreadsheet_imports (organization_id, created_by, kind, file_name, file_digest, header, rows, row_count) values (${cast.orgB}, ${cast.people.org_admin.userId}, 'programs', 'x', 'd', '[]', '[]', 0)`)
			)
		).rejects.toMatchObject(REFUSED);
		await expect(
			withAccess(database.db, { userId: cast.people.org_admin.userId, organizationIds: [cast.orgA] }, (tx) =>
				tx.execute(sql`insert into spreadsheet_imports (organization_id, created_by, kind, file_name, file_digest, header, rows, row_count) values (null, ${cast.people.org_admin.userId}, 'programs', 'x', 'd', '[]', '[]', 0)`)
			)
		).rejects.toMatchObject(REFUSED);
	});

	it('lets an anonymous visitor apply to join, but not read applications or apply pre-approved', async () => {
		await withAccess(database.db, ANONYMOUS, (tx) => tx.execute(sql`insert into join_requests (organization_name, applicant_name, applicant_email) values ('新しい団体', '名前', 'new@example.org')`));
		await expect(withAccess(database.db, ANONYMOUS, (tx) => tx.execute(sql`insert into join_requests (organization_name, applicant_name, applicant_email, status) values ('ずる', '名前', 'cheat@example.org', 'approved')`))).rejects.toMatchObject(REFUSED);
		const seen = await withAccess(database.db, ANONYMOUS, (tx) => tx.execute<{ n: number }>(sql`select count(*)::int as n from join_requests`));
		expect(seen.rows[0].n).toBe(0);
		const secretariat = await withAccess(database.db, { userId: cast.people.secretariat.userId, secretariat: true }, (tx) => tx.execute<{ n: number }>(sql`select count(*)::int as n from join_requests`));
		expect(secretariat.rows[0].n).toBe(2);
	});

	it('refuses to nest contexts (a nested one would leak into the outer transaction)', async () => {
		// @ts-expect-error a scoped transaction is no pool: the compiler refuses it, and so does withAccess at run time (checked here)
		await expect(withAccess(database.db, ANONYMOUS, (tx) => withAccess(tx, { system: true }, async () => 1))).rejects.toThrow(/nested/);
	});
});

describe('row-level security of events and participation', () => {
	const contextA = () => ({ userId: cast.people.org_admin.userId, organizationIds: [cast.orgA] });
	const contextB = () => ({ userId: cast.people.adminB.userId, organizationIds: [cast.orgB] });
	const count = (context: Parameters<typeof withAccess>[1], table: string) => withAccess(database.db, context, (tx) => tx.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`))).then((r) => r.rows[0].n);

	it("keeps B's registrations, cards and visits out of A's context, and shows them to B", async () => {
		for (const table of ['registrations', 'participation_cards', 'card_consents', 'visits', 'registration_notices']) {
			expect(await count(contextA(), table), table).toBe(0);
			expect(await count(contextB(), table), table).toBe(1);
		}
	});

	it("shows the secretariat B's visits (counts) but not B's registrations (names)", async () => {
		const secretariat = { userId: cast.people.secretariat.userId, organizationIds: [cast.secretariatOrg], secretariat: true };
		expect(await count(secretariat, 'visits')).toBe(1);
		expect(await count(secretariat, 'registrations')).toBe(0);
		expect(await count(secretariat, 'registration_notices')).toBe(0);
	});

	it("refuses writing a visit or an occurrence for B's program from A's context", async () => {
		const program = programB;
		await expect(withAccess(database.db, contextA(), (tx) => tx.execute(sql`insert into visits (organization_id, program_id, day, counted_at, source) values (${cast.orgB}, ${program}, current_date, now(), 'tap')`))).rejects.toMatchObject(REFUSED);
		await expect(withAccess(database.db, contextA(), (tx) => tx.execute(sql`insert into visits (organization_id, program_id, day, counted_at, source) values (${cast.orgA}, ${program}, current_date, now(), 'tap')`))).rejects.toMatchObject(REFUSED);
		await expect(withAccess(database.db, contextA(), (tx) => tx.execute(sql`insert into occurrences (organization_id, program_id, day, starts_at) values (${cast.orgA}, ${program}, current_date, now())`))).rejects.toMatchObject(REFUSED);
		// Cards are issued only by the platform (a resident's own flow), never by an organisation.
		await expect(withAccess(database.db, contextA(), (tx) => tx.execute(sql`insert into participation_cards (code, manage_digest) values ('ZZZZZ99999', 'z')`))).rejects.toMatchObject(REFUSED);
	});
});

describe('row-level security of consultations', () => {
	/** Every consultation table that names an organisation, with a row of A's made by the owner. */
	const ORGANISATION_TABLES = ['consultation_threads', 'consultation_messages', 'consultation_notes', 'consultation_alerts', 'consultation_settings', 'consultation_rota', 'line_people'];
	const count = (context: Parameters<typeof withAccess>[1], table: string) => withAccess(database.db, context, (tx) => tx.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`))).then((r) => r.rows[0].n);

	beforeAll(async () => {
		const person = (await admin.query(`insert into line_people (organization_id, user_digest, user_id_sealed) values ($1, 'rls-digest', 'x') returning id`, [cast.orgA])).rows[0].id;
		const thread = (await admin.query(`insert into consultation_threads (organization_id, channel, urgent, access_digest, line_person_id) values ($1, 'line', true, 'rls-access', $2) returning id`, [cast.orgA, person])).rows[0].id;
		await admin.query(`insert into consultation_messages (thread_id, organization_id, author, body_sealed) values ($1, $2, 'person', 'x')`, [thread, cast.orgA]);
		await admin.query(`insert into consultation_notes (thread_id, organization_id, author_user_id, body_sealed) values ($1, $2, $3, 'x')`, [thread, cast.orgA, cast.people.counsellor.userId]);
		await admin.query(`insert into consultation_alerts (thread_id, organization_id, recipient_user_id, reason, level, via) values ($1, $2, $3, 'urgent', 1, 'mail')`, [thread, cast.orgA, cast.people.counsellor.userId]);
		await admin.query(`insert into consultation_settings (organization_id, escalation_minutes) values ($1, 5)`, [cast.orgA]);
		await admin.query(`insert into consultation_rota (organization_id, user_id, position) values ($1, $2, 1)`, [cast.orgA, cast.people.counsellor.userId]);
		await admin.query(`insert into triage_rule_versions (version, rules) values ('rls-test', '{}'::jsonb)`);
	});

	it("shows A's consultation rows to A's context only: not to B, not to the secretariat's network standing, not without a context", async () => {
		const contextA = { userId: cast.people.counsellor.userId, organizationIds: [cast.orgA] };
		const contextB = { userId: cast.people.adminB.userId, organizationIds: [cast.orgB] };
		const network = { userId: cast.people.secretariat.userId, organizationIds: [cast.secretariatOrg], secretariat: true };
		for (const table of ORGANISATION_TABLES) {
			expect(await count(contextA, table), table).toBeGreaterThan(0);
			expect(await count(contextB, table), table).toBe(0);
			expect(await count(network, table), table).toBe(0);
			expect(await count(ANONYMOUS, table), table).toBe(0);
		}
	});

	it("refuses writing A's settings, rota or alerts from B's context", async () => {
		const contextB = { userId: cast.people.adminB.userId, organizationIds: [cast.orgB] };
		await expect(withAccess(database.db, contextB, (tx) => tx.execute(sql`insert into consultation_rota (organization_id, user_id, position) values (${cast.orgA}, ${cast.people.adminB.userId}, 2)`))).rejects.toMatchObject(REFUSED);
		await expect(withAccess(database.db, contextB, (tx) => tx.execute(sql`insert into consultation_settings (organization_id, escalation_minutes) values (${cast.orgA}, 1440) on conflict (organization_id) do update set escalation_minutes = 1440`))).rejects.toMatchObject(REFUSED);
		const changed = await withAccess(database.db, contextB, (tx) => tx.execute(sql`update consultation_settings set escalation_minutes = 1440 where organization_id = ${cast.orgA}`));
		expect(changed.rowCount).toBe(0);
		expect((await admin.query(`select escalation_minutes from consultation_settings where organization_id = $1`, [cast.orgA])).rows[0].escalation_minutes).toBe(5);
	});

	it('keeps triage rule versions to the secretariat and the platform', async () => {
		expect(await count({ userId: cast.people.org_admin.userId, organizationIds: [cast.orgA] }, 'triage_rule_versions')).toBe(0);
		expect(await count({ userId: cast.people.secretariat.userId, organizationIds: [cast.secretariatOrg], secretariat: true }, 'triage_rule_versions')).toBeGreaterThan(0);
		await expect(withAccess(database.db, { userId: cast.people.org_admin.userId, organizationIds: [cast.orgA] }, (tx) => tx.execute(sql`insert into triage_rule_versions (version, rules) values ('sneaky', '{}'::jsonb)`))).rejects.toMatchObject(REFUSED);
	});
});

describe('row-level security of consent and referrals', () => {
	/** A referral from A to B under a consent A holds, one from B to the secretariat's organisation (A is a third party there). */
	let referralAB: string;
	let referralBS: string;
	let consentAB: string;
	const contextA = () => ({ userId: cast.people.counsellor.userId, organizationIds: [cast.orgA] });
	const contextB = () => ({ userId: cast.people.adminB.userId, organizationIds: [cast.orgB] });
	const network = () => ({ userId: cast.people.secretariat.userId, organizationIds: [], secretariat: true });
	const count = (context: Parameters<typeof withAccess>[1], query: string) => withAccess(database.db, context, (tx) => tx.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${query}`))).then((r) => r.rows[0].n);
	const referralOf = async (from: string, to: string, consent: string | null) => {
		const subject = (await admin.query(`insert into data_subjects (organization_id, source_kind, source_id) values ($1, 'consultation', gen_random_uuid()) returning id`, [from])).rows[0].id;
		const basis = consent ? 'consent' : 'vital_interest';
		const id = (
			await admin.query(`insert into referrals (subject_id, from_organization_id, to_organization_id, source_kind, referred_by, contact_preference, basis, consent_id, items) values ($1, $2, $3, 'consultation', $4, 'phone', $5, $6, '{name,contact}') returning id`, [
				subject,
				from,
				to,
				cast.people.counsellor.userId,
				basis,
				consent
			])
		).rows[0].id;
		for (const item of ['name', 'contact']) await admin.query(`insert into referral_items (referral_id, from_organization_id, to_organization_id, consent_id, item, value_sealed) values ($1, $2, $3, $4, $5, 'x')`, [id, from, to, consent, item]);
		await admin.query(`insert into referral_events (referral_id, from_organization_id, to_organization_id, status) values ($1, $2, $3, 'sent')`, [id, from, to]);
		await admin.query(`insert into referral_queue (referral_id, from_organization_id, to_organization_id, reason, waiting_since) values ($1, $2, $3, 'not_accepted', now() - interval '5 days')`, [id, from, to]);
		await admin.query(`insert into provision_records (subject_id, provider_organization_id, recipient_organization_id, items, basis, consent_id, reason_sealed, referral_id, keep_until) values ($1, $2, $3, '{name,contact}', $4, $5, $6, $7, (current_date + interval '3 years 1 day')::date)`, [
			subject,
			from,
			to,
			basis,
			consent,
			consent ? null : 'x',
			id
		]);
		return id;
	};

	beforeAll(async () => {
		const subject = (await admin.query(`insert into data_subjects (organization_id, source_kind, source_id) values ($1, 'consultation', gen_random_uuid()) returning id`, [cast.orgA])).rows[0].id;
		consentAB = (await admin.query(`insert into consents (subject_id, organization_id, recipient_organization_id, items, purpose, given_via, given_at) values ($1, $2, $3, '{name,contact}', 'カフェへのつなぎ', 'web', now()) returning id`, [subject, cast.orgA, cast.orgB])).rows[0].id;
		await admin.query(`insert into subject_requests (subject_id, organization_id, kind, due_on) values ($1, $2, 'disclosure', current_date + 14)`, [subject, cast.orgA]);
		referralAB = await referralOf(cast.orgA, cast.orgB, consentAB);
		referralBS = await referralOf(cast.orgB, cast.secretariatOrg, null);
	});

	it('shows a referral, its events and its shared items to exactly the sender and the receiver', async () => {
		for (const table of ['referrals', 'referral_items', 'referral_events', 'referral_queue']) {
			const key = table === 'referrals' ? 'id' : 'referral_id';
			const ofAB = `${table} where ${key} = '${referralAB}'`;
			const ofBS = `${table} where ${key} = '${referralBS}'`;
			expect(await count(contextA(), ofAB), `${table}: the sender`).toBeGreaterThan(0);
			expect(await count(contextB(), ofAB), `${table}: the receiver`).toBeGreaterThan(0);
			// A is a third organisation for B → secretariat's organisation.
			expect(await count(contextA(), ofBS), `${table}: a third organisation`).toBe(0);
			expect(await count(ANONYMOUS, ofAB), `${table}: no context`).toBe(0);
		}
	});

	it("gives the secretariat's standing the queue (organisations and days) and the provision records, never a referral, an item or an event", async () => {
		expect(await count(network(), 'referrals')).toBe(0);
		expect(await count(network(), 'referral_items')).toBe(0);
		expect(await count(network(), 'referral_events')).toBe(0);
		expect(await count(network(), 'consents')).toBe(0);
		expect(await count(network(), 'data_subjects')).toBe(0);
		expect(await count(network(), `referral_queue where referral_id in ('${referralAB}', '${referralBS}')`)).toBe(2);
		expect(await count(network(), `provision_records where referral_id in ('${referralAB}', '${referralBS}')`)).toBe(2);
	});

	it("keeps A's consents, subjects and the people's requests to A", async () => {
		for (const table of ['consents', 'data_subjects', 'subject_requests']) {
			expect(await count(contextA(), table), table).toBeGreaterThan(0);
			expect(await count(contextB(), `${table} where organization_id = '${cast.orgA}'`), table).toBe(0);
		}
	});

	it('refuses a referral, an item or a provision record written in another organisation’s name', async () => {
		const subject = (await admin.query(`select subject_id from referrals where id = $1`, [referralAB])).rows[0].subject_id;
		await expect(
			withAccess(database.db, contextB(), (tx) =>
				tx.execute(
					sql`insert into referrals (subject_id, from_organization_id, to_organization_id, source_kind, referred_by, contact_preference, basis, consent_id, items) values (${subject}, ${cast.orgA}, ${cast.orgB}, 'staff', ${cast.people.adminB.userId}, 'self', 'consent', ${consentAB}, '{name}')`
				)
			)
		).rejects.toMatchObject(REFUSED);
		await expect(withAccess(database.db, contextB(), (tx) => tx.execute(sql`insert into referral_items (referral_id, from_organization_id, to_organization_id, item, value_sealed) values (${referralAB}, ${cast.orgA}, ${cast.orgB}, 'needs', 'x')`))).rejects.toMatchObject(REFUSED);
		await expect(
			withAccess(database.db, contextB(), (tx) =>
				tx.execute(sql`insert into provision_records (subject_id, provider_organization_id, recipient_organization_id, items, basis, consent_id, keep_until) values (${subject}, ${cast.orgA}, ${cast.orgB}, '{name}', 'consent', ${consentAB}, (current_date + interval '4 years')::date)`)
			)
		).rejects.toMatchObject(REFUSED);
		// Only the platform fills the secretariat's queue.
		await expect(withAccess(database.db, contextA(), (tx) => tx.execute(sql`insert into referral_queue (referral_id, from_organization_id, to_organization_id, reason, waiting_since) values (${referralAB}, ${cast.orgA}, ${cast.orgB}, 'no_first_contact', now())`))).rejects.toMatchObject(REFUSED);
	});

	it('keeps provision records: no organisation and not the secretariat changes or removes one, and none is kept under three years', async () => {
		const record = `provision_records where referral_id = '${referralAB}'`;
		for (const context of [contextA(), contextB(), network()]) {
			const changed = await withAccess(database.db, context, (tx) => tx.execute(sql`update provision_records set items = '{name}' where referral_id = ${referralAB}`));
			expect(changed.rowCount).toBe(0);
			const removed = await withAccess(database.db, context, (tx) => tx.execute(sql`delete from provision_records where referral_id = ${referralAB}`));
			expect(removed.rowCount).toBe(0);
		}
		expect((await admin.query(`select items from provision_records where referral_id = $1`, [referralAB])).rows[0].items).toEqual(['name', 'contact']);
		expect(await count(contextA(), record)).toBe(1);
		const subject = (await admin.query(`select subject_id from referrals where id = $1`, [referralAB])).rows[0].subject_id;
		await expect(
			withAccess(database.db, contextA(), (tx) =>
				tx.execute(sql`insert into provision_records (subject_id, provider_organization_id, recipient_organization_id, items, basis, consent_id, keep_until) values (${subject}, ${cast.orgA}, ${cast.orgB}, '{name}', 'consent', ${consentAB}, (current_date + interval '2 years')::date)`)
			)
		).rejects.toMatchObject({ cause: { message: expect.stringMatching(/provision_records_keep_three_years/) } });
		// Without consent, a reason is required by the table itself.
		await expect(
			withAccess(database.db, contextA(), (tx) =>
				tx.execute(sql`insert into provision_records (subject_id, provider_organization_id, recipient_organization_id, items, basis, keep_until) values (${subject}, ${cast.orgA}, ${cast.orgB}, '{name}', 'vital_interest', (current_date + interval '4 years')::date)`)
			)
		).rejects.toMatchObject({ cause: { message: expect.stringMatching(/provision_records_consent_or_reason/) } });
	});

	it('erases what was shared under a consent the moment it is withdrawn, in the withdrawing transaction', async () => {
		expect(await count(contextB(), `referral_items where referral_id = '${referralAB}'`)).toBe(2);
		await withAccess(database.db, contextA(), (tx) => tx.execute(sql`update consents set withdrawn_at = now(), withdrawn_via = 'spoken' where id = ${consentAB}`));
		expect(await count(contextB(), `referral_items where referral_id = '${referralAB}'`)).toBe(0);
		expect((await admin.query(`select count(*)::int as n from referral_items where referral_id = $1`, [referralAB])).rows[0].n).toBe(0);
		expect((await admin.query(`select consent_withdrawn_at is not null as marked from referrals where id = $1`, [referralAB])).rows[0].marked).toBe(true);
		// The referral without consent (B → secretariat) keeps its items.
		expect((await admin.query(`select count(*)::int as n from referral_items where referral_id = $1`, [referralBS])).rows[0].n).toBe(2);
	});

	it('lets everyone read the 協議会 declaration and only the secretariat write it', async () => {
		await withAccess(database.db, network(), (tx) => tx.execute(sql`insert into regional_council (name) values ('テスト地域協議会') on conflict (id) do nothing`));
		await withAccess(database.db, network(), (tx) => tx.execute(sql`insert into council_members (organization_id) values (${cast.orgA}) on conflict do nothing`));
		expect(await count(ANONYMOUS, 'regional_council')).toBe(1);
		expect(await count(ANONYMOUS, 'council_members')).toBeGreaterThan(0);
		await expect(withAccess(database.db, contextB(), (tx) => tx.execute(sql`insert into council_members (organization_id) values (${cast.orgB})`))).rejects.toMatchObject(REFUSED);
		const ended = await withAccess(database.db, contextB(), (tx) => tx.execute(sql`update regional_council set ended_at = now()`));
		expect(ended.rowCount).toBe(0);
	});
});
