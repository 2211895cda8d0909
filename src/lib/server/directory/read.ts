/** Reading one program or one organisation for the public pages and the API. */
import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db';
import { organizations, programs, locations, programLocations, programPartners, schedules } from './schema';
import { rowsFromJson } from './json-rows';

export const idParam = z.string().uuid();

/**
 * A published program with its organisation, places, partners and schedules, in one statement
 * (the program page, the API and the HSDS lists read programs one at a time, so each round trip
 * counts on every cache miss).
 */
export async function getProgram(db: Db, id: string) {
	const [row] = await db
		.select({
			program: programs,
			organization: organizations,
			places: sql<unknown>`(select json_agg(l order by x.position) from ${programLocations} x join ${locations} l on l.id = x.location_id where x.program_id = ${programs.id})`,
			partners: sql<unknown>`(select json_agg(pp order by pp.position) from ${programPartners} pp where pp.program_id = ${programs.id})`,
			schedules: sql<unknown>`(select json_agg(s order by s.position) from ${schedules} s where s.program_id = ${programs.id})`
		})
		.from(programs)
		.innerJoin(organizations, eq(organizations.id, programs.organizationId))
		.where(and(eq(programs.id, id), eq(programs.published, true), eq(organizations.published, true)));
	if (!row) return null;
	return { program: row.program, organization: row.organization, locations: rowsFromJson(locations, row.places), partners: rowsFromJson(programPartners, row.partners), schedules: rowsFromJson(schedules, row.schedules) };
}

export type ProgramDetail = NonNullable<Awaited<ReturnType<typeof getProgram>>>;

export async function getOrganization(db: Db, id: string) {
	const [organization] = await db
		.select()
		.from(organizations)
		.where(and(eq(organizations.id, id), eq(organizations.published, true)));
	if (!organization) return null;
	const list = await db
		.select({
			id: programs.id,
			title: programs.title,
			summary: programs.summary,
			forms: programs.forms,
			lifeStages: programs.lifeStages,
			status: programs.status,
			updatedAt: programs.updatedAt
		})
		.from(programs)
		.where(and(eq(programs.organizationId, id), eq(programs.published, true)))
		.orderBy(asc(programs.title));
	return { organization, programs: list };
}

export type OrganizationDetail = NonNullable<Awaited<ReturnType<typeof getOrganization>>>;

/** Every (program, place) pair of the published directory, in each program's place order (the open-data exports). */
export async function publishedProgramPlaces(db: Db): Promise<Array<{ programId: string; locationId: string }>> {
	return db
		.select({ programId: programLocations.programId, locationId: programLocations.locationId })
		.from(programLocations)
		.innerJoin(programs, eq(programs.id, programLocations.programId))
		.innerJoin(organizations, eq(organizations.id, programs.organizationId))
		.where(and(eq(programs.published, true), eq(organizations.published, true)))
		.orderBy(asc(programLocations.programId), asc(programLocations.position));
}
