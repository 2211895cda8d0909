/** Reading one program or one organisation for the public pages and the API. */
import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db';
import { organizations, programs, locations, programLocations, programPartners, schedules } from './schema';

export const idParam = z.string().uuid();

export async function getProgram(db: Db, id: string) {
	const [row] = await db
		.select({ program: programs, organization: organizations })
		.from(programs)
		.innerJoin(organizations, eq(organizations.id, programs.organizationId))
		.where(and(eq(programs.id, id), eq(programs.published, true), eq(organizations.published, true)));
	if (!row) return null;
	const [places, partners, rules] = await Promise.all([
		db.select({ location: locations }).from(programLocations).innerJoin(locations, eq(locations.id, programLocations.locationId)).where(eq(programLocations.programId, id)).orderBy(asc(programLocations.position)),
		db.select().from(programPartners).where(eq(programPartners.programId, id)).orderBy(asc(programPartners.position)),
		db.select().from(schedules).where(eq(schedules.programId, id)).orderBy(asc(schedules.position))
	]);
	return { ...row, locations: places.map((p) => p.location), partners, schedules: rules };
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
