/** Open data: what a city's portal or an aggregator downloads (the licence, the イベント一覧 CSV, the HSDS API). */
export { eventListCsv, EVENT_LIST_COLUMNS, type EventListWords } from './event-list';
export { DIRECTORY_LICENCE } from './licence';
export { hsdsRoot, hsdsHeaders, hsdsService, hsdsServiceBrief, hsdsOrganization, hsdsOrganizationBrief, hsdsPage, serviceStatus, HSDS_LICENCE, HSDS_VERSION, type HsdsPage } from './hsds';
export {
	hsdsServicePage,
	hsdsServiceRecords,
	hsdsServiceById,
	hsdsOrganizationPage,
	hsdsOrganizationById,
	hsdsServiceAtLocationPage,
	hsdsServiceAtLocationById,
	hsdsTaxonomyPage,
	hsdsTaxonomyById,
	hsdsTermPage,
	hsdsTermById,
	hsdsPostcode,
	hsdsServiceFilter,
	publishedServiceIds,
	type HsdsNear
} from './hsds-pages';
export { hsdsDirectory, hsdsJsonExport, hsdsTabularExport, HSDS_TABLES } from './export-hsds';
export { regenerateExports, exportsList, exportFile, exportRegenerator, EXPORT_FILES, EXPORT_TABLES, type ExportFile, type ExportName, type ExportRegenerator } from './exports';
export { parseHsdsQuery, HSDS_MAX_PER_PAGE, type HsdsQuery } from './hsds-query';
export { allTaxonomies, allTerms, hsdsTaxonomy, hsdsTerm } from './hsds-taxonomy';
export { serveExport, clientHasExport } from './serve';
