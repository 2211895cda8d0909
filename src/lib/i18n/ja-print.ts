/** Japanese UI text: Printed calendars and flyers (PDF) (merged into ./ja.ts). */
export const printJa = {
	'print.when': 'いつ',
	'print.next': '次の日程',
	'print.cancelled': '中止',
	'print.where': 'どこで',
	'print.cost': '参加費',
	'print.join': '参加のしかた',
	'print.contact': '問い合わせ',
	'print.forWhom': 'だれのため',
	'print.scan': 'スマートフォンで読み取ると、くわしい情報と最新の日程が見られます',
	'print.monthTitle': '{month}の予定',
	'print.footer': 'つなぐ 地域のカレンダー {url}(最新の情報はこちら)'
} as const;
