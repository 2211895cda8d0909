/**
 * The HSDS 3.0 records over the whole demo region: every published service and organisation
 * validates against Open Referral's compiled schemas (ajv), list items against the list schemas.
 * On this file's own organisations and programs (tests/helpers/factories.ts): the mapping keeps
 * what tsunagu holds (schedules split into iCal fields with the RRULE kept, costs in JPY, places
 * with addresses, languages as objects, taxonomy terms), unpublished records never appear, and
 * the filters by organisation and by modification pick exactly them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { testDatabase } from '../../../../tests/helpers/db';
import { hsdsErrors } from '../../../../tests/helpers/hsds';
import { makeOrganizationWithProgram, makeProgram } from '../../../../tests/helpers/factories';
import type { Database } from '../db';
import { asSystem } from '../db/tenant';
import { allTaxonomies, allTerms, hsdsServiceAtLocationById, hsdsServiceAtLocationPage, hsdsTermPage, hsdsTaxonomyPage, hsdsOrganizationById, hsdsOrganizationPage, hsdsServiceById, hsdsServicePage, parseHsdsQuery, publishedServiceIds } from './index';

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
	it('the validators refuse what the issue found (so a pass means something)', () => {
		const id = '00000000-0000-4000-8000-000000000000';
		expect(hsdsErrors('service', { id, name: 'x', status: 'planned' })).not.toEqual([]);
		expect(hsdsErrors('service', { id, name: 'x', status: 'active', languages: ['ja'] })).not.toEqual([]);
		expect(hsdsErrors('service', { id, name: 'x', status: 'active', schedules: [{ id, timezone: 'Asia/Tokyo' }] })).not.toEqual([]);
		expect(hsdsErrors('organization', { id, name: 'x', description: 'y', website: null })).not.toEqual([]);
		expect(hsdsErrors('organization_list', { id, name: 'x' })).not.toEqual([]);
		expect(hsdsErrors('service', { id, name: 'x', status: 'active' })).toEqual([]);
	});

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
			const result = await hsdsServicePage(database.db, ORIGIN, { page, perPage: 40 }, {});
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
		const list = await hsdsOrganizationPage(database.db, ORIGIN, { page: 1, perPage: 100 }, {});
		expect(list.total_items).toBe(published.length);
		for (const item of list.contents) expect(hsdsErrors('organization_list', item), String(item.id)).toEqual([]);
		// Organisations with no published program are reachable too.
		const withoutPrograms = await rows<{ id: string }>(sql`select o.id from organizations o where o.published and not exists (select 1 from programs p where p.organization_id = o.id and p.published)`);
		for (const { id } of withoutPrograms) expect(list.contents.map((c) => c.id)).toContain(id);
	}, 120_000);

	it('every service_at_location validates (list items against service_at_location_list.json, by id fully nested against service_at_location.json)', async () => {
		const list = await hsdsServiceAtLocationPage(database.db, ORIGIN, { page: 1, perPage: 100_000 }, {});
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
		const forms = hsdsTermPage({ page: 1, perPage: 100 }, { taxonomyId: ibasho.taxonomy_id });
		expect(forms.total_items).toBeGreaterThan(1);
		for (const t of forms.contents) expect(t.taxonomy_id).toBe(ibasho.taxonomy_id);
		expect(hsdsTermPage({ page: 1, perPage: 100 }, { parentId: ibasho.id }).total_items).toBe(0);
		expect(hsdsTaxonomyPage({ page: 1, perPage: 2 }, {})).toMatchObject({ total_items: 4, total_pages: 2, size: 2 });
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
		const orgs = await hsdsOrganizationPage(database.db, ORIGIN, { page: 1, perPage: 100 }, {});
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
		const second = await hsdsServicePage(database.db, ORIGIN, { page: 2, perPage: 10 }, {});
		expect(second).toMatchObject({ total_items: all.length, total_pages: Math.ceil(all.length / 10), page_number: 2, size: 10, first_page: false, last_page: false, empty: false });
		expect(second.contents.map((c) => c.id)).toEqual(all.slice(10, 20));
		expect(second.license).toMatchObject({ identifier: 'CC-BY-4.0' });
		const beyond = await hsdsServicePage(database.db, ORIGIN, { page: 999, perPage: 10 }, {});
		expect(beyond).toMatchObject({ size: 0, empty: true, last_page: true, contents: [] });
		const mine = await makeOrganizationWithProgram(database.db);
		const another = await makeProgram(database.db, mine.organizationId);
		await makeProgram(database.db, mine.organizationId, { published: false });
		const ofOrg = await hsdsServicePage(database.db, ORIGIN, { page: 1, perPage: 100 }, { organizationId: mine.organizationId });
		expect(ofOrg.contents.map((c) => c.id).sort()).toEqual([mine.programId, another].sort());
		for (const c of ofOrg.contents) expect(c.organization_id).toBe(mine.organizationId);
		const found = await hsdsServicePage(database.db, ORIGIN, { page: 1, perPage: 100 }, { search: '居場所' });
		expect(found.total_items).toBeGreaterThan(0);
		expect(found.total_items).toBeLessThan(all.length);
		const ibasho = allTerms().find((t) => t.code === 'ibasho')!;
		const withIbasho = await rows<{ id: string }>(sql`select p.id from programs p join organizations o on o.id = p.organization_id where 'ibasho' = any(p.forms) and p.published and o.published`);
		const byTerm = await hsdsServicePage(database.db, ORIGIN, { page: 1, perPage: 100 }, { taxonomyTermId: ibasho.id });
		expect(byTerm.contents.map((c) => c.id).sort()).toEqual(withIbasho.map((r) => r.id).sort());
		const [target] = await rows<{ code: string; n: number }>(sql`select t as code, count(*)::int as n from programs p join organizations o on o.id = p.organization_id, unnest(p.targets) t where p.published and o.published group by t order by n desc limit 1`);
		const byTarget = await hsdsServicePage(database.db, ORIGIN, { page: 1, perPage: 100 }, { taxonomyTermId: allTerms().find((t) => t.code === target.code && t.taxonomy.includes('targets'))!.id });
		expect(byTarget.total_items).toBe(target.n);
		const byTaxonomy = await hsdsServicePage(database.db, ORIGIN, { page: 1, perPage: 100 }, { taxonomyId: ibasho.taxonomy_id });
		expect(byTaxonomy.total_items).toBeGreaterThanOrEqual(withIbasho.length);
		expect((await hsdsServicePage(database.db, ORIGIN, { page: 1, perPage: 10 }, { taxonomyTermId: '00000000-0000-4000-8000-000000000000' })).total_items).toBe(0);
		const recent = { id: mine.programId };
		await rows(sql`update programs set updated_at = '2099-01-02T00:00:00Z' where id = ${recent.id}`);
		const modified = await hsdsServicePage(database.db, ORIGIN, { page: 1, perPage: 100 }, { modifiedAfter: new Date('2099-01-01T00:00:00Z') });
		expect(modified.contents.map((c) => c.id)).toEqual([recent.id]);
	});

	it('refuses bad paging and ids in the query with details', () => {
		expect(parseHsdsQuery(new URLSearchParams('page=-1'))).toMatchObject({ ok: false, errors: [{ param: 'page' }] });
		expect(parseHsdsQuery(new URLSearchParams('per_page=0'))).toMatchObject({ ok: false, errors: [{ param: 'per_page' }] });
		expect(parseHsdsQuery(new URLSearchParams('per_page=1000'))).toMatchObject({ ok: false });
		expect(parseHsdsQuery(new URLSearchParams('organization_id=nope'))).toMatchObject({ ok: false, errors: [{ param: 'organization_id' }] });
		expect(parseHsdsQuery(new URLSearchParams('search=a%00b'))).toMatchObject({ ok: false, errors: [{ param: 'search' }] });
		expect(parseHsdsQuery(new URLSearchParams('page=2&per_page=5&format=json'))).toEqual({ ok: true, query: { page: 2, perPage: 5, full: false } });
		expect(parseHsdsQuery(new URLSearchParams('modified_after=yesterday'))).toMatchObject({ ok: false, errors: [{ param: 'modified_after' }] });
		expect(parseHsdsQuery(new URLSearchParams('modified_after=2027-04-01'))).toMatchObject({ ok: true, query: { modifiedAfter: new Date('2027-03-31T15:00:00Z') } });
		expect(parseHsdsQuery(new URLSearchParams('taxonomy_id=x'))).toMatchObject({ ok: false, errors: [{ param: 'taxonomy_id' }] });
	});
});
