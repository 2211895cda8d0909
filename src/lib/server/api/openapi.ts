/**
 * The OpenAPI 3.1 documents, generated from the endpoint contracts the routes parse and answer
 * with (contracts.ts): `paths` has one operation per contract — its parameters from the zod
 * objects of path, query and headers (each property's description is the parameter's), its body
 * and answers as `$ref`s — and components/schemas come from `z.toJSONSchema` over the `apiSchemas`
 * registry (schemas.ts; JSON Schema 2020-12, which OpenAPI 3.1 uses), the HSDS records being the
 * standard's own schemas (hsds-schemas.ts).
 *
 * Two documents from the same contracts: `/api/v1/openapi.json` describes every operation under
 * /api (server `{origin}/api`, paths `/v1/…` and `/hsds/…`, tagged v1 and hsds — one server for
 * both, since both have an `/organizations/{id}`); `/api/hsds/openapi.json` is the HSDS API's
 * slice with HSDS's own paths (server `{origin}/api/hsds`, `/services`…), the one its root's
 * `openapi_url` names, as HSDS asks. src/routes/api/v1/openapi.test.ts checks that every route
 * is in the first and that real responses match what is declared.
 */
import { z } from 'zod';
import { apiSchemas } from './schemas';
import { endpoints } from './contracts';
import { apiOf, type Answer, type Endpoint } from './endpoint';
import { hsdsStandardComponents } from './hsds-schemas';
import { DIRECTORY_LICENCE, HSDS_OPENAPI_URL, HSDS_VERSION } from '../opendata';

const REF = '#/components/schemas/';
const ref = (id: string) => ({ $ref: REF + id });

type JsonSchema = Record<string, unknown>;

/** Dates parsed by z.coerce.date() arrive in JSON as date-time strings. */
const dateAsString = (ctx: { zodSchema: z.core.$ZodTypes; jsonSchema: JsonSchema }) => {
	if (ctx.zodSchema._zod.def.type === 'date') Object.assign(ctx.jsonSchema, { type: 'string', format: 'date-time' });
};

/** A component as OpenAPI wants it: no $schema (the document's dialect is 2020-12) and no $id. */
function bare(schema: JsonSchema): JsonSchema {
	const rest = { ...schema };
	delete rest.$schema;
	delete rest.$id;
	return rest;
}

/**
 * components/schemas: responses as the server writes them (io output: every field required,
 * no others), requests as clients send them (io input: defaults optional). One call per direction
 * over the same registry; each component is taken from the direction the contracts use it in.
 */
let components: Record<string, JsonSchema> | undefined;

/** Generated once per process: the schemas do not change while it runs. */
function componentSchemas(): Record<string, JsonSchema> {
	return (components ??= generateComponents());
}

/** The components clients send: every contract's query and body. */
function requestComponents(): Set<string> {
	const ids = new Set<string>();
	for (const e of endpoints) for (const schema of [e.query, e.body]) if (schema && apiSchemas.has(schema)) ids.add(apiSchemas.get(schema)!.id);
	return ids;
}

function generateComponents(): Record<string, JsonSchema> {
	const common = { target: 'draft-2020-12' as const, uri: (id: string) => REF + id, unrepresentable: 'any' as const, override: dateAsString };
	const output = z.toJSONSchema(apiSchemas, { ...common, io: 'output' }).schemas as Record<string, JsonSchema>;
	const input = z.toJSONSchema(apiSchemas, { ...common, io: 'input' }).schemas as Record<string, JsonSchema>;
	const requests = requestComponents();
	// The HSDS records are the standard's schemas, not their zod stand-ins'.
	const standard = hsdsStandardComponents();
	const out: Record<string, JsonSchema> = {};
	for (const id of [...new Set([...Object.keys(output), ...Object.keys(standard)])].sort()) out[id] = standard[id] ?? bare(requests.has(id) ? input[id] : output[id]);
	return out;
}

