/**
 * When the bulk files are made again (issue 15: at 100,000 programs every start read the whole
 * published directory, 80–117 s of CPU, only to find it unchanged). A check with nothing changed
 * since the stored files reads nothing of the directory; every kind of change the files show — an
 * organisation, a program, a place, a program's places, a schedule, a delete, an unpublish, the
 * licence, the site's origin — still makes them again, whoever wrote it (an organisation's staff
 * too, under row-level security) and even when it was committed while an export was being made.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { testDatabase } from '../../../../tests/helpers/db';
import { countStatements } from '../../../../tests/helpers/statements';
import { inOrganizations } from '../../../../tests/helpers/contexts';
import type { Database } from '../db';
import { asSystem } from '../db/tenant';
import { exportContent, exportFile, regenerateExports } from './index';

const ORIGIN = 'https://tsunagu.test';
let database: Database;
/** Every regeneration states a later time than the one before, so a file written again has new bytes. */
let clock = Date.now();
const later = () => new Date((clock += 60_000));

const rows = async <T>(query: ReturnType<typeof sql>) => (await asSystem(database.db, (tx) => tx.execute(query))).rows as T[];
const jsonText = async () => (await exportContent(database.db, 'hsds.json'))!.toString('utf8');
const zipBytes = async () => (await exportContent(database.db, 'hsds-tabular.zip'))!;

/** The tables the files are made from: a statement naming one of them read the directory. */
const DIRECTORY = /\b(organizations|programs|locations|program_locations|program_partners|schedules)\b/;

/** A regeneration, and whether it read the directory. */
async function regenerate(origin = ORIGIN, build?: string) {
	const { value, texts } = await countStatements(() => regenerateExports(database, origin, later, build));
	return { written: [...value].sort(), readDirectory: texts.some((t) => DIRECTORY.test(t)), statements: texts.length };
}

const BOTH = ['hsds-tabular.zip', 'hsds.json'];

/** A published program of a published organisation with a place and a schedule (the `n`th such, by slug). */
async function program(n = 0) {
	const [p] = await rows<{ id: string; organization_id: string; location_id: string; schedule_id: string }>(sql`
		select p.id, p.organization_id, pl.location_id, s.id as schedule_id
		from programs p join organizations o on o.id = p.organization_id
		join program_locations pl on pl.program_id = p.id join schedules s on s.program_id = p.id
		where p.published and o.published order by p.slug, pl.position, s.position offset ${n} limit 1`);
	return p;
}

beforeAll(async () => {
	database = await testDatabase();
	expect((await regenerate()).written).toEqual(BOTH);
}, 120_000);

afterAll(async () => {
	await database?.close();
});

describe('a check with nothing changed', () => {
	it('reads nothing of the directory and writes nothing', async () => {
		const before = await exportFile(database.db, 'hsds.json');
		const check = await regenerate();
		expect(check.written).toEqual([]);
		expect(check.readDirectory).toBe(false);
		expect(check.statements).toBeLessThanOrEqual(10);
		expect(await exportFile(database.db, 'hsds.json')).toEqual(before);
	});

	it('a new build of the app reads the directory once to compare (nothing written when the bytes are the same), then not again', async () => {
		const first = await regenerate(ORIGIN, 'build-2');
		expect(first).toMatchObject({ written: [], readDirectory: true });
		expect(await regenerate(ORIGIN, 'build-2')).toMatchObject({ written: [], readDirectory: false });
	});
});

