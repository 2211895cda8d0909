import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { actorDb, auditOrigin, requireOrganization } from '$lib/server/auth/guard';
import { csvDocument, recordAudit } from '$lib/server/audit';
import { UUID } from '$lib/server/directory';
import { occurrenceOf, registrationsOf, showReference } from '$lib/server/events';
import { translator } from '$lib/i18n';
import { csvResponse } from '$lib/server/staff/csv';

/** The registrations of one date as CSV (UTF-8 with BOM, for Excel); the export is audited. */
export const GET: RequestHandler = async (event) => {
	const { organizationId } = requireOrganization(event, 'registrations.view');
	const occurrenceId = event.params.occurrenceId;
	if (!UUID.test(occurrenceId)) error(404, 'Not Found');
	const t = translator(event.locals.locale);
	const rows = await actorDb(event, async (tx) => {
		const occurrence = await occurrenceOf(tx, organizationId, occurrenceId);
		if (!occurrence) return null;
		const list = await registrationsOf(tx, organizationId, occurrenceId);
		await recordAudit(tx, auditOrigin(event), { action: 'registration.export', organizationId, entityType: 'occurrence', entityId: occurrenceId });
		return list;
	});
	if (!rows) error(404, 'Not Found');
	const header = ['reference', 'name', 'contact', 'groupSize', 'needs', 'status', 'registeredAt', 'attended'] as const;
	const status = (r: (typeof rows)[number]) => (r.status === 'waitlisted' ? t('registration.status.waitlisted', { position: r.waitlistPosition ?? '' }) : t(`registration.status.${r.status}`));
	const body = csvDocument([header.map((h) => t(`registrations.col.${h}`)), ...rows.map((r) => [showReference(r.reference), r.name, r.contact, r.groupSize, r.needs, status(r), r.createdAt.toISOString(), r.attended ? '1' : ''])]);
	return csvResponse(body, `registrations-${occurrenceId}.csv`);
};
