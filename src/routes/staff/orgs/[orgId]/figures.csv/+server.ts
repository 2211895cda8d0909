import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { actorDb, auditOrigin, requireOrganization } from '$lib/server/auth/guard';
import { recordAudit } from '$lib/server/audit';
import { figuresCsv, organizationFigures, readFiguresQuery } from '$lib/server/participation';
import { todayInTokyo } from '$lib/server/runtime';
import { translator } from '$lib/i18n';
import { csvResponse, figureColumns } from '$lib/server/staff/csv';

/** The organisation's figures per program as CSV; audited. */
export const GET: RequestHandler = async (event) => {
	const { organizationId } = requireOrganization(event, 'attendance.view');
	const today = todayInTokyo();
	const t = translator(event.locals.locale);
	const q = readFiguresQuery(event.url.searchParams, today);
	if (!q) error(400, { message: t('figures.invalid') });
	const figures = await actorDb(event, async (tx) => {
		const f = await organizationFigures(tx, organizationId, q, today);
		await recordAudit(tx, auditOrigin(event), { action: 'figures.export', organizationId, entityType: 'organization', entityId: organizationId });
		return f;
	});
	const csv = figuresCsv({ first: t('figures.program'), total: t('figures.total'), columns: figureColumns(t, q.weeks) }, figures.programs, figures.total);
	return csvResponse(csv, `figures-${q.from}-${q.to}.csv`);
};
