import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { exportOrganizationFigures, figuresCsv, readFiguresQuery } from '$lib/server/participation';
import { todayInTokyo } from '$lib/server/runtime';
import { translator } from '$lib/i18n';
import { csvResponse, figureColumns } from '$lib/server/staff/csv';

/** The organisation's figures per program as CSV; audited. */
export const GET: RequestHandler = async (event) => {
	const scope = requireOrganization(event, 'attendance.view');
	const today = todayInTokyo();
	const t = translator(event.locals.locale);
	const q = readFiguresQuery(event.url.searchParams, today);
	if (!q) error(400, { message: t('figures.invalid') });
	const figures = await exportOrganizationFigures(scope, { query: q, today });
	const csv = figuresCsv({ first: t('figures.program'), total: t('figures.total'), columns: figureColumns(t, q.weeks) }, figures.programs, figures.total);
	return csvResponse(csv, `figures-${q.from}-${q.to}.csv`);
};
