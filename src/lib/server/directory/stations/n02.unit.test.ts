/** Reading 国土数値情報 N02 station files (fictional test data in tests/fixtures/stations). */
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeN02, middleOf, readN02 } from './n02';
import { stationNameKey } from './name';
import { stationWords } from './find';

const fixture = (name: string) => readFileSync(new URL(`../../../../../tests/fixtures/stations/${name}`, import.meta.url));

describe('readN02', () => {
	it('makes one entry per station: lines of one name within 500 m together, one name far apart twice', () => {
		const read = readN02(decodeN02(fixture('n02-fictional.geojson')));
		if (!read.ok) throw new Error(read.reason);
		expect(read.features).toBe(4);
		expect(read.lines).toBe(3);
		const byName = (n: string) => read.stations.filter((s) => s.name === n);
		const [test] = byName('つなぐテスト');
		expect(byName('つなぐテスト')).toHaveLength(1);
		expect(test.lineNames).toEqual(['つなぐテスト線', 'つなぐテスト地下鉄線']);
		expect(test.operatorNames).toEqual(['つなぐテスト鉄道', 'つなぐテスト地下鉄']);
		// The average of the two platforms' middles.
		expect(test.lat).toBeCloseTo(35.72725, 5);
		expect(test.lng).toBeCloseTo(139.7175, 5);
		const two = byName('つなぐ二か所テスト');
		expect(two.map((s) => s.groupCode).sort()).toEqual(['990011', '990021']);
		expect(two.find((s) => s.groupCode === '990021')).toMatchObject({ stationCodes: ['990021'], lat: 34.57 });
		expect(two.find((s) => s.groupCode === '990021')!.lng).toBeCloseTo(133.24, 5);
	});

	it('refuses what is not a station file, saying why', () => {
		const sections = readN02(decodeN02(fixture('n02-sections-not-stations.geojson')));
		expect(sections).toMatchObject({ ok: false });
		expect(!sections.ok && sections.reason).toMatch(/N02_005.*station file/s);
		expect(readN02('not json')).toMatchObject({ ok: false, reason: expect.stringMatching(/not JSON/) });
		expect(readN02('{"type":"Feature"}')).toMatchObject({ ok: false, reason: expect.stringMatching(/FeatureCollection/) });
		expect(readN02('{"type":"FeatureCollection","features":[]}')).toMatchObject({ ok: false, reason: expect.stringMatching(/no stations/) });
		// Latitude and longitude swapped: not in Japan.
		const swapped = {
			type: 'FeatureCollection',
			features: [
				{
					type: 'Feature',
					properties: { N02_003: '線', N02_004: '鉄道', N02_005: '駅名' },
					geometry: {
						type: 'LineString',
						coordinates: [
							[35.7, 139.7],
							[35.71, 139.7]
						]
					}
				}
			]
		};
		expect(readN02(JSON.stringify(swapped))).toMatchObject({ ok: false, reason: expect.stringMatching(/not in Japan/) });
	});

	it('reads a Shift_JIS file as well as UTF-8', () => {
		const text = fixture('n02-fictional.geojson').toString('utf8');
		const read = readN02(decodeN02(new Uint8Array(iconv.encode(text, 'cp932'))));
		expect(read.ok && read.stations.map((s) => s.name)).toContain('つなぐテスト');
	});

	it('takes the middle of a platform along its length', () => {
		expect(
			middleOf([
				[
					[139, 35],
					[139.002, 35]
				]
			])
		).toEqual([139.001, 35]);
		expect(middleOf([[[139, 35]]])).toEqual([139, 35]);
		const [lng] = middleOf([
			[
				[139, 35],
				[139.001, 35]
			],
			[
				[139.001, 35],
				[139.003, 35]
			]
		]);
		expect(lng).toBeCloseTo(139.0015, 6);
	});
});

describe('station names as typed', () => {
	it('folds width, kana, ヶ/ケ and a bracketed part', () => {
		expect(stationNameKey('霞ヶ関')).toBe(stationNameKey('霞ケ関'));
		expect(stationNameKey('御茶ノ水')).toBe(stationNameKey('御茶の水'));
		expect(stationNameKey('押上〈スカイツリー前〉')).toBe(stationNameKey('押上'));
		expect(stationNameKey('ＪＲ 難波')).toBe(stationNameKey('JR難波'));
	});
	it('reads the station word and the words beside it; none without a word ending in 駅', () => {
		expect(stationWords('府中駅 東京都')).toEqual({ station: '府中駅', prefecture: null, qualifiers: ['東京都'] });
		expect(stationWords('東京都/府中駅')).toEqual({ station: '府中駅', prefecture: null, qualifiers: ['東京都'] });
		expect(stationWords('東京都府中駅')).toEqual({ station: '府中駅', prefecture: '東京都', qualifiers: [] });
		expect(stationWords('府中')).toBeNull();
		expect(stationWords('駅前')).toBeNull();
		expect(stationWords('駅')).toBeNull();
	});
});
