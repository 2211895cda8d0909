/**
 * Sheets as a 社会福祉協議会 keeps them, not as our export writes them: a title row (merged across
 * the columns) and a date above the header, blank rows between districts, other headings
 * (名称・運営団体・開催日・時間・連絡先), full-width digits, 〒 in postcodes, and Excel date and time
 * cells; and the Shift_JIS CSV Excel saves from such a sheet.
 */
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { guessMapping, headerScore } from './columns';
import { readSpreadsheet } from './read-file';
import { readRow } from './rows';
import { councilWorkbook } from '../../../../tests/helpers/salons';

describe('a council’s own サロン一覧', () => {
	it('finds the header under the title rows, keeps the sheet’s line numbers, and skips blank rows', async () => {
		const read = await readSpreadsheet(await councilWorkbook(), 'サロン一覧.xlsx', { headerScore: headerScore('programs') });
		if (!read.ok) throw new Error(read.reason);
		expect(read.value.header).toEqual(['No.', '名称', '運営団体', '会場', '所在地', '〒', '開催日', '時間', '連絡先']);
		expect(read.value.headerLine).toBe(4);
		expect(read.value.rows.map((r) => r.line)).toEqual([5, 7, 8]);
	});

	it('reads Excel time cells as times and date cells as days', async () => {
		const read = await readSpreadsheet(await councilWorkbook(), 'サロン一覧.xlsx', { headerScore: headerScore('programs') });
		if (!read.ok) throw new Error(read.reason);
		expect(read.value.rows[0].cells[7]).toBe('13:30');
		expect(read.value.rows[2].cells.slice(6, 8)).toEqual(['2027-01-20', '10:00']);
	});

	it('guesses every column, 時間 included, and reads 開催日 and 時間 together into a rule', async () => {
		const read = await readSpreadsheet(await councilWorkbook(), 'サロン一覧.xlsx', { headerScore: headerScore('programs') });
		if (!read.ok) throw new Error(read.reason);
		const mapping = guessMapping('programs', read.value.header);
		expect(mapping).toEqual(['', 'title', 'organizationName', 'placeName', 'address', 'postalCode', 'schedule', 'time', 'phone']);
		const [one, two] = read.value.rows.map((r) => readRow('programs', mapping, r));
		expect(one.errors).toEqual([]);
		expect(one.program?.schedules).toEqual([expect.objectContaining({ rrule: 'FREQ=MONTHLY;BYDAY=2TU', opensAt: '13:30', closesAt: null })]);
		expect(one.program?.phone).toBe('054-123-4567');
		expect(one.place?.postalCode).toBe('430-0001');
		expect(two.program?.schedules).toEqual([expect.objectContaining({ rrule: 'FREQ=MONTHLY;BYDAY=1TH,3TH', opensAt: '10:00', closesAt: '12:00' })]);
	});

	it('finds the header of a Shift_JIS CSV with a title row and empty lines', async () => {
		const csv = ['令和8年度 子ども食堂一覧,,,,', ',,,,', '団体名,名称,会場,住所,開催日', 'ゆめみ子ども食堂の会(架空),みんなの食堂(架空),ゆめみ公民館(架空),静岡県ゆめみ市わかば町1-1,毎月第１・第３土曜日 １７時～１９時', ',,,,', ''].join('\r\n');
		const read = await readSpreadsheet(iconv.encode(csv, 'cp932'), '子ども食堂.csv', { headerScore: headerScore('programs') });
		if (!read.ok) throw new Error(read.reason);
		expect(read.value.encoding).toBe('shift_jis');
		expect(read.value.headerLine).toBe(3);
		expect(read.value.header).toEqual(['団体名', '名称', '会場', '住所', '開催日']);
		expect(read.value.rows).toEqual([{ line: 4, cells: ['ゆめみ子ども食堂の会(架空)', 'みんなの食堂(架空)', 'ゆめみ公民館(架空)', '静岡県ゆめみ市わかば町1-1', '毎月第１・第３土曜日 １７時～１９時'] }]);
	});

	it('still reads the first row as the header when no row looks like one', async () => {
		const read = await readSpreadsheet(new TextEncoder().encode('a,b\n1,2\n'), 'x.csv', { headerScore: headerScore('programs') });
		if (!read.ok) throw new Error(read.reason);
		expect(read.value.header).toEqual(['a', 'b']);
		expect(read.value.headerLine).toBe(1);
	});
});
