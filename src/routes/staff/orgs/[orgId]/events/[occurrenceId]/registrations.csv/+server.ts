import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { uuid } from '$lib/server/boundary';
import { exportRegistrations, registrationsCsv } from '$lib/server/events';
import { translator } from '$lib/i18n';
import { csvResponse } from '$lib/server/staff/csv';

/** The registrations of one date as CSV (UTF-8 with BOM, for Excel); the module records the export. */
export const GET: RequestHandler = async (event) => {
	const scope = requireOrganization(event, 'registrations.view');
	const id = uuid.safeParse(event.params.occurrenceId);
	if (!id.success) error(404, 'Not Found');
	const exported = await exportRegistrations(scope, { occurrenceId: id.data });
	if (!exported.ok) error(404, 'Not Found');
	return csvResponse(registrationsCsv(exported.value, translator(event.locals.locale)), `registrations-${id.data}.csv`);
};
