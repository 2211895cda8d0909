/**
 * The station list (issue 15): loaded by `npm run stations:load` from a 国土数値情報 N02 file
 * (fictional test stations, tests/fixtures/stations), replaced whole or not at all, public to
 * read and written only by the platform; and 「○○駅」 in the finder placed at the station.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../../../tests/helpers/db';
import type { Database } from '../../db';
import { searchPrograms, stationInWords } from '../finder/index';
import { finderQuery } from '../finder-query';
import { programs } from '../schema';
import { findStation } from './index';
import { N02_SOURCE } from './n02';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../../../..');
const fixtures = path.join(root, 'tests/fixtures/stations');
const tsx = path.join(root, 'node_modules/.bin/tsx');
let database: Database;
let scratch: string;
const slugById = new Map<string, string>();
const friday = { now: new Date('2026-12-04T01:00:00Z'), today: '2026-12-04' };

beforeAll(async () => {
	database = await testDatabase();
	scratch = mkdtempSync(path.join(tmpdir(), 'tsunagu-stations-'));
	for (const row of await database.db.select({ id: programs.id, slug: programs.slug }).from(programs)) slugById.set(row.id, row.slug);
});
afterAll(async () => {
	rmSync(scratch, { recursive: true, force: true });
	await database?.close();
});

/** `npm run stations:load -- <file>` against this test's database: exit code and output. */
async function load(file: string): Promise<{ code: number; out: string }> {
	try {
		const { stdout, stderr } = await run(tsx, ['scripts/stations-load.ts', file], { cwd: root, env: { ...process.env, DATABASE_URL: database.adminUrl, DATABASE_APP_URL: '' }, timeout: 60_000 });
		return { code: 0, out: stdout + stderr };
	} catch (e) {
		const failed = e as { code?: number; stdout?: string; stderr?: string };
		return { code: failed.code ?? -1, out: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
	}
}

const rows = async () =>
	(
		await database.db.execute<{ name: string; line_names: string[]; municipality_code: string | null; lat: number; lng: number; source: string; attribution: string; loaded_at: string }>(
			sql`select name, line_names, municipality_code, lat, lng, source, attribution, loaded_at::text from stations order by name, lat`
		)
	).rows;
const search = async (params: Record<string, string>) => searchPrograms(database.db, finderQuery.parse({ per_page: '100', ...params }), friday);

describe('before any station list is loaded', () => {
	it('a station name cannot be placed, and says so', async () => {
		expect(await findStation(database.db, 'つなぐテスト駅')).toEqual({ kind: 'not_loaded' });
		const r = await search({ near: 'つなぐテスト駅' });
		expect(r.origin).toBeNull();
		expect(r.unknownPlace).toBe('つなぐテスト駅');
	});
	it('a station’s name among the words stays a word, unless it is a 市区町村’s name with 駅 (the place field then says what it can do)', async () => {
		expect(await stationInWords(database.db, 'こども食堂 つなぐテスト駅')).toBeNull();
		// 「こども食堂 新宿駅」 found nothing with 新宿駅 as a word and listed kitchens far away under 『新宿駅』を含まない結果;
		// as the place it is met with 「駅名での検索にはまだ対応していない…」 and the offer of 東京都新宿区.
		expect(await stationInWords(database.db, 'こども食堂 新宿駅')).toEqual({ q: 'こども食堂', near: '新宿駅' });
		expect(await stationInWords(database.db, '道の駅 こども食堂')).toBeNull();
	});
});

describe('npm run stations:load', () => {
	it('loads a station file, saying what it loaded', async () => {
		const { code, out } = await load(path.join(fixtures, 'n02-fictional.geojson'));
		expect(out).toContain('loaded 3 stations (4 station features of 3 lines by 3 operators) from n02-fictional.geojson');
		expect(code).toBe(0);
		const loaded = await rows();
		expect(loaded.map((r) => r.name)).toEqual(['つなぐテスト', 'つなぐ二か所テスト', 'つなぐ二か所テスト']);
		expect(loaded[0]).toMatchObject({ line_names: ['つなぐテスト線', 'つなぐテスト地下鉄線'], source: 'n02-fictional.geojson', attribution: N02_SOURCE.attribution });
		// The nearest municipality office: 豊島区, 広島県府中市, 東京都府中市.
		expect(loaded.map((r) => r.municipality_code)).toEqual(['131164', '342084', '132063']);
	});

	it('refuses a file that is not a station list, and changes nothing', async () => {
		const before = await rows();
		const wrong = await load(path.join(fixtures, 'n02-sections-not-stations.geojson'));
		expect(wrong.code).toBe(1);
		expect(wrong.out).toMatch(/n02-sections-not-stations\.geojson: 1 of 1 features cannot be read \(feature 1: no station name \(N02_005\)\).*Nothing was changed\./s);
		const missing = await load(path.join(scratch, 'no-such-file.geojson'));
		expect(missing.code).toBe(1);
		expect(missing.out).toMatch(/cannot read/);
		expect(await rows()).toEqual(before);
	});

	it('replaces the previous list whole', async () => {
		const doc = JSON.parse(readFileSync(path.join(fixtures, 'n02-fictional.geojson'), 'utf8')) as { features: Array<{ properties: { N02_005: string } }> };
		const smaller = path.join(scratch, 'n02-smaller.geojson');
		writeFileSync(smaller, JSON.stringify({ ...doc, features: doc.features.filter((f) => f.properties.N02_005 === 'つなぐテスト') }));
		const { code, out } = await load(smaller);
		expect(code).toBe(0);
		expect(out).toContain('the previous list (3 stations) was replaced');
		expect((await rows()).map((r) => [r.name, r.source])).toEqual([['つなぐテスト', 'n02-smaller.geojson']]);
		expect((await load(path.join(fixtures, 'n02-fictional.geojson'))).code).toBe(0);
		expect(await rows()).toHaveLength(3);
	});

	it('is public to read and written only by the platform', async () => {
		// The app's pool with no access context (a resident's request): reads, cannot write.
		expect((await database.db.execute(sql`select 1 from stations`)).rows).toHaveLength(3);
		await expect(database.db.execute(sql`insert into stations (name, name_key, line_names, operator_names, lat, lng, source, licence, attribution) values ('x', 'x', '{}', '{}', 35, 139, 'x', 'x', 'x')`)).rejects.toMatchObject({ cause: { message: expect.stringMatching(/row-level security/) } });
		expect((await database.db.execute(sql`delete from stations`)).rowCount).toBe(0);
		expect(await rows()).toHaveLength(3);
	});
});

describe('「○○駅」 in the finder', () => {
	it('places a station’s name at the station, nearest first, with the source to credit', async () => {
		const r = await search({ near: 'つなぐテスト駅', radius: '5' });
		expect(r.origin).toMatchObject({ label: 'つなぐテスト駅', kind: 'station', attribution: N02_SOURCE.attribution });
		expect(r.origin!.lat).toBeCloseTo(35.72725, 5);
		expect(r.unknownPlace).toBeNull();
		expect(r.order).toBe('distance');
		// The demo's 豊島区 programs are a few hundred metres away; nothing beyond 5 km, and no
		// program is in range merely for being in 豊島区 (a station has no inside).
		expect(slugById.get(r.items[0].id)).toMatch(/^s001-sankakusha-/);
		expect(r.items.every((i) => i.distanceKm !== null && i.distanceKm <= 5)).toBe(true);
		const distances = r.items.map((i) => i.distanceKm!);
		expect(distances).toEqual([...distances].sort((a, b) => a - b));
	});

	it('reads the name as typed: width, spaces, a prefecture before or after', async () => {
		for (const near of ['つなぐテスト駅 ', 'ツナグテスト駅', '東京都つなぐテスト駅', 'つなぐテスト駅 豊島区']) expect((await search({ near })).origin?.label, near).toBe('つなぐテスト駅');
	});

	it('a name at several places: not guessed, each offered as a link that names it alone', async () => {
		const r = await search({ near: 'つなぐ二か所テスト駅' });
		expect(r.origin).toBeNull();
		expect(r.unknownPlace).toBe('つなぐ二か所テスト駅');
		const lookup = await findStation(database.db, 'つなぐ二か所テスト駅');
		expect(lookup).toEqual({
			kind: 'ambiguous',
			choices: [
				{ near: 'つなぐ二か所テスト駅 東京都府中市', label: 'つなぐ二か所テスト駅(東京都府中市付近・つなぐテスト線)' },
				{ near: 'つなぐ二か所テスト駅 広島県府中市', label: 'つなぐ二か所テスト駅(広島県府中市付近・つなぐ備後テスト線)' }
			]
		});
		for (const choice of lookup!.kind === 'ambiguous' ? lookup!.choices : []) expect((await search({ near: choice.near })).origin?.label, choice.near).toBe(choice.label.replace(/・.*\)$/, ')'));
	});

	it('a place or line named with it says which', async () => {
		const tokyo = await search({ near: 'つなぐ二か所テスト駅 東京都' });
		expect(tokyo.origin).toMatchObject({ label: 'つなぐ二か所テスト駅(東京都府中市付近)' });
		expect(tokyo.origin!.lat).toBeCloseTo(35.671, 3);
		expect((await search({ near: '広島県/つなぐ二か所テスト駅' })).origin!.lat).toBeCloseTo(34.57, 3);
		expect((await search({ near: 'つなぐ二か所テスト駅 つなぐ備後テスト線' })).origin!.lat).toBeCloseTo(34.57, 3);
	});

	it('a station among the words (「こども食堂 つなぐテスト駅」) is the place, one of several names too (the page then offers them)', async () => {
		expect(await stationInWords(database.db, 'こども食堂 つなぐテスト駅')).toEqual({ q: 'こども食堂', near: 'つなぐテスト駅' });
		expect(await stationInWords(database.db, 'つなぐ二か所テスト駅\u3000居場所')).toEqual({ q: '居場所', near: 'つなぐ二か所テスト駅' });
		expect(await stationInWords(database.db, 'つなぐテスト駅')).toEqual({ q: undefined, near: 'つなぐテスト駅' });
		// Not a station in the list, a minus word, or two stations: the words stay words.
		for (const q of ['こども食堂 みつからないテスト駅', 'こども食堂 -つなぐテスト駅', 'つなぐテスト駅 つなぐ二か所テスト駅', 'こども食堂', undefined]) expect(await stationInWords(database.db, q), String(q)).toBeNull();
	});

	it('only a word ending in 駅 is a station; a name not in the list is not placed', async () => {
		expect((await search({ near: 'つなぐテスト' })).origin).toBeNull();
		expect(await findStation(database.db, 'つなぐテスト')).toBeNull();
		expect(await findStation(database.db, 'みつからないテスト駅')).toEqual({ kind: 'unknown' });
	});
});
