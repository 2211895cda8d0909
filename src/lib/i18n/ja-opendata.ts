/** Japanese UI text: open data (/opendata, the footer's licence line, the イベント一覧 CSV's words). */
export const opendataJa = {
	'opendata.title': 'オープンデータ',
	'opendata.lead': 'つなぐに公開されている団体・取組・日程の情報は、自治体のオープンデータサイトや他のサービスでも使えるよう、次の形式でダウンロードできます。',
	'opendata.licence': 'ライセンス: {name}({title})。出典として「つなぐ」とページのURLを示せば、どなたでも利用・加工・再配布できます。',
	'opendata.footer': 'オープンデータ({licence})',
	'opendata.downloads': 'ダウンロード',
	'opendata.format': '形式',
	'opendata.updated': '更新',
	'opendata.live': 'ひらくたびに最新の内容',
	'opendata.eventList': 'イベント一覧(自治体標準オープンデータセット)',
	'opendata.eventListNote': '今日から{days}日先までの日程。1回の日程が1行です。文字コードはUTF-8(BOM付き)で、Excelでそのまま開けます。',
	'opendata.calendar': '地域のカレンダー(iCalendar)',
	'opendata.calendarNote': 'カレンダーアプリで購読できます。中止や日時の変更も反映されます。',
	'opendata.api': '団体と取組のAPI(JSON、OpenAPI 3.1)',
	'opendata.apiNote': '検索・一覧・詳細を返します。仕様はOpenAPI文書にあります。',
	'opendata.formatCsv': 'CSV',
	'opendata.formatIcs': 'iCalendar(RFC 5545)',
	'opendata.formatJson': 'JSON',
	'opendata.moved': '日時変更',
	'opendata.capacityPeople': '{count}人',
	'opendata.capacityGroups': '{count}組',
	'opendata.registration': '申込が必要です(ページの申込フォームから)'
} as const;
