/**
 * The places of the published directory as the 自治体標準オープンデータセット「公共施設一覧」, in the
 * same older layout as our イベント一覧 (./event-list.ts): the first column 都道府県コード又は市区町村コード,
 * then NO, … 備考 — 24 columns. The layout was not in the project's offline copies; it is the
 * 推奨データセット's 公共施設一覧 as republished in NEC-FIWARE/smart-data-models
 * (cio/12_公共施設一覧/datamodels.md). The newer 2024 layout (全国地方公共団体コード, ID, 地方公共団体名 …)
 * differs; a portal that wants it can map these columns one to one.
 *
 * A row per place where a published program of a published organisation is held and whose
 * address we know (a 市区町村 and an address line): a place without one is an area (「世田谷区内」),
 * not a facility. Only facts we hold: no kana name, POI code, phone, 法人番号 or opening hours of
 * the place (those columns stay empty); the organisation that registered the place is named in
 * 備考, not as its manager (団体名), which we do not know.
 */
import type { Pool } from '../db';
import { csvDocument } from '../audit';
import { isValidCode, placeSummaries, programSummaries, publishedProgramPlaces } from '../directory';

export const FACILITY_LIST_COLUMNS = [
	'都道府県コード又は市区町村コード',
	'NO',
	'都道府県名',
	'市区町村名',
	'名称',
	'名称_カナ',
	'名称_通称',
	'POIコード',
	'住所',
	'方書',
	'緯度',
	'経度',
	'電話番号',
	'内線番号',
	'法人番号',
	'団体名',
	'利用可能曜日',
	'開始時間',
	'終了時間',
	'利用可能日時特記事項',
	'説明',
	'バリアフリー情報',
	'URL',
	'備考'
] as const;

/** The file's sentences (Japanese: the dataset's language). */
export interface FacilityListWords {
	/** 説明: the programs held at the place. */
	programs(titles: string[]): string;
	/** 備考: the organisation that registered the place on tsunagu. */
	registeredBy(organization: string): string;
}

export async function facilityListCsv(db: Pool, options: { origin: string; words: FacilityListWords }): Promise<string> {
	const pairs = await publishedProgramPlaces(db);
	const [programs, places] = await Promise.all([
		programSummaries(
			db,
			pairs.map((p) => p.programId)
		),
		placeSummaries(
			db,
			pairs.map((p) => p.locationId)
		)
	]);
	const titlesAt = new Map<string, string[]>();
	for (const { programId, locationId } of pairs) {
		const title = programs.get(programId)?.title;
		if (title && !titlesAt.get(locationId)?.includes(title)) titlesAt.set(locationId, [...(titlesAt.get(locationId) ?? []), title]);
	}
	for (const titles of titlesAt.values()) titles.sort((a, b) => a.localeCompare(b, 'ja'));
	const organizationNames = new Map([...programs.values()].map((p) => [p.organizationId, p.organizationName]));
	const facilities = [...places.values()]
		.filter((place) => place.city && place.addressLine)
		.map((place) => ({ place, code: place.municipalityCode && isValidCode(place.municipalityCode) ? place.municipalityCode : '' }))
		.sort((a, b) => a.code.localeCompare(b.code) || a.place.name.localeCompare(b.place.name, 'ja') || a.place.id.localeCompare(b.place.id));
	const { words } = options;
	const rows = facilities.map(({ place, code }, i) => {
		const organization = organizationNames.get(place.organizationId) ?? '';
		// A point at the municipality's centre is not the place: left out rather than misplaced on a map.
		const exact = place.lat !== null && place.lng !== null && !place.coordinatesApproximate;
		return [
			code,
			i + 1,
			place.prefecture,
			place.city ?? '',
			place.name,
			'',
			'',
			'',
			`${place.prefecture}${place.city ?? ''}${place.addressLine ?? ''}`,
			'',
			exact ? place.lat : '',
			exact ? place.lng : '',
			'',
			'',
			'',
			'',
			'',
			'',
			'',
			'',
			words.programs(titlesAt.get(place.id) ?? []),
			place.accessibility ?? '',
			`${options.origin}/organizations/${place.organizationId}`,
			organization ? words.registeredBy(organization) : ''
		];
	});
	return csvDocument([[...FACILITY_LIST_COLUMNS], ...rows]);
}
