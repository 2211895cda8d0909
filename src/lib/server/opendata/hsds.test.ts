/**
 * The HSDS 3.0 records over the whole demo region: every published service and organisation
 * validates against Open Referral's compiled schemas (ajv), list items against the list schemas.
 * On this file's own organisations and programs (tests/helpers/factories.ts): the mapping keeps
 * what tsunagu holds (schedules split into iCal fields with the RRULE kept, costs in JPY, places
 * with addresses, languages as objects, taxonomy terms), unpublished records never appear, and
 * the filters by organisation and by modification pick exactly them.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'drizzle-orm';
import { testDatabase } from '../../../../tests/helpers/db';
import { hsdsErrors } from '../../../../tests/helpers/hsds';
import { makeOrganizationWithProgram, makePlace, makeProgram } from '../../../../tests/helpers/factories';
import type { Database } from '../db';
import { asSystem } from '../db/tenant';
import { getProgram } from '../directory';
import {
	hsdsServiceFilter,
	hsdsServiceRecords,
	allTaxonomies,
	allTerms,
	hsdsServiceAtLocationById,
	hsdsServiceAtLocationPage,
	hsdsTermPage,
	hsdsTaxonomyPage,
	hsdsOrganizationById,
	hsdsOrganizationPage,
	hsdsServiceById,
	hsdsServicePage,
	parseHsdsQuery,
	publishedServiceIds,
	HSDS_LICENCE
} from './index';

const ORIGIN = 'https://tsunagu.test';
let database: Database;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
	database = await testDatabase();
}, 120_000);

afterAll(async () => {
	await database?.close();
});

const rows = async <T>(query: ReturnType<typeof sql>) => (await asSystem(database.db, (tx) => tx.execute(query))).rows as T[];

describe('HSDS records of the demo region', () => {
	// The first use compiles the large schemas: 20 s and more on a busy machine.
	it('the validators refuse what the issue found (so a pass means something)', () => {
		const id = '00000000-0000-4000-8000-000000000000';
		expect(hsdsErrors('service', { id, name: 'x', status: 'planned' })).not.toEqual([]);
		expect(hsdsErrors('service', { id, name: 'x', status: 'active', languages: ['ja'] })).not.toEqual([]);
		expect(hsdsErrors('service', { id, name: 'x', status: 'active', schedules: [{ id, timezone: 'Asia/Tokyo' }] })).not.toEqual([]);
		expect(hsdsErrors('organization', { id, name: 'x', description: 'y', website: null })).not.toEqual([]);
		expect(hsdsErrors('organization_list', { id, name: 'x' })).not.toEqual([]);
		expect(hsdsErrors('service', { id, name: 'x', status: 'active' })).toEqual([]);
	}, 120_000);

	it('every published service validates against compiled/service.json, and every list item against service_list.json', async () => {
		const ids = await publishedServiceIds(database.db);
		const [{ n }] = await rows<{ n: number }>(sql`select count(*)::int as n from programs p join organizations o on o.id = p.organization_id where p.published and o.published`);
		expect(ids.length).toBe(n);
		expect(ids.length).toBeGreaterThan(50);
		const invalid: Record<string, string[]> = {};
		for (const id of ids) {
			const service = await hsdsServiceById(database.db, id, ORIGIN);
			const errors = hsdsErrors('service', service);
			if (errors.length) invalid[id] = errors.slice(0, 5);
		}
		expect(invalid).toEqual({});
		let page = 1;
		let seen = 0;
		for (;;) {
			const result = await hsdsServicePage(database.db, ORIGIN, { page, perPage: 40 }, {}, HSDS_LICENCE);
			for (const item of result.contents) expect(hsdsErrors('service_list', item), String(item.id)).toEqual([]);
			seen += result.size;
			if (result.last_page) break;
			page++;
		}
		expect(seen).toBe(ids.length);
	}, 120_000);

	it('every published organisation validates against compiled/organization.json, and the list items against organization_list.json', async () => {
		const published = await rows<{ id: string }>(sql`select id from organizations where published`);
		const invalid: Record<string, string[]> = {};
		for (const { id } of published) {
			const errors = hsdsErrors('organization', await hsdsOrganizationById(database.db, id, ORIGIN));
			if (errors.length) invalid[id] = errors.slice(0, 5);
		}
		expect(invalid).toEqual({});
		const list = await hsdsOrganizationPage(database.db, ORIGIN, { page: 1, perPage: 100 }, {}, HSDS_LICENCE);
		expect(list.total_items).toBe(published.length);
		for (const item of list.contents) expect(hsdsErrors('organization_list', item), String(item.id)).toEqual([]);
		// Organisations with no published program are reachable too.
		const withoutPrograms = await rows<{ id: string }>(sql`select o.id from organizations o where o.published and not exists (select 1 from programs p where p.organization_id = o.id and p.published)`);
		for (const { id } of withoutPrograms) expect(list.contents.map((c) => c.id)).toContain(id);
	}, 120_000);

	it('every service_at_location validates (list items against service_at_location_list.json, by id fully nested against service_at_location.json)', async () => {
		const list = await hsdsServiceAtLocationPage(database.db, ORIGIN, { page: 1, perPage: 100_000 }, {}, HSDS_LICENCE);
		const [{ n }] = await rows<{ n: number }>(sql`select count(*)::int as n from program_locations pl join programs p on p.id = pl.program_id join organizations o on o.id = p.organization_id where p.published and o.published`);
		expect(list.total_items).toBe(n);
		for (const item of list.contents) expect(hsdsErrors('service_at_location_list', item), String(item.id)).toEqual([]);
		expect(new Set(list.contents.map((c) => c.id)).size).toBe(list.contents.length);
		for (const item of list.contents) {
			const full = await hsdsServiceAtLocationById(database.db, String(item.id), ORIGIN);
			expect(hsdsErrors('service_at_location', full), String(item.id)).toEqual([]);
		}
		const withAddress = list.contents.filter((c) => (c.location as Json).addresses);
		for (const c of withAddress) expect((c.location as Json).addresses[0]).toMatchObject({ country: 'JP', address_type: 'physical' });
	}, 120_000);

	it('the taxonomies and their terms validate, Japanese names with English descriptions', () => {
		for (const t of allTaxonomies()) expect(hsdsErrors('taxonomy', t)).toEqual([]);
		const terms = allTerms();
		for (const t of terms) expect(hsdsErrors('taxonomy_term', t), t.code).toEqual([]);
		const ibasho = terms.find((t) => t.code === 'ibasho')!;
		expect(ibasho).toMatchObject({ name: '居場所', description: 'Drop-in place', language: 'ja' });
		expect(new Set(terms.map((t) => t.id)).size).toBe(terms.length);
		const forms = hsdsTermPage({ page: 1, perPage: 100 }, { taxonomyId: ibasho.taxonomy_id }, HSDS_LICENCE);
		expect(forms.total_items).toBeGreaterThan(1);
		for (const t of forms.contents) expect(t.taxonomy_id).toBe(ibasho.taxonomy_id);
		expect(hsdsTermPage({ page: 1, perPage: 100 }, { parentId: ibasho.id }, HSDS_LICENCE).total_items).toBe(0);
		expect(hsdsTaxonomyPage({ page: 1, perPage: 2 }, {}, HSDS_LICENCE)).toMatchObject({ total_items: 4, total_pages: 2, size: 2 });
	});
});

describe('the mapping keeps what tsunagu holds', () => {
	// A free こども食堂 on 第1・第3土曜日, closed on holidays, held at a place typed without
	// coordinates (so they are the 市区町村's point, approximate); its organisation has no website
	// and one more program, a draft.
	let own: { organizationId: string; placeId: string; programId: string };
	let draft: string;
	beforeAll(async () => {
		own = await makeOrganizationWithProgram(database.db);
		draft = await makeProgram(database.db, own.organizationId, { published: false });
	});

	it('a program with places and schedules: iCal fields, the RRULE kept, JPY costs, addresses, languages as objects, taxonomy attributes', async () => {
		const id = own.programId;
		const s = (await hsdsServiceById(database.db, id, ORIGIN)) as Json;
		expect(s.status).toBe('active');
		expect(s.service_at_locations.length).toBeGreaterThan(0);
		expect(s.service_at_locations[0].location.location_type).toBe('physical');
		expect(s.schedules.length).toBeGreaterThan(0);
		const [rule] = await rows<{ rrule: string; opens_at: string | null }>(sql`select rrule, opens_at from schedules where program_id = ${id} and rrule is not null order by position limit 1`);
		const schedule = s.schedules.find((x: Json) => x.attributes?.some((a: Json) => a.taxonomy_term.code === 'rrule' && a.value === rule.rrule));
		expect(schedule).toBeTruthy();
		expect(schedule.timezone).toBe(9);
		expect(['WEEKLY', 'MONTHLY']).toContain(schedule.freq);
		expect(rule.rrule).toContain(`FREQ=${schedule.freq}`);
		if (schedule.byday) for (const day of schedule.byday.split(',')) expect(rule.rrule).toContain(day);
		if (rule.opens_at) expect(schedule.opens_at).toBe(rule.opens_at);
		for (const l of s.languages) expect(l).toEqual(expect.objectContaining({ id: expect.any(String), name: expect.any(String), code: expect.any(String) }));
		for (const c of s.cost_options ?? []) expect(c.currency).toBe('JPY');
		expect(s.attributes.length).toBeGreaterThan(0);
		for (const a of s.attributes) expect(a.link_id).toBe(id);
	});

	it('a closed-on-holidays schedule says so as an attribute; a free program costs 0 JPY; places hold no guessed coordinates', async () => {
		const [holiday] = await rows<{ id: string; closed_on_holidays: boolean }>(sql`select id, closed_on_holidays from schedules where program_id = ${own.programId}`);
		expect(holiday.closed_on_holidays).toBe(true);
		const s = (await hsdsServiceById(database.db, own.programId, ORIGIN)) as Json;
		const schedule = s.schedules.find((x: Json) => x.id === holiday.id);
		expect(schedule.attributes.map((a: Json) => a.taxonomy_term.code)).toContain('closed_on_holidays');
		expect(s.cost_options).toEqual([expect.objectContaining({ currency: 'JPY', amount: 0 })]);
		const [place] = await rows<{ coordinates_approximate: boolean; lat: number | null }>(sql`select coordinates_approximate, lat from locations where id = ${own.placeId}`);
		expect(place).toMatchObject({ coordinates_approximate: true, lat: expect.any(Number) });
		const at = s.service_at_locations.find((x: Json) => x.location_id === own.placeId);
		expect(at.location).not.toHaveProperty('latitude');
	});

	it('an organisation without a website has none (not null); its services are its published programs', async () => {
		const o = (await hsdsOrganizationById(database.db, own.organizationId, ORIGIN)) as Json;
		expect(o).not.toHaveProperty('website');
		expect(typeof o.description).toBe('string');
		expect((o.services ?? []).map((x: Json) => x.id)).toEqual([own.programId]);
		expect((o.services ?? []).map((x: Json) => x.id)).not.toContain(draft);
	});
});

describe('unpublished records never appear', () => {
	it('an unpublished program, and every program of an unpublished organisation, are gone from lists and by id', async () => {
		const mine = await makeOrganizationWithProgram(database.db);
		const program = { id: mine.programId, organization_id: mine.organizationId };
		const kept = await makeProgram(database.db, mine.organizationId);
		const other = { id: (await makeOrganizationWithProgram(database.db)).organizationId };
		await makeProgram(database.db, other.id);
		const otherPrograms = await rows<{ id: string }>(sql`select id from programs where organization_id = ${other.id}`);
		const before = await publishedServiceIds(database.db);
		expect(before).toEqual(expect.arrayContaining([program.id, kept, ...otherPrograms.map((p) => p.id)]));
		await rows(sql`update programs set published = false where id = ${program.id}`);
		await rows(sql`update organizations set published = false where id = ${other.id}`);
		const ids = await publishedServiceIds(database.db);
		expect(ids).toContain(kept);
		expect(ids).not.toContain(program.id);
		for (const p of otherPrograms) expect(ids).not.toContain(p.id);
		expect(await hsdsServiceById(database.db, program.id, ORIGIN)).toBeNull();
		expect(await hsdsServiceById(database.db, otherPrograms[0].id, ORIGIN)).toBeNull();
		expect(await hsdsOrganizationById(database.db, other.id, ORIGIN)).toBeNull();
		const orgs = await hsdsOrganizationPage(database.db, ORIGIN, { page: 1, perPage: 100 }, {}, HSDS_LICENCE);
		expect(orgs.contents.map((c) => c.id)).not.toContain(other.id);
		const own = (await hsdsOrganizationById(database.db, program.organization_id, ORIGIN)) as Json;
		expect((own.services ?? []).map((x: Json) => x.id)).toEqual([kept]);
		await rows(sql`update programs set published = true where id = ${program.id}`);
		await rows(sql`update organizations set published = true where id = ${other.id}`);
	});
});

describe('paging and filters', () => {
	it('pages as HSDS documents them, and filters by organisation and search', async () => {
		const all = await publishedServiceIds(database.db);
		const second = await hsdsServicePage(database.db, ORIGIN, { page: 2, perPage: 10 }, {}, HSDS_LICENCE);
		expect(second).toMatchObject({ total_items: all.length, total_pages: Math.ceil(all.length / 10), page_number: 2, size: 10, first_page: false, last_page: false, empty: false });
		expect(second.contents.map((c) => c.id)).toEqual(all.slice(10, 20));
		expect(second.license).toMatchObject({ identifier: 'CC-BY-4.0' });
		const beyond = await hsdsServicePage(database.db, ORIGIN, { page: 999, perPage: 10 }, {}, HSDS_LICENCE);
		expect(beyond).toMatchObject({ size: 0, empty: true, last_page: true, contents: [] });
		const mine = await makeOrganizationWithProgram(database.db);
		const another = await makeProgram(database.db, mine.organizationId);
		await makeProgram(database.db, mine.organizationId, { published: false });
		const ofOrg = await hsdsServicePage(database.db, ORIGIN, { page: 1, perPage: 100 }, { organizationId: mine.organizationId }, HSDS_LICENCE);
		expect(ofOrg.contents.map((c) => c.id).sort()).toEqual([mine.programId, another].sort());
		for (const c of ofOrg.contents) expect(c.organization_id).toBe(mine.organizationId);
		const found = await hsdsServicePage(database.db, ORIGIN, { page: 1, perPage: 100 }, { search: '居場所' }, HSDS_LICENCE);
		expect(found.total_items).toBeGreaterThan(0);
		expect(found.total_items).toBeLessThan(all.length);
		const ibasho = allTerms().find((t) => t.code === 'ibasho')!;
		const withIbasho = await rows<{ id: string }>(sql`select p.id from programs p join organizations o on o.id = p.organization_id where 'ibasho' = any(p.forms) and p.published and o.published`);
		const byTerm = await hsdsServicePage(database.db, ORIGIN, { page: 1, perPage: 100 }, { taxonomyTermId: ibasho.id }, HSDS_LICENCE);
		expect(byTerm.contents.map((c) => c.id).sort()).toEqual(withIbasho.map((r) => r.id).sort());
		const [target] = await rows<{ code: string; n: number }>(sql`select t as code, count(*)::int as n from programs p join organizations o on o.id = p.organization_id, unnest(p.targets) t where p.published and o.published group by t order by n desc limit 1`);
		const byTarget = await hsdsServicePage(database.db, ORIGIN, { page: 1, perPage: 100 }, { taxonomyTermId: allTerms().find((t) => t.code === target.code && t.taxonomy.includes('targets'))!.id }, HSDS_LICENCE);
		expect(byTarget.total_items).toBe(target.n);
		const byTaxonomy = await hsdsServicePage(database.db, ORIGIN, { page: 1, perPage: 100 }, { taxonomyId: ibasho.taxonomy_id }, HSDS_LICENCE);
		expect(byTaxonomy.total_items).toBeGreaterThanOrEqual(withIbasho.length);
		expect((await hsdsServicePage(database.db, ORIGIN, { page: 1, perPage: 10 }, { taxonomyTermId: '00000000-0000-4000-8000-000000000000' }, HSDS_LICENCE)).total_items).toBe(0);
		const recent = { id: mine.programId };
		await rows(sql`update programs set updated_at = '2099-01-02T00:00:00Z' where id = ${recent.id}`);
		const modified = await hsdsServicePage(database.db, ORIGIN, { page: 1, perPage: 100 }, { modifiedAfter: new Date('2099-01-01T00:00:00Z') }, HSDS_LICENCE);
		expect(modified.contents.map((c) => c.id)).toEqual([recent.id]);
	});

	it('refuses bad paging and ids in the query with details', () => {
		expect(parseHsdsQuery(new URLSearchParams('page=-1'))).toMatchObject({ ok: false, errors: [{ param: 'page' }] });
		expect(parseHsdsQuery(new URLSearchParams('per_page=0'))).toMatchObject({ ok: false, errors: [{ param: 'per_page' }] });
		expect(parseHsdsQuery(new URLSearchParams('per_page=1000'))).toMatchObject({ ok: false });
		expect(parseHsdsQuery(new URLSearchParams('organization_id=nope'))).toMatchObject({ ok: false, errors: [{ param: 'organization_id' }] });
		expect(parseHsdsQuery(new URLSearchParams('search=a%00b'))).toMatchObject({ ok: false, errors: [{ param: 'search' }] });
		expect(parseHsdsQuery(new URLSearchParams('page=2&per_page=5&format=json'))).toEqual({ ok: true, query: { page: 2, perPage: 5, full: false, format: 'json' } });
		expect(parseHsdsQuery(new URLSearchParams('modified_after=yesterday'))).toMatchObject({ ok: false, errors: [{ param: 'modified_after' }] });
		expect(parseHsdsQuery(new URLSearchParams('modified_after=2027-04-01'))).toMatchObject({ ok: true, query: { modifiedAfter: new Date('2027-03-31T15:00:00Z') } });
		expect(parseHsdsQuery(new URLSearchParams('taxonomy_id=x'))).toMatchObject({ ok: false, errors: [{ param: 'taxonomy_id' }] });
	});
});

describe('lists read in bulk', () => {
	/** Statements sent through the pool while `fn` runs (drizzle sends each as one pool.query). */
	async function statements(fn: () => Promise<unknown>): Promise<number> {
		const spy = vi.spyOn(database.pool, 'query');
		try {
			await fn();
			return spy.mock.calls.length;
		} finally {
			spy.mockRestore();
		}
	}

	it('a page of 50 services is a few statements, not one or more per program (before: 2 + 4 × 50 = 202)', async () => {
		const ids = (await publishedServiceIds(database.db)).slice(0, 50);
		// What the lists did before: one program at a time (getProgram is one statement since issue 15's work, four before).
		const before = await statements(() => Promise.all(ids.map((id) => getProgram(database.db, id))));
		expect(before).toBe(50);
		const page = await statements(() => hsdsServicePage(database.db, ORIGIN, { page: 1, perPage: 50 }, { full: true }, HSDS_LICENCE));
		expect(page).toBeLessThanOrEqual(6);
		const taxonomy = await statements(() => hsdsServicePage(database.db, ORIGIN, { page: 1, perPage: 50 }, { taxonomyId: allTaxonomies()[2].id }, HSDS_LICENCE));
		expect(taxonomy).toBeLessThanOrEqual(10);
		const orgs = await statements(() => hsdsOrganizationPage(database.db, ORIGIN, { page: 1, perPage: 100 }, {}, HSDS_LICENCE));
		expect(orgs).toBeLessThanOrEqual(2);
		const places = await statements(() => hsdsServiceAtLocationPage(database.db, ORIGIN, { page: 1, perPage: 100 }, { full: true }, HSDS_LICENCE));
		expect(places).toBeLessThanOrEqual(10);
	});

	it('the bulk read gives the same records as reading one program at a time', async () => {
		const ids = (await publishedServiceIds(database.db)).slice(0, 20);
		const page = await hsdsServicePage(database.db, ORIGIN, { page: 1, perPage: 20 }, { full: true }, HSDS_LICENCE);
		const one = await Promise.all(ids.map((id) => hsdsServiceById(database.db, id, ORIGIN)));
		expect(page.contents).toEqual(one);
	});
});

