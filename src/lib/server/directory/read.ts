/** Reading one program or one organisation for the public pages and the API. */
import { and, asc, eq, getTableColumns, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type { Pool, Reader } from '../db';
import { UUID } from '../boundary';
import { organizations, programs, locations, programLocations, programPartners, schedules } from './schema';
import { rowsFromJson } from './json-rows';

export const idParam = z.string().uuid();

/**
 * A record's last change: none for one loaded from a source file (the demo region's seeds) and not
 * edited since — its time is the load's, not a change anyone made. Programs' pages and
 * organisations' citations give it.
 */
export function lastEditOf(record: { createdAt: Date; updatedAt: Date }, sourceFile: string | null): Date | null {
	return sourceFile && record.updatedAt.getTime() <= record.createdAt.getTime() ? null : record.updatedAt;
}

/** The day a program's page gives as its last change (lastEditOf, by its organisation's source file). */
export function lastChangedOf(detail: { program: { createdAt: Date; updatedAt: Date }; organization: { sourceFile: string | null } }): Date | null {
	return lastEditOf(detail.program, detail.organization.sourceFile);
}

/**
 * A published program with its organisation, places, partners and schedules, in one statement
 * (the program page, the API and the HSDS lists read programs one at a time, so each round trip
 * counts on every cache miss).
 */
export async function getProgram(db: Pool, id: string) {
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

/** What an organisation's page and record list of each of its programs. */
const organizationProgramColumns = {
	id: programs.id,
	title: programs.title,
	summary: programs.summary,
	forms: programs.forms,
	lifeStages: programs.lifeStages,
	status: programs.status,
	updatedAt: programs.updatedAt
};

export async function getOrganization(db: Reader, id: string) {
	const [organization] = await db
		.select()
		.from(organizations)
		.where(and(eq(organizations.id, id), eq(organizations.published, true)));
	if (!organization) return null;
	const list = await db
		.select(organizationProgramColumns)
		.from(programs)
		.where(and(eq(programs.organizationId, id), eq(programs.published, true)))
		.orderBy(asc(programs.title));
	return { organization, programs: list };
}

export type OrganizationDetail = NonNullable<Awaited<ReturnType<typeof getOrganization>>>;

/** Every (program, place) pair of the published directory, in each program's place order (the open-data exports). */
export async function publishedProgramPlaces(db: Reader): Promise<Array<{ programId: string; locationId: string }>> {
	return db
		.select({ programId: programLocations.programId, locationId: programLocations.locationId })
		.from(programLocations)
		.innerJoin(programs, eq(programs.id, programLocations.programId))
		.innerJoin(organizations, eq(organizations.id, programs.organizationId))
		.where(and(eq(programs.published, true), eq(organizations.published, true)))
		.orderBy(asc(programLocations.programId), asc(programLocations.position));
}

/** `ids` as one uuid[] parameter: any number of programs in one statement (an IN list has a parameter limit). */
// Ids are kept when PostgreSQL's uuid takes them (boundary's UUID), not only RFC 9562 ones: a
// generated or imported directory holds others, and a reader paging through it by id must find them.
const anyId = (column: AnyPgColumn, ids: readonly string[]) => sql`${column} = any(${`{${ids.join(',')}}`}::uuid[])`;

/**
 * Published programs with their organisation, places, partners and schedules — the same records
 * as `getProgram`, read in four statements however many there are (the HSDS lists and the bulk
 * export read a page or the whole directory at once, not a program at a time). Without `ids`,
 * every published program of every published organisation; with them, those of them that are
 * published, in the order given.
 */
export async function getPrograms(db: Reader, ids?: readonly string[]): Promise<ProgramDetail[]> {
	const wanted = ids ? [...new Set(ids)].filter((id) => UUID.test(id)) : undefined;
	if (wanted && wanted.length === 0) return [];
	const published = and(eq(programs.published, true), eq(organizations.published, true));
	const rows = await db
		.select({ program: bulkProgramColumns, organization: organizations })
		.from(programs)
		.innerJoin(organizations, eq(organizations.id, programs.organizationId))
		.where(wanted ? and(anyId(programs.id, wanted), published) : published)
		.orderBy(asc(programs.id));
	if (rows.length === 0) return [];
	const found = rows.map((r) => r.program.id);
	// One after another: on a transaction's one connection they would queue anyway.
	const places = await db
		.select({ programId: programLocations.programId, location: locations })
		.from(programLocations)
		.innerJoin(locations, eq(locations.id, programLocations.locationId))
		.where(anyId(programLocations.programId, found))
		.orderBy(asc(programLocations.programId), asc(programLocations.position));
	const partners = await db.select().from(programPartners).where(anyId(programPartners.programId, found)).orderBy(asc(programPartners.programId), asc(programPartners.position));
	const rules = await db.select().from(schedules).where(anyId(schedules.programId, found)).orderBy(asc(schedules.programId), asc(schedules.position));
	const byProgram = <T>(list: T[], key: (x: T) => string) => {
		const map = new Map<string, T[]>();
		for (const x of list) {
			const k = key(x);
			if (map.has(k)) map.get(k)!.push(x);
			else map.set(k, [x]);
		}
		return map;
	};
	const placesOf = byProgram(places, (p) => p.programId);
	const partnersOf = byProgram(partners, (p) => p.programId);
	const rulesOf = byProgram(rules, (r) => r.programId);
	const details = new Map<string, ProgramDetail>(rows.map((r) => [r.program.id, { ...r, locations: (placesOf.get(r.program.id) ?? []).map((p) => p.location), partners: partnersOf.get(r.program.id) ?? [], schedules: rulesOf.get(r.program.id) ?? [] }]));
	return (wanted ?? found).flatMap((id) => details.get(id) ?? []);
}

/**
 * A program's columns as a bulk read wants them: the finder's gram ids (an integer array of a few
 * hundred per program, read only by the finder's statements) come back empty. Parsing them was 15 %
 * of the CPU of the open-data export at 100,000 programs (bench/RESULTS.md, issue 15).
 */
const bulkProgramColumns = { ...getTableColumns(programs), searchGramIds: sql<number[]>`'{}'::int[]` };

/**
 * Every published organisation's id, name and number of published programs, nothing else: the
 * index a reader of the whole directory pages through (open data's bulk export cuts its pages by
 * programs, since one organisation may have a hundred).
 */
export async function publishedOrganizationIndex(db: Reader): Promise<Array<{ id: string; name: string; programs: number }>> {
	return db
		.select({ id: organizations.id, name: organizations.name, programs: sql<number>`count(${programs.id})::int` })
		.from(organizations)
		.leftJoin(programs, and(eq(programs.organizationId, organizations.id), eq(programs.published, true)))
		.where(eq(organizations.published, true))
		.groupBy(organizations.id)
		.orderBy(asc(organizations.id));
}

/** Every published organisation with its published programs (as `getOrganization` has them), in two statements. */
export async function getOrganizations(db: Reader, ids?: readonly string[]): Promise<OrganizationDetail[]> {
	const wanted = ids ? [...new Set(ids)].filter((id) => UUID.test(id)) : undefined;
	if (wanted && wanted.length === 0) return [];
	const found = await db
		.select()
		.from(organizations)
		.where(wanted ? and(anyId(organizations.id, wanted), eq(organizations.published, true)) : eq(organizations.published, true))
		.orderBy(asc(organizations.id));
	if (found.length === 0) return [];
	const list = await db
		.select({ organizationId: programs.organizationId, ...organizationProgramColumns })
		.from(programs)
		.where(
			and(
				anyId(
					programs.organizationId,
					found.map((o) => o.id)
				),
				eq(programs.published, true)
			)
		)
		.orderBy(asc(programs.title));
	const byOrganization = new Map<string, OrganizationDetail['programs']>();
	for (const { organizationId, ...p } of list) byOrganization.set(organizationId, [...(byOrganization.get(organizationId) ?? []), p]);
	const details = new Map(found.map((organization) => [organization.id, { organization, programs: byOrganization.get(organization.id) ?? [] }]));
	return (wanted ?? found.map((o) => o.id)).flatMap((id) => details.get(id) ?? []);
}
