import type { printJa } from './ja-print';

/** English UI text: Printed calendars and flyers (PDF) (merged into ./en.ts). */
export const printEn: Record<keyof typeof printJa, string> = {
	'print.when': 'When',
	'print.next': 'Next dates',
	'print.cancelled': 'cancelled',
	'print.where': 'Where',
	'print.cost': 'Cost',
	'print.join': 'How to join',
	'print.contact': 'Contact',
	'print.forWhom': 'For whom',
	'print.scan': 'Scan with a phone for details and the latest dates',
	'print.monthTitle': 'Events in {month}',
	'print.footer': 'Tsunagu community calendar {url} (latest information)'
};
