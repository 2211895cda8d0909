/**
 * The イベント一覧 CSV: the 32 columns of the standard layout in order, UTF-8 with a BOM, dates as
 * YYYY-MM-DD, 全国地方公共団体コード as six-digit text with a valid check digit; only scheduled
 * dates of published programs; nothing guessed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { parse } from 'csv-parse/sync';
import { testDatabase } from '../../../../tests/helpers/db';
import { makeOrganization } from '../../../../tests/helpers/factories';
import { programEdit } from '../../../../tests/helpers/program';
import type { Database } from '../db';
import type { Tx } from '../scope';
import { withAccess } from '../db/tenant';
import { saveLocation, saveProgram } from '../directory/listings';
import { isValidCode } from '../directory';
import { cancelOccurrence, occurrencesOfProgram, syncOccurrences } from '../events/occurrences';
import { eventListCsv, EVENT_LIST_COLUMNS, type EventListWords } from './event-list';

let database: Database;
let org: string;
let shown: string;
let hidden: string;
const today = '2027-11-21';
const words: EventListWords = { cost: () => '無料', join: () => '予約不要', moved: '日時変更', capacity: (n, unit) => `${n}${unit === 'groups' ? '組' : '人'}`, registration: '要申込' };
const inOrg = <T>(fn: (tx: Tx<'organization'>) => Promise<T>) => withAccess(database.db, { organizationIds: [org] }, (tx) => fn(tx as Tx<'organization'>));

beforeAll(async () => {
	database = await testDatabase();
	org = await makeOrganization(database.db);
	[shown, hidden] = await inOrg(async (tx) => {
		const place = await saveLocation(tx, org, null, { name: 'みどり町公民館', prefecture: '東京都', city: '荒川区', line: '1-2-3', postalCode: null, lat: 35.736, lng: 139.783, accessibility: null, transport: '町屋駅から徒歩5分' }, today);
		const ids: string[] = [];
		for (const title of ['オープンデータ食堂', '非公開の会']) {
			const saved = await saveProgram(tx, org, null, programEdit({ title, description: '' }), [place!.id], today);
			if (!saved.ok) throw new Error('program');
			ids.push(saved.value.programId);
		}
		await tx.execute(sql`update programs set published = true where id = ${ids[0]}`);
		await syncOccurrences(tx, today, ids);
		return ids;
	});
	const [first] = await occurrencesOfProgram(database.db, shown, today, '2028-12-31');
	await inOrg((tx) => cancelOccurrence(tx, org, first.id, '点検'));
});
afterAll(() => database.close());

describe('the イベント一覧 CSV', () => {
	it('has the standard 32 columns in order, a BOM, and one row per scheduled date of published programs', async () => {
		const text = await eventListCsv(database.db, { today, origin: 'https://tsunagu.example', words });
		expect(text.startsWith('\uFEFF')).toBe(true);
		const [header, ...rows] = parse(text.slice(1), { relaxColumnCount: false }) as string[][];
		expect(header).toEqual([...EVENT_LIST_COLUMNS]);
		expect(header).toHaveLength(32);
		const col = (name: (typeof EVENT_LIST_COLUMNS)[number]) => EVENT_LIST_COLUMNS.indexOf(name);
		const mine = rows.filter((r) => r[col('主催者')] !== '' && r[col('URL')].startsWith('https://tsunagu.example/events/'));
		const scheduled = (await occurrencesOfProgram(database.db, shown, today, '2028-12-31')).filter((o) => o.status === 'scheduled');
		expect(mine.map((r) => r[col('URL')]).sort()).toEqual(scheduled.map((o) => `https://tsunagu.example/events/${o.id}`).sort());
		expect(mine.some((r) => r[col('イベント名')] === '非公開の会')).toBe(false);
		expect(rows.map((r) => Number(r[col('NO')]))).toEqual(rows.map((_, i) => i + 1));
		for (const r of mine) {
			expect(r[col('都道府県コード又は市区町村コード')]).toMatch(/^\d{6}$/);
			expect(isValidCode(r[col('都道府県コード又は市区町村コード')])).toBe(true);
			expect(r[col('開始日')]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
			expect(r[col('開始時間')]).toMatch(/^\d{2}:\d{2}$/);
			expect(r[col('都道府県名')]).toBe('東京都');
			expect(r[col('市区町村名')]).toBe('荒川区');
			expect(r[col('場所名称')]).toBe('みどり町公民館');
			expect(r[col('住所')]).toBe('東京都荒川区1-2-3');
			expect(r[col('料金(基本)')]).toBe('無料');
			// Nothing guessed: no kana or English name is held.
			expect(r[col('イベント名_カナ')]).toBe('');
			expect(r[col('イベント名_英語')]).toBe('');
		}
		expect(hidden).toBeTruthy();
	});
});
