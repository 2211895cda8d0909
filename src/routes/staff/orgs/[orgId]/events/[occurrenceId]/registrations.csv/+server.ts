import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { csvDocument } from '$lib/server/audit';
import { uuid } from '$lib/server/boundary';
import { answerText, exportRegistrations, showReference } from '$lib/server/events';
import { translator } from '$lib/i18n';
import { csvResponse } from '$lib/server/staff/csv';

/** The registrations of one date as CSV (UTF-8 with BOM, for Excel); the module records the export. */
export const GET: RequestHandler = async (event) => {
	const scope = requireOrganization(event, 'registrations.view');
	const id = uuid.safeParse(event.params.occurrenceId);
	if (!id.success) error(404, 'Not Found');
	const occurrenceId = id.data;
	const t = translator(event.locals.locale);
	const exported = await exportRegistrations(scope, { occurrenceId });
	if (!exported.ok) error(404, 'Not Found');
	const rows = exported.value;
	const header = ['reference', 'name', 'contact', 'groupSize', 'needs', 'status', 'registeredAt', 'attended'] as const;
	const status = (r: (typeof rows)[number]) => (r.status === 'waitlisted' ? t('registration.status.waitlisted', { position: r.waitlistPosition ?? '' }) : t(`registration.status.${r.status}`));
	// One column per question answered on this date (issue 16), headed by its label as asked.
	const questions = new Map<string, string>();
	for (const r of rows) for (const a of r.answers) if (!questions.has(a.id)) questions.set(a.id, a.label);
	const words = { yes: t('questions.yes'), person: (n: number) => t('questions.person', { n }) };
	const answersOf = (r: (typeof rows)[number]) =>
		[...questions.keys()].map((id) => {
			const a = r.answers.find((x) => x.id === id);
			return a ? answerText(a, words) : '';
		});
	const body = csvDocument([[...header.map((h) => t(`registrations.col.${h}`)), ...questions.values()], ...rows.map((r) => [showReference(r.reference), r.name, r.contact, r.groupSize, r.needs, status(r), r.createdAt.toISOString(), r.attended ? '1' : '', ...answersOf(r)])]);
	return csvResponse(body, `registrations-${occurrenceId}.csv`);
};
