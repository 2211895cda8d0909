import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireSecretariat } from '$lib/server/auth/guard';
import { exportRegionFigures, figuresCsv, figuresSectionsCsv, isFiltered, readFiguresQuery, readRegionFilter, MAX_FILTER_LENGTH } from '$lib/server/participation';
import { exportNetworkConsultationFigures, networkConsultationFiguresCsv } from '$lib/server/consultations';
import { todayInTokyo } from '$lib/server/clock';
import { translator } from '$lib/i18n';
import { can } from '$lib/server/auth';
import { consultationColumnLabels, csvResponse, figureColumns, figureSectionLabels } from '$lib/server/staff/csv';
import { exportNetworkReferralFigures, networkReferralFiguresCsv } from '$lib/server/referrals';

/** The region's figures per organisation as CSV, for the secretariat, then its consultations (counts only, under 5 hidden); both audited. */
export const GET: RequestHandler = async (event) => {
	const scope = requireSecretariat(event, 'network.attendance');
	const today = todayInTokyo();
	const t = translator(event.locals.locale);
	const q = readFiguresQuery(event.url.searchParams, today);
	if (!q) error(400, { message: t('figures.invalid') });
	const read = readRegionFilter(event.url.searchParams);
	if (!read.ok) error(400, { message: t('figures.filterTooLong', { max: MAX_FILTER_LENGTH }) });
	const filter = read.value;
	const figures = await exportRegionFigures(scope, { query: q, today, filter });
	let csv = figuresCsv({ first: t('figures.organization'), total: t(isFiltered(filter) ? 'figures.filtered' : 'figures.region'), columns: figureColumns(t, q.weeks) }, figures.organizations, figures.total);
	csv += figuresSectionsCsv(figureSectionLabels(t, t('figures.organization')), figures.total, figures.byDay, new Map(figures.organizations.map((o) => [o.id, o.title])));
	const consultations = can(scope.actor, 'network.consultation_figures') ? await exportNetworkConsultationFigures(requireSecretariat(event, 'network.consultation_figures'), { from: q.from, to: q.to }) : null;
	if (consultations?.ok) {
		const labels = { title: t('figures.consult.regionTitle'), organization: t('figures.organization'), total: t('figures.region'), ...consultationColumnLabels(t), suppressed: t('figures.consult.suppressed') };
		csv += networkConsultationFiguresCsv(labels, consultations.value);
	}
	const referrals = can(scope.actor, 'network.referrals') ? await exportNetworkReferralFigures(requireSecretariat(event, 'network.referrals'), { from: q.from, to: q.to }) : null;
	if (referrals?.ok) csv += networkReferralFiguresCsv(t, referrals.value);
	return csvResponse(csv, `region-figures-${q.from}-${q.to}.csv`);
};
