/**
 * The registrations of one date as CSV (UTF-8 with BOM, for Excel), in the words of the staff
 * list: a registration checked in is 来場済み there, so it is here too (the CSV said 参加予定 after
 * the group had arrived), and times are on the Tokyo clock the coordinator reads, not UTC.
 */
import type { Translate } from '$lib/i18n';
import { csvDocument } from '../audit';
import { answerText } from './answers';
import { showReference, type RegistrationListItem } from './registrations';

const COLUMNS = ['reference', 'name', 'contact', 'groupSize', 'needs', 'status', 'registeredAt', 'attended'] as const;

/** `2026-12-03 07:39` in Tokyo. */
function tokyoMinute(at: Date): string {
	return new Date(at.getTime() + 9 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** A registration's state as the staff list shows it. */
export function registrationStatusText(t: Translate, r: Pick<RegistrationListItem, 'status' | 'waitlistPosition' | 'attended'>): string {
	if (r.status === 'waitlisted') return t('registration.status.waitlisted', { position: r.waitlistPosition ?? '' });
	if (r.status === 'registered' && r.attended) return t('registration.status.attended');
	return t(`registration.status.${r.status}`);
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
