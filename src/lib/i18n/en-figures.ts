import type { figuresJa } from './ja-figures';

/** English UI text: Attendance figures (merged into ./en.ts). */
export const figuresEn: Record<keyof typeof figuresJa, string> = {
	'figures.organization': 'Organisation',
	'figures.region': 'Whole region',
	'figures.regionTitle': 'Attendance in the region',
	'figures.regionLead': 'Each organisation of the network and the whole region. People who go to several organisations count once in the region, so the region is not the sum of the rows. No names are shown.',
	'audit.action.figures.export_region': 'Regional attendance exported (CSV)',
	'figures.title': 'Attendance',
	'figures.lead': 'Counted from check-ins (cards and registrations) and head counts.',
	'figures.period': 'Period',
	'figures.from': 'From',
	'figures.to': 'To',
	'figures.weeks': 'Came back within (weeks)',
	'figures.show': 'Show',
	'figures.invalid': 'Enter dates as 2026-04-01, the first before the last; weeks from 1 to 52.',
	'figures.total': 'Total',
	'figures.program': 'Program',
	'figures.sessions': 'Sessions held',
	'figures.visits': 'Visits',
	'figures.people': 'People',
	'figures.repeaters': 'Came twice or more',
	'figures.retention': 'Came back within {weeks} weeks',
	'figures.byAge': 'By age (visits)',
	'figures.byGender': 'By gender (visits)',
	'figures.byMonth': 'Visits by month',
	'figures.csv': 'Download CSV',
	'figures.how':
		'How we count: visits are every visit (a registered group counts its size). People are those told apart by cards and registrations, plus head-count taps marked first time (an estimate). Coming back: of those whose first visit was more than {weeks} weeks before the end, the share who came again within {weeks} weeks.',
	'figures.none': '—',
	'figures.public': 'Attendance of this program (last 12 months)',
	'figures.publicNote': 'Numbers under 5 are not shown, so that nobody can be identified.',
	'figures.suppressed': 'under 5',
	'audit.action.figures.export': 'Attendance exported (CSV)',
	'audit.action.consultation.retention': 'Consultations past their retention period emptied'
};
