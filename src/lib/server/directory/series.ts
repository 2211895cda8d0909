/**
 * What other modules may read of programs and their schedules: the events module materialises
 * occurrences from these series and shows program names on the calendar, without touching the
 * directory's tables itself.
 */
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Tx, Pool, Reader } from '../db';
import { organizations, programs, schedules, locations } from './schema';
import type { ScheduleRule } from './schedule';

export interface ScheduleSeries {
	scheduleId: string;
	programId: string;
	organizationId: string;
	locationId: string | null;
	rule: ScheduleRule;
}

/** Every schedule with a recurrence (of some programs, or all). */
export async function scheduleSeries(db: Reader, programIds?: readonly string[]): Promise<ScheduleSeries[]> {
	if (programIds && programIds.length === 0) return [];
	const rows = await db
		.select({ schedule: schedules, organizationId: programs.organizationId })
		.from(schedules)
		.innerJoin(programs, eq(programs.id, schedules.programId))
		.where(and(sql`${schedules.rrule} is not null`, programIds ? inArray(schedules.programId, [...programIds]) : undefined))
		.orderBy(asc(schedules.programId), asc(schedules.position));
	return rows.map(({ schedule: s, organizationId }) => ({
		scheduleId: s.id,
		programId: s.programId,
		organizationId,
		locationId: s.locationId,
		rule: {
			rrule: s.rrule,
			dtstart: s.dtstart,
			until: s.until,
			count: s.count,
			exdates: s.exdates,
			opensAt: s.opensAt,
			closesAt: s.closesAt,
			closedOnHolidays: s.closedOnHolidays,
			timezone: s.timezone
		}
	}));
}

/** A program as the calendar, feeds and flyers show it. */
export interface ProgramSummary {
	id: string;
	organizationId: string;
	organizationName: string;
	title: string;
	summary: string;
	lifeStages: string[];
	forms: string[];
	areas: string[];
	costKind: string;
	costAmountYen: number | null;
	joinMethod: string;
	contactPhone: string | null;
	contactEmail: string | null;
	/** Public: both the program and its organisation are published. */
	published: boolean;
	updatedAt: Date;
}

const summaryColumns = {
	id: programs.id,
	organizationId: programs.organizationId,
	organizationName: organizations.name,
	title: programs.title,
	summary: programs.summary,
	lifeStages: programs.lifeStages,
	forms: programs.forms,
	areas: programs.areas,
	costKind: programs.costKind,
	costAmountYen: programs.costAmountYen,
	joinMethod: programs.joinMethod,
	contactPhone: programs.contactPhone,
	contactEmail: programs.contactEmail,
	published: sql<boolean>`(${programs.published} and ${organizations.published})`,
	updatedAt: programs.updatedAt
};

export async function programSummaries(db: Reader, programIds: readonly string[]): Promise<Map<string, ProgramSummary>> {
	if (programIds.length === 0) return new Map();
	const rows = await db
		.select(summaryColumns)
		.from(programs)
		.innerJoin(organizations, eq(organizations.id, programs.organizationId))
		.where(inArray(programs.id, [...new Set(programIds)]));
	return new Map(rows.map((r) => [r.id, r]));
}

/** Filters the shared calendar offers; each narrows, and all are optional. */
export interface ProgramFilter {
	/** Any of these life stages. */
	lifeStages?: readonly string[];
	/** Any of these forms (取組のかたち). */
	forms?: readonly string[];
	/** A prefecture, or prefecture + city as stored in programs.areas (e.g. 東京都, 東京都/新宿区). */
	area?: string;
	organizationId?: string;
	programId?: string;
	/** Only published programs of published organisations (the public calendar). */
	publishedOnly?: boolean;
}

const textArray = (values: readonly string[]) =>
	sql`array[${sql.join(
		values.map((v) => sql`${v}`),
		sql`, `
	)}]::text[]`;

/** Ids of the programs a calendar view covers. */
export async function programIdsMatching(db: Reader, filter: ProgramFilter): Promise<string[]> {
	const conditions: SQL[] = [];
	if (filter.lifeStages?.length) conditions.push(sql`${programs.lifeStages} && ${textArray(filter.lifeStages)}`);
	if (filter.forms?.length) conditions.push(sql`${programs.forms} && ${textArray(filter.forms)}`);
	if (filter.area) conditions.push(sql`${programs.areas} @> array[${filter.area}]::text[]`);
	if (filter.organizationId) conditions.push(eq(programs.organizationId, filter.organizationId));
	if (filter.programId) conditions.push(eq(programs.id, filter.programId));
	if (filter.publishedOnly) conditions.push(sql`${programs.published} and ${organizations.published}`);
	const rows = await db
		.select({ id: programs.id })
		.from(programs)
		.innerJoin(organizations, eq(organizations.id, programs.organizationId))
		.where(conditions.length ? and(...conditions) : undefined);
	return rows.map((r) => r.id);
}

/** Names and addresses of places, for the calendar, flyers and the open-data lists. */
export async function placeSummaries(db: Reader, locationIds: readonly string[]) {
	const ids = [...new Set(locationIds)];
	const columns = {
		id: locations.id,
		name: locations.name,
		prefecture: locations.prefecture,
		city: locations.city,
		addressLine: locations.addressLine,
		organizationId: locations.organizationId,
		municipalityCode: locations.municipalityCode,
		lat: locations.lat,
		lng: locations.lng,
		coordinatesApproximate: locations.coordinatesApproximate,
		transport: locations.transport,
		accessibility: locations.accessibility
	};
	if (ids.length === 0) return new Map<string, { [K in keyof typeof columns]: (typeof columns)[K]['_']['data'] | ((typeof columns)[K]['_']['notNull'] extends true ? never : null) }>();
	const rows = await db.select(columns).from(locations).where(inArray(locations.id, ids));
	return new Map(rows.map((r) => [r.id, r]));
}

/** Organisations with a published program, by name: the calendar's choice, and those a participation card may name. */
export async function organizationsWithPublishedPrograms(db: Reader): Promise<Array<{ id: string; name: string }>> {
	const rows = await db
		.selectDistinct({ id: organizations.id, name: organizations.name })
		.from(programs)
		.innerJoin(organizations, eq(organizations.id, programs.organizationId))
		.where(sql`${programs.published} and ${organizations.published}`);
	return rows.sort((a, b) => a.name.localeCompare(b.name, 'ja'));
}

/** Areas and organisations that published programs cover: the calendar's filter choices. */
export async function calendarChoices(db: Pool): Promise<{ areas: string[]; organizations: Array<{ id: string; name: string }> }> {
	const [areaRows, organizationChoices] = await Promise.all([
		db
			.selectDistinct({ area: sql<string>`unnest(${programs.areas})` })
			.from(programs)
			.innerJoin(organizations, eq(organizations.id, programs.organizationId))
			.where(sql`${programs.published} and ${organizations.published}`),
		organizationsWithPublishedPrograms(db)
	]);
	// "/city" entries exist for the finder's city search; the calendar offers prefecture and prefecture/city.
	const areas = areaRows
		.map((r) => r.area)
		.filter((a) => !a.startsWith('/'))
		.sort((a, b) => a.localeCompare(b, 'ja'));
	return { areas, organizations: organizationChoices };
}

/** Programs that have at least one recurring schedule. */
export async function programIdsWithSchedules(db: Tx<'system'>): Promise<string[]> {
	return (
		await db
			.selectDistinct({ id: schedules.programId })
			.from(schedules)
			.where(sql`${schedules.rrule} is not null`)
	).map((r) => r.id);
}
