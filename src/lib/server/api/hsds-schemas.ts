/**
 * The /api/hsds answers' schemas. The records (service, organization, service_at_location,
 * taxonomy, taxonomy_term and what they nest) are Open Referral's own HSDS 3.0 JSON schemas
 * (./hsds-standard, copied unchanged): each becomes an `Hsds*` component of the OpenAPI document,
 * its `$ref`s between files pointing at the other components, so the document is self-contained
 * and states exactly what the standard states. They are not re-typed in zod: a hand copy of some
 * 300 fields would only drift from the standard it copies. What tsunagu itself adds — the page
 * envelope (HSDS's `Page` with `contents` and the directory's `license`) and the API root — is zod
 * like the rest of the API.
 *
 * Each standard record has a zod stand-in in the `apiSchemas` registry under the component's id
 * (a JSON object, which is what TypeScript checks a route's body against); openapi.ts writes the
 * standard's schema for that id instead of the stand-in's. Real answers are validated against the
 * document's schemas in src/routes/api/v1/openapi.test.ts, which also checks that each component,
 * resolved, equals the standard's compiled schema.
 */
import { z } from 'zod';
import { HSDS_VERSION } from '../opendata';
import { apiSchemas, component } from './schemas';
import accessibility from './hsds-standard/accessibility.json';
import address from './hsds-standard/address.json';
import attribute from './hsds-standard/attribute.json';
import contact from './hsds-standard/contact.json';
import costOption from './hsds-standard/cost_option.json';
import funding from './hsds-standard/funding.json';
import language from './hsds-standard/language.json';
import location from './hsds-standard/location.json';
import metadata from './hsds-standard/metadata.json';
import organization from './hsds-standard/organization.json';
import organizationIdentifier from './hsds-standard/organization_identifier.json';
import phone from './hsds-standard/phone.json';
import program from './hsds-standard/program.json';
import requiredDocument from './hsds-standard/required_document.json';
import schedule from './hsds-standard/schedule.json';
import service from './hsds-standard/service.json';
import serviceArea from './hsds-standard/service_area.json';
import serviceAtLocation from './hsds-standard/service_at_location.json';
import taxonomy from './hsds-standard/taxonomy.json';
import taxonomyTerm from './hsds-standard/taxonomy_term.json';
import serviceList from './hsds-standard/service_list.json';
import organizationList from './hsds-standard/organization_list.json';
import serviceAtLocationList from './hsds-standard/service_at_location_list.json';

type JsonSchema = Record<string, unknown>;

/** The standard's object schemas by file name (the name their `$ref`s use). */
const OBJECTS: Record<string, JsonSchema> = {
	'accessibility.json': accessibility,
	'address.json': address,
	'attribute.json': attribute,
	'contact.json': contact,
	'cost_option.json': costOption,
	'funding.json': funding,
	'language.json': language,
	'location.json': location,
	'metadata.json': metadata,
	'organization.json': organization,
	'organization_identifier.json': organizationIdentifier,
	'phone.json': phone,
	'program.json': program,
	'required_document.json': requiredDocument,
	'schedule.json': schedule,
	'service.json': service,
	'service_area.json': serviceArea,
	'service_at_location.json': serviceAtLocation,
	'taxonomy.json': taxonomy,
	'taxonomy_term.json': taxonomyTerm
};

const REF = '#/components/schemas/';

/** `service_at_location.json` → `HsdsServiceAtLocation`. */
export const hsdsComponentId = (file: string) => 'Hsds' + file.replace(/\.json$/, '').replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());

/** A standard schema with its references to other files made references to their components. */
function linked<T>(node: T): T {
	if (Array.isArray(node)) return node.map(linked) as T;
	if (!node || typeof node !== 'object') return node;
	return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v in OBJECTS ? REF + hsdsComponentId(v) : linked(v)])) as T;
}

const without = (schema: JsonSchema, property: string): JsonSchema => {
	const properties = { ...(schema.properties as Record<string, unknown>) };
	delete properties[property];
	return { ...schema, properties };
};

let built: Record<string, JsonSchema> | undefined;

/**
 * Every Hsds* component: the object schemas; the three list views (compiled/*_list.json, the
 * one-to-one fields the list paths answer); and the two nested views HSDS's own compiler adds
 * (compiled/organization.json: the organization with its `services`; compiled/service_at_location.json:
 * with its `service`, whose own `service_at_locations` it leaves out).
 */
