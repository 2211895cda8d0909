import { describe, expect, it } from 'vitest';
import { costText, formsText, joinMethodText, readCost, readForms, readJoinMethod, readPhone, readPostalCode, readTarget, targetText } from './values';

describe('参加費', () => {
	it.each([
		['無料', { kind: 'free', amountYen: null, note: null }],
		['100円', { kind: 'fixed', amountYen: 100, note: null }],
		['１，０００円', { kind: 'fixed', amountYen: 1000, note: null }],
		['200円 お茶代', { kind: 'fixed', amountYen: 200, note: 'お茶代' }],
		['おやつ代300円', { kind: 'fixed', amountYen: 300, note: 'おやつ代300円' }],
		['カンパ制', { kind: 'pay_what_you_can', amountYen: null, note: null }],
		['有料 材料費（実費）', { kind: 'fixed', amountYen: null, note: '材料費（実費）' }],
		['要相談', { kind: 'unknown', amountYen: null, note: '要相談' }]
	])('reads %s', (text, cost) => {
		expect(readCost(text)).toEqual({ ok: true, value: cost });
	});

	it('refuses an amount over the limit', () => {
		expect(readCost('2000000円')).toEqual({ ok: false, reason: 'imports.value.amount' });
	});

	it.each([
		{ kind: 'free', amountYen: null, note: null },
		{ kind: 'free', amountYen: null, note: '材料費のみ（実費）' },
		{ kind: 'fixed', amountYen: 300, note: 'おやつ代300円' },
		{ kind: 'fixed', amountYen: null, note: 'カウンセリング3,000円/50分' },
		{ kind: 'pay_what_you_can', amountYen: null, note: '自由価格制' },
		{ kind: 'unknown', amountYen: null, note: '無料（一部有料）' },
		{ kind: 'unknown', amountYen: null, note: '500円程度' },
		{ kind: 'unknown', amountYen: null, note: '要相談' }
	] as const)('writes $kind $note so that it reads back the same', (cost) => {
		expect(readCost(costText(cost))).toEqual({ ok: true, value: cost });
	});
});

describe('申込, 対象, 取組のかたち, contact', () => {
	it('reads registration words and writes them back', () => {
		expect(readJoinMethod('要予約')).toEqual({ ok: true, value: 'reservation' });
		expect(readJoinMethod('申込不要')).toEqual({ ok: true, value: 'no_registration' });
		expect(readJoinMethod('たぶん')).toEqual({ ok: false, reason: 'imports.value.joinMethod' });
		for (const m of ['no_registration', 'reservation', 'membership', 'referral_only', 'unknown'] as const) expect(readJoinMethod(joinMethodText(m))).toEqual({ ok: true, value: m });
	});

	it('reads whom a program is for from labels and common words, and says what it cannot place', () => {
		expect(readTarget('高齢者・子ども')).toEqual({ targets: ['elderly', 'children'], lifeStages: [], unknown: [] });
		expect(readTarget('どなたでも')).toEqual({ targets: [], lifeStages: ['all_ages'], unknown: [] });
		expect(readTarget('ケアラー・ヤングケアラー、高齢層(65歳〜)')).toMatchObject({ lifeStages: ['senior'], unknown: [] });
		expect(readTarget('ペット連れの方').unknown).toEqual(['ペット連れの方']);
		const text = targetText(['senior', 'all_ages'], ['elderly', 'single_parents']);
		expect(readTarget(text)).toEqual({ targets: ['elderly', 'single_parents'], lifeStages: ['senior', 'all_ages'], unknown: [] });
	});

	it('reads the kinds of work by their names', () => {
		expect(readForms('居場所、こども食堂')).toEqual({ ok: true, value: ['ibasho', 'kodomo_shokudo'] });
		expect(readForms(formsText(['consult_sns', 'work_experience']))).toEqual({ ok: true, value: ['consult_sns', 'work_experience'] });
		expect(readForms('なんでも').ok).toBe(false);
	});

	it('reads phone numbers and postcodes as written in Japan', () => {
		expect(readPhone('０４４－１２３－４５６７')).toEqual({ ok: true, value: '044-123-4567' });
		expect(readPhone('054-ABC-DEFG').ok).toBe(false);
		expect(readPostalCode('〒210-0001')).toEqual({ ok: true, value: '210-0001' });
		expect(readPostalCode('2100001')).toEqual({ ok: true, value: '2100001' });
		expect(readPostalCode('21-0001').ok).toBe(false);
	});
});
