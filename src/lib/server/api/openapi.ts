/**
 * The OpenAPI 3.1 document, generated from the zod schemas the routes parse and type with
 * (api/schemas.ts, the finder's query, participation's tap batch): components/schemas come from
 * `z.toJSONSchema` (JSON Schema 2020-12, which OpenAPI 3.1 uses), and paths refer to them.
 * src/routes/api/v1/openapi.test.ts checks that every route is here and that real responses
 * match what is declared.
 */
import { z } from 'zod';
import { finderQuery } from '../directory';
import { apiSchemas, idPathParams, orgPathParams } from './schemas';
import { DIRECTORY_LICENCE } from '../opendata';

const descriptions: Record<string, string> = {
	q: 'Free text in Japanese or English (kana/kanji/width variants and synonyms are matched). At most 200 characters.',
	life_stage: 'Life stage code (taxonomy life_stage). Programs for any age (all_ages) are included.',
	prefecture: '都道府県, e.g. 東京都.',
	city: '市区町村, e.g. 世田谷区.',
	form: '取組のかたち code (taxonomy form).',
	target: '届けたい人たち code (taxonomy target).',
	weekday: 'RFC 5545 weekday: MO TU WE TH FR SA SU.',
	when: 'now (meeting at this moment), today, weekend (this Saturday and Sunday) or next7, in Asia/Tokyo, by next occurrence. Programs whose dates are not known follow the dated ones, with schedule_known false.',
	free: 'Only free programs (1/true).',
	no_registration: 'Only programs that need no booking (1/true).',
	language: 'Language code.',
	online: 'Only programs one can join online (1/true).',
	lat: 'Latitude to measure distance from. lat and lng go together: both or neither (else 400 with code lat_lng_pair).',
	lng: 'Longitude to measure distance from. lat and lng go together: both or neither (else 400 with code lat_lng_pair).',
	near: 'A place name (市区町村 or 都道府県) to measure distance from.',
	sort: 'relevance (default with q), next (default without q), or distance.',
	page: 'Page number, from 1.',
	per_page: 'Items per page, 1–100.'
};

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
 * no others), request bodies as clients send them (io input: defaults optional). One call per
 * direction over the same registry; each component is taken from the direction it is used in.
 */
const REQUEST_COMPONENTS = new Set(['CheckInRequest', 'TapBatch', 'FinderQuery', 'ConsultationRequest', 'LineWebhookDelivery']);

let components: Record<string, JsonSchema> | undefined;

/** Generated once per process: the schemas do not change while it runs. */
function componentSchemas(): Record<string, JsonSchema> {
	return (components ??= generateComponents());
}

function generateComponents(): Record<string, JsonSchema> {
	const common = { target: 'draft-2020-12' as const, uri: (id: string) => REF + id, unrepresentable: 'any' as const, override: dateAsString };
	const output = z.toJSONSchema(apiSchemas, { ...common, io: 'output' }).schemas as Record<string, JsonSchema>;
	const input = z.toJSONSchema(apiSchemas, { ...common, io: 'input' }).schemas as Record<string, JsonSchema>;
	const out: Record<string, JsonSchema> = {};
	for (const id of Object.keys(output).sort()) out[id] = bare(REQUEST_COMPONENTS.has(id) ? input[id] : output[id]);
	out.FinderQuery = bare(finderQueryObject());
	return out;
}

/** The finder's query as one object: its fields and the lat/lng pairing (dependentRequired). */
function finderQueryObject(): JsonSchema {
	return z.toJSONSchema(finderQuery, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

function queryParameters() {
	const properties = finderQueryObject().properties as Record<string, JsonSchema>;
	return Object.entries(properties).map(([name, schema]) => ({ name, in: 'query', required: false, description: descriptions[name], schema }));
}

function pathParameters(schema: z.ZodObject) {
	const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }) as { properties: Record<string, JsonSchema> };
	return Object.entries(json.properties).map(([name, s]) => {
		const { description, ...rest } = s;
		return { name, in: 'path', required: true, description, schema: rest };
	});
}

const jsonContent = (schema: JsonSchema) => ({ 'application/json': { schema } });
const errorResponse = (description: string) => ({ description, content: jsonContent(ref('Error')) });

