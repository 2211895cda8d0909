import { describe, expect, it } from 'vitest';
import { guessMapping, missingFields, readMapping } from './columns';
import { splitAddress } from '../directory';

describe('guessMapping: the columns from Japanese headings', () => {
	it('reads a サロン一覧 as secretariats write it', () => {
		expect(guessMapping('programs', ['団体名', 'サロン名', '会場', '住所', '郵便番号', '電話', '日時', '対象', '内容', '参加費', 'URL'])).toEqual(['organizationName', 'title', 'placeName', 'address', 'postalCode', 'phone', 'schedule', 'target', 'description', 'cost', 'url']);
	});

	it('reads other spellings, full-width letters and headings that only contain a known name', () => {
		expect(guessMapping('programs', ['No.', '名称', '開催場所', '所在地', '〒', 'ＴＥＬ', '開催日', '対象者', '活動内容', '費用', 'ホームページ', '備考欄'])).toEqual(['', 'title', 'placeName', 'address', 'postalCode', 'phone', 'schedule', 'target', 'description', 'cost', 'url', '']);
		expect(guessMapping('programs', ['サロンの名称', '場所', '開催日時(曜日・時間)'])).toEqual(['title', 'placeName', 'schedule']);
	});

	it('gives a field to its first column only, and only fields of the kind', () => {
		expect(guessMapping('programs', ['名称', 'サロン名'])).toEqual(['title', '']);
		expect(guessMapping('places', ['団体名', '会場名', '住所', '日時'])).toEqual(['organizationName', 'placeName', 'address', '']);
		expect(guessMapping('organizations', ['団体名', 'ふりがな', '法人格', 'ホームページ'])).toEqual(['organizationName', 'nameKana', 'legalForm', 'url']);
	});

	it('checks a chosen mapping and names what is missing', () => {
		expect(readMapping('programs', 3, ['title', 'title', 'nonsense'])).toEqual(['title', '', '']);
		expect(missingFields('programs', ['title'], true)).toEqual(['organizationName']);
		expect(missingFields('programs', ['title'], false)).toEqual([]);
		expect(missingFields('places', ['placeName'], false)).toEqual(['address']);
	});
});

describe('splitAddress', () => {
	it('cuts an address at the longest known 市区町村', () => {
		expect(splitAddress('神奈川県川崎市中原区小杉町1-2-3')).toEqual({ prefecture: '神奈川県', city: '川崎市中原区', line: '小杉町1-2-3' });
		expect(splitAddress('東京都荒川区南千住１－２')).toEqual({ prefecture: '東京都', city: '荒川区', line: '南千住1-2' });
		expect(splitAddress('群馬県北群馬郡榛東村新井1')).toMatchObject({ prefecture: '群馬県', city: '北群馬郡榛東村', line: '新井1' });
	});

	it('cuts a town the registry does not know at its first 市・区・町・村, and takes the prefecture given when the address has none', () => {
		expect(splitAddress('静岡県ゆめみ市ひだまり町1-2')).toEqual({ prefecture: '静岡県', city: 'ゆめみ市', line: 'ひだまり町1-2' });
		expect(splitAddress('荒川区南千住1-2', '東京都')).toEqual({ prefecture: '東京都', city: '荒川区', line: '南千住1-2' });
		expect(splitAddress('南千住1-2')).toEqual({ prefecture: null, city: null, line: '南千住1-2' });
	});
});