describe('every kind of change makes the files again', () => {
	const cases: Array<{ kind: string; change: () => Promise<(json: string, zip: Buffer) => void> }> = [
		{
			kind: 'an organisation',
			async change() {
				const p = await program();
				await rows(sql`update organizations set description = '団体の説明を書き換え' where id = ${p.organization_id}`);
				return (json) => expect(json).toContain('団体の説明を書き換え');
			}
		},
		{
			kind: 'a program',
			async change() {
				const p = await program();
				await rows(sql`update programs set title = '取組の名前を書き換え' where id = ${p.id}`);
				return (json) => expect(json).toContain('取組の名前を書き換え');
			}
		},
		{
			kind: 'a place',
			async change() {
				const p = await program();
				await rows(sql`update locations set name = '場所の名前を書き換え' where id = ${p.location_id}`);
				return (json) => expect(json).toContain('場所の名前を書き換え');
			}
		},
		{
			kind: 'a schedule',
			async change() {
				const p = await program();
				await rows(sql`update schedules set note = '日程の注記を書き換え' where id = ${p.schedule_id}`);
				return (json) => expect(json).toContain('日程の注記を書き換え');
			}
		},
		{
			kind: 'a schedule deleted',
			async change() {
				const p = await program(1);
				await rows(sql`delete from schedules where id = ${p.schedule_id}`);
				return (json) => expect(json).not.toContain(p.schedule_id);
			}
		},
		{
			kind: "a program's place taken off",
			async change() {
				const p = await program(2);
				await rows(sql`delete from program_locations where program_id = ${p.id} and location_id = ${p.location_id}`);
				return (json) => {
					const doc = JSON.parse(json);
					const service = doc.organizations.flatMap((o: { services?: unknown[] }) => o.services ?? []).find((s: { id: string }) => s.id === p.id);
					expect(service.service_at_locations?.map((l: { location_id: string }) => l.location_id) ?? []).not.toContain(p.location_id);
				};
			}
		},
		{
			kind: 'a program unpublished',
			async change() {
				const p = await program(3);
				await rows(sql`update programs set published = false where id = ${p.id}`);
				return (json, zip) => {
					expect(json).not.toContain(p.id);
					expect(zip.includes(Buffer.from(p.id))).toBe(false);
				};
			}
		},
		{
			kind: 'a program deleted',
			async change() {
				const [p] = await rows<{ id: string }>(sql`
					select p.id from programs p join organizations o on o.id = p.organization_id
					where p.published and o.published and not exists (select 1 from occurrences x where x.program_id = p.id)
					order by p.slug desc limit 1`);
				await rows(sql`delete from programs where id = ${p.id}`);
				return (json) => expect(json).not.toContain(p.id);
			}
		},
		{
			kind: 'an organisation unpublished',
			async change() {
				const p = await program(4);
				await rows(sql`update organizations set published = false where id = ${p.organization_id}`);
				return (json) => expect(json).not.toContain(`"id":"${p.organization_id}"`);
			}
		},
		{
			kind: 'the licence',
			async change() {
				await rows(sql`insert into opendata_settings (id, licence) values (true, 'CC0-1.0') on conflict (id) do update set licence = excluded.licence`);
				return (json) => expect(JSON.parse(json).license.identifier).toBe('CC0-1.0');
			}
		}
	];

	for (const { kind, change } of cases) {
		it(
			kind,
			async () => {
				const expectations = await change();
				expect((await regenerate()).written).toEqual(BOTH);
				expectations(await jsonText(), await zipBytes());
				// Once made, the next check reads nothing again.
				expect(await regenerate()).toMatchObject({ written: [], readDirectory: false });
			},
			60_000
		);
	}

	it("an organisation's staff writing under row-level security", async () => {
		const p = await program();
		await inOrganizations(database.db, [p.organization_id], (tx) => tx.execute(sql`update programs set summary = '職員が書き換えた概要' where id = ${p.id}`));
		expect((await regenerate()).written).toEqual(BOTH);
		expect(await jsonText()).toContain('職員が書き換えた概要');
	}, 60_000);

	it('nobody but the platform can clear the record of changes', async () => {
		const p = await program();
		await inOrganizations(database.db, [p.organization_id], (tx) => tx.execute(sql`update programs set summary = '消せない変更' where id = ${p.id}`));
		const cleared = await inOrganizations(database.db, [p.organization_id], (tx) => tx.execute(sql`delete from opendata_directory_changes`));
		expect(cleared.rowCount).toBe(0);
		expect((await regenerate()).written).toEqual(BOTH);
		expect(await jsonText()).toContain('消せない変更');
	}, 60_000);

	it('the site moving to another origin', async () => {
		expect((await regenerate('https://moved.tsunagu.test')).written).toEqual(BOTH);
		expect(await jsonText()).toContain('https://moved.tsunagu.test/programs/');
		expect((await regenerate()).written).toEqual(BOTH);
	}, 60_000);

	it('a change committed while an export was being made is made by the next check', async () => {
		const [a, b] = [await program(), await program(5)];
		await rows(sql`update programs set title = '先に確定した変更' where id = ${a.id}`);
		// A writer whose transaction is open while the export reads (and commits after it took its snapshot).
		const writer = new pg.Client({ connectionString: database.adminUrl });
		await writer.connect();
		try {
			await writer.query('begin');
			await writer.query(`update programs set title = '書き込み中の変更' where id = $1`, [b.id]);
			expect((await regenerate()).written).toEqual(BOTH);
			expect(await jsonText()).toContain('先に確定した変更');
			expect(await jsonText()).not.toContain('書き込み中の変更');
			await writer.query('commit');
		} finally {
			await writer.end();
		}
		expect((await regenerate()).written).toEqual(BOTH);
		expect(await jsonText()).toContain('書き込み中の変更');
	}, 60_000);

	it('a change the files do not show (a partner) is compared once and nothing is written', async () => {
		const p = await program();
		await rows(sql`insert into program_partners (program_id, name, position) values (${p.id}, '協力団体(ファイルに出ない)', 99)`);
		expect(await regenerate()).toMatchObject({ written: [], readDirectory: true });
		expect(await regenerate()).toMatchObject({ written: [], readDirectory: false });
	}, 60_000);
});

describe("the finder's own columns of a program", () => {
	/** Written by the nightly date refresh and the finder's index: derived from what the files show, never shown themselves. */
	const DERIVED = ['areas', 'area_codes', 'weekdays', 'lat', 'lng', 'location_approximate', 'next_starts_at', 'next_ends_at', 'following_starts_at', 'search_title', 'search_tags', 'search_body', 'search_gram_ids', 'index_version'];

	it('a change to them alone is not a change of the files (the nightly date refresh costs no export)', async () => {
		const p = await program();
		await rows(sql`update programs set next_starts_at = now() + interval '3 days', next_ends_at = null, following_starts_at = null, areas = '{}', weekdays = '{}', lat = 35, lng = 139, search_title = 'x', index_version = 0 where id = ${p.id}`);
		expect(await regenerate()).toMatchObject({ written: [], readDirectory: false });
		// And the files do not show them: a new build compares and finds the same bytes.
		expect(await regenerate(ORIGIN, 'build-3')).toMatchObject({ written: [], readDirectory: true });
	}, 60_000);

	it('every other column of programs is watched (a new column must be sorted into one or the other)', async () => {
		const columns = await rows<{ name: string }>(sql`select attname as name from pg_attribute where attrelid = 'programs'::regclass and attnum > 0 and not attisdropped`);
		const watched = await rows<{ name: string }>(sql`
			select a.attname as name from pg_trigger t join pg_attribute a on a.attrelid = t.tgrelid and a.attnum = any(t.tgattr::int2[])
			where t.tgrelid = 'programs'::regclass and t.tgname = 'opendata_directory_changed'`);
		expect(watched.map((c) => c.name).sort()).toEqual(
			columns
				.map((c) => c.name)
				.filter((c) => !DERIVED.includes(c))
				.sort()
		);
	});
});