describe('organisations: contacts and locations, only what tsunagu holds', () => {
	it("the representative as a contact, the address and the published programs' places as locations, no invented phone", async () => {
		// The demo region's organisations name no complete address: a test organisation does.
		const made = await makeOrganizationWithProgram(database.db);
		const unused = await makePlace(database.db, made.organizationId, { line: '町屋1-2-3', postalCode: '116-0001' });
		const org = { id: made.organizationId, representative: '試験 代表', address_line: '荒川1-1-1', postal_code: '116-0002' };
		await rows(sql`update organizations set representative = ${org.representative}, address_line = ${org.address_line}, postal_code = ${org.postal_code} where id = ${org.id}`);
		const o = (await hsdsOrganizationById(database.db, org.id, ORIGIN)) as Json;
		expect(hsdsErrors('organization', o)).toEqual([]);
		expect(o.contacts).toEqual([expect.objectContaining({ organization_id: org.id, name: org.representative, title: '代表者' })]);
		expect(o).not.toHaveProperty('phones');
		const office = o.locations.find((l: Json) => l.addresses?.[0]?.address_1 === org.address_line);
		expect(office).toMatchObject({ organization_id: org.id, location_type: 'physical', addresses: [{ postal_code: org.postal_code, country: 'JP' }] });
		const places = await rows<{ id: string }>(sql`select distinct pl.location_id as id from program_locations pl join programs p on p.id = pl.program_id where p.organization_id = ${org.id} and p.published`);
		for (const { id } of places) expect(o.locations.map((l: Json) => l.id)).toContain(id);
		expect(o.locations.length).toBe(places.length + 1);
		expect(places.map((p) => p.id)).toEqual([made.placeId]);
		// A place no published program uses is not listed.
		expect(o.locations.map((l: Json) => l.id)).not.toContain(unused);
	}, 120_000);

	it('an organisation without a representative or a complete address has no contacts and no address of its own', async () => {
		const [org] = await rows<{ id: string }>(sql`select id from organizations where published and representative is null and (address_line is null or postal_code is null) limit 1`);
		if (!org) {
			// The demo region has none: make one bare.
			const [any] = await rows<{ id: string }>(sql`select id from organizations where published order by slug desc limit 1`);
			await rows(sql`update organizations set representative = null, postal_code = null where id = ${any.id}`);
			return expect(await hsdsOrganizationById(database.db, any.id, ORIGIN)).not.toHaveProperty('contacts');
		}
		const o = (await hsdsOrganizationById(database.db, org.id, ORIGIN)) as Json;
		expect(o).not.toHaveProperty('contacts');
		for (const l of o.locations ?? []) expect(l.description).not.toBe('団体の所在地');
	});
});

