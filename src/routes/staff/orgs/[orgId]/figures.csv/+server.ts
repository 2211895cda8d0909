import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { actorDb, auditOrigin, requireOrganization } from '$lib/server/auth/guard';
import { recordAudit } from '$lib/server/audit';
import { organizationFigures, readFiguresQuery } from '$lib/server/participation';
import { todayInTokyo } from '$lib/server/runtime';
import { translator } from '$lib/i18n';

const cell = (v: string | number | null) => `"${String(v ?? '').replace(/^([=+\-@])/, "'$1").replace(/"/g, '""')}"`;

/** The organisation's figures per program as CSV (UTF-8 with BOM); audited. */
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
	const header = [t('figures.program'), t('figures.sessions'), t('figures.visits'), t('figures.people'), t('figures.repeaters'), t('figures.retention', { weeks: q.weeks })];
	const row = (title: string, f: (typeof figures)['total']) => [title, f.sessions, f.visits, f.people, f.repeaters, f.retention.share === null ? '' : f.retention.share.toFixed(3)].map(cell).join(',');
	const lines = [header.map(cell).join(','), ...figures.programs.map((p) => row(p.title, p.figures)), row(t('figures.total'), figures.total)];
	return new Response('\uFEFF' + lines.join('\r\n') + '\r\n', {
		headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="figures-${q.from}-${q.to}.csv"`, 'cache-control': 'no-store' }
	});
};
