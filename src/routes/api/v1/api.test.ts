/** The JSON API through its real route handlers, against a test database. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { testDatabase } from '../../../../tests/helpers/db';
import { makeOrganization, makeOrganizationWithProgram, makePlace, makeProgram, uniqueTag } from '../../../../tests/helpers/factories';
import type { Database } from '$lib/server/db';
import { useDatabase } from '$lib/server/db';
import { GET as listPrograms } from './programs/+server';
import { GET as getProgram } from './programs/[id]/+server';
import { GET as getOrganization } from './organizations/[id]/+server';
import { GET as openapi } from './openapi.json/+server';
import * as contracts from '$lib/server/api/contracts';
import type { Endpoint } from '$lib/server/api/endpoint';

let database: Database;
beforeAll(async () => {
	database = await testDatabase();
	useDatabase(database);
});
afterAll(() => database.close());

const CONTRACT_OF = new Map<unknown, Endpoint>([
	[listPrograms, contracts.searchPrograms],
	[getProgram, contracts.getProgram],
	[getOrganization, contracts.getOrganization],
	[openapi, contracts.getOpenApiDocument]
]);

// The handlers only read url, params and locals.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const call = async (handler: (e: any) => Response | Promise<Response>, path: string, params: Record<string, string> = {}) => {
	const url = new URL(path, 'http://localhost');
	const response = await handler({ url, params, locals: { locale: 'ja', largeText: false, requestId: 'test' }, request: new Request(url) });
	// Every answer is one the handler's contract (and so the OpenAPI document) declares.
	expect(Object.keys(CONTRACT_OF.get(handler)!.responses)).toContain(String(response.status));
	return { status: response.status, body: await response.json() };
};

describe('GET /api/v1/programs', () => {
	it('returns an HSDS-style page; each item names its organisation', async () => {
		const { status, body } = await call(listPrograms, '/api/v1/programs?q=フードパントリー&per_page=3');
		expect(status).toBe(200);
		expect(body).toMatchObject({ page_number: 1, size: 3, first_page: true, empty: false });
		expect(body.total_items).toBeGreaterThan(3);
		expect(body.total_pages).toBe(Math.ceil(body.total_items / 3));
		expect(body.contents).toHaveLength(3);
		for (const item of body.contents) {
			expect(item.organization.id).toMatch(/^[0-9a-f-]{36}$/);
			expect(item.organization.name).toBeTruthy();
		}
	});
	it('supports every documented filter name', async () => {
		const { status, body } = await call(listPrograms, '/api/v1/programs?q=相談&life_stage=youth&prefecture=北海道&city=室蘭市&form=consult_sns&target=hikikomori&language=ja&online=1&sort=relevance&page=1&per_page=10');
		expect(status).toBe(200);
		expect(body.contents.map((c: { name: string }) => c.name)).toContain('くるくるネットのLINE相談');
	});
	it.each([
		['page=-1', 'page'],
		['life_stage=unknown', 'life_stage'],
		['q=' + 'a'.repeat(10_000), 'q'],
		['q=' + 'あ'.repeat(10_000), 'q'],
		['per_page=0', 'per_page'],
		['when=someday', 'when'],
		['lat=91&lng=0', 'lat'],
		['sort=random', 'sort'],
		['audience=everyone', 'audience'],
		['audience=residents&audience=all', 'audience']
	])('400 with a structured error for %s', async (qs, param) => {
		const { status, body } = await call(listPrograms, `/api/v1/programs?${qs.slice(0, 20_000)}`);
		expect(status).toBe(400);
		expect(body.error.code).toBe('invalid_parameter');
		expect(body.error.details.map((d: { param: string }) => d.param)).toContain(param);
		expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
	});
});

describe('GET /api/v1/programs: audience and partial matches', () => {
	it('a residents’ search counts the supporters’ programs apart; audience=supporters lists them', async () => {
		const residents = await call(listPrograms, '/api/v1/programs?q=' + encodeURIComponent('さみしい'));
		expect(residents.status).toBe(200);
		expect(residents.body.contents.length).toBeGreaterThan(0);
		expect(residents.body.contents.every((c: { audience: string }) => c.audience === 'residents')).toBe(true);
		expect(residents.body.supporters_total).toBeGreaterThan(0);
		const supporters = await call(listPrograms, '/api/v1/programs?audience=supporters&q=' + encodeURIComponent('さみしい'));
		expect(supporters.status).toBe(200);
		expect(supporters.body.total_items).toBe(residents.body.supporters_total);
		expect(supporters.body.supporters_total).toBeNull();
		expect(supporters.body.contents.map((c: { name: string; audience: string }) => c.audience)).toEqual(supporters.body.contents.map(() => 'supporters'));
		const all = await call(listPrograms, '/api/v1/programs?audience=all&q=' + encodeURIComponent('さみしい'));
		expect(all.body.total_items).toBe(residents.body.total_items + residents.body.supporters_total);
	});
	it('partial matches when every word together finds too little', async () => {
		const { status, body } = await call(listPrograms, '/api/v1/programs?q=' + encodeURIComponent('高齢者 サロン 無料'));
		expect(status).toBe(200);
		expect(body.total_items).toBeLessThan(3);
		expect(body.partial[0].missing).toEqual(['無料']);
		expect(body.partial[0].total_items).toBeGreaterThanOrEqual(body.partial[0].contents.length);
		expect(body.partial[0].contents[0]).toMatchObject({ audience: 'residents', organization: { name: expect.any(String) } });
		const enough = await call(listPrograms, '/api/v1/programs?q=' + encodeURIComponent('高齢者 サロン'));
		expect(enough.body.partial).toEqual([]);
	});
	it('a program says whom it is for', async () => {
		const { programId: id } = await makeOrganizationWithProgram(database.db, { edit: { audience: 'supporters' } });
		const { body } = await call(getProgram, `/api/v1/programs/${id}`, { id });
		expect(body.audience).toBe('supporters');
	});
});

describe('GET /api/v1/programs/{id} and /organizations/{id}', () => {
	it('returns the program with schedules in words and next dates', async () => {
		// 第1・第3土曜日 (the factory's schedule).
		const title = `ゆうやけカフェ${uniqueTag()}`;
		const { programId: id } = await makeOrganizationWithProgram(database.db, { edit: { title } });
		const { status, body } = await call(getProgram, `/api/v1/programs/${id}`, { id });
		expect(status).toBe(200);
		expect(body.name).toBe(title);
		expect(body.schedules[0].rrule).toBe('FREQ=MONTHLY;BYDAY=1SA,3SA');
		expect(body.schedules[0].text).toContain('毎月第1・第3土曜日');
		expect(body.next_occurrences).toHaveLength(5);
		const org = await call(getOrganization, `/api/v1/organizations/${body.organization.id}`, { id: body.organization.id });
		expect(org.status).toBe(200);
		expect(org.body.programs.map((p: { id: string }) => p.id)).toContain(id);
	});
	it('says which coordinates are only the 市区町村’s point', async () => {
		const organizationId = await makeOrganization(database.db);
		const exact = await makePlace(database.db, organizationId, { name: '公民館（試験）', lat: 35.742, lng: 139.781 });
		const byAddress = await makePlace(database.db, organizationId, { name: '集会所（試験）', city: '台東区' });
		const id = await makeProgram(database.db, organizationId, { placeIds: [exact, byAddress] });
		const { body } = await call(getProgram, `/api/v1/programs/${id}`, { id });
		expect(body.locations.map((l: { latitude: number; coordinates_approximate: boolean }) => [l.latitude, l.coordinates_approximate])).toEqual([
			[35.742, false],
			[expect.any(Number), true]
		]);
		// The demo region's points are its 市区町村's (directory/demo/FORMAT.md).
		const [demo] = (await database.db.execute<{ id: string }>(sql`select id from programs where slug = 's002-mens-shed'`)).rows;
		const shed = await call(getProgram, `/api/v1/programs/${demo.id}`, { id: demo.id });
		expect(shed.body.locations[0]).toMatchObject({ city: '札幌市西区', latitude: expect.any(Number), coordinates_approximate: true });
	});
	it('400 for a malformed id, 404 for an unknown one', async () => {
		for (const handler of [getProgram, getOrganization]) {
			const bad = await call(handler, '/x', { id: "1' or '1'='1" });
			expect(bad.status).toBe(400);
			expect(bad.body.error.code).toBe('invalid_id');
			const missing = await call(handler, '/x', { id: '00000000-0000-4000-8000-000000000000' });
			expect(missing.status).toBe(404);
			expect(missing.body.error.code).toBe('not_found');
		}
	});
});

describe('GET /api/v1/openapi.json', () => {
	it('documents every finder parameter from the validation schema', async () => {
		const { status, body } = await call(openapi, '/api/v1/openapi.json');
		expect(status).toBe(200);
		expect(body.openapi).toBe('3.1.0');
		const names = body.paths['/v1/programs'].get.parameters.map((p: { name: string }) => p.name);
		for (const name of ['q', 'life_stage', 'prefecture', 'city', 'form', 'target', 'weekday', 'when', 'free', 'no_registration', 'language', 'online', 'lat', 'lng', 'sort', 'audience', 'page', 'per_page']) {
			expect(names).toContain(name);
		}
		const lifeStage = body.paths['/v1/programs'].get.parameters.find((p: { name: string }) => p.name === 'life_stage');
		expect(lifeStage.schema.enum).toContain('prenatal_infant');
		// Every route under /api, each API below its own prefix (the server is {origin}/api).
		expect(body.servers).toEqual([{ url: 'http://localhost/api' }]);
		expect(Object.keys(body.paths)).toEqual([
			'/v1/programs',
			'/v1/programs/{id}',
			'/v1/organizations/{id}',
			'/v1/orgs/{orgId}/checkins',
			'/v1/orgs/{orgId}/taps',
			'/v1/consultations',
			'/v1/line/webhook',
			'/v1/openapi.json',
			'/hsds',
			'/hsds/services',
			'/hsds/services/{id}',
			'/hsds/organizations',
			'/hsds/organizations/{id}',
			'/hsds/service_at_locations',
			'/hsds/service_at_locations/{id}',
			'/hsds/taxonomies',
			'/hsds/taxonomies/{id}',
			'/hsds/taxonomy_terms',
			'/hsds/taxonomy_terms/{id}',
			'/hsds/openapi.json'
		]);
	});
});