describe('ORServices-style format, postcode and proximity', () => {
	it('refuses bad values with details', () => {
		expect(parseHsdsQuery(new URLSearchParams('format=xml'), { ndjson: true })).toMatchObject({ ok: false, errors: [{ param: 'format' }] });
		expect(parseHsdsQuery(new URLSearchParams('format=ndjson'))).toMatchObject({ ok: false, errors: [{ param: 'format', code: 'unsupported_format' }] });
		expect(parseHsdsQuery(new URLSearchParams('format=ndjson'), { ndjson: true })).toMatchObject({ ok: true, query: { format: 'ndjson' } });
		expect(parseHsdsQuery(new URLSearchParams('proximity=1000'))).toMatchObject({ ok: false, errors: [{ param: 'proximity', code: 'missing_postcode' }] });
		expect(parseHsdsQuery(new URLSearchParams('postcode=abc'))).toMatchObject({ ok: false, errors: [{ param: 'postcode' }] });
		expect(parseHsdsQuery(new URLSearchParams('postcode=160-0023&proximity=0'))).toMatchObject({ ok: false, errors: [{ param: 'proximity' }] });
		expect(parseHsdsQuery(new URLSearchParams('postcode=160-0023&proximity=-5'))).toMatchObject({ ok: false, errors: [{ param: 'proximity' }] });
		expect(parseHsdsQuery(new URLSearchParams('postcode=1600023&proximity=2500'))).toMatchObject({ ok: true, query: { postcode: '1600023', proximity: 2500 } });
	});

	it('a postcode keeps the services with a place in its 市区町村; with proximity, those within the distance of its point', async () => {
		const [place] = await rows<{ postal_code: string; municipality_code: string; lat: number; lng: number }>(
			sql`select l.postal_code, l.municipality_code, l.lat, l.lng from locations l join program_locations pl on pl.location_id = l.id join programs p on p.id = pl.program_id join organizations o on o.id = p.organization_id
				where p.published and o.published and l.postal_code is not null and l.municipality_code is not null and l.lat is not null group by 1, 2, 3, 4 order by count(*) desc limit 1`
		);
		const inCity = await rows<{ id: string }>(
			sql`select distinct p.id from programs p join organizations o on o.id = p.organization_id join program_locations pl on pl.program_id = p.id join locations l on l.id = pl.location_id where p.published and o.published and l.municipality_code = ${place.municipality_code}`
		);
		const q = parseHsdsQuery(new URLSearchParams({ postcode: place.postal_code }));
		if (!q.ok) throw new Error('parse');
		const filter = await hsdsServiceFilter(database.db, q.query);
		if (!filter.ok) throw new Error(JSON.stringify(filter.errors));
		const found = await publishedServiceIds(database.db, filter.filter);
		expect(found.sort()).toEqual(inCity.map((r) => r.id).sort());
		const all = await publishedServiceIds(database.db);
		const near = async (metres: number) => {
			const parsed = parseHsdsQuery(new URLSearchParams({ postcode: place.postal_code, proximity: String(metres) }));
			if (!parsed.ok) throw new Error('parse');
			const f = await hsdsServiceFilter(database.db, parsed.query);
			if (!f.ok) throw new Error('filter');
			return publishedServiceIds(database.db, f.filter);
		};
		const far = await near(3_000_000);
		const withPoint = await rows<{ n: number }>(
			sql`select count(distinct p.id)::int as n from programs p join organizations o on o.id = p.organization_id join program_locations pl on pl.program_id = p.id join locations l on l.id = pl.location_id where p.published and o.published and l.lat is not null`
		);
		expect(far.length).toBe(withPoint[0].n);
		const close = await near(3000);
		expect(close.length).toBeLessThan(far.length);
		expect(close.length).toBeLessThanOrEqual(all.length);
		for (const id of close) expect(far).toContain(id);
	});

	it('an unknown postcode is refused, not guessed', async () => {
		const q = parseHsdsQuery(new URLSearchParams({ postcode: '000-0000' }));
		if (!q.ok) throw new Error('parse');
		expect(await hsdsServiceFilter(database.db, q.query)).toMatchObject({ ok: false, errors: [{ param: 'postcode', code: 'unknown_postcode' }] });
	});

	it('format=ndjson: every matching service, in the list order', async () => {
		const all = await publishedServiceIds(database.db);
		const seen: string[] = [];
		for await (const record of hsdsServiceRecords(database.db, ORIGIN, {}, 7)) seen.push(String(record.id));
		expect(seen).toEqual(all);
	});
});
