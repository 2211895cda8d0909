import type { licenceJa } from './ja-licence';

/** English UI text: the directory's licence, citations, the facilities list (merged into ./en.ts). */
export const licenceEn: Record<keyof typeof licenceJa, string> = {
	'staff.nav.licence': 'Open-data licence',
	'licence.title': 'Open-data licence',
	'licence.lead': 'Choose the licence under which the organisations, programs, places and dates published on Tsunagu are shared. It is stated in the footer, on the open data page, in the APIs and in every download.',
	'licence.current': 'Licence now: {name} ({title})',
	'licence.currentSince': 'Changed on {date}.',
	'licence.currentDefault': 'Not changed yet (the initial setting).',
	'licence.choose': 'Licence',
	'licence.chooseHint': 'Each of these is an open licence a city’s open-data portal can list.',
	'licence.terms.attribution': 'Reusers give credit.',
	'licence.terms.share_alike': 'Reusers give credit and share adapted data under the same licence.',
	'licence.terms.public_domain': 'No conditions (credit is not required).',
	'licence.page': 'Licence text',
	'licence.attribution': 'Credit line',
	'licence.attributionHint': 'The name reusers are asked to credit. Up to {max} characters, one line. Empty: “{site}”. Example: ○○ City Council of Social Welfare, Tsunagu',
	'licence.save': 'Save',
	'licence.saved': 'Licence saved. Every page and the APIs now state it.',
	'licence.error.licence': 'Choose a licence from the list.',
	'licence.error.attribution': 'Write the credit line on one line, up to {max} characters.',
	'licence.statement.attribution': 'Licence: {name} ({title}). Anyone may use, adapt and share it, crediting “{credit}” and the page address.',
	'licence.statement.share_alike': 'Licence: {name} ({title}). Anyone may use, adapt and share it, crediting “{credit}” and the page address and sharing adapted data under the same licence.',
	'licence.statement.public_domain': 'Licence: {name} ({title}). Anyone may use, adapt and share it without conditions; crediting “{credit}” is appreciated.',
	'opendata.licenceOf': 'Licence',
	'audit.action.opendata.licence': 'Open-data licence changed',

	'citation.label': 'Source',
	'citation.fromDocument': 'Source: “{title}” ({document}). Listed on {site} {listed}, last updated {updated}.',
	'citation.fromDocumentUntitled': 'Source: {document}. Listed on {site} {listed}, last updated {updated}.',
	'citation.fromDocumentUnchanged': 'Source: “{title}” ({document}). Listed on {site} {listed}.',
	'citation.fromDocumentUntitledUnchanged': 'Source: {document}. Listed on {site} {listed}.',
	'citation.fromOrganization': 'Source: information {organization} entered on {site}. Listed {listed}, last updated {updated}.',

	'opendata.facilities': 'Places (in the layout of the Japanese municipal standard dataset “public facilities”)',
	'opendata.facilitiesNote': 'Places where published programs are held, those with an address; one row per place. UTF-8 with a BOM, opens in Excel as is.',
	'opendata.facilityDescription': 'Programs held here: {programs}',
	'opendata.facilityRegisteredBy': 'Registered on Tsunagu by: {organization}'
};
