import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { exportOrganizationFigures, figuresCsv, figuresSectionsCsv, readFiguresQuery } from '$lib/server/participation';
import { todayInTokyo } from '$lib/server/clock';
import { translator } from '$lib/i18n';
import { consultationFiguresCsv, exportOrganizationConsultationFigures } from '$lib/server/consultations';
import { consultationColumnLabels, csvResponse, figureColumns, figureSectionLabels } from '$lib/server/staff/csv';
import { exportOrganizationReferralFigures, referralFiguresCsv, seesReferralFigures } from '$lib/server/referrals';

/** The organisation's figures as CSV: attendance per program and consultations, each for who may see it; audited. */
export const GET: RequestHandler = async (event) => {
	const scope = requireOrganization(event, 'figures.view');
	const today = todayInTokyo();
	const t = translator(event.locals.locale);
	const q = readFiguresQuery(event.url.searchParams, today);
	if (!q) error(400, { message: t('figures.invalid') });
	let csv = '\uFEFF';
	// Each section for who may see it: the module refuses the rest (and records only what it gives).
	const attendance = await exportOrganizationFigures(scope, { query: q, today });
	if (attendance.ok) {
		const figures = attendance.value;
		csv = figuresCsv({ first: t('figures.program'), total: t('figures.total'), columns: figureColumns(t, q.weeks) }, figures.programs, figures.total);
		csv += figuresSectionsCsv(figureSectionLabels(t, t('figures.program')), figures.total, figures.byDay, new Map(figures.programs.map((p) => [p.id, p.title])));
	}
	// The consultation section only for those who may read the organisation's consultations (its export is recorded too).
	const consultations = await exportOrganizationConsultationFigures(scope, { from: q.from, to: q.to });
	if (consultations.ok) {
		const labels = { title: t('consult.figures.title'), item: t('consult.figures.item'), value: t('consult.figures.value'), ...consultationColumnLabels(t), unanswered: t('consult.figures.unanswered') };
		// Alone (a counsellor's download), the section starts the file: no blank line first.
		const section = consultationFiguresCsv(labels, consultations.value);
		csv += csv === '\uFEFF' ? section.replace(/^\r\n/, '') : section;
	}
	// The referral section for whoever may send or receive referrals here (its export is recorded too).
	if (seesReferralFigures(scope)) {
		const section = referralFiguresCsv(t, await exportOrganizationReferralFigures(scope, { from: q.from, to: q.to }));
		csv += csv === '\uFEFF' ? section.replace(/^\r\n/, '') : section;
	}
	return csvResponse(csv, `figures-${q.from}-${q.to}.csv`);
};
