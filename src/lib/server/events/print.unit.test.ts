// The printed flyer and month: a PDF asked for again with the same content is the one made before
// (laying out and subsetting Noto Sans JP costs a few hundred ms of CPU per document); any change
// to what it shows makes a new one.
import { describe, expect, it } from 'vitest';
import { flyerPdf, monthPdf, type FlyerInput, type MonthInput } from './print';

const flyer: FlyerInput = {
	title: '水曜こども食堂',
	organization: '印刷テストの会',
	summary: '地域のこどもと大人が一緒に夕食を食べます。',
	forWhom: ['こども', '保護者'],
	schedule: ['毎週水曜 17:00〜19:00'],
	dates: [{ text: '12月9日(水) 17:00〜19:00', cancelled: false }],
	place: '公民館 東京都千代田区',
	cost: '無料',
	join: '申込不要',
	contact: ['03-0000-0000'],
	url: 'http://localhost/programs/00000000-0000-4000-8000-000000000001',
	labels: { when: 'いつ', next: '次の日程', cancelled: '中止', where: '場所', cost: '費用', join: '参加方法', contact: '連絡先', forWhom: '対象', scan: '読み取ってください' }
};
const month: MonthInput = {
	title: '2026年12月',
	weeks: [Array.from({ length: 7 }, (_, i) => ({ day: `2026-12-0${i + 1}`, inMonth: true, entries: i === 2 ? [{ time: '17:00', title: '水曜こども食堂', cancelled: false }] : [] }))],
	weekdays: ['月', '火', '水', '木', '金', '土', '日'],
	cancelled: '中止',
	footer: 'つなぐ'
};

describe('printed PDFs', () => {
	it('serves the same flyer again for the same content, and a new one when anything shown changes', async () => {
		const first = await flyerPdf(flyer);
		expect(first.subarray(0, 5).toString()).toBe('%PDF-');
		// Asked again, also several at once: the one already made (or being made).
		const again = await Promise.all([flyerPdf({ ...flyer }), flyerPdf(structuredClone(flyer))]);
		for (const pdf of again) expect(pdf).toBe(first);
		const cancelled = await flyerPdf({ ...flyer, dates: [{ ...flyer.dates[0], cancelled: true }] });
		expect(cancelled).not.toBe(first);
		expect(cancelled.equals(first)).toBe(false);
	}, 30_000);

	it('keeps the flyer and the month apart, and remakes the month when an entry changes', async () => {
		const first = await monthPdf(month);
		expect(first.subarray(0, 5).toString()).toBe('%PDF-');
		expect(await monthPdf(structuredClone(month))).toBe(first);
		const moved = structuredClone(month);
		moved.weeks[0][2].entries[0].time = '18:00';
		const remade = await monthPdf(moved);
		expect(remade).not.toBe(first);
		expect(remade.equals(first)).toBe(false);
		// A month past the dates horizon says so under its title: that is printed content too.
		const beyond = await monthPdf({ ...month, notice: '2027年6月1日より先の日程は、まだ載っていません。' });
		expect(beyond.equals(first)).toBe(false);
	}, 30_000);
});
