/**
 * The columns an import understands for each kind of sheet, and the first guess of which column
 * is which, from the Japanese titles people give them (団体名, サロン名, 会場, 住所, 日時 …). Staff
 * see the guess on the mapping step and can change it; the export writes these titles back.
 */
import type { ImportKind } from './schema';

export const FIELDS = ['organizationName', 'nameKana', 'legalForm', 'representative', 'title', 'summary', 'description', 'forms', 'target', 'placeName', 'address', 'postalCode', 'accessibility', 'transport', 'schedule', 'time', 'cost', 'joinMethod', 'phone', 'email', 'url', 'message'] as const;
export type Field = (typeof FIELDS)[number];

/** Each kind's fields, in the export's column order; the first required ones must be mapped. */
export const KIND_FIELDS: Record<ImportKind, { fields: readonly Field[]; required: readonly Field[] }> = {
	organizations: { fields: ['organizationName', 'nameKana', 'legalForm', 'representative', 'address', 'postalCode', 'url', 'message', 'description'], required: ['organizationName'] },
	places: { fields: ['organizationName', 'placeName', 'address', 'postalCode', 'accessibility', 'transport'], required: ['placeName', 'address'] },
	programs: { fields: ['organizationName', 'title', 'placeName', 'address', 'postalCode', 'phone', 'schedule', 'time', 'target', 'description', 'cost', 'url', 'summary', 'forms', 'joinMethod', 'email'], required: ['title'] }
};

/**
 * Fields a sheet may have that the export never writes: a separate 時間 column beside 開催日 is read
 * into the schedule, which the export writes whole in 日時.
 */
export const IMPORT_ONLY: ReadonlySet<Field> = new Set<Field>(['time']);

/** The column titles the export writes (and the guess reads first). */
export const TITLES: Record<Field, string> = {
	organizationName: '団体名',
	nameKana: 'ふりがな',
	legalForm: '法人格',
	representative: '代表者',
	title: '名称',
	summary: '概要',
	description: '内容',
	forms: '取組のかたち',
	target: '対象',
	placeName: '会場',
	address: '住所',
	postalCode: '郵便番号',
	accessibility: 'バリアフリー',
	transport: 'アクセス',
	schedule: '日時',
	time: '時間',
	cost: '参加費',
	joinMethod: '申込',
	phone: '電話',
	email: 'メール',
	url: 'URL',
	message: 'メッセージ'
};

/** Other titles for the same column, as sheets write them (compared after folding: width, case, spaces). */
const SYNONYMS: Record<Field, string[]> = {
	organizationName: ['団体', '運営団体', '運営', '主催', '主催者', '主催団体', '実施団体', '実施主体', '団体名称', '法人名'],
	nameKana: ['団体名ふりがな', 'フリガナ', 'よみがな', 'ふりがな(団体名)', 'かな'],
	legalForm: ['法人種別', '法人の種類', '団体の種類'],
	representative: ['代表', '代表者名'],
	title: ['サロン名', '名前', '取組名', '事業名', '活動名', '講座名', '教室名', '食堂名', 'プログラム名', 'イベント名', '居場所名', 'サロン名称'],
	summary: ['ひとこと', '一言', 'キャッチコピー'],
	description: ['活動内容', '内容・特徴', '紹介', '説明', '詳細', '備考'],
	forms: ['種類', '種別', '形態', '取組の形'],
	target: ['対象者', '参加対象', '対象者・年齢'],
	placeName: ['会場名', '場所', '開催場所', '実施場所', '場所名', '開催会場'],
	address: ['所在地', '会場住所', '開催場所住所', '住所(会場)'],
	postalCode: ['〒', '郵便'],
	accessibility: ['設備', 'バリアフリー情報'],
	transport: ['交通', '最寄り駅', '交通アクセス', '行き方'],
	schedule: ['開催日', '開催日時', '日程', '開催日時・時間', '開催曜日', '曜日・時間', '開催日・時間', '日時・時間', '開催'],
	time: ['開催時間', '時刻', '時間帯', '開始時間', '実施時間'],
	cost: ['費用', '料金', '会費', '参加料', '利用料'],
	joinMethod: ['申込み', '申し込み', '予約', '申込方法', '申込の要否', '事前申込'],
	phone: ['電話番号', 'tel', '連絡先', '問い合わせ', '問合せ', '問い合わせ先', '連絡先電話番号'],
	email: ['メールアドレス', 'e-mail', 'email', 'mail'],
	url: ['ホームページ', 'hp', 'web', 'ウェブサイト', 'サイト', 'website', 'webサイト'],
	message: ['ひとことメッセージ']
};

export function fold(text: string): string {
	return text
		.normalize('NFKC')
		.toLowerCase()
		.replace(/[\s\u3000・:：]/g, '');
}

/** One field (or none: '') per column, guessed from the titles; a field goes to its first column only. */
export function guessMapping(kind: ImportKind, header: readonly string[]): Array<Field | ''> {
	const allowed = KIND_FIELDS[kind].fields;
	const names = allowed.map((field) => ({ field, names: [TITLES[field], ...SYNONYMS[field]].map(fold) }));
	const taken = new Set<Field>();
	const exact = header.map((title) => {
		const t = fold(title);
		const hit = names.find((n) => n.names.includes(t));
		if (!hit || taken.has(hit.field)) return '' as const;
		taken.add(hit.field);
		return hit.field;
	});
	// Titles that only contain a known name (「サロンの名称」「開催場所(会場)」): the longest name wins.
	return exact.map((field, i) => {
		if (field) return field;
		const t = fold(header[i]);
		if (!t) return '';
		let best: { field: Field; length: number } | null = null;
		for (const n of names) {
			if (taken.has(n.field)) continue;
			for (const name of n.names) if (name.length >= 2 && t.includes(name) && (!best || name.length > best.length)) best = { field: n.field, length: name.length };
		}
		if (!best) return '';
		taken.add(best.field);
		return best.field;
	});
}

/**
 * How much a row looks like this kind's header: the number of its cells that are a known column
 * title (exactly, after folding). A council's sheet has a title and a date above its header; the
 * reader takes the row that scores highest as the header.
 */
export function headerScore(kind: ImportKind): (cells: readonly string[]) => number {
	const known = new Set(KIND_FIELDS[kind].fields.flatMap((field) => [TITLES[field], ...SYNONYMS[field]].map(fold)));
	return (cells) => new Set(cells.map(fold).filter((c) => known.has(c))).size;
}

/** A mapping sent by the form, checked: known fields of this kind, each at most once. */
export function readMapping(kind: ImportKind, width: number, chosen: readonly string[]): Array<Field | ''> {
	const allowed = new Set<string>(KIND_FIELDS[kind].fields);
	const seen = new Set<string>();
	return Array.from({ length: width }, (_, i) => {
		const f = chosen[i] ?? '';
		if (!allowed.has(f) || seen.has(f)) return '';
		seen.add(f);
		return f as Field;
	});
}

/** Required fields no column is mapped to. */
export function missingFields(kind: ImportKind, mapping: readonly (Field | '')[], region: boolean): Field[] {
	const required = region && kind !== 'organizations' ? ['organizationName' as Field, ...KIND_FIELDS[kind].required] : KIND_FIELDS[kind].required;
	return required.filter((f) => !mapping.includes(f));
}
