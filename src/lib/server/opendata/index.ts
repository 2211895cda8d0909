/** Open data: what a city's portal or an aggregator downloads (the licence, the イベント一覧 CSV, the HSDS API). */
export { eventListCsv, EVENT_LIST_COLUMNS, type EventListWords } from './event-list';
export { DIRECTORY_LICENCE } from './licence';
export {
	hsdsRoot,
	hsdsHeaders,
	hsdsServicePage,
	hsdsServiceById,
	hsdsOrganizationPage,
	hsdsOrganizationById,
	hsdsServiceAtLocationPage,
	hsdsServiceAtLocationById,
	hsdsTaxonomyPage,
	hsdsTaxonomyById,
	hsdsTermPage,
	hsdsTermById,
	hsdsService,
	hsdsServiceBrief,
	hsdsOrganization,
	hsdsOrganizationBrief,
	hsdsPage,
	publishedServiceIds,
	serviceStatus,
	HSDS_LICENCE,
	HSDS_VERSION,
	type HsdsPage
} from './hsds';
export { parseHsdsQuery, HSDS_MAX_PER_PAGE, type HsdsQuery } from './hsds-query';
export { allTaxonomies, allTerms, hsdsTaxonomy, hsdsTerm } from './hsds-taxonomy';