export function hsdsStandardComponents(): Record<string, JsonSchema> {
	if (built) return built;
	const out: Record<string, JsonSchema> = {};
	for (const [file, schema] of Object.entries(OBJECTS)) out[hsdsComponentId(file)] = linked(schema);
	out.HsdsServiceList = serviceList;
	out.HsdsOrganizationList = organizationList;
	out.HsdsServiceAtLocationList = serviceAtLocationList;
	const org = out.HsdsOrganization as { properties: Record<string, unknown> };
	out.HsdsOrganizationNested = { ...org, properties: { ...org.properties, services: { type: 'array', items: { $ref: REF + 'HsdsService' } } } };
	const sal = out.HsdsServiceAtLocation as { properties: Record<string, unknown> };
	out.HsdsServiceAtLocationNested = { ...sal, properties: { ...sal.properties, service: without(out.HsdsService, 'service_at_locations') } };
	return (built = out);
}

/** A record whose schema is the standard's component `id` (the stand-in in the registry is a JSON object). */
const standard = (id: string) => {
	const schema = z.record(z.string(), z.unknown());
	apiSchemas.add(schema, { id });
	return schema;
};

export const HsdsService = standard('HsdsService');
export const HsdsServiceList = standard('HsdsServiceList');
export const HsdsOrganizationNested = standard('HsdsOrganizationNested');
export const HsdsOrganizationList = standard('HsdsOrganizationList');
export const HsdsServiceAtLocationNested = standard('HsdsServiceAtLocationNested');
export const HsdsServiceAtLocationList = standard('HsdsServiceAtLocationList');
export const HsdsTaxonomy = standard('HsdsTaxonomy');
export const HsdsTaxonomyTerm = standard('HsdsTaxonomyTerm');

// ── what tsunagu adds ──────────────────────────────────────────────────────────────────────────

export const HsdsLicence = component(
	'HsdsLicence',
	z.object({
		name: z.string(),
		identifier: z.string().describe('SPDX identifier, e.g. CC-BY-4.0.'),
		url: z.url().describe('The licence’s page (also the Link rel="license" header).'),
		attribution: z.string().optional().describe('The credit line to show, when the licence asks for credit.')
	}),
	'The directory’s licence now (the secretariat’s choice), stated by every HSDS page and the root.'
);

const count = z.number().int().min(0);

/** HSDS's `Page` (its openapi.json components/schemas/Page), with the page's contents and the licence. */
const page = <T extends z.ZodType>(id: string, item: T, what: string) =>
	component(
		id,
		z.object({
			total_items: count.describe('The total number of entities (e.g. services, organizations) returned'),
			total_pages: count.min(1).describe('Count of total pages.'),
			page_number: count.min(1).describe('The number of the current page'),
			size: count.describe('The number of entities in the current page.'),
			first_page: z.boolean().describe('A Boolean value indicating if this is the first page'),
			last_page: z.boolean().describe('A Boolean value indicating if this is the last page'),
			empty: z.boolean().describe('A Boolean value indicating if there is an empty result set'),
			license: HsdsLicence,
			contents: z.array(item)
		}),
		`HSDS’s Page of ${what}, with the directory’s licence.`
	);

/** A service as /services lists it: its one-to-one fields with its organization's, or fully nested with full=true. */
export const HsdsServiceItem = z.union([HsdsService, HsdsServiceList]);
export const HsdsServicePage = page('HsdsServicePage', HsdsServiceItem, 'services: their one-to-one fields, or fully nested with full=true');
export const HsdsOrganizationPage = page('HsdsOrganizationPage', HsdsOrganizationList, 'organizations: their one-to-one fields');
export const HsdsServiceAtLocationPage = page('HsdsServiceAtLocationPage', z.union([HsdsServiceAtLocationNested, HsdsServiceAtLocationList]), 'services at locations: one-to-one fields, or the service fully nested with full=true');
export const HsdsTaxonomyPage = page('HsdsTaxonomyPage', HsdsTaxonomy, 'taxonomies');
export const HsdsTaxonomyTermPage = page('HsdsTaxonomyTermPage', HsdsTaxonomyTerm, 'taxonomy terms');

export const HsdsRoot = component(
	'HsdsRoot',
	z.object({
		version: z.literal(HSDS_VERSION).describe('HSDS version of this API.'),
		openapi_url: z.url().describe('URL of the OpenAPI document which defines this API (/api/hsds/openapi.json).'),
		license: HsdsLicence
	}),
	'The HSDS API root: its version, its OpenAPI document, the directory’s licence.'
);
