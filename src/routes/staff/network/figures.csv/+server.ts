import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { actorDb, auditOrigin, requirePermission } from '$lib/server/auth/guard';
import { recordAudit } from '$lib/server/audit';
import { figuresCsv, readFiguresQuery, regionFigures } from '$lib/server/participation';
import { todayInTokyo } from '$lib/server/runtime';
import { translator } from '$lib/i18n';
import { csvResponse, figureColumns } from '$lib/server/staff/csv';

/** The region's figures per organisation as CSV, for the secretariat; audited. */
export const GET: RequestHandler = async (event) => {
	requirePermission(event, 'network.attendance');
	const today = todayInTokyo();
	const t = translator(event.locals.locale);
	const q = readFiguresQuery(event.url.searchParams, today);
	if (!q) error(400, { message: t('figures.invalid') });
	const figures = await actorDb(event, async (tx) => {
		const f = await regionFigures(tx, q, today);
		await recordAudit(tx, auditOrigin(event), { action: 'figures.export_region', entityType: 'network', entityId: `${q.from}/${q.to}` });
		return f;
	});
	const csv = figuresCsv({ first: t('figures.organization'), total: t('figures.region'), columns: figureColumns(t, q.weeks) }, figures.organizations, figures.total);
	return csvResponse(csv, `region-figures-${q.from}-${q.to}.csv`);
};
