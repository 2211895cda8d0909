/**
 * The OpenAPI 3.1 document, generated from the endpoint contracts the routes parse and answer
 * with (contracts.ts): `paths` has one operation per contract — its parameters from the zod
 * objects of path, query and headers (each property's description is the parameter's), its body
 * and answers as `$ref`s — and components/schemas come from `z.toJSONSchema` over the `apiSchemas`
 * registry (schemas.ts; JSON Schema 2020-12, which OpenAPI 3.1 uses).
 * src/routes/api/v1/openapi.test.ts checks that every route is here and that real responses
 * match what is declared.
 */
import { z } from 'zod';
import { apiSchemas } from './schemas';
import { endpoints } from './contracts';
import type { Answer, Endpoint } from './endpoint';
import { DIRECTORY_LICENCE } from '../opendata';

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
	const out: Record<string, JsonSchema> = {};
	for (const id of Object.keys(output).sort()) out[id] = bare(requests.has(id) ? input[id] : output[id]);
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

function response(answer: Answer) {
	const schemas = Array.isArray(answer.json) ? (answer.json as readonly z.ZodType[]) : [answer.json as z.ZodType];
	const json = schemas.length === 1 ? schemaOf(schemas[0], 'output') : { oneOf: schemas.map((x) => schemaOf(x, 'output')) };
	const headers = answer.headers && Object.fromEntries(Object.entries(answer.headers).map(([name, h]) => [name, { description: h.description, schema: schemaOf(h.schema, 'output') }]));
	return {
		description: answer.description,
		...(headers ? { headers } : {}),
		content: { ...jsonContent(json), ...(answer.html ? { 'text/html': { schema: { type: 'string' } } } : {}) }
	};
}

/** The operation a contract describes. */
function operation(e: Endpoint) {
	const queryId = e.query && apiSchemas.get(e.query)?.id;
	const params = [...parameters(e.params, 'path'), ...parameters(e.query, 'query'), ...parameters(e.headers, 'header')];
	return {
		operationId: e.operationId,
		summary: e.summary,
		...(e.description ? { description: e.description } : {}),
		...(queryId ? { 'x-query-schema': ref(queryId) } : {}),
		...(e.security ? { security: e.security } : {}),
		...(params.length ? { parameters: params } : {}),
		...(e.body ? { requestBody: { required: true, content: jsonContent(schemaOf(e.body, 'input')) } } : {}),
		responses: Object.fromEntries(Object.entries(e.responses).map(([status, answer]) => [status, response(answer)]))
	};
}

/** `paths`: the contracts' operations, by path and method. */
function paths() {
	const out: Record<string, Record<string, ReturnType<typeof operation>>> = {};
	for (const e of endpoints) (out[e.path] ??= {})[e.method.toLowerCase()] = operation(e);
	return out;
}

/** The document; `licence` is the directory's licence now (info.license), CC BY 4.0 by default. */
export function openApiDocument(origin: string, licence: { name: string; identifier: string } = DIRECTORY_LICENCE) {
	return {
		openapi: '3.1.0',
		jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
		info: {
			title: 'tsunagu API',
			version: '1.0.0',
			// The published directory's licence (the data the API returns), as on /opendata.
			license: { name: licence.name, identifier: licence.identifier },
			description:
				'Programs (HSDS 3.0 services), organisations and their schedules for loneliness and isolation support in a region: read-only, no authentication. ' +
				'Two staff endpoints (check-in at the door, anonymous head counts) take the session cookie of a signed-in staff member. ' +
				'Every error the API answers itself has the shape `{"error": {"code", "message", "details": [{"param", "code", "message"}]}}`.'
		},
		servers: [{ url: `${origin}/api/v1` }],
		paths: paths(),
		components: {
			schemas: componentSchemas(),
			securitySchemes: {
				session: { type: 'apiKey', in: 'cookie', name: 'tsunagu_session', description: 'The session cookie of a signed-in staff member (plain http, development).' },
				sessionHttps: { type: 'apiKey', in: 'cookie', name: '__Host-tsunagu_session', description: 'The session cookie of a signed-in staff member over https.' }
			}
		}
	};
}
