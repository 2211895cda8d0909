/**
 * A 50-row サロン一覧 as a secretariat keeps it in Excel, made with exceljs for the import tests:
 * five fictional organisations in a fictional town (ゆめみ市, 静岡県), ten fictional サロン each, with
 * three bad rows (no サロン名, a phone number in letters, a cost over the limit) and two rows whose
 * schedules stay words (warnings, not errors). Nothing in it is about a real organisation.
 */
import ExcelJS from 'exceljs';

export const SALON_HEADER = ['団体名', 'サロン名', '会場', '住所', '郵便番号', '電話', '日時', '対象', '内容', '参加費', 'URL'];

const ORGANIZATIONS = ['ゆめみ市ひだまり地区社協(架空)', 'NPO法人そよかぜ広場(架空)', 'ゆめみ市わかば自治会(架空)', 'こもれび会(架空)', 'ゆめみ市ほしぞら地区社協(架空)'];
const SCHEDULES = ['毎月第2火曜 10時〜12時', '第1・第3土曜日 10:00-13:00', '毎週水曜 14時から16時', '毎月15日 13時〜15時', '毎月最終金曜日 13:30〜15:30'];
const TARGETS = ['高齢者', 'どなたでも', '子育て中の保護者、乳幼児の親子', '一人暮らしの人', '高齢層(65歳〜)'];
const COSTS = ['無料', '100円', '200円 お茶代', 'カンパ制', '300円'];

/** The bad rows' sheet lines (the header is line 1) and the column each error names. */
export const BAD_ROWS = [
	{ line: 8, column: 'サロン名' },
	{ line: 20, column: '電話' },
	{ line: 33, column: '参加費' }
];
/** Rows whose 日時 stays words (a warning, imported). */
export const WORDS_ROWS = [
	{ line: 12, text: '月1回程度(日程は会場に掲示)' },
	{ line: 27, text: '隔週木曜 10時〜11時半' }
];

export function salonRows(): string[][] {
	const rows: string[][] = [];
	for (let i = 0; i < 50; i++) {
		const line = i + 2;
		const n = i + 1;
		const org = ORGANIZATIONS[i % 5];
		const place = `ひだまり集会所${(i % 7) + 1}号館(架空)`;
		const words = WORDS_ROWS.find((w) => w.line === line);
		rows.push([
			org,
			line === 8 ? '' : `ふれあいサロンゆめみ${n}(架空)`,
			place,
			`静岡県ゆめみ市ひだまり町${(i % 7) + 1}-${(i % 3) + 1}`,
			`000-00${String((i % 7) + 1).padStart(2, '0')}`,
			line === 20 ? '054-ABC-DEFG' : `054-000-${String(1000 + i)}`,
			words ? words.text : SCHEDULES[i % 5],
			TARGETS[i % 5],
			`体操とお茶のひととき(架空のサロン${n})`,
			line === 33 ? '2000000円' : COSTS[i % 5],
			`https://example.org/salon/${n}`
		]);
	}
	return rows;
}

/** The list as an .xlsx file's bytes. */
export async function salonWorkbook(rows = salonRows()): Promise<Uint8Array> {
	const workbook = new ExcelJS.Workbook();
	const sheet = workbook.addWorksheet('サロン一覧');
	sheet.addRow(SALON_HEADER);
	for (const r of rows) sheet.addRow(r);
	return new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
}

/** The list as CSV text (RFC 4180). */
export function salonCsv(rows = salonRows()): string {
	const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
	return [SALON_HEADER, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

const time = (h: number, m = 0) => new Date(Date.UTC(1899, 11, 30, h, m));

/**
 * A council's own サロン一覧 (fictional): a merged title row and a date above the header, other headings
 * (名称・運営団体・開催日・時間・連絡先), a blank row, full-width digits, 〒, Excel time and date cells.
 */
export async function councilWorkbook(): Promise<Uint8Array> {
	const workbook = new ExcelJS.Workbook();
	const sheet = workbook.addWorksheet('サロン一覧');
	sheet.addRow(['令和8年度 ふれあい・いきいきサロン一覧(ゆめみ市社会福祉協議会・架空)']);
	sheet.mergeCells('A1:I1');
	sheet.addRow(['令和8年4月1日現在']);
	sheet.addRow([]);
	sheet.addRow(['No.', '名称', '運営団体', '会場', '所在地', '〒', '開催日', '時間', '連絡先']);
	const first = sheet.addRow([1, 'いきいきサロン１号(架空)', 'ひだまり地区社協(架空)', 'ゆめみ集会所(架空)', '静岡県ゆめみ市ひだまり町１丁目２番地', '〒４３０－０００１', '毎月第２火曜日', time(13, 30), '０５４－１２３－４５６７']);
	first.getCell(8).numFmt = 'h:mm';
	sheet.addRow([]);
	sheet.addRow([2, 'いきいきサロン２号(架空)', 'わかば自治会(架空)', 'ゆめみ公民館(架空)', '静岡県ゆめみ市わかば町1-1', '〒430-0011', '毎月第１・第３木曜日', '10:00～12:00', '054-123-9999']);
	const dated = sheet.addRow([3, '夏休み親子サロン(架空)', 'わかば自治会(架空)', 'ゆめみ公民館(架空)', '静岡県ゆめみ市わかば町1-1', '430-0011', new Date(Date.UTC(2027, 0, 20)), time(10), '054-123-9999']);
	dated.getCell(7).numFmt = 'yyyy/m/d';
	dated.getCell(8).numFmt = 'h:mm';
	return new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
}
