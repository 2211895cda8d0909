/**
 * The 公共施設一覧 CSV: the 24 columns of the layout in order, UTF-8 with a BOM, 全国地方公共団体コード
 * as six-digit text with a valid check digit (the code the place was saved with, as the イベント一覧
 * uses); one row per place of a published program that has an address; nothing guessed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { testDatabase } from '../../../../tests/helpers/db';
import { makeOrganization, makePlace, makeProgram } from '../../../../tests/helpers/factories';
import type { Database } from '../db';
import { isValidCode } from '../directory';
import { facilityListCsv, FACILITY_LIST_COLUMNS, type FacilityListWords } from './facilities';

const ORIGIN = 'https://tsunagu.example';
const words: FacilityListWords = { programs: (titles) => `取組: ${titles.join('、')}`, registeredBy: (name) => `登録: ${name}` };
let database: Database;
let org: string;
let hall: string;
let area: string;
let unpublishedOnly: string;

beforeAll(async () => {
	database = await testDatabase();
	org = await makeOrganization(database.db, { name: '施設一覧テスト団体' });
	hall = await makePlace(database.db, org, { name: 'みどり町公民館', prefecture: '東京都', city: '荒川区', line: '町屋1-2-3', lat: 35.742, lng: 139.781, accessibility: '車いすで入れます', transport: '町屋駅から徒歩5分' });
	area = await makePlace(database.db, org, { name: '荒川区内', prefecture: '東京都', city: '荒川区', line: null });
	unpublishedOnly = await makePlace(database.db, org, { name: '非公開の会場', prefecture: '東京都', city: '荒川区', line: '荒川9-9-9' });
	await makeProgram(database.db, org, { edit: { title: '施設一覧食堂' }, placeIds: [hall, area] });
	await makeProgram(database.db, org, { edit: { title: '施設一覧カフェ' }, placeIds: [hall] });
	await makeProgram(database.db, org, { edit: { title: '非公開の取組' }, placeIds: [unpublishedOnly], published: false });
}, 120_000);
afterAll(() => database?.close());

describe('the 公共施設一覧 CSV', () => {
	it('has the layout’s 24 columns in order, a BOM, valid codes, and a row per published place with an address', async () => {
		const text = await facilityListCsv(database.db, { origin: ORIGIN, words });
		expect(text.startsWith('\uFEFF')).toBe(true);
		const [header, ...rows] = parse(text.slice(1), { relaxColumnCount: false }) as string[][];
		expect(header).toEqual([...FACILITY_LIST_COLUMNS]);
		expect(header).toHaveLength(24);
		const col = (name: (typeof FACILITY_LIST_COLUMNS)[number]) => FACILITY_LIST_COLUMNS.indexOf(name);
		expect(rows.length).toBeGreaterThan(1); // the demo region's places with an address, and ours
		expect(rows.map((r) => Number(r[col('NO')]))).toEqual(rows.map((_, i) => i + 1));
		for (const r of rows) {
			const code = r[col('都道府県コード又は市区町村コード')];
			if (code !== '') expect(isValidCode(code), code).toBe(true);
			expect(r[col('住所')]).not.toBe('');
		}
		const mine = rows.filter((r) => r[col('URL')] === `${ORIGIN}/organizations/${org}`);
		expect(mine.map((r) => r[col('名称')])).toEqual(['みどり町公民館']);
		const [row] = mine;
		expect(row[col('都道府県コード又は市区町村コード')]).toBe('131181'); // 荒川区, with its check digit
		expect(row[col('都道府県名')]).toBe('東京都');
		expect(row[col('市区町村名')]).toBe('荒川区');
		expect(row[col('住所')]).toBe('東京都荒川区町屋1-2-3');
		expect([row[col('緯度')], row[col('経度')]]).toEqual(['35.742', '139.781']);
		expect(row[col('バリアフリー情報')]).toBe('車いすで入れます');
		expect(row[col('説明')]).toBe('取組: 施設一覧カフェ、施設一覧食堂');
		expect(row[col('備考')]).toBe('登録: 施設一覧テスト団体');
		// Nothing guessed: no kana name, POI code, phone, corporate number, manager or opening hours is held for a place.
		for (const empty of ['名称_カナ', '名称_通称', 'POIコード', '方書', '電話番号', '内線番号', '法人番号', '団体名', '利用可能曜日', '開始時間', '終了時間', '利用可能日時特記事項'] as const) expect(row[col(empty)], empty).toBe('');
		// Rows are ordered by code; the whole demo region is there with its codes.
		const codes = rows.map((r) => r[col('都道府県コード又は市区町村コード')]);
		expect(codes).toEqual([...codes].sort());
		expect(codes.filter((c) => c !== '').length).toBeGreaterThan(0);
	});
});
