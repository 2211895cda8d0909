/**
 * The region's dates as デジタル庁's 自治体標準オープンデータセット「イベント一覧」(the 32-column layout):
 * the form a city's open-data portal and aggregators of Japanese event data read. One row per
 * scheduled date of a published program, from today to the dates horizon. Only facts the
 * directory holds are written: a column we know nothing about (the kana and English names,
 * parking) stays empty rather than guessed.
 */
import type { Pool } from '../db';
import { csvDocument } from '../audit';
import { addDays, isValidCode, programSummaries, placeSummaries, type ProgramSummary } from '../directory';
import { calendarEntries, OCCURRENCE_HORIZON_DAYS, tokyoTime } from '../events';

export const EVENT_LIST_COLUMNS = [
	'都道府県コード又は市区町村コード',
	'NO',
	'都道府県名',
	'市区町村名',
	'イベント名',
	'イベント名_カナ',
	'イベント名_英語',
	'開始日',
	'終了日',
	'開始時間',
	'終了時間',
	'開始日時特記事項',
	'説明',
	'料金(基本)',
	'料金(詳細)',
	'連絡先名称',
	'連絡先電話番号',
	'連絡先内線番号',
	'主催者',
	'場所名称',
	'住所',
	'方書',
	'緯度',
	'経度',
	'アクセス方法',
	'駐車場情報',
	'定員',
	'参加申込終了日',
	'参加申込終了時間',
	'参加申込方法',
	'URL',
	'備考'
] as const;

/** The words the file uses for coded values (Japanese: the dataset's language). */
export interface EventListWords {
	cost(program: ProgramSummary): string;
	join(program: ProgramSummary): string;
	moved: string;
	/** 定員 with its unit: people or groups (組). */
	capacity(count: number, unit: 'people' | 'groups'): string;
	registration: string;
}

const dayOf = (at: Date) => tokyoTime(at).day;
const timeOf = (at: Date) => tokyoTime(at).time!;

export async function eventListCsv(db: Pool, options: { today: string; origin: string; words: EventListWords }): Promise<string> {
	const entries = (await calendarEntries(db, { publishedOnly: true }, options.today, addDays(options.today, OCCURRENCE_HORIZON_DAYS))).filter((e) => e.status === 'scheduled');
	const [programs, places] = await Promise.all([
		programSummaries(db, [...new Set(entries.map((e) => e.programId))]),
		placeSummaries(
			db,
			entries.flatMap((e) => (e.locationId ? [e.locationId] : []))
		)
	]);
	const { words } = options;
	const rows = entries
		.flatMap((e) => {
			const program = programs.get(e.programId);
			return program ? [{ e, program }] : [];
		})
		.map(({ e, program }, i) => {
			const place = e.locationId ? places.get(e.locationId) : undefined;
			const code = place?.municipalityCode && isValidCode(place.municipalityCode) ? place.municipalityCode : '';
			const endsAt = e.endsAt ?? null;
			return [
				code,
				i + 1,
				place?.prefecture ?? '',
				place?.city ?? '',
				e.title,
				'',
				'',
				e.day,
				endsAt && !e.allDay ? dayOf(endsAt) : e.day,
				e.allDay ? '' : timeOf(e.startsAt),
				endsAt && !e.allDay ? timeOf(endsAt) : '',
				[e.moved ? words.moved : '', e.note ?? ''].filter(Boolean).join(' '),
				program.summary,
				words.cost(program),
				'',
				program.organizationName,
				program.contactPhone ?? '',
				'',
				program.organizationName,
				place?.name ?? '',
				place ? `${place.prefecture}${place.city ?? ''}${place.addressLine ?? ''}` : '',
				'',
				// A point at the municipality's centre is not the place: left out rather than misplaced on a map.
				place && place.lat !== null && !place.coordinatesApproximate ? place.lat : '',
				place && place.lng !== null && !place.coordinatesApproximate ? place.lng : '',
				place?.transport ?? '',
				'',
				e.registrationOpen && e.capacity ? words.capacity(e.capacity, e.capacityUnit) : '',
				e.registrationOpen && e.registrationClosesAt ? dayOf(e.registrationClosesAt) : '',
				e.registrationOpen && e.registrationClosesAt ? timeOf(e.registrationClosesAt) : '',
				e.registrationOpen ? words.registration : words.join(program),
				`${options.origin}/events/${e.id}`,
				''
			];
		});
	return csvDocument([[...EVENT_LIST_COLUMNS], ...rows]);
}