/** What the production server answers before the app when it is full (scripts/serve.ts). */
const overloaded = {
	description: 'The server is busy (admission control): error code `overloaded`; try again after Retry-After seconds.',
	headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } },
	content: jsonContent(ref('Error'))
};

/** A control character in a parameter or an unreadable form body is refused before the route (hooks.server.ts). */
const BOUNDARY = 'Input refused at the boundary (code control_character or unreadable_form)';

/** A JSON body over the server's size limit is refused before the route (hooks.server.ts, boundary/input.ts). */
const tooLarge = () => errorResponse('The body is over the server’s size limit (BODY_SIZE_LIMIT, 1 MiB by default): code too_large');

/** The session guard's answers for the staff endpoints: the platform's JSON error, never a redirect. */
const staffGuardResponses = {
	'401': {
		description: 'No session (Error, code unauthenticated).',
		content: jsonContent(ref('Error'))
	},
	'403': {
		description: 'The signed-in person may not record attendance in this organisation (Error, code forbidden), or holds a role whose second factor is not set up yet (Error, code second_factor_required).',
		content: jsonContent(ref('Error'))
	}
};

/** 404 from the operation (Error) or from the guard for a malformed organisation id (GuardError). */
const staffNotFound = (description: string) => ({
	description,
	content: { ...jsonContent({ oneOf: [ref('Error'), ref('GuardError')] }), 'text/html': { schema: { type: 'string' } } }
});

/** Staff endpoints: the session cookie (`__Host-` prefixed over https). */
const staffSecurity = [{ session: [] }, { sessionHttps: [] }];

