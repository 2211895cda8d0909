import type { opendataJa } from './ja-opendata';

/** English UI text: open data (merged into ./en.ts). */
export const opendataEn: Record<keyof typeof opendataJa, string> = {
	'opendata.title': 'Open data',
	'opendata.lead': "The organisations, programs and dates published on Tsunagu can be downloaded in these formats, for a city's open-data portal or other services.",
	'opendata.footer': 'Open data ({licence})',
	'opendata.downloads': 'Downloads',
	'opendata.format': 'Format',
	'opendata.updated': 'Updated',
	'opendata.live': 'Current at every download',
	'opendata.eventList': 'Event list (Japanese municipal standard open dataset)',
	'opendata.eventListNote': 'Dates from today to {days} days ahead, one row per date. UTF-8 with a BOM, opens in Excel as is.',
	'opendata.calendar': 'Community calendar (iCalendar)',
	'opendata.calendarNote': 'Subscribe in a calendar app; cancellations and changes show up there.',
	'opendata.api': 'Organisations and programs API (JSON, OpenAPI 3.1)',
	'opendata.apiNote': 'Search, lists and details; described by the OpenAPI document.',
	'opendata.hsds': 'HSDS 3.0 API (Open Referral standard, JSON)',
	'opendata.hsdsNote': 'The international format for human services data: services (programs), organisations, places and taxonomies.',
	'opendata.formatCsv': 'CSV',
	'opendata.formatIcs': 'iCalendar (RFC 5545)',
	'opendata.formatJson': 'JSON',
	'opendata.moved': 'Date changed',
	'opendata.capacityPeople': '{count} people',
	'opendata.capacityGroups': '{count} groups',
	'opendata.registration': 'Registration needed (form on the page)'
};
