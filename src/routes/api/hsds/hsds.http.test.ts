/**
 * The HSDS 3.0 API over HTTP, as an aggregator's first calls meet it: `/`, `/services`,
 * `/organizations/{id}` answer JSON that validates against Open Referral's compiled schemas, with
 * the licence stated; bad input is a structured 400, an unknown id a 404, never a stack trace.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useApp } from '../../../../tests/helpers/app';
import { hsdsErrors, hsdsValidator, type HsdsSchema } from '../../../../tests/helpers/hsds';

const app = useApp();
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// Compiling the large HSDS schemas blocks for seconds: done before any request, so that no
// kept-alive connection to the app goes stale while the test is busy.
beforeAll(() => {
	for (const name of ['service', 'service_list', 'organization', 'organization_list', 'service_at_location', 'service_at_location_list', 'taxonomy', 'taxonomy_term'] as HsdsSchema[]) hsdsValidator(name);
}, 120_000);

async function getJson(path: string, status = 200): Promise<Json> {
	const response = await app.get(path, undefined, { accept: 'application/json' });
	expect(response.status, path).toBe(status);
	expect(response.headers.get('content-type'), path).toMatch(/^application\/json/);
	return response.json();
}

describe('/api/hsds/', () => {
	it('the root names the HSDS version, its OpenAPI document and the licence (also as a Link header)', async () => {
		const response = await app.get('/api/hsds', undefined, { accept: 'application/json' });
		expect(response.status).toBe(200);
		expect(response.headers.get('link')).toBe('<https://creativecommons.org/licenses/by/4.0/deed.ja>; rel="license"');
		expect(response.headers.get('access-control-allow-origin')).toBe('*');
		const root = await response.json();
		// openapi_url: this API's own document (its paths, the standard's schemas), which names HSDS's in externalDocs.
		expect(root).toMatchObject({ version: '3.0', openapi_url: `${app.baseUrl}/api/hsds/openapi.json`, license: { identifier: 'CC-BY-4.0' } });
	});

	it('/openapi.json is the HSDS API’s own OpenAPI document: public, its server /api/hsds, HSDS’s paths', async () => {
		const response = await app.get('/api/hsds/openapi.json', undefined, { accept: 'application/json' });
		expect(response.status).toBe(200);
		expect(response.headers.get('access-control-allow-origin')).toBe('*');
		const doc = await response.json();
		expect(doc).toMatchObject({ openapi: '3.1.0', servers: [{ url: `${app.baseUrl}/api/hsds` }], info: { license: { identifier: 'CC-BY-4.0' } } });
		expect(Object.keys(doc.paths)).toEqual(['/', '/services', '/services/{id}', '/organizations', '/organizations/{id}', '/service_at_locations', '/service_at_locations/{id}', '/taxonomies', '/taxonomies/{id}', '/taxonomy_terms', '/taxonomy_terms/{id}', '/openapi.json']);
		expect(doc.externalDocs.url).toBe('https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json');
	});

	it('/services pages with HSDS fields, every item valid; full=true nests fully valid services', async () => {
		const page = await getJson('/api/hsds/services?per_page=20&page=2');
		expect(page).toMatchObject({ page_number: 2, size: 20, first_page: false, empty: false, license: { name: 'CC BY 4.0' } });
		expect(page.total_pages).toBe(Math.ceil(page.total_items / 20));
		for (const item of page.contents) expect(hsdsErrors('service_list', item), item.id).toEqual([]);
		const full = await getJson('/api/hsds/services?per_page=10&full=true');
		for (const item of full.contents) expect(hsdsErrors('service', item), item.id).toEqual([]);
		const one = await getJson(`/api/hsds/services/${page.contents[0].id}`);
		expect(hsdsErrors('service', one)).toEqual([]);
		const ofOrg = await getJson(`/api/hsds/services?organization_id=${one.organization_id}`);
		expect(ofOrg.contents.map((c: Json) => c.id)).toContain(one.id);
	});

	it('/organizations and /organizations/{id} validate', async () => {
		const list = await getJson('/api/hsds/organizations?per_page=100');
		expect(list.total_items).toBeGreaterThan(0);
		for (const item of list.contents) expect(hsdsErrors('organization_list', item), item.id).toEqual([]);
		const org = await getJson(`/api/hsds/organizations/${list.contents[0].id}`);
		expect(hsdsErrors('organization', org)).toEqual([]);
	});

	it('/service_at_locations, /taxonomies and /taxonomy_terms, lists and by id', async () => {
		const list = await getJson('/api/hsds/service_at_locations?per_page=5');
		expect(list.contents.length).toBe(5);
		for (const item of list.contents) expect(hsdsErrors('service_at_location_list', item), item.id).toEqual([]);
		const one = await getJson(`/api/hsds/service_at_locations/${list.contents[0].id}`);
		expect(hsdsErrors('service_at_location', one)).toEqual([]);
		const taxonomies = await getJson('/api/hsds/taxonomies');
		for (const t of taxonomies.contents) expect(hsdsErrors('taxonomy', t)).toEqual([]);
		expect(await getJson(`/api/hsds/taxonomies/${taxonomies.contents[0].id}`)).toEqual(taxonomies.contents[0]);
		const terms = await getJson(`/api/hsds/taxonomy_terms?taxonomy_id=${taxonomies.contents[0].id}&per_page=100`);
		expect(terms.total_items).toBeGreaterThan(0);
		for (const t of terms.contents) expect(hsdsErrors('taxonomy_term', t)).toEqual([]);
		expect(await getJson(`/api/hsds/taxonomy_terms/${terms.contents[0].id}`)).toEqual(terms.contents[0]);
		await getJson('/api/hsds/taxonomy_terms/nope', 400);
		await getJson('/api/hsds/taxonomies/00000000-0000-4000-8000-000000000000', 404);
		await getJson('/api/hsds/service_at_locations/00000000-0000-4000-8000-000000000000', 404);
	});

	it('bad input is a structured 4xx: a non-UUID id, page=-1, per_page too large, an unknown id', async () => {
		for (const path of ['/api/hsds/services/not-a-uuid', '/api/hsds/organizations/not-a-uuid']) {
			const body = await getJson(path, 400);
			expect(body.error).toMatchObject({ code: 'invalid_id', details: [{ param: 'id' }] });
		}
		const negative = await getJson('/api/hsds/services?page=-1', 400);
		expect(negative.error).toMatchObject({ code: 'invalid_parameter', details: [{ param: 'page' }] });
		await getJson('/api/hsds/organizations?per_page=100000', 400);
		await getJson('/api/hsds/services?organization_id=x', 400);
		for (const path of ['/api/hsds/services/00000000-0000-4000-8000-000000000000', '/api/hsds/organizations/00000000-0000-4000-8000-000000000000']) {
			const body = await getJson(path, 404);
			expect(body.error.code).toBe('not_found');
			expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/);
		}
	});

	it('format=ndjson streams every service, one JSON record a line; bad format, postcode or proximity is a structured 400', async () => {
		const page = await getJson('/api/hsds/services?per_page=1');
		const response = await app.get('/api/hsds/services?format=ndjson', undefined, { accept: 'application/x-ndjson' });
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
		const lines = (await response.text()).split('\n').filter(Boolean);
		expect(lines.length).toBe(page.total_items);
		for (const line of lines.slice(0, 20)) expect(hsdsErrors('service_list', JSON.parse(line))).toEqual([]);
		for (const [query, param] of [
			['format=xml', 'format'],
			['proximity=500', 'proximity'],
			['postcode=12', 'postcode'],
			['postcode=000-0000', 'postcode'],
			['postcode=160-0023&proximity=abc', 'proximity']
		]) {
			const body = await getJson(`/api/hsds/services?${query}`, 400);
			expect(body.error, query).toMatchObject({ code: 'invalid_parameter', details: [{ param }] });
		}
		expect((await getJson('/api/hsds/organizations?format=ndjson', 400)).error.details[0]).toMatchObject({ param: 'format', code: 'unsupported_format' });
		const near = await getJson('/api/hsds/services?postcode=160-0023&proximity=3000000&per_page=1');
		expect(near.total_items).toBeGreaterThan(0);
	});

	it('a path reads only the parameters its contract names: another is ignored, as HSDS allows', async () => {
		const all = await getJson('/api/hsds/taxonomies');
		// postcode and organization_id are filters of /services, not of /taxonomies: not checked there, and nothing filtered.
		expect((await getJson('/api/hsds/taxonomies?postcode=12&organization_id=x')).total_items).toBe(all.total_items);
		await getJson('/api/hsds/services?postcode=12', 400);
	});
});
