/**
 * The registrations of one date as CSV (UTF-8 with BOM, for Excel), in the words of the staff
 * list: a registration checked in is 来場済み there, so it is here too (the CSV said 参加予定 after
 * the group had arrived), and times are on the Tokyo clock the coordinator reads, not UTC.
 */
import type { Translate } from '$lib/i18n';
import { csvDocument } from '../audit';
import { answerText } from './answers';
import { registrationStatusText } from '$lib/i18n/registration-status';
import { showReference, type RegistrationListItem } from './registrations';
import { tokyoTime } from './feed';

const COLUMNS = ['reference', 'name', 'contact', 'groupSize', 'needs', 'status', 'registeredAt', 'attended'] as const;

/** `2026-12-03 07:39` in Tokyo. */
function tokyoMinute(at: Date): string {
	const { day, time } = tokyoTime(at);
	return `${day} ${time}`;
}

export function registrationsCsv(rows: readonly RegistrationListItem[], t: Translate): string {
	// One column per question answered on this date (issue 16), headed by its label as asked.
	const questions = new Map<string, string>();
	for (const r of rows) for (const a of r.answers) if (!questions.has(a.id)) questions.set(a.id, a.label);
	const words = { yes: t('questions.yes'), person: (n: number) => t('questions.person', { n }) };
	const answersOf = (r: RegistrationListItem) =>
		[...questions.keys()].map((id) => {
			const a = r.answers.find((x) => x.id === id);
			return a ? answerText(a, words) : '';
		});
	return csvDocument([
		[...COLUMNS.map((c) => t(`registrations.col.${c}`)), ...questions.values()],
		...rows.map((r) => [showReference(r.reference), r.name, r.contact, r.groupSize, r.needs, registrationStatusText(t, r), tokyoMinute(r.createdAt), r.attended ? t('registrations.attendedYes') : '', ...answersOf(r)])
	]);
}
