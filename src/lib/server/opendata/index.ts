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
export { organizationCitation, citationText, type OrganizationCitation, type CitedOrganization } from './citation';
export { OPEN_LICENCES, type OpenLicenceId } from './schema';
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
	type HsdsLicence,
	HSDS_VERSION,
	type HsdsPage
} from './hsds';
export { hsdsJson, hsdsLicenceOf } from './hsds-licence';
export { parseHsdsQuery, HSDS_MAX_PER_PAGE, type HsdsQuery } from './hsds-query';
export { allTaxonomies, allTerms, hsdsTaxonomy, hsdsTerm } from './hsds-taxonomy';
