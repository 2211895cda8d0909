import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireSecretariat } from '$lib/server/auth/guard';
import { exportRegionFigures, figuresCsv, readFiguresQuery } from '$lib/server/participation';
import { todayInTokyo } from '$lib/server/clock';
import { translator } from '$lib/i18n';
import { csvResponse, figureColumns } from '$lib/server/staff/csv';

/** The region's figures per organisation as CSV, for the secretariat; audited. */
export const GET: RequestHandler = async (event) => {
	const scope = requireSecretariat(event, 'network.attendance');
	const today = todayInTokyo();
	const t = translator(event.locals.locale);
	const q = readFiguresQuery(event.url.searchParams, today);
	if (!q) error(400, { message: t('figures.invalid') });
	const figures = await exportRegionFigures(scope, { query: q, today });
	const csv = figuresCsv({ first: t('figures.organization'), total: t('figures.region'), columns: figureColumns(t, q.weeks) }, figures.organizations, figures.total);
	return csvResponse(csv, `region-figures-${q.from}-${q.to}.csv`);
};
