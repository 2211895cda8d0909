/**
 * The OpenAPI document against the code: every API route folder is in it, every route answers
 * through the endpoint contract of its path and methods (the contracts the document is written
 * from), it is a valid OpenAPI 3.1 document as far as can be checked offline (every $ref
 * resolves, every path parameter is declared, every schema compiles under JSON Schema 2020-12),
 * and real answers of the built app over HTTP have a status their contract declares and match the
 * schema the document declares for their path, method and status.
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
import { openApiDocument } from '$lib/server/api/openapi';
import * as contracts from '$lib/server/api/contracts';
import type { Endpoint } from '$lib/server/api/endpoint';
import { refuse, respond } from '$lib/server/api/respond';
import { finderQuery } from '$lib/server/directory';

type Json = Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;

const ROUTES = path.resolve(import.meta.dirname, '../..');
const API_ROOT = path.join(ROUTES, 'api');
const BASE = 'https://tsunagu.test/schemas/';

/** Route ids of every folder under src/routes/api with a +server.ts, as paths of the document (/api/v1 is the server URL). */
function apiRoutePaths(): string[] {
	return apiRouteFiles().map((r) => r.path);
}

/** Every +server.ts under src/routes/api (but /api/hsds), with its route id as a path of the document. */
function apiRouteFiles(): Array<{ path: string; file: string }> {
	const found: Array<{ path: string; file: string }> = [];
	const walk = (dir: string) => {
		for (const name of readdirSync(dir)) {
			const full = path.join(dir, name);
			// /api/hsds follows Open Referral HSDS 3.0's own OpenAPI document, not this one (see src/routes/api/hsds).
			if (statSync(full).isDirectory()) {
				if (full !== path.join(API_ROOT, 'hsds')) walk(full);
			} else if (name === '+server.ts') {
				const id = '/' + path.relative(ROUTES, dir).split(path.sep).join('/');
				found.push({ path: id.replace(/^\/api\/v1(?=\/)/, '').replace(/\[(\w+)\]/g, '{$1}'), file: full });
			}
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

function ajvFor(doc: Doc) {
	const ajv = new Ajv2020({ strict: true, allErrors: true });
	addFormats(ajv);
	for (const [id, schema] of Object.entries(doc.components.schemas as Record<string, Json>)) ajv.addSchema({ ...absolute(schema), $id: BASE + id });
	return ajv;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

const doc: Doc = openApiDocument('http://localhost');

describe('the OpenAPI document', () => {
	it('has every route folder under src/routes/api in its paths, and no path without a route', () => {
		const routes = apiRoutePaths();
		expect(routes.length).toBeGreaterThanOrEqual(6);
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
		expect(doc.paths['/programs'].get['x-query-schema']).toEqual({ $ref: '#/components/schemas/FinderQuery' });
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
		const answer = respond(contracts.recordTaps, 200, { accepted: ['a'], duplicates: [] });
		expect(await answer.json()).toEqual({ accepted: ['a'], duplicates: [] });
	});

	it('is OpenAPI 3.1 with operations that answer something, and every $ref resolves', () => {
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
					for (const [type, media] of Object.entries(response.content ?? {})) inline.push([`${method} ${p} ${status} ${type}`, (media as Doc).schema]);
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
		for (const name of ['lat', 'lng']) expect(doc.paths['/programs'].get.parameters.find((x: Doc) => x.name === name).description).toMatch(/both or neither/);
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
		const response = await fetch(app.baseUrl + '/api/v1' + url, { redirect: 'manual', ...init });
		expect(response.status, `${method} ${url}`).toBe(expectedStatus);
		expect(response.headers.get('content-type')).toMatch(/^application\/json/);
		const body = await response.json();
		const validate = declared(docPath, method, response.status);
		expect(validate(body) ? [] : validate.errors, `${method} ${url} ${response.status}`).toEqual([]);
		return body;
	}

	it('serves the document it generates, and the document validates itself', async () => {
		expect(served).toEqual(openApiDocument(app.baseUrl));
		await check('/openapi.json', '/openapi.json', 200);
	});

	it('the list, with and without a place, and its 400s', async () => {
		const page = await check('/programs', `/programs?q=${encodeURIComponent('居場所')}&per_page=5`, 200);
		expect(page.contents.length).toBeGreaterThan(0);
		const near = await check('/programs', `/programs?lat=35.6946&lng=139.9826&sort=distance&per_page=3`, 200);
		expect(near.contents[0].distance_km).toEqual(expect.any(Number));
		await check('/programs', `/programs?near=${encodeURIComponent('どこにもない町')}&per_page=2`, 200);
		const pair = await check('/programs', '/programs?lat=35.6', 400);
		expect(pair.error.details).toEqual([{ param: 'lng', code: 'lat_lng_pair', message: 'lat and lng go together' }]);
		await check('/programs', '/programs?per_page=0', 400);
		const refused = await check('/programs', '/programs?q=%00', 400);
		expect(refused.error.code).toBe('control_character');
	});

	it('a program, an organisation, a malformed id and an unknown one', async () => {
		const p = await check('/programs/{id}', `/programs/${program}`, 200);
		expect(p.id).toBe(program);
		await check('/organizations/{id}', `/organizations/${app.cast.orgA}`, 200);
		// One with places, schedules and next dates (every nested shape filled in).
		const filled = await check('/programs/{id}', `/programs/${full}`, 200);
		expect(filled.next_occurrences).toHaveLength(5);
		expect(filled.locations.length).toBeGreaterThan(0);
		await check('/organizations/{id}', `/organizations/${filled.organization.id}`, 200);
		for (const docPath of ['/programs/{id}', '/organizations/{id}']) {
			const base = docPath.replace('/{id}', '');
			await check(docPath, `${base}/not-a-uuid`, 400);
			await check(docPath, `${base}/00000000-0000-4000-8000-000000000000`, 404);
		}
	});

	it('check-in as a staff member: 201, then 200, and the refusals', async () => {
		const post = (body: unknown, person: keyof Cast['people'] = 'staff') => ({ method: 'POST', headers: staff(person), body: JSON.stringify(body) });
		const url = `/orgs/${app.cast.orgA}/checkins`;
		const first = await check('/orgs/{orgId}/checkins', url, 201, post({ occurrenceId: today, code: `TSUNAGU-C:${card}` }));
		expect(first).toMatchObject({ ok: true, result: 'checked_in', kind: 'card' });
		await check('/orgs/{orgId}/checkins', url, 200, post({ occurrenceId: today, code: card }));
		const invalid = await check('/orgs/{orgId}/checkins', url, 400, post({ occurrenceId: 'x' }));
		expect(invalid.error.details.map((d: { param: string }) => d.param).sort()).toEqual(['code', 'occurrenceId']);
		await check('/orgs/{orgId}/checkins', url, 400, post({ occurrenceId: today, code: '!!' }));
		await check('/orgs/{orgId}/checkins', url, 404, post({ occurrenceId: '00000000-0000-4000-8000-000000000000', code: card }));
		await check('/orgs/{orgId}/checkins', url, 409, post({ occurrenceId: today, code: 'ABCDE-23456' }));
		await check('/orgs/{orgId}/checkins', url, 403, post({ occurrenceId: today, code: card }, 'counsellor'));
		await check('/orgs/{orgId}/checkins', '/orgs/not-an-org/checkins', 404, post({ occurrenceId: today, code: card }));
		const anonymous = await check('/orgs/{orgId}/checkins', url, 401, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/json' }, body: '{}' });
		expect(anonymous.error.code).toBe('unauthenticated');
	});

	it('taps as a staff member: accepted, then duplicates, and the refusals', async () => {
		const url = `/orgs/${app.cast.orgA}/taps`;
		const tap = { clientKey: 'openapi-tap-0001', programId: program, occurrenceId: today, countedAt: new Date().toISOString(), ageBand: '20s', gender: 'not_given', firstVisit: true };
		const post = (body: unknown, person: keyof Cast['people'] = 'staff') => ({ method: 'POST', headers: staff(person), body: JSON.stringify(body) });
		expect(await check('/orgs/{orgId}/taps', url, 200, post({ taps: [tap] }))).toEqual({ accepted: [tap.clientKey], duplicates: [] });
		expect(await check('/orgs/{orgId}/taps', url, 200, post({ taps: [tap] }))).toEqual({ accepted: [], duplicates: [tap.clientKey] });
		await check('/orgs/{orgId}/taps', url, 400, post({ taps: [] }));
		await check('/orgs/{orgId}/taps', url, 400, post({ taps: [{ ...tap, clientKey: 'openapi-tap-0002', countedAt: '2001-01-01T00:00:00Z' }] }));
		await check('/orgs/{orgId}/taps', url, 404, post({ taps: [{ ...tap, clientKey: 'openapi-tap-0003', programId: programB, occurrenceId: null }] }));
		await check('/orgs/{orgId}/taps', url, 403, post({ taps: [tap] }, 'adminB'));
	});

	it('an anonymous consultation: 201 ordinary (no hotlines), 201 urgent (hotlines), and the refusals', async () => {
		const post = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
		const ordinary = await check('/consultations', '/consultations', 201, post({ message: '子ども食堂の場所を教えてください', organization_id: app.cast.orgA }));
		expect(ordinary.urgent).toBe(false);
		expect(ordinary).not.toHaveProperty('hotlines');
		const urgent = await check('/consultations', '/consultations', 201, post({ message: 'もう消えたい', nickname: 'そら' }));
		expect(urgent.urgent).toBe(true);
		expect(urgent.hotlines.length).toBeGreaterThan(0);
		await check('/consultations', '/consultations', 400, post({ message: '' }));
		await check('/consultations', '/consultations', 400, post({ message: 'x', organization_id: 'nope' }));
		await check('/consultations', '/consultations', 404, post({ message: 'x', organization_id: '00000000-0000-4000-8000-000000000000' }));
		const nul = await check('/consultations', '/consultations', 400, post({ message: 'a\u0000b' }));
		expect(nul.error.code).toBe('control_character');
	});

	it('the LINE webhook with no channel configured: 404 as documented', async () => {
		const answer = await check('/line/webhook', '/line/webhook', 404, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', 'x-line-signature': 'c2lnbmF0dXJl' }, body: JSON.stringify({ destination: 'U0', events: [] }) });
		expect(answer.error.code).toBe('not_found');
	});

	it('a burst beyond the admission limits: 503 overloaded, as documented for every path', async () => {
		const responses = await Promise.all(Array.from({ length: 12 }, () => fetch(`${app.baseUrl}/api/v1/programs?q=${encodeURIComponent('居場所')}`)));
		const shed = responses.filter((r) => r.status === 503);
		expect(shed.length).toBeGreaterThan(0);
		for (const r of responses) {
			const body = await r.json();
			const validate = declared('/programs', 'get', r.status);
			expect(validate(body) ? [] : validate.errors, String(r.status)).toEqual([]);
			if (r.status === 503) expect(body.error.code).toBe('overloaded');
		}
		for (const [p, item] of Object.entries(served.paths as Record<string, Record<string, Doc>>)) {
			for (const [method, op] of Object.entries(item)) expect(op.responses['503'], `${method} ${p}`).toBeTruthy();
		}
	});
});
