/** Open data: what a city's portal or an aggregator downloads (the licence, the イベント一覧 and 公共施設一覧 CSVs, the HSDS API, citations). */
export { eventListCsv, EVENT_LIST_COLUMNS, type EventListWords } from './event-list';
export {
	DIRECTORY_LICENCE,
	DEFAULT_LICENCE,
	LICENCES,
	LICENCE_ATTRIBUTION_MAX,
	directoryLicence,
	creditLine,
	licenceIn,
	licenceSettings,
	licenceSettingsInput,
	setDirectoryLicence,
	type DirectoryLicence,
	type LicenceInfo,
	type LicenceTerms,
	type LicenceSettingsInput,
	type LicenceRefusal
} from './licence';
export { facilityListCsv, FACILITY_LIST_COLUMNS, type FacilityListWords } from './facilities';
export { organizationCitation, citationText, citationMessage, type OrganizationCitation, type CitedOrganization } from './citation';
export { OPEN_LICENCES, type OpenLicenceId } from './schema';
export { hsdsRoot, hsdsHeaders, hsdsService, hsdsServiceBrief, hsdsOrganization, hsdsOrganizationBrief, hsdsPage, serviceStatus, HSDS_LICENCE, HSDS_VERSION, HSDS_OPENAPI_URL, type HsdsLicence, type HsdsPage } from './hsds';
export { hsdsLicenceOf, currentHsdsLicence } from './hsds-licence';
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
export { hsdsDirectory, hsdsJsonExport } from './export-hsds';
export { HsdsTabular, HSDS_TABLES } from './export-tabular';
export { regenerateExports, exportsList, exportFile, exportPieces, exportContent, exportRegenerator, EXPORT_FILES, EXPORT_TABLES, type ExportFile, type ExportName, type ExportRegenerator } from './exports';
export { parseHsdsQuery, hsdsQuery, hsdsQueryOf, HSDS_MAX_PER_PAGE, type HsdsQuery } from './hsds-query';
export { allTaxonomies, allTerms, hsdsTaxonomy, hsdsTerm } from './hsds-taxonomy';
export { serveExport, clientHasExport, requestedRange } from './serve';
