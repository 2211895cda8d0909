/**
 * The /api/hsds operations (Open Referral HSDS 3.0), one contract each, as for /api/v1
 * (contracts.ts re-exports them): the route under src/routes/api/hsds/<path>/+server.ts parses
 * with these schemas and answers through them. Paths, parameters and operation ids follow HSDS's
 * own openapi.json; a list path's query is the part of opendata's HSDS query it reads
 * (`hsdsQueryOf`), the answers the standard's schemas (hsds-schemas.ts). Every answer is public:
 * no security.
 */
import { hsdsQueryOf } from '../opendata';
import { badInput, defineEndpoint, overloaded, refusal, type Answer } from './endpoint';
import { HsdsOrganizationNested, HsdsOrganizationPage, HsdsRoot, HsdsService, HsdsServiceAtLocationNested, HsdsServiceAtLocationPage, HsdsServiceItem, HsdsServicePage, HsdsTaxonomy, HsdsTaxonomyPage, HsdsTaxonomyTerm, HsdsTaxonomyTermPage } from './hsds-schemas';
import { idPathParams, OpenApiDocument } from './schemas';

/** The answers of a list path beside its page. */
const listRefusals = {
	400: badInput('Invalid parameters (code invalid_parameter, a detail per parameter: unsupported_format for ndjson off /services, missing_postcode, unknown_postcode …)'),
	503: overloaded()
} as const satisfies Record<number, Answer>;

/** The answers of a record path beside its record. */
const recordRefusals = (what: string) =>
	({
		400: badInput(`Malformed id (code invalid_id): the ${what} id must be a UUID`),
		404: refusal(`No published ${what} has this id (code not_found)`),
		503: overloaded()
	}) as const satisfies Record<number, Answer>;

/** The HSDS query parameters that filter services (on /services and /service_at_locations). */
const SERVICE_FILTERS = ['page', 'per_page', 'search', 'organization_id', 'modified_after', 'taxonomy_id', 'taxonomy_term_id', 'full', 'format', 'postcode', 'proximity'] as const;

export const getAPIMetaInformation = defineEndpoint({
	method: 'GET',
	path: '/hsds',
	operationId: 'getAPIMetaInformation',
	summary: 'The HSDS API root: its HSDS version, its OpenAPI document and the directory’s licence',
	responses: { 200: { description: 'Information about this API', json: HsdsRoot }, 400: badInput(), 503: overloaded() }
});

export const getPaginatedListOfServices = defineEndpoint({
	method: 'GET',
	path: '/hsds/services',
	operationId: 'getPaginatedListOfServices',
	summary: 'Published services (tsunagu’s programs), paged; or every one as NDJSON',
	description:
		'full=true nests each service fully. format=ndjson answers every match without pages, one service a line (application/x-ndjson; each line the schema of a page’s item). postcode keeps the services with a place in that postcode’s 市区町村, with proximity (metres) those within that distance of its municipality’s centre.',
	query: hsdsQueryOf(...SERVICE_FILTERS),
	responses: {
		200: { description: 'A page of services (application/json), or with format=ndjson every matching service, one JSON record a line (application/x-ndjson)', json: HsdsServicePage, ndjson: HsdsServiceItem },
		...listRefusals
	}
});

export const getFullyNestedServiceById = defineEndpoint({
	method: 'GET',
	path: '/hsds/services/{id}',
	operationId: 'getFullyNestedServiceById',
	summary: 'One published service, fully nested',
	params: idPathParams,
	responses: { 200: { description: 'The service', json: HsdsService }, ...recordRefusals('service') }
});

export const getPaginatedListOfOrganizations = defineEndpoint({
	method: 'GET',
	path: '/hsds/organizations',
	operationId: 'getPaginatedListOfOrganizations',
	summary: 'Published organisations (with or without published programs), paged',
	query: hsdsQueryOf('page', 'per_page', 'search', 'format'),
	responses: { 200: { description: 'A page of organizations', json: HsdsOrganizationPage }, ...listRefusals }
});

