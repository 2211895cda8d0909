/**
 * The OpenAPI documents against the code: every route folder under src/routes/api (/api/v1 and
 * /api/hsds) is in /api/v1/openapi.json, every route answers through the endpoint contract of its
 * path and methods (the contracts the documents are written from), each is a valid OpenAPI 3.1
 * document as far as can be checked offline (every $ref resolves, every path parameter is
 * declared, every schema compiles under JSON Schema 2020-12), the HSDS records' schemas are the
 * standard's own, /api/hsds/openapi.json is the HSDS slice of the same operations, and real
 * answers of the built app over HTTP have a status their contract declares and match the schema
 * the document declares for their path, method and status.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { useApp } from '../../../../tests/helpers/app';
import { makeOccurrence, makePlace, makeProgram } from '../../../../tests/helpers/factories';
import type { Cast } from '../../../../tests/helpers/people';
import { localDay } from '$lib/server/directory';
import { issueCard } from '$lib/server/participation';
import { systemScope } from '$lib/server/scope/system';
import { hsdsOpenApiDocument, openApiDocument } from '$lib/server/api/openapi';
import * as contracts from '$lib/server/api/contracts';
import type { Endpoint } from '$lib/server/api/endpoint';
import { hsdsComponentId } from '$lib/server/api/hsds-schemas';
import { refuse, respond } from '$lib/server/api/respond';
import { finderQuery } from '$lib/server/directory';
import { hsdsQuery } from '$lib/server/opendata';

type Json = Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;

const ROUTES = path.resolve(import.meta.dirname, '../..');
const API_ROOT = path.join(ROUTES, 'api');
const BASE = 'https://tsunagu.test/schemas/';
/** Open Referral's compiled HSDS 3.0 schemas, as published (tests/fixtures/hsds, README there). */
const HSDS_FIXTURES = path.resolve(import.meta.dirname, '../../../../tests/fixtures/hsds');

/** Route ids of every folder under src/routes/api with a +server.ts, as paths of the document (/api is the server URL). */
function apiRoutePaths(): string[] {
	return apiRouteFiles().map((r) => r.path);
}

/** Every +server.ts under src/routes/api, with its route id below /api as a path of the document. */
function apiRouteFiles(): Array<{ path: string; file: string }> {
	const found: Array<{ path: string; file: string }> = [];
	const walk = (dir: string) => {
		for (const name of readdirSync(dir)) {
			const full = path.join(dir, name);
			if (statSync(full).isDirectory()) walk(full);
			else if (name === '+server.ts') found.push({ path: ('/' + path.relative(API_ROOT, dir).split(path.sep).join('/')).replace(/\[(\w+)\]/g, '{$1}'), file: full });
		}
	};
	if (existsSync(API_ROOT)) walk(API_ROOT);
	return found.sort((a, b) => a.path.localeCompare(b.path));
}

/** The contracts module's exported contracts, by name. */
const CONTRACTS = new Map(Object.entries(contracts as Record<string, unknown>).filter(([, v]) => typeof v === 'object' && v !== null && 'operationId' in v) as Array<[string, Endpoint]>);

/** The contract of a path and method, as the tests name them (document path, lower-case method). */
function contractOf(docPath: string, method: string): Endpoint | undefined {
	return contracts.endpoints.find((e) => e.path === docPath && e.method.toLowerCase() === method);
}

/** Every `$ref` in the document, with where it was found. */
function refsOf(node: unknown, at = '#'): Array<{ at: string; ref: string }> {
	if (Array.isArray(node)) return node.flatMap((v, i) => refsOf(v, `${at}/${i}`));
	if (!node || typeof node !== 'object') return [];
	return Object.entries(node as Json).flatMap(([k, v]) => (k === '$ref' && typeof v === 'string' ? [{ at, ref: v }] : refsOf(v, `${at}/${k}`)));
}

function resolvePointer(doc: Doc, ref: string): unknown {
	if (!ref.startsWith('#/')) return undefined;
	return ref
		.slice(2)
		.split('/')
		.map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'))
		.reduce((node: Doc, key) => (node === undefined || node === null ? undefined : node[key]), doc);
}

/** The document's schemas with their #/components/schemas/ refs made absolute, so ajv can hold them all. */
function absolute<T>(value: T): T {
	return JSON.parse(JSON.stringify(value).replaceAll('"#/components/schemas/', `"${BASE}`));
}

