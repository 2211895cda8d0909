/** What the staff exports share: the figure columns and a CSV download response. */
import type { Translate } from '$lib/i18n';

/** Labels for the figures CSV's sections after its main table (month, age band, gender, per date). */
export const figureSectionLabels = (t: Translate, first: string) => ({
	byMonth: t('figures.byMonth'),
	month: t('figures.month'),
	byAge: t('figures.byAge'),
	byGender: t('figures.byGender'),
	visits: t('figures.visits'),
	people: t('figures.people'),
	byDay: t('figures.byDay'),
	day: t('figures.day'),
	first,
	held: t('figures.heldDate'),
	yes: t('figures.heldYes'),
	ageBand: (b: string) => t(`age.${b}` as Parameters<Translate>[0]),
	gender: (g: string) => t(`gender.${g}` as Parameters<Translate>[0])
});

export const figureColumns = (t: Translate, weeks: number) => [t('figures.sessions'), t('figures.visits'), t('figures.people'), t('figures.repeaters'), t('figures.retention', { weeks })];

/** The consultation columns both figures CSVs (an organisation's, the network's) share, in the request's language. */
export const consultationColumnLabels = (t: Translate) => {
	const minutes = ` (${t('consult.figures.minutesUnit')})`;
	return {
		threads: t('consult.figures.threads'),
		channels: { web: t('consult.channel.web'), line: t('consult.channel.line'), staff: t('consult.channel.staff') },
		urgent: t('consult.figures.urgent'),
		urgentShare: t('consult.figures.urgentShare'),
		median: t('consult.figures.median') + minutes,
		p90: t('consult.figures.p90') + minutes
	};
};

export const csvResponse = (body: string, filename: string) => new Response(body, { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"`, 'cache-control': 'no-store' } });
