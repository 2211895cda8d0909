/**
 * The uploaded file as rows of cell text: .xlsx through exceljs (its first sheet with anything on
 * it), .csv through csv-parse in UTF-8 (with or without a BOM) or, when the bytes are not valid
 * UTF-8, Shift_JIS as Windows writes it (CP932, through iconv-lite) — what Excel saves as 「CSV」 in
 * Japan. Anything else, and anything too large, is refused with a reason the page puts in words.
 */
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { ok, refused, type Result } from '../scope';

/** A file's own limit, in bytes. */
export const MAX_FILE_BYTES = 900 * 1024;
/**
 * The whole upload form's limit: the file, its multipart headers (a long file name) and the kind.
 * It stays below the server's body limit (1 MiB by default, scripts/serve.ts), so the form's own
 * check answers a larger upload with the message in words before the server's bare 413 would.
 */
export const MAX_UPLOAD_BYTES = MAX_FILE_BYTES + 16 * 1024;
export const MAX_ROWS = 2000;
export const MAX_COLUMNS = 40;
export const MAX_CELL = 3000;

export type ReadRefusal = 'empty' | 'too_large' | 'old_excel' | 'not_spreadsheet' | 'unreadable' | 'no_rows' | 'too_many_rows' | 'too_many_columns';

export interface SheetRow {
	/** The row's number in the sheet (1 = the header's row when the header is at the top). */
	line: number;
	cells: string[];
}

export interface Sheet {
	header: string[];
	/** The header's row in the sheet: below 1 when a title (and blank rows) stand above it. */
	headerLine: number;
	rows: SheetRow[];
	encoding: 'xlsx' | 'utf-8' | 'shift_jis';
}

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0];
const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

// Control characters other than line breaks would be refused at the app's boundary later.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f]/g;

function tidy(text: string): string {
	return text.replace(/\r\n?/g, '\n').replace(CONTROLS, '').trim().slice(0, MAX_CELL);
}

/**
 * An Excel date or time cell as a person reads it. Excel keeps both as days since 1899-12-30 and
 * exceljs hands them over as that instant in UTC: a time alone (13:30 typed in a 時間 column) is a
 * moment of 1899-12-30 and reads as 「13:30」, a day as 「2027-01-20」, a day with a time as both.
 */
function dateCellText(d: Date): string {
	const iso = d.toISOString();
	const time = iso.slice(11, 16);
	if (d.getUTCFullYear() < 1900) return time;
	return time === '00:00' ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${time}`;
}

/** A cell's value as the person sees it (formulas by their result, links by their text, dates as days). */
function cellText(value: ExcelJS.CellValue): string {
	if (value === null || value === undefined) return '';
	if (value instanceof Date) return dateCellText(value);
	if (typeof value === 'object') {
		if ('richText' in value) return value.richText.map((r) => r.text).join('');
		if ('formula' in value || 'sharedFormula' in value) return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
		if ('hyperlink' in value) return String((value as ExcelJS.CellHyperlinkValue).text ?? (value as ExcelJS.CellHyperlinkValue).hyperlink);
		if ('error' in value) return '';
		return '';
	}
	return String(value);
}

async function xlsxCells(bytes: Uint8Array): Promise<Array<{ line: number; cells: string[] }> | null> {
	const workbook = new ExcelJS.Workbook();
	try {
		await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
	} catch {
		return null;
	}
	const sheet = workbook.worksheets.find((w) => w.actualRowCount > 0);
	if (!sheet) return [];
	const out: Array<{ line: number; cells: string[] }> = [];
	const width = Math.min(sheet.columnCount, MAX_COLUMNS + 1);
	sheet.eachRow({ includeEmpty: false }, (row, line) => {
		if (out.length > MAX_ROWS + 1) return;
		out.push({ line, cells: Array.from({ length: width }, (_, i) => tidy(cellText(row.getCell(i + 1).value))) });
	});
	return out;
}

function decodeText(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'shift_jis' } {
	const body = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? bytes.subarray(3) : bytes;
	try {
		return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8' };
	} catch {
		return { text: iconv.decode(Buffer.from(body), 'cp932'), encoding: 'shift_jis' };
	}
}

function csvCells(text: string): Array<{ line: number; cells: string[] }> | null {
	try {
		const records = parse(text, { relax_column_count: true, skip_empty_lines: false, info: true, bom: true, to: MAX_ROWS + 2 }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
		// Our own export (and the audit CSV) guard formula-like cells with an apostrophe: take it off.
		return records.map(({ record, info }) => ({ line: info.lines, cells: record.map((c) => tidy(c).replace(/^'(?=[=+\-@])/, '')) }));
	} catch {
		return null;
	}
}

/** How far down a title, a date and notes may push the header. */
const HEADER_SEARCH = 10;

export interface ReadOptions {
	/** How much a row looks like a header (known column titles in it); the best of the first rows is the header. */
	headerScore?: (cells: readonly string[]) => number;
}

/**
 * The header among the first filled rows: the one that names most known columns (at least two),
 * the earliest on a tie, so a title row 「令和8年度 サロン一覧」 and a 「4月1日現在」 above it are
 * passed over. Without such a row, the first filled row.
 */
function headerIndex(filled: Array<{ cells: string[] }>, score: ReadOptions['headerScore']): number {
	if (!score) return 0;
	let best = 0;
	let bestScore = 1;
	for (let i = 0; i < Math.min(filled.length - 1, HEADER_SEARCH); i++) {
		const s = score(filled[i].cells);
		if (s > bestScore) [best, bestScore] = [i, s];
	}
	return best;
}

/** Read an uploaded spreadsheet: the header row (found under any title rows), and the rows below it. */
export async function readSpreadsheet(bytes: Uint8Array, fileName: string, options: ReadOptions = {}): Promise<Result<Sheet, ReadRefusal>> {
	if (bytes.length === 0) return refused('empty');
	if (bytes.length > MAX_FILE_BYTES) return refused('too_large');
	const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
	let lines: Array<{ line: number; cells: string[] }> | null;
	let encoding: Sheet['encoding'];
	if (startsWith(bytes, OLE) || extension === 'xls') return refused('old_excel');
	if (extension === 'xlsx') {
		if (!startsWith(bytes, ZIP)) return refused('unreadable');
		lines = await xlsxCells(bytes);
		encoding = 'xlsx';
	} else if (extension === 'csv') {
		// A CSV is text: a NUL or a zip inside is another kind of file renamed.
		if (bytes.includes(0) || startsWith(bytes, ZIP)) return refused('unreadable');
		const decoded = decodeText(bytes);
		lines = csvCells(decoded.text);
		encoding = decoded.encoding;
	} else return refused('not_spreadsheet');
	if (lines === null) return refused('unreadable');
	const all = lines.filter((l) => l.cells.some((c) => c !== ''));
	const filled = all.slice(headerIndex(all, options.headerScore));
	if (filled.length < 2) return refused('no_rows');
	const [head, ...rows] = filled;
	const width = Math.max(...filled.map((l) => l.cells.length));
	if (width > MAX_COLUMNS) return refused('too_many_columns');
	if (rows.length > MAX_ROWS) return refused('too_many_rows');
	// Columns no row uses at the right are dropped; every row is as wide as the header.
	let used = width;
	while (used > 0 && filled.every((l) => !l.cells[used - 1])) used--;
	const pad = (cells: string[]) => Array.from({ length: used }, (_, i) => cells[i] ?? '');
	return ok({ header: pad(head.cells), headerLine: head.line, rows: rows.map((r) => ({ line: r.line, cells: pad(r.cells) })), encoding });
}
