/**
 * Spreadsheet imports as operations: upload → mapping → preview (nothing written) → confirm (one
 * transaction, rows with errors skipped) → re-import changes nothing; export → import changes
 * nothing; a failing write rolls every row back; another person's or organisation's import is
 * not reachable; the files it reads and refuses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import iconv from 'iconv-lite';
import { testDatabase } from '../../../../tests/helpers/db';
import { seedCast, type Cast } from '../../../../tests/helpers/people';
import { organizationScopeOf, requestOf, actorWith, secretariatScopeOf } from '../../../../tests/helpers/scopes';
import { BAD_ROWS, SALON_HEADER, WORDS_ROWS, salonCsv, salonRows, salonWorkbook } from '../../../../tests/helpers/salons';
import { useDatabase, type Database } from '../db';
import { requireOrganization } from '../auth/guard';
import { chooseMapping, confirmImport, exportDirectory, pendingImport, previewImport, startImport, type ImportScope } from './index';

let database: Database;
let admin: pg.Client;
let cast: Cast;
let region: ImportScope;
let orgStaff: ImportScope;

beforeAll(async () => {
	database = await testDatabase();
	useDatabase(database);
	admin = new pg.Client({ connectionString: database.adminUrl });
	await admin.connect();
	cast = await seedCast(database, 'imports');
	region = secretariatScopeOf(cast.people.secretariat.userId, cast.secretariatOrg, 'directory.edit');
	orgStaff = organizationScopeOf(cast.people.staff.userId, cast.orgA, 'staff', 'directory.edit');
});
afterAll(async () => {
	await admin?.end();
	await database?.close();
});

const count = async (query: string, params: unknown[] = []) => Number((await admin.query(query, params)).rows[0].n);
const fictional = `from programs p join organizations o on o.id = p.organization_id where o.name like '%(架空)'`;
const programCount = () => count(`select count(*) as n ${fictional}`);

async function upload(scope: ImportScope, bytes: Uint8Array, fileName = 'サロン一覧.xlsx', kind = 'programs') {
	const started = await startImport(scope, { kind, fileName, bytes });
	if (!started.ok) throw new Error(`refused: ${started.reason}`);
	return started.value.id;
}

describe('a secretariat imports a 50-row サロン一覧 with 3 bad rows', () => {
	let first: string;

	it('guesses the columns from the Japanese headers', async () => {
		first = await upload(region, await salonWorkbook());
		const pending = await pendingImport(region, { id: first });
		expect(pending?.header).toEqual(SALON_HEADER);
		expect(pending?.columns).toEqual(['organizationName', 'title', 'placeName', 'address', 'postalCode', 'phone', 'schedule', 'target', 'description', 'cost', 'url']);
		expect(pending?.missing).toEqual([]);
		expect(pending?.rowCount).toBe(50);
	});

	it('previews every row, names each error by its column, and writes nothing', async () => {
		const before = await programCount();
		const preview = await previewImport(region, { id: first });
		if (!preview.ok) throw new Error(preview.reason);
		const { plan } = preview.value;
		expect(plan.rows).toHaveLength(50);
		expect(plan.rows.filter((r) => r.errors.length).map((r) => ({ line: r.line, field: r.errors[0].field }))).toEqual([
			{ line: 8, field: 'title' },
			{ line: 20, field: 'phone' },
			{ line: 33, field: 'cost' }
		]);
		expect(BAD_ROWS.map((b) => b.line)).toEqual([8, 20, 33]);
		// Each program's schedules as they will be stored, in the export's words, beside the row.
		expect(plan.rows.slice(0, 3).map((r) => r.schedule)).toEqual(['毎月第2火曜 10:00〜12:00', '毎月第1・第3土曜 10:00〜13:00', '毎週水曜 14:00〜16:00']);
		// Schedules that stay words are warnings on an imported row (beside its place's, first named there: ゆめみ市 is on no map).
		for (const w of WORDS_ROWS) expect(plan.rows.find((r) => r.line === w.line)?.warnings.map((x) => x.field)).toEqual(['schedule', 'address']);
		expect(plan.counts).toMatchObject({ valid: 47, skipped: 3, program: { create: 47, update: 0, unchanged: 0 }, organization: { create: 5, update: 0, unchanged: 0 } });
		expect(await programCount()).toBe(before);
		expect(await count(`select count(*) as n from organizations where name like '%(架空)'`)).toBe(0);
	});

	it('confirms: 47 programs like hand-entered ones (places, schedules, dates, audit), in the organisations it names', async () => {
		const auditBefore = await count(`select count(*) as n from audit_events where action = 'program.create'`);
		const done = await confirmImport(region, { id: first });
		expect(done.ok && done.value).toMatchObject({ counts: { valid: 47, skipped: 3 }, skippedLines: [8, 20, 33] });
		expect(await programCount()).toBe(47);
		expect(await count(`select count(*) as n from organizations where name like '%(架空)'`)).toBe(5);
		expect(await count(`select count(*) as n from audit_events where action = 'program.create'`)).toBe(auditBefore + 47);
		expect(await count(`select count(*) as n from audit_events where action = 'import.confirm' and entity_id = $1`, [first])).toBe(1);
		// Not asked to publish: nothing of it reaches residents (new organisations hidden, programs drafts).
		expect(await count(`select count(*) as n from organizations where name like '%(架空)' and published`)).toBe(0);
		expect(await count(`select count(*) as n ${fictional} and p.published`)).toBe(0);
		// A rule from words, its dated sessions materialised, its finder dates; drafts, as by hand.
		const salon = (await admin.query(`select p.id, p.published, p.cost_kind, p.cost_amount_yen, p.contact_phone, p.targets from programs p where p.title = 'ふれあいサロンゆめみ1(架空)'`)).rows[0];
		expect(salon).toMatchObject({ published: false, cost_kind: 'free', contact_phone: '054-000-1000', targets: ['elderly'] });
		expect((await admin.query(`select rrule, opens_at, closes_at, note from schedules where program_id = $1`, [salon.id])).rows).toEqual([{ rrule: 'FREQ=MONTHLY;BYDAY=2TU', opens_at: '10:00', closes_at: '12:00', note: null }]);
		expect(await count(`select count(*) as n from occurrences where program_id = $1`, [salon.id])).toBeGreaterThan(3);
		expect(await count(`select count(*) as n from program_locations pl join locations l on l.id = pl.location_id where pl.program_id = $1 and l.city = 'ゆめみ市' and l.prefecture = '静岡県'`, [salon.id])).toBe(1);
		const words = (await admin.query(`select s.rrule, s.note from schedules s join programs p on p.id = s.program_id where p.title = 'ふれあいサロンゆめみ11(架空)'`)).rows;
		expect(words).toEqual([{ rrule: null, note: '月1回程度(日程は会場に掲示)' }]);
		// The confirmed import cannot be confirmed again.
		expect(await confirmImport(region, { id: first })).toEqual({ ok: false, reason: 'confirmed' });
	});

	it('changes nothing when the same file is imported again', async () => {
		const stamp = async () => (await admin.query(`select p.id, p.updated_at, (select array_agg(s.id order by s.position) from schedules s where s.program_id = p.id) as schedules ${fictional} order by p.id`)).rows;
		const before = await stamp();
		const places = await count(`select count(*) as n from locations l join organizations o on o.id = l.organization_id where o.name like '%(架空)'`);
		const again = await upload(region, await salonWorkbook());
		const preview = await previewImport(region, { id: again });
		expect(preview.ok && preview.value.plan.counts).toMatchObject({ valid: 47, skipped: 3, program: { create: 0, update: 0, unchanged: 47 }, organization: { create: 0 }, location: { create: 0, update: 0 } });
		const done = await confirmImport(region, { id: again });
		expect(done.ok).toBe(true);
		expect(await stamp()).toEqual(before);
		expect(await count(`select count(*) as n from locations l join organizations o on o.id = l.organization_id where o.name like '%(架空)'`)).toBe(places);
	});

	it('round-trips: the whole region exported as .xlsx or UTF-8 CSV, imported again, changes nothing', async () => {
		for (const format of ['xlsx', 'csv'] as const) {
			const file = await exportDirectory(region, { kind: 'programs', format });
			if (!file.ok) throw new Error(file.reason);
			const id = await upload(region, file.value.body, file.value.fileName);
			const preview = await previewImport(region, { id });
			if (!preview.ok) throw new Error(preview.reason);
			const changed = preview.value.plan.rows.filter((r) => r.errors.length || r.actions.some((a) => a.action !== 'unchanged'));
			expect(
				changed.map((r) => ({ line: r.line, name: r.name, errors: r.errors, actions: r.actions.filter((a) => a.action !== 'unchanged') })),
				format
			).toEqual([]);
			expect(preview.value.plan.counts.program.unchanged, format).toBeGreaterThan(100);
		}
	});

	it('round-trips the organisations and places lists of the whole region too', async () => {
		for (const kind of ['organizations', 'places'] as const) {
			const file = await exportDirectory(region, { kind, format: 'xlsx' });
			if (!file.ok) throw new Error(file.reason);
			const started = await startImport(region, { kind, fileName: file.value.fileName, bytes: file.value.body });
			if (!started.ok) throw new Error(started.reason);
			const preview = await previewImport(region, { id: started.value.id });
			if (!preview.ok) throw new Error(preview.reason);
			const changed = preview.value.plan.rows.filter((r) => r.errors.length || r.actions.some((a) => a.action !== 'unchanged'));
			expect(
				changed.map((r) => ({ line: r.line, name: r.name, errors: r.errors, actions: r.actions })),
				kind
			).toEqual([]);
		}
	});

	it('round-trips through Shift_JIS what Shift_JIS holds: rules and labels written with 〜, not words kept with it', async () => {
		const file = await exportDirectory(region, { kind: 'programs', format: 'csv-sjis' });
		if (!file.ok) throw new Error(file.reason);
		const id = await upload(region, file.value.body, file.value.fileName);
		const preview = await previewImport(region, { id });
		if (!preview.ok) throw new Error(preview.reason);
		const salons = preview.value.plan.rows.filter((r) => r.organization?.endsWith('(架空)'));
		expect(salons).toHaveLength(47);
		// Rules read from 〜 written as ～ are the same rules, and 高齢層(65歳〜) the same label; only
		// words kept as words (the one 隔週 note with 〜) come back in the Windows form, as the page says.
		const changed = salons.filter((r) => r.errors.length || r.actions.some((a) => a.action !== 'unchanged'));
		expect(changed.map((r) => [r.name, r.actions.find((a) => a.action !== 'unchanged')?.fields, r.warnings[0]?.params?.text])).toEqual([['ふれあいサロンゆめみ26(架空)', ['schedules'], '隔週木曜 10時～11時半']]);
	});

	it('updates a changed row and only that one', async () => {
		const rows = salonRows();
		rows[0][6] = '毎月第2火曜 10時〜11時半';
		rows[1][9] = '500円';
		const id = await upload(region, await salonWorkbook(rows));
		const preview = await previewImport(region, { id });
		expect(preview.ok && preview.value.plan.counts.program).toEqual({ create: 0, update: 2, unchanged: 45 });
		const fields = preview.ok ? preview.value.plan.rows.slice(0, 2).map((r) => r.actions.find((a) => a.entity === 'program')?.fields) : [];
		expect(fields).toEqual([['schedules'], ['cost']]);
	});
});

describe('publishing what the import creates', () => {
	const rows = (tag: string) =>
		salonRows()
			.slice(0, 3)
			.map((r, i) => [r[0].replace('(架空)', `(架空・${tag})`), r[1].replace('(架空)', `(架空・${tag}${i})`), ...r.slice(2)]);

	it('publishes the new organisations and programs in the confirming transaction, audited, and leaves existing ones as they were', async () => {
		// One row updates a program of the first import (a draft): it stays a draft.
		const existing = salonRows()[3];
		const id = await upload(region, await salonWorkbook([...rows('公開'), [existing[0], existing[1], ...existing.slice(2, 9), '400円', existing[10]]]));
		const done = await confirmImport(region, { id, publish: true });
		expect(done.ok && done.value).toMatchObject({ counts: { valid: 4, program: { create: 3, update: 1 }, organization: { create: 3 } }, published: true });
		const created = (await admin.query(`select p.id, p.published, o.published as org_published from programs p join organizations o on o.id = p.organization_id where o.name like '%(架空・公開)'`)).rows;
		expect(created).toHaveLength(3);
		expect(created.every((p) => p.published && p.org_published)).toBe(true);
		expect(await count(`select count(*) as n from programs where title = $1 and not published and cost_amount_yen = 400`, [existing[1]])).toBe(1);
		// Each publication is audited like one made by hand, and the confirmation says it published.
		expect(await count(`select count(*) as n from audit_events where action = 'program.publish' and entity_id = any($1::text[])`, [created.map((p) => p.id)])).toBe(3);
		expect(await count(`select count(*) as n from audit_events a join organizations o on o.id::text = a.entity_id where a.action = 'organization.create' and o.name like '%(架空・公開)' and 'published' = any(a.changed_fields)`)).toBe(3);
		const confirmAudit = (await admin.query(`select changed_fields from audit_events where action = 'import.confirm' and entity_id = $1`, [id])).rows;
		expect(confirmAudit).toHaveLength(1);
		expect(confirmAudit[0].changed_fields).toContain('published');
		expect((await pendingImport(region, { id }))?.result?.published).toBe(true);
	});

	it('publishes nothing by default', async () => {
		const id = await upload(region, await salonWorkbook(rows('既定')));
		const done = await confirmImport(region, { id });
		expect(done.ok && done.value).toMatchObject({ counts: { program: { create: 3 } }, published: false });
		expect(await count(`select count(*) as n from programs p join organizations o on o.id = p.organization_id where o.name like '%(架空・既定)' and not p.published and not o.published`)).toBe(3);
		expect(await count(`select count(*) as n from audit_events where action = 'import.confirm' and entity_id = $1 and not ('published' = any(changed_fields))`, [id])).toBe(1);
	});

	it('lets an organisation publish the programs it imports', async () => {
		const own = (await admin.query(`select name from organizations where id = $1`, [cast.orgA])).rows[0].name as string;
		const id = await upload(orgStaff, await salonWorkbook([[own, 'A団体の公開するサロン(架空)', '', '', '', '', '毎週木曜 14時から16時', '', '', '', '']]));
		expect((await confirmImport(orgStaff, { id, publish: true })).ok).toBe(true);
		expect(await count(`select count(*) as n from programs where organization_id = $1 and title = 'A団体の公開するサロン(架空)' and published`, [cast.orgA])).toBe(1);
	});

	it('rolls every row back when a publication fails', async () => {
		const id = await upload(region, await salonWorkbook(rows('失敗')));
		await admin.query(`create function refuse_publish() returns trigger language plpgsql as $$ begin if new.published and new.title like 'ふれあいサロンゆめみ3(架空・失敗%' then raise exception 'refused for the test'; end if; return new; end $$`);
		await admin.query(`create trigger refuse_publish before update on programs for each row execute function refuse_publish()`);
		try {
			const before = await count(`select count(*) as n from programs`);
			await expect(confirmImport(region, { id, publish: true })).rejects.toThrow();
			expect(await count(`select count(*) as n from programs`)).toBe(before);
			expect(await count(`select count(*) as n from organizations where name like '%(架空・失敗)'`)).toBe(0);
			expect(await count(`select count(*) as n from spreadsheet_imports where id = $1 and confirmed_at is null`, [id])).toBe(1);
		} finally {
			await admin.query(`drop trigger refuse_publish on programs; drop function refuse_publish()`);
		}
	});
});

describe('places that get no map point', () => {
	// Three places: one in a ward the registry knows, one in a town it does not, one with no 市区町村.
	const csv = ['団体名,会場,住所', '地図の試験の会(架空),西区の集会所(架空),北海道札幌市西区琴似1条1丁目', '地図の試験の会(架空),ゆめみの集会所(架空),静岡県ゆめみ市ひだまり町1-1', '地図の試験の会(架空),県だけの集会所(架空),静岡県'].join('\n');

	it('names them on the preview and on the result, each with why (no 市区町村, or one the registry does not know)', async () => {
		const id = await upload(region, new TextEncoder().encode(csv), '会場一覧.csv', 'places');
		const preview = await previewImport(region, { id });
		if (!preview.ok) throw new Error(preview.reason);
		const { plan } = preview.value;
		expect(plan.counts).toMatchObject({ valid: 3, skipped: 0, location: { create: 3 } });
		expect(plan.rows.map((r) => r.warnings)).toEqual([[], [{ field: 'address', key: 'imports.warning.unplaced.unknownCity', params: { place: 'ゆめみの集会所(架空)', city: 'ゆめみ市' } }], [{ field: 'address', key: 'imports.warning.unplaced.noCity', params: { place: '県だけの集会所(架空)' } }]]);
		const done = await confirmImport(region, { id });
		if (!done.ok) throw new Error(done.reason);
		expect(done.value.unplaced).toEqual([
			{ line: 3, place: 'ゆめみの集会所(架空)', reason: 'unknown_city', city: 'ゆめみ市' },
			{ line: 4, place: '県だけの集会所(架空)', reason: 'no_city', city: null }
		]);
		// As stored: the ward's place has its point, the other two none.
		const points = (await admin.query(`select l.name, l.lat is not null as placed from locations l join organizations o on o.id = l.organization_id where o.name = '地図の試験の会(架空)' order by l.name`)).rows;
		expect(points).toEqual([
			{ name: 'ゆめみの集会所(架空)', placed: false },
			{ name: '県だけの集会所(架空)', placed: false },
			{ name: '西区の集会所(架空)', placed: true }
		]);
		expect((await pendingImport(region, { id }))?.result?.unplaced).toEqual(done.value.unplaced);
	});

	it('names a place once, on the row that first names it, and not on a row that is skipped', async () => {
		const [first] = salonRows();
		const org = first[0].replace('(架空)', '(架空・地図)');
		// The same place (ゆめみ市, which no registry knows) for two programs, then a bad row naming another.
		const rows = [
			[org, 'ちずのサロン1(架空)', ...first.slice(2)],
			[org, 'ちずのサロン2(架空)', ...first.slice(2)],
			[org, '', 'べつの集会所(架空)', ...first.slice(3)]
		];
		const id = await upload(region, await salonWorkbook(rows));
		const preview = await previewImport(region, { id });
		if (!preview.ok) throw new Error(preview.reason);
		const warned = preview.value.plan.rows.map((r) => r.warnings.filter((w) => w.key.startsWith('imports.warning.unplaced')).length);
		expect(warned).toEqual([1, 0, 0]);
	});
});

describe('one transaction', () => {
	it('rolls every row back when one write fails inside the confirmation', async () => {
		const rows = salonRows().map((r, i) => [r[0].replace('(架空)', '(架空・別)'), r[1].replace('(架空)', `(架空・別${i})`), ...r.slice(2)]);
		const id = await upload(region, await salonWorkbook(rows));
		// A constraint the preview does not know: the 30th program's title is refused by the database.
		await admin.query(`create function refuse_title() returns trigger language plpgsql as $$ begin if new.title like 'ふれあいサロンゆめみ30(架空・別%' then raise exception 'refused for the test'; end if; return new; end $$`);
		await admin.query(`create trigger refuse_title before insert on programs for each row execute function refuse_title()`);
		try {
			const before = await count(`select count(*) as n from programs`);
			const orgs = await count(`select count(*) as n from organizations`);
			await expect(confirmImport(region, { id })).rejects.toThrow();
			expect(await count(`select count(*) as n from programs`)).toBe(before);
			expect(await count(`select count(*) as n from organizations`)).toBe(orgs);
			expect(await count(`select count(*) as n from spreadsheet_imports where id = $1 and confirmed_at is null`, [id])).toBe(1);
		} finally {
			await admin.query(`drop trigger refuse_title on programs; drop function refuse_title()`);
		}
	});
});

describe('who may import what', () => {
	it('lets an organisation import its own programs only, refusing other organisations’ rows and region-wide kinds', async () => {
		const own = (await admin.query(`select name from organizations where id = $1`, [cast.orgA])).rows[0].name as string;
		const rows = [
			[own, 'A団体の新しいサロン(架空)', '', '', '', '', '毎週水曜 14時から16時', '', '', '', ''],
			['ゆめみ市ひだまり地区社協(架空)', '乗っ取りサロン(架空)', '', '', '', '', '', '', '', '', '']
		];
		const id = await upload(orgStaff, await salonWorkbook(rows));
		const preview = await previewImport(orgStaff, { id });
		if (!preview.ok) throw new Error(preview.reason);
		expect(preview.value.plan.rows.map((r) => r.errors.map((e) => e.key))).toEqual([[], ['imports.error.otherOrganization']]);
		const done = await confirmImport(orgStaff, { id });
		expect(done.ok && done.value.counts.program.create).toBe(1);
		expect(await count(`select count(*) as n from programs where organization_id = $1 and title = 'A団体の新しいサロン(架空)'`, [cast.orgA])).toBe(1);
		expect(await count(`select count(*) as n from programs where title = '乗っ取りサロン(架空)'`)).toBe(0);
		expect(await startImport(orgStaff, { kind: 'organizations', fileName: 'a.xlsx', bytes: await salonWorkbook(rows) })).toEqual({ ok: false, reason: 'kind' });
	});

	it('keeps a pending import its author’s: another person, another organisation and the secretariat cannot see or confirm it', async () => {
		const id = await upload(orgStaff, await salonWorkbook(salonRows().slice(0, 2)));
		const colleague = organizationScopeOf(cast.people.org_admin.userId, cast.orgA, 'org_admin', 'directory.edit');
		const other = organizationScopeOf(cast.people.adminB.userId, cast.orgB, 'org_admin', 'directory.edit');
		for (const scope of [colleague, other, region]) {
			expect(await pendingImport(scope, { id })).toBeNull();
			expect(await previewImport(scope, { id })).toEqual({ ok: false, reason: 'not_found' });
			expect(await confirmImport(scope, { id })).toEqual({ ok: false, reason: 'not_found' });
			expect((await chooseMapping(scope, { id, columns: [], defaultForm: 'gathering' })).ok).toBe(false);
		}
		expect(await count(`select count(*) as n from spreadsheet_imports where id = $1 and confirmed_at is null`, [id])).toBe(1);
	});

	it('sends the secretariat at an organisation’s page to the region-wide import', async () => {
		const asSecretariat = requireOrganization(requestOf(actorWith(cast.people.secretariat.userId, [{ organizationId: cast.secretariatOrg, role: 'secretariat_admin' }]), cast.orgA), 'directory.edit');
		expect(await startImport(asSecretariat, { kind: 'programs', fileName: 'a.xlsx', bytes: await salonWorkbook() })).toEqual({ ok: false, reason: 'not_member' });
	});
});

describe('the files it reads', () => {
	const mapped = async (bytes: Uint8Array, fileName: string) => {
		const id = await upload(region, bytes, fileName);
		const pending = await pendingImport(region, { id });
		return pending!;
	};

	it('reads CSV in UTF-8 with or without a BOM, and in Shift_JIS', async () => {
		const text = salonCsv(salonRows().slice(0, 3));
		for (const bytes of [new TextEncoder().encode(text), new TextEncoder().encode('\uFEFF' + text), new Uint8Array(iconv.encode(text, 'cp932'))]) {
			const pending = await mapped(bytes, 'サロン一覧.csv');
			expect(pending.header).toEqual(SALON_HEADER);
			expect(pending.sample[0].cells[1]).toBe('ふれあいサロンゆめみ1(架空)');
		}
	});

	it('refuses other files, empty ones and too large ones, with a reason', async () => {
		const xlsx = await salonWorkbook();
		const refusal = async (bytes: Uint8Array, fileName: string) => {
			const r = await startImport(region, { kind: 'programs', fileName, bytes });
			return r.ok ? 'ok' : r.reason;
		};
		expect(await refusal(xlsx, 'サロン一覧.pdf')).toBe('not_spreadsheet');
		expect(await refusal(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0, 0]), 'old.xls')).toBe('old_excel');
		expect(await refusal(new TextEncoder().encode('団体名,サロン名\n'), 'a.csv')).toBe('no_rows');
		expect(await refusal(new Uint8Array(0), 'a.csv')).toBe('empty');
		expect(await refusal(new Uint8Array(1024 * 1024), 'a.csv')).toBe('too_large');
		expect(await refusal(new TextEncoder().encode('not a zip'), 'a.xlsx')).toBe('unreadable');
		expect(await refusal(xlsx, 'renamed.csv')).toBe('unreadable');
		expect(await refusal(new TextEncoder().encode(`団体名\n${'x\n'.repeat(2001)}`), 'a.csv')).toBe('too_many_rows');
	});
});