/** The annotation keywords of HSDS's schemas (its tabular datapackage's and examples): known, so strict mode still refuses any other. */
const HSDS_KEYWORDS = ['name', 'path', 'datapackage_metadata', 'datapackage_type', 'constraints', 'core', 'tabular_required', 'example'];

function ajvFor(doc: Doc) {
	const ajv = new Ajv2020({ strict: true, allErrors: true });
	addFormats(ajv);
	ajv.addVocabulary(HSDS_KEYWORDS);
	for (const [id, schema] of Object.entries(doc.components.schemas as Record<string, Json>)) ajv.addSchema({ ...absolute(schema), $id: BASE + id });
	return ajv;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

const doc: Doc = openApiDocument('http://localhost');
const hsdsDoc: Doc = hsdsOpenApiDocument('http://localhost');

/** A component with every $ref replaced by what it points at (its sibling keywords kept beside), as HSDS's compiler writes its compiled schemas. */
function resolved(node: unknown, within: Doc): unknown {
	if (Array.isArray(node)) return node.map((x) => resolved(x, within));
	if (!node || typeof node !== 'object') return node;
	const { $ref, ...rest } = node as Json;
	const here = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, resolved(v, within)]));
	return typeof $ref === 'string' ? { ...(resolved(resolvePointer(within, $ref), within) as Json), ...here } : here;
}

const fixture = (file: string) => JSON.parse(readFileSync(path.join(HSDS_FIXTURES, file), 'utf8'));

