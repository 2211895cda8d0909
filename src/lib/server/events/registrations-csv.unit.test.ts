/**
 * The registrations CSV as a coordinator reads it in Excel: the state the staff list shows (a group
 * that arrived is 来場済み, not still 参加予定), times on the Tokyo clock, and the answers to the
 * program's questions one column each.
 */
import { describe, expect, it } from 'vitest';
import { translator } from '$lib/i18n';
import { registrationsCsv } from './registrations-csv';
import type { RegistrationListItem } from './registrations';

const row = (over: Partial<RegistrationListItem>): RegistrationListItem => ({
	id: '00000000-0000-4000-8000-000000000001',
	reference: 'JTXYWY',
	name: '山田',
	contact: 'yamada@example.org',
	contactKind: 'email',
	groupSize: 3,
	needs: '',
	status: 'registered',
	waitlistPosition: null,
	createdAt: new Date('2026-12-02T22:39:02.219Z'),
	attended: false,
	answers: [],
	...over
});

const lines = (csv: string) =>
	csv
		.replace(/^\uFEFF/, '')
		.trimEnd()
		.split('\r\n');

describe('the registrations CSV', () => {
	it('says 来場済み for a registration checked in, as the staff list does, and gives times on the Tokyo clock', () => {
		const csv = registrationsCsv(
			[
				row({ attended: true }),
				row({ id: '00000000-0000-4000-8000-000000000002', reference: 'ABC123', name: '川口', groupSize: 1, createdAt: new Date('2026-12-03T01:00:00Z') }),
				row({ id: '00000000-0000-4000-8000-000000000003', reference: 'DEF456', name: '森', status: 'waitlisted', waitlistPosition: 1 })
			],
			translator('ja')
		);
		const [header, yamada, kawaguchi, mori] = lines(csv);
		expect(header).toBe('受付番号,お名前,連絡先,人数,知っておいてほしいこと,状態,申込日時,受付');
		expect(yamada).toBe('JTX-YWY,山田,yamada@example.org,3,,来場済み,2026-12-03 07:39,済');
		expect(kawaguchi).toBe('ABC-123,川口,yamada@example.org,1,,参加予定,2026-12-03 10:00,');
		expect(mori).toMatch(/^DEF-456,森,.*,キャンセル待ち\(1番目\),/);
	});

	it('has one column per question, headed by its label as asked', () => {
		const csv = registrationsCsv(
			[
				row({
					answers: [
						{
							id: 'kids',
							kind: 'per_person',
							label: 'お子さんの学年',
							sensitive: true,
							value: [{ g: '小1', a: '' }],
							fields: [
								{ id: 'g', label: '学年' },
								{ id: 'a', label: 'アレルギー' }
							]
						},
						{ id: 'photo', kind: 'consent', label: '写真の撮影', sensitive: false, value: true }
					]
				})
			],
			translator('ja')
		);
		const [header, first] = lines(csv);
		expect(header.endsWith(',受付,お子さんの学年,写真の撮影')).toBe(true);
		expect(first.endsWith(',1人目 学年: 小1,同意')).toBe(true);
	});
});