/** The document; `licence` is the directory's licence now (info.license), CC BY 4.0 by default. */
export function openApiDocument(origin: string, licence: { name: string; identifier: string } = DIRECTORY_LICENCE) {
	const orgId = pathParameters(orgPathParams);
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
		paths: {
			'/programs': {
				get: {
					operationId: 'searchPrograms',
					summary: 'Search published programs',
					description: 'The query is the finder’s (components/schemas/FinderQuery, also in x-query-schema): lat and lng go together.',
					'x-query-schema': ref('FinderQuery'),
					parameters: queryParameters(),
					responses: {
						'200': { description: 'A page of programs', content: jsonContent(ref('ProgramPage')) },
						'400': errorResponse(`Invalid parameters (code invalid_parameter, a detail per parameter), or ${BOUNDARY}`),
						'503': overloaded
					}
				}
			},
			'/programs/{id}': {
				get: {
					operationId: 'getProgram',
					summary: 'One program with its places, schedules and next five dates',
					parameters: pathParameters(idPathParams),
					responses: {
						'200': { description: 'The program', content: jsonContent(ref('Program')) },
						'400': errorResponse(`Malformed id (code invalid_id), or ${BOUNDARY}`),
						'404': errorResponse('No published program has this id (code not_found)'),
						'503': overloaded
					}
				}
			},
			'/organizations/{id}': {
				get: {
					operationId: 'getOrganization',
					summary: 'One organisation and its programs',
					parameters: pathParameters(idPathParams),
					responses: {
						'200': { description: 'The organisation', content: jsonContent(ref('Organization')) },
						'400': errorResponse(`Malformed id (code invalid_id), or ${BOUNDARY}`),
						'404': errorResponse('No published organisation has this id (code not_found)'),
						'503': overloaded
					}
				}
			},
			'/orgs/{orgId}/checkins': {
				post: {
					operationId: 'checkIn',
					summary: 'Check one person in at one of the organisation’s dates, by card or registration reference',
					security: staffSecurity,
					parameters: orgId,
					requestBody: { required: true, content: jsonContent(ref('CheckInRequest')) },
					responses: {
						'200': { description: 'Already checked in (result `already`)', content: jsonContent(ref('CheckInResult')) },
						'201': { description: 'Checked in (result `checked_in`)', content: jsonContent(ref('CheckInResult')) },
						'400': errorResponse(`Body not as described (code invalid_body), an unreadable code (code bad_code), or ${BOUNDARY}`),
						'413': tooLarge(),
						...staffGuardResponses,
						'404': staffNotFound('No such date in this organisation (Error, code no_occurrence), or a malformed orgId (GuardError)'),
						'409': errorResponse('Refused; the code says why: not_today, occurrence_cancelled, unknown_card, revoked, unknown_registration, registration_cancelled, waitlisted, other_occurrence'),
						'503': overloaded
					}
				}
			},
			'/orgs/{orgId}/taps': {
				post: {
					operationId: 'recordTaps',
					summary: 'Record a batch of anonymous taps (idempotent by clientKey)',
					security: staffSecurity,
					parameters: orgId,
					requestBody: { required: true, content: jsonContent(ref('TapBatch')) },
					responses: {
						'200': { description: 'Which taps were counted now and which before', content: jsonContent(ref('TapsResult')) },
						'400': errorResponse(`Body not as described (code invalid_body), a tap at a date or time that cannot be (bad_occurrence, bad_time), or ${BOUNDARY}`),
						'413': tooLarge(),
						...staffGuardResponses,
						'404': staffNotFound('A tap names another organisation’s program (Error, code foreign_program), or a malformed orgId (GuardError)'),
						'503': overloaded
					}
				}
			},
			'/consultations': {
				post: {
					operationId: 'startConsultation',
					summary: 'Open an anonymous consultation; crisis triage answers the hotlines at once',
					description: 'No account and no session. The answer carries the person’s private thread link; `hotlines` is present only when triage matched (`urgent: true`). Submissions are limited per client network.',
					requestBody: { required: true, content: jsonContent(ref('ConsultationRequest')) },
					responses: {
						'201': { description: 'The thread was opened', content: jsonContent(ref('ConsultationCreated')) },
						'400': errorResponse(`Body not as described (code invalid_body, a detail per field), or ${BOUNDARY}`),
						'413': tooLarge(),
						'404': errorResponse('No organisation has this organization_id (code unknown_organization)'),
						'429': { description: 'Too many consultations from this network (code throttled); try again after Retry-After seconds.', headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } }, content: jsonContent(ref('Error')) },
						'503': { ...overloaded, description: 'The network has no consultation window yet (code no_window), or the server is busy (code overloaded; try again after Retry-After seconds).' }
					}
				}
			},
			'/line/webhook': {
				post: {
					operationId: 'receiveLineWebhook',
					summary: 'The LINE Messaging API webhook (for the LINE platform, not for clients)',
					description:
						'Only when a LINE channel is configured (LINE_CHANNEL_SECRET, LINE_CHANNEL_ACCESS_TOKEN); otherwise 404. The raw body must carry a valid X-Line-Signature (base64 HMAC-SHA256 with the channel secret). Each webhookEventId is processed once; a redelivery is acknowledged and skipped.',
					parameters: [{ name: 'X-Line-Signature', in: 'header', required: true, description: 'base64(HMAC-SHA256(channel secret, raw body))', schema: { type: 'string' } }],
					requestBody: { required: true, content: jsonContent(ref('LineWebhookDelivery')) },
					responses: {
						'200': { description: 'The events were stored (or had been before)', content: jsonContent(ref('LineWebhookReceived')) },
						'400': errorResponse(`Signed, but not a LINE delivery (code invalid_body), or ${BOUNDARY}`),
						'401': errorResponse('X-Line-Signature missing or not matching the body (code invalid_signature)'),
						'404': errorResponse('No LINE channel is configured (code not_found)'),
						'503': { ...overloaded, description: 'The network has no consultation window yet (code no_window; LINE redelivers), or the server is busy (code overloaded).' }
					}
				}
			},
			'/openapi.json': {
				get: {
					operationId: 'getOpenApiDocument',
					summary: 'This document',
					responses: {
						'200': { description: 'The OpenAPI 3.1 document', content: jsonContent(ref('OpenApiDocument')) },
						'400': errorResponse(BOUNDARY),
						'503': overloaded
					}
				}
			}
		},
		components: {
			schemas: componentSchemas(),
			securitySchemes: {
				session: { type: 'apiKey', in: 'cookie', name: 'tsunagu_session', description: 'The session cookie of a signed-in staff member (plain http, development).' },
				sessionHttps: { type: 'apiKey', in: 'cookie', name: '__Host-tsunagu_session', description: 'The session cookie of a signed-in staff member over https.' }
			}
		}
	};
}