describe('the OpenAPI document', () => {
	it('has every route folder under src/routes/api in its paths, and no path without a route', () => {
		const routes = apiRoutePaths();
		expect(routes.length).toBeGreaterThanOrEqual(20);
		expect(routes).toEqual(expect.arrayContaining(['/v1/programs', '/hsds', '/hsds/services/{id}', '/hsds/openapi.json']));
		const documented = Object.keys(doc.paths).sort();
		expect({ missing: routes.filter((r) => !documented.includes(r)), stale: documented.filter((p) => !routes.includes(p)) }).toEqual({ missing: [], stale: [] });
	});

	it('has a route for every contract, and each route answers through the contracts of its path and methods', () => {
		// Every exported contract is in the document's list, once.
		expect(contracts.endpoints.filter((e, i) => contracts.endpoints.indexOf(e) !== i)).toEqual([]);
		expect([...CONTRACTS.values()].filter((e) => !contracts.endpoints.includes(e)).map((e) => e.operationId)).toEqual([]);
		expect(CONTRACTS.size).toBe(contracts.endpoints.length);
		const routes = apiRouteFiles();
		for (const { path: routePath, file } of routes) {
			const source = readFileSync(file, 'utf8');
			const verbs = [...source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]).sort();
			const imported = [...source.matchAll(/import \{([^}]*)\} from '\$lib\/server\/api\/contracts'/g)].flatMap((m) => m[1].split(',').map((x) => x.trim().split(/\s+as\s+/)[0]));
			const used = imported.map((name) => CONTRACTS.get(name));
			expect(used, `${routePath}: imports ${imported.join(', ')}`).not.toContain(undefined);
			expect(used.map((e) => `${e!.method} ${e!.path}`).sort(), routePath).toEqual(verbs.map((v) => `${v} ${routePath}`));
		}
		const routed = routes.flatMap((r) => r.path);
		expect(contracts.endpoints.filter((e) => !routed.includes(e.path)).map((e) => e.path)).toEqual([]);
	});

	it('parses with the schemas the document describes (the same objects, no copies)', () => {
		expect(contracts.searchPrograms.query).toBe(finderQuery);
		expect(doc.paths['/v1/programs'].get['x-query-schema']).toEqual({ $ref: '#/components/schemas/FinderQuery' });
		// Each HSDS list path's query is a part of opendata's HSDS query, its parameters the same objects.
		const lists = contracts.hsdsEndpoints.filter((e) => 'query' in e);
		expect(lists.map((e) => e.path)).toEqual(['/hsds/services', '/hsds/organizations', '/hsds/service_at_locations', '/hsds/taxonomies', '/hsds/taxonomy_terms']);
		for (const e of lists) for (const [name, schema] of Object.entries(e.query.shape)) expect(schema, `${e.path} ${name}`).toBe(hsdsQuery.shape[name as keyof typeof hsdsQuery.shape]);
		for (const e of contracts.endpoints) {
			const op = doc.paths[e.path][e.method.toLowerCase()];
			expect(Object.keys(op.responses).sort(), e.operationId).toEqual(Object.keys(e.responses).sort());
			if (e.body) expect(op.requestBody.content['application/json'].schema.$ref, e.operationId).toMatch(/^#\/components\/schemas\//);
		}
	});

	it('lets a route answer only a status its contract declares, with that status’s body (checked by npm run check)', async () => {
		// @ts-expect-error 409 is not an answer of GET /programs/{id}
		expect(refuse(contracts.getProgram, 409, 'x', 'x').status).toBe(409);
		// @ts-expect-error 200 of the check-in is a CheckInResult, not an Error
		expect(refuse(contracts.checkIn, 200, 'x', 'x').status).toBe(200);
		// @ts-expect-error 201 is not an answer of POST /orgs/{orgId}/taps
		expect(respond(contracts.recordTaps, 201, { accepted: [], duplicates: [] }).status).toBe(201);
		// @ts-expect-error the taps' answer has no `counted`
		expect(respond(contracts.recordTaps, 200, { accepted: [], duplicates: [], counted: 1 }).status).toBe(200);
		// @ts-expect-error the HSDS root states version 3.0
		expect(respond(contracts.getAPIMetaInformation, 200, { version: '2.0', openapi_url: 'x', license: { name: 'x', identifier: 'x', url: 'x' } }).status).toBe(200);
		// @ts-expect-error 409 is not an answer of GET /hsds/services/{id}
		expect(refuse(contracts.getFullyNestedServiceById, 409, 'x', 'x').status).toBe(409);
		const answer = respond(contracts.recordTaps, 200, { accepted: ['a'], duplicates: [] });
		expect(await answer.json()).toEqual({ accepted: ['a'], duplicates: [] });
	});

	it.each([
		['/api/v1/openapi.json', doc],
		['/api/hsds/openapi.json', hsdsDoc]
	])('%s is OpenAPI 3.1 with operations that answer something, and every $ref resolves', (_, doc: Doc) => {
		expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
		expect(doc.info.title).toBeTruthy();
		expect(doc.info.version).toBeTruthy();
		// The data's licence, as on /opendata (issue 17).
		expect(doc.info.license).toEqual({ name: 'CC BY 4.0', identifier: 'CC-BY-4.0' });
		const unresolved = refsOf(doc).filter(({ ref }) => resolvePointer(doc, ref) === undefined);
		expect(unresolved).toEqual([]);
		const ids = new Set<string>();
		for (const [p, item] of Object.entries(doc.paths as Record<string, Json>)) {
			expect(p).toMatch(/^\//);
			for (const [method, op] of Object.entries(item as Record<string, Doc>)) {
				expect(METHODS, `${p} ${method}`).toContain(method);
				expect(Object.keys(op.responses).length, `${p} ${method}`).toBeGreaterThan(0);
				for (const status of Object.keys(op.responses)) expect(status).toMatch(/^[1-5]\d\d$/);
				expect(ids.has(op.operationId), op.operationId).toBe(false);
				ids.add(op.operationId);
				for (const requirement of op.security ?? []) for (const scheme of Object.keys(requirement)) expect(doc.components.securitySchemes).toHaveProperty(scheme);
			}
		}
	});

	it('declares every path parameter, required, and no path parameter the path lacks', () => {
		for (const [p, item] of Object.entries(doc.paths as Record<string, Record<string, Doc>>)) {
			const inTemplate = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
			for (const [method, op] of Object.entries(item)) {
				const declared = (op.parameters ?? []).filter((x: Doc) => x.in === 'path');
				expect(declared.map((x: Doc) => x.name).sort(), `${method} ${p}`).toEqual(inTemplate);
				for (const x of declared) expect(x.required, `${method} ${p} ${x.name}`).toBe(true);
			}
		}
	});

	it('has schemas that all compile under JSON Schema 2020-12 (ajv strict, with formats)', () => {
		const ajv = ajvFor(doc);
		for (const id of Object.keys(doc.components.schemas)) expect(ajv.getSchema(BASE + id), id).toBeTruthy();
		const inline: Array<[string, Json]> = [];
		for (const [p, item] of Object.entries(doc.paths as Record<string, Record<string, Doc>>)) {
			for (const [method, op] of Object.entries(item)) {
				for (const x of op.parameters ?? []) inline.push([`${method} ${p} parameter ${x.name}`, x.schema]);
				for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) inline.push([`${method} ${p} body ${type}`, (media as Doc).schema]);
				for (const [status, response] of Object.entries(op.responses as Record<string, Doc>)) {
					for (const [type, media] of Object.entries(response.content ?? {})) {
						inline.push([`${method} ${p} ${status} ${type}`, (media as Doc).schema]);
						if ((media as Doc)['x-itemSchema']) inline.push([`${method} ${p} ${status} ${type} line`, (media as Doc)['x-itemSchema']]);
					}
				}
			}
		}
		expect(inline.length).toBeGreaterThan(20);
		for (const [where, schema] of inline) expect(() => ajv.compile(absolute(schema)), where).not.toThrow();
	});

	it('states the lat/lng pairing in the finder query schema', () => {
		const ajv = ajvFor(doc);
		const query = ajv.getSchema(BASE + 'FinderQuery')!;
		expect(query({ lat: 35.6, lng: 139.7 })).toBe(true);
		expect(query({})).toBe(true);
		expect(query({ lat: 35.6 })).toBe(false);
		expect(query({ lng: 139.7 })).toBe(false);
		for (const name of ['lat', 'lng']) expect(doc.paths['/v1/programs'].get.parameters.find((x: Doc) => x.name === name).description).toMatch(/both or neither/);
	});

	it('states the HSDS records with the standard’s own schemas: each object schema as published, the answers’ views equal to its compiled ones', () => {
		// Each object schema as Open Referral publishes it, once its component references are file names again.
		const files = readdirSync(path.join(HSDS_FIXTURES, 'tables')).filter((f) => f !== 'meta_table_description.json');
		const fileOf = new Map(files.map((f) => [`#/components/schemas/${hsdsComponentId(f)}`, f]));
		const unlinked = (node: unknown): unknown => JSON.parse(JSON.stringify(node), (k, v) => (k === '$ref' && fileOf.has(v) ? fileOf.get(v) : v));
		expect(files.length).toBe(20);
		for (const f of files) expect(unlinked(doc.components.schemas[hsdsComponentId(f)]), f).toEqual(fixture(`tables/${f}`));
		// What the paths answer, resolved, is exactly HSDS's compiled schema of it.
		for (const [id, file] of [
			['HsdsService', 'service.json'],
			['HsdsServiceList', 'service_list.json'],
			['HsdsOrganizationNested', 'organization.json'],
			['HsdsOrganizationList', 'organization_list.json'],
			['HsdsServiceAtLocationNested', 'service_at_location.json'],
			['HsdsServiceAtLocationList', 'service_at_location_list.json']
		]) {
			expect(resolved(doc.components.schemas[id], doc), id).toEqual(fixture(file));
		}
		expect(doc.paths['/hsds/services/{id}'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/HsdsService' });
		expect(doc.paths['/hsds/organizations/{id}'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/HsdsOrganizationNested' });
	});

	it('is one document for every route under /api, tagged per API; /api/hsds/openapi.json is its HSDS slice under HSDS’s own paths', () => {
		expect(doc.servers).toEqual([{ url: 'http://localhost/api' }]);
		expect(hsdsDoc.servers).toEqual([{ url: 'http://localhost/api/hsds' }]);
		for (const [p, item] of Object.entries(doc.paths as Record<string, Record<string, Doc>>)) for (const op of Object.values(item)) expect(op.tags, p).toEqual([p.split('/')[1]]);
		expect(doc.tags.map((t: Doc) => t.name)).toEqual(['v1', 'hsds']);
		const hsdsPaths = Object.keys(doc.paths).filter((p) => p === '/hsds' || p.startsWith('/hsds/'));
		expect(Object.keys(hsdsDoc.paths)).toEqual(hsdsPaths.map((p) => p.slice('/hsds'.length) || '/'));
		expect(Object.keys(hsdsDoc.paths)).toEqual(expect.arrayContaining(['/', '/services', '/services/{id}', '/organizations/{id}', '/openapi.json']));
		for (const p of hsdsPaths) expect(hsdsDoc.paths[p.slice('/hsds'.length) || '/'], p).toEqual(doc.paths[p]);
		// Its components are the full document's, only those its operations use.
		for (const [id, schema] of Object.entries(hsdsDoc.components.schemas)) expect(schema, id).toEqual(doc.components.schemas[id]);
		expect(Object.keys(hsdsDoc.components.schemas)).toEqual(expect.arrayContaining(['HsdsServicePage', 'HsdsService', 'HsdsAttribute', 'Error']));
		expect(Object.keys(hsdsDoc.components.schemas)).not.toContain('Program');
		expect(hsdsDoc.externalDocs.url).toMatch(/^https:\/\/raw\.githubusercontent\.com\/openreferral\/specification\/3\.0\//);
	});
});

describe('real answers of the built app match the document', () => {
	let served: Doc;
	let ajv: Ajv2020;
	/** A's program without a place or a schedule (the empty shapes), and one with everything filled in. */
	let program: string;
	let full: string;
	let programB: string;
	let today: string;
	let card: string;

	const app = useApp({
		seed: 'oa',
		// Small admission limits (one request at a time, two waiting), so that a burst meets the
		// server's load shedding; the tests' requests one after another are not affected.
		env: { MAX_CONCURRENT_REQUESTS: '1', MAX_QUEUED_REQUESTS: '2', QUEUE_TIMEOUT_MS: '5000' },
		async before({ database, cast }) {
			program = await makeProgram(database.db, cast.orgA, { schedule: null });
			// In Funabashi, on the point the list's distance search is asked from; its words hold 居場所, which the list searches.
			const place = await makePlace(database.db, cast.orgA, { prefecture: '千葉県', city: '船橋市', line: '本町1-2-3', postalCode: '273-0005', lat: 35.6946, lng: 139.9826, accessibility: '段差なし', transport: '駅から徒歩5分' });
			full = await makeProgram(database.db, cast.orgA, {
				placeIds: [place],
				edit: { title: 'みんなの居場所カフェ', cost: { kind: 'fixed', amountYen: 100, note: '飲み物代' }, joinNote: '初めての方も歓迎', contact: { phone: '03-0000-0000', email: 'cafe@example.org', url: 'https://example.org/cafe' } }
			});
			programB = await makeProgram(database.db, cast.orgB);
			const day = localDay(new Date());
			// Today's date of the program, with no registration of its own (it follows the program, which has no settings).
			({ id: today } = await makeOccurrence(database.db, cast.orgA, program, { startsAt: new Date(`${day}T10:00:00+09:00`), followsProgram: true }));
			const issued = await issueCard(systemScope(database.db, 'test:openapi'), { organizationIds: [cast.orgA], ageBand: '30s', gender: 'female' });
			if (!issued.ok) throw new Error(issued.reason);
			card = issued.value.code;
		}
	});

	beforeAll(async () => {
		served = await (await fetch(`${app.baseUrl}/api/v1/openapi.json`)).json();
		ajv = ajvFor(served);
	});

	/** The validator for the schema the served document declares for this answer (which the contract declares). */
	function declared(docPath: string, method: string, status: number, type = 'application/json'): ValidateFunction {
		expect(Object.keys(contractOf(docPath, method)?.responses ?? {}), `${method} ${docPath}: the contract does not declare ${status}`).toContain(String(status));
		const op = served.paths[docPath]?.[method];
		expect(op, `${method} ${docPath}`).toBeTruthy();
		const response = op.responses[String(status)];
		expect(response, `${method} ${docPath} ${status} is not documented`).toBeTruthy();
		const schema = response.content?.[type]?.schema;
		expect(schema, `${method} ${docPath} ${status} ${type}`).toBeTruthy();
		return ajv.compile(absolute(schema));
	}

	const staff = (person: keyof Cast['people'] = 'staff') => ({ ...app.cookie(app.cast.people[person].token), accept: 'application/json', 'content-type': 'application/json' });

	async function check(docPath: string, url: string, expectedStatus: number, init: RequestInit = {}) {
		const method = (init.method ?? 'GET').toLowerCase();
		const response = await fetch(app.baseUrl + '/api' + url, { redirect: 'manual', ...init });
		expect(response.status, `${method} ${url}`).toBe(expectedStatus);
		expect(response.headers.get('content-type')).toMatch(/^application\/json/);
		const body = await response.json();
		const validate = declared(docPath, method, response.status);
		expect(validate(body) ? [] : validate.errors, `${method} ${url} ${response.status}`).toEqual([]);
		return body;
	}

	it('serves the documents it generates, and they validate against themselves', async () => {
		expect(served).toEqual(openApiDocument(app.baseUrl));
		await check('/v1/openapi.json', '/v1/openapi.json', 200);
		const hsds = await check('/hsds/openapi.json', '/hsds/openapi.json', 200);
		expect(hsds).toEqual(hsdsOpenApiDocument(app.baseUrl));
	});

	it('the list, with and without a place, and its 400s', async () => {
		const page = await check('/v1/programs', `/v1/programs?q=${encodeURIComponent('居場所')}&per_page=5`, 200);
		expect(page.contents.length).toBeGreaterThan(0);
		const near = await check('/v1/programs', `/v1/programs?lat=35.6946&lng=139.9826&sort=distance&per_page=3`, 200);
		expect(near.contents[0].distance_km).toEqual(expect.any(Number));
		await check('/v1/programs', `/v1/programs?near=${encodeURIComponent('どこにもない町')}&per_page=2`, 200);
		const pair = await check('/v1/programs', '/v1/programs?lat=35.6', 400);
		expect(pair.error.details).toEqual([{ param: 'lng', code: 'lat_lng_pair', message: 'lat and lng go together' }]);
		await check('/v1/programs', '/v1/programs?per_page=0', 400);
		const refused = await check('/v1/programs', '/v1/programs?q=%00', 400);
		expect(refused.error.code).toBe('control_character');
	});

	it('every program of the demo region in the list, page by page (a place covering a whole prefecture has no 市区町村)', async () => {
		const seen: string[] = [];
		for (let page = 1; ; page++) {
			const body = await check('/v1/programs', `/v1/programs?per_page=100&page=${page}`, 200);
			seen.push(...body.contents.map((c: Json) => c.id as string));
			if (body.last_page) break;
		}
		expect(seen.length).toBeGreaterThan(100);
		const wide = await check('/v1/programs', `/v1/programs?q=${encodeURIComponent('静岡県全域')}`, 200);
		expect(wide.contents.some((c: Json) => (c.location as Json | null)?.city === null)).toBe(true);
	});

	it('a program, an organisation, a malformed id and an unknown one', async () => {
		const p = await check('/v1/programs/{id}', `/v1/programs/${program}`, 200);
		expect(p.id).toBe(program);
		await check('/v1/organizations/{id}', `/v1/organizations/${app.cast.orgA}`, 200);
		// One with places, schedules and next dates (every nested shape filled in).
		const filled = await check('/v1/programs/{id}', `/v1/programs/${full}`, 200);
		expect(filled.next_occurrences).toHaveLength(5);
		expect(filled.locations.length).toBeGreaterThan(0);
		await check('/v1/organizations/{id}', `/v1/organizations/${filled.organization.id}`, 200);
		for (const docPath of ['/v1/programs/{id}', '/v1/organizations/{id}']) {
			const base = docPath.replace('/{id}', '');
			await check(docPath, `${base}/not-a-uuid`, 400);
			await check(docPath, `${base}/00000000-0000-4000-8000-000000000000`, 404);
		}
	});

	it('check-in as a staff member: 201, then 200, and the refusals', async () => {
		const post = (body: unknown, person: keyof Cast['people'] = 'staff') => ({ method: 'POST', headers: staff(person), body: JSON.stringify(body) });
		const url = `/v1/orgs/${app.cast.orgA}/checkins`;
		const first = await check('/v1/orgs/{orgId}/checkins', url, 201, post({ occurrenceId: today, code: `TSUNAGU-C:${card}` }));
		expect(first).toMatchObject({ ok: true, result: 'checked_in', kind: 'card' });
		await check('/v1/orgs/{orgId}/checkins', url, 200, post({ occurrenceId: today, code: card }));
		const invalid = await check('/v1/orgs/{orgId}/checkins', url, 400, post({ occurrenceId: 'x' }));
		expect(invalid.error.details.map((d: { param: string }) => d.param).sort()).toEqual(['code', 'occurrenceId']);
		await check('/v1/orgs/{orgId}/checkins', url, 400, post({ occurrenceId: today, code: '!!' }));
		await check('/v1/orgs/{orgId}/checkins', url, 404, post({ occurrenceId: '00000000-0000-4000-8000-000000000000', code: card }));
		await check('/v1/orgs/{orgId}/checkins', url, 409, post({ occurrenceId: today, code: 'ABCDE-23456' }));
		await check('/v1/orgs/{orgId}/checkins', url, 403, post({ occurrenceId: today, code: card }, 'counsellor'));
		await check('/v1/orgs/{orgId}/checkins', '/v1/orgs/not-an-org/checkins', 404, post({ occurrenceId: today, code: card }));
		const anonymous = await check('/v1/orgs/{orgId}/checkins', url, 401, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/json' }, body: '{}' });
		expect(anonymous.error.code).toBe('unauthenticated');
	});

	it('taps as a staff member: accepted, then duplicates, and the refusals', async () => {
		const url = `/v1/orgs/${app.cast.orgA}/taps`;
		const tap = { clientKey: 'openapi-tap-0001', programId: program, occurrenceId: today, countedAt: new Date().toISOString(), ageBand: '20s', gender: 'not_given', firstVisit: true };
		const post = (body: unknown, person: keyof Cast['people'] = 'staff') => ({ method: 'POST', headers: staff(person), body: JSON.stringify(body) });
		expect(await check('/v1/orgs/{orgId}/taps', url, 200, post({ taps: [tap] }))).toEqual({ accepted: [tap.clientKey], duplicates: [] });
		expect(await check('/v1/orgs/{orgId}/taps', url, 200, post({ taps: [tap] }))).toEqual({ accepted: [], duplicates: [tap.clientKey] });
		await check('/v1/orgs/{orgId}/taps', url, 400, post({ taps: [] }));
		await check('/v1/orgs/{orgId}/taps', url, 400, post({ taps: [{ ...tap, clientKey: 'openapi-tap-0002', countedAt: '2001-01-01T00:00:00Z' }] }));
		await check('/v1/orgs/{orgId}/taps', url, 404, post({ taps: [{ ...tap, clientKey: 'openapi-tap-0003', programId: programB, occurrenceId: null }] }));
		await check('/v1/orgs/{orgId}/taps', url, 403, post({ taps: [tap] }, 'adminB'));
	});

	it('an anonymous consultation: 201 ordinary (no hotlines), 201 urgent (hotlines), and the refusals', async () => {
		const post = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
		const ordinary = await check('/v1/consultations', '/v1/consultations', 201, post({ message: '子ども食堂の場所を教えてください', organization_id: app.cast.orgA }));
		expect(ordinary.urgent).toBe(false);
		expect(ordinary).not.toHaveProperty('hotlines');
		const urgent = await check('/v1/consultations', '/v1/consultations', 201, post({ message: 'もう消えたい', nickname: 'そら' }));
		expect(urgent.urgent).toBe(true);
		expect(urgent.hotlines.length).toBeGreaterThan(0);
		await check('/v1/consultations', '/v1/consultations', 400, post({ message: '' }));
		await check('/v1/consultations', '/v1/consultations', 400, post({ message: 'x', organization_id: 'nope' }));
		await check('/v1/consultations', '/v1/consultations', 404, post({ message: 'x', organization_id: '00000000-0000-4000-8000-000000000000' }));
		const nul = await check('/v1/consultations', '/v1/consultations', 400, post({ message: 'a\u0000b' }));
		expect(nul.error.code).toBe('control_character');
	});

	it('the HSDS API: root, lists (brief and full), records, taxonomies, its 400s and 404s', async () => {
		const root = await check('/hsds', '/hsds', 200);
		expect(root.openapi_url).toBe(`${app.baseUrl}/api/hsds/openapi.json`);
		await check('/hsds/services', '/hsds/services?per_page=20', 200);
		await check('/hsds/services', '/hsds/services?full=true&per_page=20', 200);
		const cafe = `search=${encodeURIComponent('みんなの居場所カフェ')}`;
		expect((await check('/hsds/services', `/hsds/services?${cafe}`, 200)).contents.map((s: Json) => s.id)).toContain(full);
		const fully = await check('/hsds/services', `/hsds/services?${cafe}&full=true`, 200);
		expect(fully.contents.find((s: Json) => s.id === full).service_at_locations.length).toBeGreaterThan(0);
		// The service with a place, a cost, a phone and schedules: every nested shape filled in.
		const service = await check('/hsds/services/{id}', `/hsds/services/${full}`, 200);
		expect(Object.keys(service)).toEqual(expect.arrayContaining(['phones', 'schedules', 'service_at_locations', 'cost_options', 'organization']));
		await check('/hsds/services/{id}', `/hsds/services/${program}`, 200);
		await check('/hsds/organizations', '/hsds/organizations?per_page=5', 200);
		const organization = await check('/hsds/organizations/{id}', `/hsds/organizations/${app.cast.orgA}`, 200);
		expect(organization.services.length).toBeGreaterThan(0);
		await check('/hsds/service_at_locations', '/hsds/service_at_locations', 200);
		const atPlaces = await check('/hsds/service_at_locations', '/hsds/service_at_locations?full=true', 200);
		expect(atPlaces.contents.length).toBeGreaterThan(0);
		await check('/hsds/service_at_locations/{id}', `/hsds/service_at_locations/${atPlaces.contents[0].id}`, 200);
		const taxonomies = await check('/hsds/taxonomies', '/hsds/taxonomies', 200);
		await check('/hsds/taxonomies/{id}', `/hsds/taxonomies/${taxonomies.contents[0].id}`, 200);
		const terms = await check('/hsds/taxonomy_terms', `/hsds/taxonomy_terms?taxonomy_id=${taxonomies.contents[0].id}`, 200);
		await check('/hsds/taxonomy_terms/{id}', `/hsds/taxonomy_terms/${terms.contents[0].id}`, 200);
		for (const [docPath, url] of [
			['/hsds/services', '/hsds/services?page=-1'],
			['/hsds/services', '/hsds/services?postcode=160-0023&proximity=abc'],
			['/hsds/services', '/hsds/services?postcode=000-0000'],
			['/hsds/services', '/hsds/services?search=%00'],
			['/hsds/organizations', '/hsds/organizations?format=ndjson'],
			['/hsds/service_at_locations', '/hsds/service_at_locations?proximity=500'],
			['/hsds/taxonomy_terms', '/hsds/taxonomy_terms?per_page=101']
		]) {
			const refused = await check(docPath, url, 400);
			expect(refused.error.details.length, url).toBeGreaterThan(0);
		}
		for (const docPath of ['/hsds/services/{id}', '/hsds/organizations/{id}', '/hsds/service_at_locations/{id}', '/hsds/taxonomies/{id}', '/hsds/taxonomy_terms/{id}']) {
			const base = docPath.replace('/{id}', '');
			expect((await check(docPath, `${base}/not-a-uuid`, 400)).error.code).toBe('invalid_id');
			expect((await check(docPath, `${base}/00000000-0000-4000-8000-000000000000`, 404)).error.code).toBe('not_found');
		}
	});

	it('the HSDS services as NDJSON: every line matches the line schema the document declares', async () => {
		const page = await check('/hsds/services', '/hsds/services?per_page=1', 200);
		const media = served.paths['/hsds/services'].get.responses['200'].content['application/x-ndjson'];
		expect(Object.keys(contractOf('/hsds/services', 'get')!.responses)).toContain('200');
		const validate = ajv.compile(absolute(media['x-itemSchema']));
		for (const query of ['format=ndjson', 'format=ndjson&full=true']) {
			const response = await fetch(`${app.baseUrl}/api/hsds/services?${query}`);
			expect(response.status).toBe(200);
			expect(response.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
			const lines = (await response.text()).split('\n').filter(Boolean);
			expect(lines.length).toBe(page.total_items);
			for (const line of lines) expect(validate(JSON.parse(line)) ? [] : validate.errors, `${query}: ${line.slice(0, 80)}`).toEqual([]);
		}
	});

	it('the LINE webhook with no channel configured: 404 as documented', async () => {
		const answer = await check('/v1/line/webhook', '/v1/line/webhook', 404, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', 'x-line-signature': 'c2lnbmF0dXJl' }, body: JSON.stringify({ destination: 'U0', events: [] }) });
		expect(answer.error.code).toBe('not_found');
	});

	it('a burst beyond the admission limits: 503 overloaded, as documented for every path', async () => {
		// The same search at twelve addresses (empty pairs, which the query parser skips): a search asked
		// before is answered from the public cache, too quickly to make a queue.
		const responses = await Promise.all(Array.from({ length: 12 }, (_, i) => fetch(`${app.baseUrl}/api/v1/programs?q=${encodeURIComponent('居場所')}${'&'.repeat(i + 1)}`)));
		const shed = responses.filter((r) => r.status === 503);
		expect(shed.length).toBeGreaterThan(0);
		for (const r of responses) {
			const body = await r.json();
			const validate = declared('/v1/programs', 'get', r.status);
			expect(validate(body) ? [] : validate.errors, String(r.status)).toEqual([]);
			if (r.status === 503) expect(body.error.code).toBe('overloaded');
		}
		for (const [p, item] of Object.entries(served.paths as Record<string, Record<string, Doc>>)) {
			for (const [method, op] of Object.entries(item)) expect(op.responses['503'], `${method} ${p}`).toBeTruthy();
		}
	});
});