export const getOrganizationById = defineEndpoint({
	method: 'GET',
	path: '/hsds/organizations/{id}',
	operationId: 'getOrganizationById',
	summary: 'One published organisation with its services, contacts and locations',
	params: idPathParams,
	responses: { 200: { description: 'The organization', json: HsdsOrganizationNested }, ...recordRefusals('organization') }
});

export const getPaginatedListOfServiceAtLocation = defineEndpoint({
	method: 'GET',
	path: '/hsds/service_at_locations',
	operationId: 'getPaginatedListOfServiceAtLocation',
	summary: 'Each published service at each of its places, paged',
	description: 'full=true nests the service fully, with the schedules at that place. The filters are those of /services (format=ndjson is refused here).',
	query: hsdsQueryOf(...SERVICE_FILTERS),
	responses: { 200: { description: 'A page of services at locations', json: HsdsServiceAtLocationPage }, ...listRefusals }
});

export const getServiceAtLocationWithNestedDataById = defineEndpoint({
	method: 'GET',
	path: '/hsds/service_at_locations/{id}',
	operationId: 'getServiceAtLocationWithNestedDataById',
	summary: 'One service at one location, fully nested',
	params: idPathParams,
	responses: { 200: { description: 'The service_at_location', json: HsdsServiceAtLocationNested }, ...recordRefusals('service_at_location') }
});

export const getPaginatedListOfTaxonomies = defineEndpoint({
	method: 'GET',
	path: '/hsds/taxonomies',
	operationId: 'getPaginatedListOfTaxonomies',
	summary: 'tsunagu’s taxonomies: life stages, forms, targets, and its own attribute terms',
	query: hsdsQueryOf('page', 'per_page', 'search', 'format'),
	responses: { 200: { description: 'A page of taxonomies', json: HsdsTaxonomyPage }, ...listRefusals }
});

export const getTaxonomyById = defineEndpoint({
	method: 'GET',
	path: '/hsds/taxonomies/{id}',
	operationId: 'getTaxonomyById',
	summary: 'One taxonomy',
	params: idPathParams,
	responses: { 200: { description: 'The taxonomy', json: HsdsTaxonomy }, ...recordRefusals('taxonomy') }
});

export const getPaginatedListOfTaxonomyTerms = defineEndpoint({
	method: 'GET',
	path: '/hsds/taxonomy_terms',
	operationId: 'getPaginatedListOfTaxonomyTerms',
	summary: 'Taxonomy terms (Japanese names, English descriptions)',
	query: hsdsQueryOf('page', 'per_page', 'search', 'taxonomy_id', 'parent_id', 'top_only', 'format'),
	responses: { 200: { description: 'A page of taxonomy terms', json: HsdsTaxonomyTermPage }, ...listRefusals }
});

export const getTaxonomyTermById = defineEndpoint({
	method: 'GET',
	path: '/hsds/taxonomy_terms/{id}',
	operationId: 'getTaxonomyTermById',
	summary: 'One taxonomy term',
	params: idPathParams,
	responses: { 200: { description: 'The taxonomy term', json: HsdsTaxonomyTerm }, ...recordRefusals('taxonomy term') }
});

export const getHsdsOpenApiDocument = defineEndpoint({
	method: 'GET',
	path: '/hsds/openapi.json',
	operationId: 'getHsdsOpenApiDocument',
	summary: 'The HSDS API’s own OpenAPI document (its paths below /api/hsds; the root’s openapi_url)',
	responses: { 200: { description: 'The OpenAPI 3.1 document of /api/hsds', json: OpenApiDocument }, 400: badInput(), 503: overloaded() }
});

/** The /api/hsds operations, in the documents' order. */
export const hsdsEndpoints = [
	getAPIMetaInformation,
	getPaginatedListOfServices,
	getFullyNestedServiceById,
	getPaginatedListOfOrganizations,
	getOrganizationById,
	getPaginatedListOfServiceAtLocation,
	getServiceAtLocationWithNestedDataById,
	getPaginatedListOfTaxonomies,
	getTaxonomyById,
	getPaginatedListOfTaxonomyTerms,
	getTaxonomyTermById,
	getHsdsOpenApiDocument
] as const;
