/** A program as staff save it (directory's ProgramEdit): a monthly こども食堂 on 第1・第3土曜日, to vary per test. */
import type { ProgramEdit } from '../../src/lib/server/directory/listings';

type ScheduleEdit = ProgramEdit['schedules'][number];

export function programEdit(overrides: Partial<ProgramEdit> = {}, schedule: Partial<ScheduleEdit> = {}): ProgramEdit {
	return {
		title: 'みどり食堂',
		summary: '月2回のこども食堂',
		description: '地域の子どもと大人がいっしょに食べます。',
		forms: ['kodomo_shokudo'],
		targets: [],
		lifeStages: ['elementary'],
		cost: { kind: 'free', amountYen: null, note: null },
		joinMethod: 'reservation',
		joinNote: null,
		firstTimeNote: null,
		languages: ['ja'],
		deliveryMode: 'in_person',
		status: 'active',
		contact: { phone: null, email: null, url: null },
		schedules: [{ rrule: 'FREQ=MONTHLY;BYDAY=1SA,3SA', dtstart: '2027-01-01', until: null, count: null, exdates: [], opensAt: '11:00', closesAt: '14:00', closedOnHolidays: true, note: null, ...schedule }],
		...overrides
	};
}