/** A schema as it appears in an operation: a $ref when it is a component, else inline. */
function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
	const id = apiSchemas.get(schema)?.id;
	return id ? ref(id) : bare(z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any', override: dateAsString }) as JsonSchema);
}

/** One parameter per property of a zod object (as a client sends it); its description moves to the parameter. */
function parameters(schema: z.ZodObject | undefined, where: 'path' | 'query' | 'header') {
	if (!schema) return [];
	const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as { properties: Record<string, JsonSchema>; required?: string[] };
	return Object.entries(json.properties).map(([name, s]) => {
		const { description, ...rest } = s;
		return { name, in: where, required: where === 'path' || (json.required ?? []).includes(name), description, schema: rest };
	});
}

const jsonContent = (schema: JsonSchema) => ({ 'application/json': { schema } });

/**
 * NDJSON: the body is lines, each one JSON value. OpenAPI 3.1 has no word for a line's schema
 * (3.2 adds `itemSchema` to the media type for such sequential types): it is stated as
 * `x-itemSchema`, and the body's own schema as a string.
 */
const ndjsonContent = (line: z.ZodType) => ({ 'application/x-ndjson': { schema: { type: 'string', description: 'One JSON record a line (NDJSON); each line matches x-itemSchema.' }, 'x-itemSchema': schemaOf(line, 'output') } });

function response(answer: Answer) {
	const schemas = Array.isArray(answer.json) ? (answer.json as readonly z.ZodType[]) : [answer.json as z.ZodType];
	const json = schemas.length === 1 ? schemaOf(schemas[0], 'output') : { oneOf: schemas.map((x) => schemaOf(x, 'output')) };
	const headers = answer.headers && Object.fromEntries(Object.entries(answer.headers).map(([name, h]) => [name, { description: h.description, schema: schemaOf(h.schema, 'output') }]));
	return {
		description: answer.description,
		...(headers ? { headers } : {}),
		content: { ...jsonContent(json), ...(answer.ndjson ? ndjsonContent(answer.ndjson) : {}), ...(answer.html ? { 'text/html': { schema: { type: 'string' } } } : {}) }
	};
}

/** The operation a contract describes. */
function operation(e: Endpoint) {
	const queryId = e.query && apiSchemas.get(e.query)?.id;
	const params = [...parameters(e.params, 'path'), ...parameters(e.query, 'query'), ...parameters(e.headers, 'header')];
	return {
		operationId: e.operationId,
		tags: [apiOf(e)],
		summary: e.summary,
		...(e.description ? { description: e.description } : {}),
		...(queryId ? { 'x-query-schema': ref(queryId) } : {}),
		...(e.security ? { security: e.security } : {}),
		...(params.length ? { parameters: params } : {}),
		...(e.body ? { requestBody: { required: true, content: jsonContent(schemaOf(e.body, 'input')) } } : {}),
		responses: Object.fromEntries(Object.entries(e.responses).map(([status, answer]) => [status, response(answer)]))
	};
}

/** `paths`: the operations of these contracts, by path (`key`) and method. */
function paths(list: readonly Endpoint[], key: (e: Endpoint) => string) {
	const out: Record<string, Record<string, ReturnType<typeof operation>>> = {};
	for (const e of list) (out[key(e)] ??= {})[e.method.toLowerCase()] = operation(e);
	return out;
}

/** The components these paths refer to, directly or through other components. */
function referred(from: unknown): Record<string, JsonSchema> {
	const all = componentSchemas();
	const ids = new Set<string>();
	const visit = (node: unknown): void => {
		if (Array.isArray(node)) return node.forEach(visit);
		if (!node || typeof node !== 'object') return;
		for (const [k, v] of Object.entries(node)) {
			if (k === '$ref' && typeof v === 'string' && v.startsWith(REF) && !ids.has(v.slice(REF.length))) {
				ids.add(v.slice(REF.length));
				visit(all[v.slice(REF.length)]);
			} else visit(v);
		}
	};
	visit(from);
	return Object.fromEntries([...ids].sort().map((id) => [id, all[id]]));
}

