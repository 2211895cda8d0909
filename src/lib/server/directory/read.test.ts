/**
 * Reading one program for the public page, the API and the HSDS lists: one statement, and the
 * same record, places, partners and schedules that separate selects of each table give.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { testDatabase } from '../../../../tests/helpers/db';
import { makeOrganization, makePlace, makeProgram } from '../../../../tests/helpers/factories';
import { countStatements } from '../../../../tests/helpers/statements';
import type { Database } from '../db';
import { asSystem } from '../db/tenant';
import { getProgram } from './read';
import { locations, organizations, programLocations, programPartners, programs, schedules } from './schema';

let database: Database;
let programId: string;

beforeAll(async () => {
	database = await testDatabase();
	const organizationId = await makeOrganization(database.db);
	// Two places, the second listed first, each with the fields the page shows.
	const hall = await makePlace(database.db, organizationId, { name: '公民館', postalCode: '116-0002', line: '荒川1-1-1', lat: 35.736, lng: 139.783, accessibility: '車いす可', transport: '町屋駅から徒歩5分' });
	const park = await makePlace(database.db, organizationId, { name: '区民広場', city: '足立区' });
	programId = await makeProgram(database.db, organizationId, {
		placeIds: [park, hall],
		schedule: { rrule: 'FREQ=WEEKLY;BYDAY=TU', dtstart: '2027-01-05', until: '2027-12-28', exdates: ['2027-02-02', '2027-03-02'], opensAt: '10:00', closesAt: '12:00', closedOnHolidays: true, note: '祝日は休み' }
	});
	await asSystem(database.db, (tx) =>
		tx.insert(programPartners).values([
			{ programId, name: '荒川区社会福祉協議会', role: '紹介', position: 1 },
			{ programId, name: '町屋商店会', role: '食材提供', position: 0 }
		])
	);
});
afterAll(() => database.close());

describe('getProgram', () => {
	it('reads the program, its organisation, places, partners and schedules in one statement', async () => {
		const { value, count } = await countStatements(() => getProgram(database.db, programId));
		expect(count).toBe(1);
		expect(value?.locations.map((l) => l.name)).toEqual(['区民広場', '公民館']);
		expect(value?.partners.map((p) => p.name)).toEqual(['町屋商店会', '荒川区社会福祉協議会']);
	});

	it('gives what a select of each table gives, value for value (dates, arrays, numbers, timestamps)', async () => {
		const detail = await getProgram(database.db, programId);
		const [row] = await database.db
			.select({ program: programs, organization: organizations })
			.from(programs)
			.innerJoin(organizations, eq(organizations.id, programs.organizationId))
			.where(and(eq(programs.id, programId)));
		const places = await database.db.select({ location: locations }).from(programLocations).innerJoin(locations, eq(locations.id, programLocations.locationId)).where(eq(programLocations.programId, programId)).orderBy(asc(programLocations.position));
		const partners = await database.db.select().from(programPartners).where(eq(programPartners.programId, programId)).orderBy(asc(programPartners.position));
		const rules = await database.db.select().from(schedules).where(eq(schedules.programId, programId)).orderBy(asc(schedules.position));
		expect(detail).toEqual({ ...row, locations: places.map((p) => p.location), partners, schedules: rules });
		// Not vacuous: the fields whose mapping differs between JSON and the driver are really set.
		const [rule] = detail!.schedules;
		expect(rule.exdates).toEqual(['2027-02-02', '2027-03-02']);
		expect(rule.until).toBe('2027-12-28');
		expect(rule.createdAt).toBeInstanceOf(Date);
		expect(detail!.locations[1]).toMatchObject({ lat: 35.736, lng: 139.783, postalCode: '116-0002', coordinatesApproximate: false });
	});

	it('gives empty lists for a program with no place, partner or schedule, and null for an unpublished one', async () => {
		const organizationId = await makeOrganization(database.db);
		const bare = await makeProgram(database.db, organizationId, { schedule: null });
		const detail = await getProgram(database.db, bare);
		expect(detail).toMatchObject({ locations: [], partners: [], schedules: [] });
		const draft = await makeProgram(database.db, organizationId, { published: false });
		expect(await getProgram(database.db, draft)).toBeNull();
	});
});
