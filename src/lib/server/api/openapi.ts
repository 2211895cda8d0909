/**
 * The OpenAPI 3.1 document. Query parameters come from the same zod schema that validates
 * requests (finderQuery), so the document cannot drift from the code.
 */
import { z } from 'zod';
import { finderQuery } from '../directory';

const descriptions: Record<string, string> = {
	q: 'Free text in Japanese or English (kana/kanji/width variants and synonyms are matched). At most 200 characters.',
	life_stage: 'Life stage code (taxonomy life_stage). Programs for any age (all_ages) are included.',
	prefecture: '都道府県, e.g. 東京都.',
	city: '市区町村, e.g. 世田谷区.',
	form: '取組のかたち code (taxonomy form).',
	target: '届けたい人たち code (taxonomy target).',
	weekday: 'RFC 5545 weekday: MO TU WE TH FR SA SU.',
	when: 'today, weekend (this Saturday and Sunday) or next7, in Asia/Tokyo, by next occurrence.',
	free: 'Only free programs (1/true).',
	no_registration: 'Only programs that need no booking (1/true).',
	language: 'Language code.',
	online: 'Only programs one can join online (1/true).',
	lat: 'Latitude to measure distance from (with lng).',
	lng: 'Longitude to measure distance from (with lat).',
	near: 'A place name (市区町村 or 都道府県) to measure distance from.',
	sort: 'relevance (default with q), next (default without q), or distance.',
	page: 'Page number, from 1.',
	per_page: 'Items per page, 1–100.'
};

function queryParameters() {
	const schema = z.toJSONSchema(finderQuery, { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, object> };
	return Object.entries(schema.properties).map(([name, s]) => ({ name, in: 'query', required: false, description: descriptions[name], schema: s }));
}

const error = {
	type: 'object',
	required: ['error'],
	properties: {
		error: {
			type: 'object',
			required: ['code', 'message', 'details'],
			properties: {
				code: { type: 'string' },
				message: { type: 'string' },
				details: { type: 'array', items: { type: 'object', properties: { param: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } } } }
			}
		}
	}
};

const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };

export function openApiDocument(origin: string) {
	const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
	return {
		openapi: '3.1.0',
		info: {
			title: 'tsunagu public directory API',
			version: '1.0.0',
			description: 'Programs (HSDS 3.0 services), organisations and their schedules for loneliness and isolation support in a region. Read-only, no authentication.'
		},
		servers: [{ url: `${origin}/api/v1` }],
		paths: {
			'/programs': {
				get: {
					operationId: 'searchPrograms',
					summary: 'Search published programs',
					parameters: queryParameters(),
					responses: {
						'200': { description: 'A page of programs', content: { 'application/json': { schema: { $ref: '#/components/schemas/ProgramPage' } } } },
						'400': errorResponse('Invalid parameters')
					}
				}
			},
			'/programs/{id}': {
				get: {
					operationId: 'getProgram',
					summary: 'One program with its places, schedules and next five dates',
					parameters: [idParameter],
					responses: { '200': { description: 'The program', content: { 'application/json': { schema: { type: 'object' } } } }, '400': errorResponse('Malformed id'), '404': errorResponse('Not found') }
				}
			},
			'/organizations/{id}': {
				get: {
					operationId: 'getOrganization',
					summary: 'One organisation and its programs',
					parameters: [idParameter],
					responses: { '200': { description: 'The organisation', content: { 'application/json': { schema: { type: 'object' } } } }, '400': errorResponse('Malformed id'), '404': errorResponse('Not found') }
				}
			}
		},
		components: {
			schemas: {
				Error: error,
				ProgramPage: {
					type: 'object',
					required: ['total_items', 'total_pages', 'page_number', 'size', 'first_page', 'last_page', 'empty', 'contents'],
					properties: {
						total_items: { type: 'integer' },
						total_pages: { type: 'integer' },
						page_number: { type: 'integer' },
						size: { type: 'integer' },
						first_page: { type: 'boolean' },
						last_page: { type: 'boolean' },
						empty: { type: 'boolean' },
						contents: {
							type: 'array',
							items: {
								type: 'object',
								required: ['id', 'name', 'organization'],
								properties: {
									id: { type: 'string', format: 'uuid' },
									name: { type: 'string' },
									description: { type: 'string' },
									organization: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' } } },
									next_occurrence: { type: ['object', 'null'] },
									distance_km: { type: ['number', 'null'] }
								}
							}
						}
					}
				}
			}
		}
	};
}