type Licence = { name: string; identifier: string };

const HSDS_DESCRIPTION =
	'Open Referral’s Human Services Data Specification 3.0 API over the published directory: a tsunagu program is an HSDS service, an organisation an organization, a place a location. ' +
	'Paths, parameters and records follow HSDS’s own OpenAPI document (externalDocs); the records’ schemas are the standard’s (Hsds* components, © Open Referral, CC BY-SA 4.0). Read-only, no authentication. ' +
	'Every answer states the directory’s licence (a page’s and the root’s `license`, and a `Link: rel="license"` header).';

const HSDS_UPSTREAM = { description: 'The Open Referral HSDS 3.0 OpenAPI document this API follows', url: HSDS_OPENAPI_URL };

const TAGS = [
	{ name: 'v1', description: 'tsunagu’s own API (/api/v1): programs, organisations, the staff endpoints, consultations, the LINE webhook.' },
	{ name: 'hsds', description: `The HSDS ${HSDS_VERSION} API (/api/hsds). ${HSDS_DESCRIPTION}`, externalDocs: HSDS_UPSTREAM }
];

/** The data's licence, as on /opendata (the licence of what the API returns). */
const licenseOf = (licence: Licence) => ({ name: licence.name, identifier: licence.identifier });

/**
 * The document of every operation under /api (`/api/v1/openapi.json`); `licence` is the
 * directory's licence now (info.license), CC BY 4.0 by default.
 */
export function openApiDocument(origin: string, licence: Licence = DIRECTORY_LICENCE) {
	return {
		openapi: '3.1.0',
		jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
		info: {
			title: 'tsunagu API',
			version: '1.0.0',
			license: licenseOf(licence),
			description:
				'Programs (HSDS 3.0 services), organisations and their schedules for loneliness and isolation support in a region. Two APIs under one server: tsunagu’s own (/v1, tag v1) and the HSDS 3.0 API (/hsds, tag hsds; also described alone by /hsds/openapi.json). ' +
				'Read-only and without authentication, but for two staff endpoints (check-in at the door, anonymous head counts) that take the session cookie of a signed-in staff member. ' +
				'Every error the API answers itself has the shape `{"error": {"code", "message", "details": [{"param", "code", "message"}]}}`.'
		},
		servers: [{ url: `${origin}/api` }],
		tags: TAGS,
		paths: paths(endpoints, (e) => e.path),
		components: {
			schemas: componentSchemas(),
			securitySchemes: {
				session: { type: 'apiKey', in: 'cookie', name: 'tsunagu_session', description: 'The session cookie of a signed-in staff member (plain http, development).' },
				sessionHttps: { type: 'apiKey', in: 'cookie', name: '__Host-tsunagu_session', description: 'The session cookie of a signed-in staff member over https.' }
			}
		}
	};
}

/** The HSDS API's own document (`/api/hsds/openapi.json`): its operations with HSDS's paths, and the components they use. */
export function hsdsOpenApiDocument(origin: string, licence: Licence = DIRECTORY_LICENCE) {
	const hsdsPaths = paths(
		endpoints.filter((e) => apiOf(e) === 'hsds'),
		(e) => e.path.slice('/hsds'.length) || '/'
	);
	return {
		openapi: '3.1.0',
		jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
		info: { title: `tsunagu HSDS ${HSDS_VERSION} API`, version: '1.0.0', license: licenseOf(licence), description: HSDS_DESCRIPTION + ' Every error the API answers itself has the shape `{"error": {"code", "message", "details": [{"param", "code", "message"}]}}`.' },
		externalDocs: HSDS_UPSTREAM,
		servers: [{ url: `${origin}/api/hsds` }],
		tags: TAGS.filter((t) => t.name === 'hsds'),
		paths: hsdsPaths,
		components: { schemas: referred(hsdsPaths) }
	};
}
