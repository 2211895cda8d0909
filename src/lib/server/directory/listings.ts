/**
 * An organisation's own listings — its profile, places, programs and their schedules — read and
 * written inside the caller's transaction. Every function takes the organisation and scopes every
 * query by it, so an id from another organisation reads as "not found"; row-level security refuses
 * the write independently. Writes keep the search document, the areas and the upcoming dates in
 * step, as save.ts does for the demo data. The staff pages call these through the operations in
 * editing.ts, which take the organisation's scope and record the audit events.
 */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import type { Tx } from '../db';
import { ok, refused, runIn, type Result, type SystemScope } from '../scope';
import { organizations, programs, locations, programLocations, programPartners, schedules } from './schema';
import type { ProgramInput, ScheduleInput } from './model';
import { programRow, locationRow, scheduleRow, PROGRAM_INDEX_VERSION } from './save';
import { geocodeAddress } from './places';
import { refreshDates } from './upcoming';
import { parseRecurrence } from './schedule';

export async function organizationForStaff(tx: Tx<'organization' | 'secretariat' | 'system'>, organizationId: string) {
	const [row] = await tx.select().from(organizations).where(eq(organizations.id, organizationId));
	return row ?? null;
}

export interface ProfileInput {
	name: string;
	nameKana: string | null;
	legalForm: string | null;
	representative: string | null;
	prefecture: string | null;
	city: string | null;
	addressLine: string | null;
	postalCode: string | null;
	website: string | null;
	message: string | null;
	description: string;
}

/** Update the profile; the organisation's name is in every program's search document. Returns changed field names. */
export async function updateProfile(tx: Tx<'organization' | 'secretariat'>, organizationId: string, input: ProfileInput, today: string): Promise<string[]> {
	const before = await organizationForStaff(tx, organizationId);
	if (!before) return [];
	const changed = (Object.keys(input) as (keyof ProfileInput)[]).filter((k) => (before[k] ?? null) !== (input[k] ?? null));
	if (changed.length === 0) return [];
	await tx
		.update(organizations)
		.set({ ...input, updatedAt: new Date() })
		.where(eq(organizations.id, organizationId));
	if (changed.includes('name') || changed.includes('nameKana')) await reindexPrograms(tx, organizationId, undefined, today);
	return changed;
}

export async function setOrganizationPublished(tx: Tx<'organization' | 'secretariat'>, organizationId: string, published: boolean): Promise<boolean> {
	const rows = await tx.update(organizations).set({ published, updatedAt: new Date() }).where(eq(organizations.id, organizationId)).returning({ id: organizations.id });
	return rows.length === 1;
}

/** Whether the organisation's public program pages show attendance figures; false when not found. */
export async function setOrganizationShowsAttendance(tx: Tx<'organization'>, organizationId: string, showAttendance: boolean): Promise<boolean> {
	const rows = await tx.update(organizations).set({ showAttendance, updatedAt: new Date() }).where(eq(organizations.id, organizationId)).returning({ id: organizations.id });
	return rows.length === 1;
}

// ── places ─────────────────────────────────────────────────────────────────────────────────────

export type LocationFields = ProgramInput['locations'][number];

export async function locationsOf(tx: Tx<'organization' | 'secretariat'>, organizationId: string) {
	return tx.select().from(locations).where(eq(locations.organizationId, organizationId)).orderBy(asc(locations.name));
}

export async function locationForStaff(tx: Tx<'organization' | 'secretariat'>, organizationId: string, locationId: string) {
	const [row] = await tx
		.select()
		.from(locations)
		.where(and(eq(locations.id, locationId), eq(locations.organizationId, organizationId)));
	return row ?? null;
}

const LOCATION_COLUMNS: Record<Exclude<keyof LocationFields, 'approximate'>, keyof typeof locations.$inferSelect> = {
	name: 'name',
	prefecture: 'prefecture',
	city: 'city',
	line: 'addressLine',
	postalCode: 'postalCode',
	lat: 'lat',
	lng: 'lng',
	accessibility: 'accessibility',
	transport: 'transport'
};

/**
 * Staff need not type coordinates: a place saved without them gets its 市区町村's point from the
 * offline registry (or the online geocoder when one is configured), marked approximate. Typed
 * coordinates are kept as exact; coordinates the form shows back unchanged keep their mark.
 */
async function withCoordinates(input: LocationFields, before: typeof locations.$inferSelect | null): Promise<LocationFields> {
	if (input.lat !== null && input.lng !== null) {
		const unchanged = before !== null && before.lat === input.lat && before.lng === input.lng;
		return { ...input, approximate: unchanged && before.coordinatesApproximate };
	}
	const found = await geocodeAddress(input);
	return found ? { ...input, lat: found.lat, lng: found.lng, approximate: found.approximate } : { ...input, approximate: false };
}

/** `placed`: the place has a point (typed, or its 市区町村's); without one it is never found by distance. */
export type SaveLocationResult = { id: string; changed: Exclude<keyof LocationFields, 'approximate'>[]; placed: boolean };

/**
 * Create (no id) or update a place, with the names of the fields that changed (for the audit
 * log); null when the id is not this organisation's.
 */
export async function saveLocation(tx: Tx<'organization' | 'secretariat'>, organizationId: string, locationId: string | null, given: LocationFields, today: string): Promise<SaveLocationResult | null> {
	const fields = Object.keys(LOCATION_COLUMNS) as Exclude<keyof LocationFields, 'approximate'>[];
	const before = locationId ? await locationForStaff(tx, organizationId, locationId) : null;
	if (locationId && !before) return null;
	const input = await withCoordinates(given, before);
	const placed = input.lat !== null && input.lng !== null;
	if (!locationId) {
		const [row] = await tx.insert(locations).values(locationRow(organizationId, input)).returning({ id: locations.id });
		return { id: row.id, changed: fields.filter((f) => input[f] !== null), placed };
	}
	if (!before) return null;
	const changed = fields.filter((f) => (before[LOCATION_COLUMNS[f]] ?? null) !== (input[f] ?? null));
	if (changed.length === 0) return { id: locationId, changed, placed };
	const updated = await tx
		.update(locations)
		.set({ ...locationRow(organizationId, input), updatedAt: new Date() })
		.where(and(eq(locations.id, locationId), eq(locations.organizationId, organizationId)))
		.returning({ id: locations.id });
	if (updated.length === 0) return null;
	// Programs held at this place carry its area and name in their search documents.
	const linked = await tx.select({ id: programLocations.programId }).from(programLocations).where(eq(programLocations.locationId, locationId));
	if (linked.length)
		await reindexPrograms(
			tx,
			organizationId,
			linked.map((l) => l.id),
			today
		);
	return { id: locationId, changed, placed };
}

// ── programs ───────────────────────────────────────────────────────────────────────────────────

export async function programsOf(tx: Tx<'organization' | 'secretariat'>, organizationId: string) {
	return tx
		.select({ id: programs.id, title: programs.title, status: programs.status, published: programs.published, updatedAt: programs.updatedAt, nextStartsAt: programs.nextStartsAt, nextEndsAt: programs.nextEndsAt })
		.from(programs)
		.where(eq(programs.organizationId, organizationId))
		.orderBy(desc(programs.published), asc(programs.title));
}

/** Is this program this organisation's? (Checked before a form is read, so another's id is a 404 whatever the body.) */
export async function isOwnProgram(tx: Tx<'organization' | 'secretariat'>, organizationId: string, programId: string): Promise<boolean> {
	const [row] = await tx
		.select({ id: programs.id })
		.from(programs)
		.where(and(eq(programs.id, programId), eq(programs.organizationId, organizationId)));
	return !!row;
}

export interface ProgramForStaff {
	id: string;
	published: boolean;
	input: ProgramInput;
	locationIds: string[];
}

/** The program as an input (what the form edits), or null when it is not this organisation's. */
export async function programForStaff(tx: Tx<'organization' | 'secretariat' | 'system'>, organizationId: string, programId: string): Promise<ProgramForStaff | null> {
	const [p] = await tx
		.select()
		.from(programs)
		.where(and(eq(programs.id, programId), eq(programs.organizationId, organizationId)));
	if (!p) return null;
	const places = await tx.select({ location: locations }).from(programLocations).innerJoin(locations, eq(locations.id, programLocations.locationId)).where(eq(programLocations.programId, programId)).orderBy(asc(programLocations.position));
	const partners = await tx.select().from(programPartners).where(eq(programPartners.programId, programId)).orderBy(asc(programPartners.position));
	const rules = await tx.select().from(schedules).where(eq(schedules.programId, programId)).orderBy(asc(schedules.position));
	return {
		id: p.id,
		published: p.published,
		locationIds: places.map((l) => l.location.id),
		input: {
			slug: p.slug,
			title: p.title,
			summary: p.summary,
			description: p.description,
			forms: p.forms,
			targets: p.targets,
			lifeStages: p.lifeStages,
			audience: p.audience as NonNullable<ProgramInput['audience']>,
			partnershipType: p.partnershipType as ProgramInput['partnershipType'],
			partners: partners.map((x) => ({ name: x.name, role: x.role })),
			cost: { kind: p.costKind as ProgramInput['cost']['kind'], amountYen: p.costAmountYen, note: p.costNote },
			joinMethod: p.joinMethod as ProgramInput['joinMethod'],
			joinNote: p.joinNote,
			firstTimeNote: p.firstTimeNote,
			languages: p.languages,
			deliveryMode: p.deliveryMode as ProgramInput['deliveryMode'],
			status: p.status as ProgramInput['status'],
			periodStart: p.periodStart,
			periodEnd: p.periodEnd,
			outcomes: p.outcomes,
			contact: { phone: p.contactPhone, email: p.contactEmail, url: p.contactUrl },
			locations: places.map(({ location: l }) => ({
				name: l.name,
				prefecture: l.prefecture,
				city: l.city,
				line: l.addressLine,
				postalCode: l.postalCode,
				lat: l.lat,
				lng: l.lng,
				accessibility: l.accessibility,
				transport: l.transport,
				approximate: l.coordinatesApproximate
			})),
			schedules: rules.map((s) => ({
				rrule: s.rrule,
				dtstart: s.dtstart,
				until: s.until,
				count: s.count,
				exdates: s.exdates,
				opensAt: s.opensAt,
				closesAt: s.closesAt,
				closedOnHolidays: s.closedOnHolidays,
				note: s.note
			}))
		}
	};
}

/** What the staff form edits; the rest of a program (partners, period, outcomes) is kept. */
export type ProgramEdit = Pick<ProgramInput, 'title' | 'summary' | 'description' | 'forms' | 'targets' | 'lifeStages' | 'audience' | 'cost' | 'joinMethod' | 'joinNote' | 'firstTimeNote' | 'languages' | 'deliveryMode' | 'status' | 'contact'> & { schedules: ScheduleInput[] };

const EDITABLE: (keyof ProgramEdit)[] = ['title', 'summary', 'description', 'forms', 'targets', 'lifeStages', 'audience', 'cost', 'joinMethod', 'joinNote', 'firstTimeNote', 'languages', 'deliveryMode', 'status', 'contact', 'schedules'];

/** Code lists whose order says nothing (the staff form sends them in the taxonomy's order). */
const UNORDERED = new Set<keyof ProgramEdit>(['forms', 'targets', 'lifeStages', 'languages']);

/** Whether a field of the form holds what is stored, however it is written. */
function sameValue<K extends keyof ProgramEdit>(key: K, stored: ProgramEdit[K], sent: ProgramEdit[K]): boolean {
	if (UNORDERED.has(key)) return JSON.stringify([...(stored as string[])].sort()) === JSON.stringify([...(sent as string[])].sort());
	if (key === 'schedules') return JSON.stringify((stored as ScheduleInput[]).map(scheduleMeaning)) === JSON.stringify((sent as ScheduleInput[]).map(scheduleMeaning));
	return JSON.stringify(stored) === JSON.stringify(sent);
}

/** A schedule as what it means: its rule read (weekdays in order, INTERVAL=1 or not), absent lists and nulls alike. */
function scheduleMeaning(s: ScheduleInput) {
	const read = s.rrule ? parseRecurrence(s.rrule) : null;
	const rule = read?.ok ? { ...read.summary, weekdays: [...read.summary.weekdays].sort((a, b) => `${a.ordinal}${a.day}`.localeCompare(`${b.ordinal}${b.day}`)), monthDays: [...read.summary.monthDays].sort((a, b) => a - b) } : (s.rrule ?? null);
	return { rule, dtstart: s.dtstart, until: s.until ?? null, count: s.count ?? null, exdates: [...(s.exdates ?? [])].sort(), opensAt: s.opensAt ?? null, closesAt: s.closesAt ?? null, closedOnHolidays: s.closedOnHolidays, note: s.note ?? null };
}

export type SaveProgramResult = Result<{ programId: string; changed: string[] }, 'not_found' | 'foreign_location'>;

/**
 * Create (no id; as an unpublished draft) or update a program with its places (ids of this
 * organisation's places) and schedules.
 */
export async function saveProgram(tx: Tx<'organization' | 'secretariat'>, organizationId: string, programId: string | null, given: ProgramEdit, locationIds: string[], today: string): Promise<SaveProgramResult> {
	const org = await organizationForStaff(tx, organizationId);
	if (!org) return refused('not_found');
	const existing = programId ? await programForStaff(tx, organizationId, programId) : null;
	if (programId && !existing) return refused('not_found');
	// An edit that does not say whom the program is for keeps what it was (residents for a new one).
	const said: ProgramEdit = { ...given, audience: given.audience ?? existing?.input.audience ?? 'residents' };
	// What the form sends unchanged, only written another way (codes in the taxonomy's order, a rule
	// with INTERVAL=1), keeps the stored value: it is no change, and 「最終更新」 must not move for it.
	const edit: ProgramEdit = existing ? (Object.fromEntries(EDITABLE.map((k) => [k, sameValue(k, existing.input[k], said[k]) ? existing.input[k] : said[k]])) as ProgramEdit) : said;
	const changed = existing ? [...EDITABLE.filter((k) => edit[k] !== existing.input[k]), ...(JSON.stringify(existing.locationIds) !== JSON.stringify(locationIds) ? ['locations'] : [])] : [...EDITABLE, 'locations'];
	const places = locationIds.length
		? await tx
				.select()
				.from(locations)
				.where(and(inArray(locations.id, locationIds), eq(locations.organizationId, organizationId)))
		: [];
	if (places.length !== new Set(locationIds).size) return refused('foreign_location');
	const ordered = locationIds.map((id) => places.find((p) => p.id === id)!);
	const base: ProgramInput = existing?.input ?? {
		slug: `p-${randomBytes(6).toString('hex')}`,
		partnershipType: null,
		partners: [],
		periodStart: null,
		periodEnd: null,
		outcomes: null,
		...edit,
		locations: []
	};
	const input: ProgramInput = {
		...base,
		...edit,
		locations: ordered.map((l) => ({ name: l.name, prefecture: l.prefecture, city: l.city, line: l.addressLine, postalCode: l.postalCode, lat: l.lat, lng: l.lng, accessibility: l.accessibility, transport: l.transport, approximate: l.coordinatesApproximate }))
	};
	const values = programRow(organizationId, { name: org.name, nameKana: org.nameKana }, input);
	let id: string;
	if (existing) {
		await tx
			.update(programs)
			.set(changed.length ? { ...values, updatedAt: new Date() } : values)
			.where(and(eq(programs.id, existing.id), eq(programs.organizationId, organizationId)));
		id = existing.id;
	} else {
		const [row] = await tx
			.insert(programs)
			.values({ ...values, published: false })
			.returning({ id: programs.id });
		id = row.id;
	}
	await tx.delete(programLocations).where(eq(programLocations.programId, id));
	if (ordered.length) await tx.insert(programLocations).values(ordered.map((l, position) => ({ programId: id, locationId: l.id, position })));
	await replaceSchedules(
		tx,
		id,
		input.schedules.map((s, position) => scheduleRow(id, ordered[0]?.id ?? null, s, position))
	);
	await refreshDates(tx, today, [id]);
	return ok({ programId: id, changed });
}

/**
 * Write a program's schedules position by position, keeping each row's id: occurrences (events
 * module) hang off schedule ids, and a staff member's cancelled or moved date must survive an
 * edit of the program's description.
 */
async function replaceSchedules(tx: Tx<'organization' | 'secretariat'>, programId: string, rows: Array<ReturnType<typeof scheduleRow>>) {
	const existing = await tx.select({ id: schedules.id }).from(schedules).where(eq(schedules.programId, programId)).orderBy(asc(schedules.position));
	for (const [i, row] of rows.entries()) {
		if (existing[i])
			await tx
				.update(schedules)
				.set({ ...row, updatedAt: new Date() })
				.where(eq(schedules.id, existing[i].id));
		else await tx.insert(schedules).values(row);
	}
	const gone = existing.slice(rows.length).map((r) => r.id);
	if (gone.length) await tx.delete(schedules).where(inArray(schedules.id, gone));
}

/** Publish or unpublish; false when the program is not this organisation's. */
export async function setProgramPublished(tx: Tx<'organization' | 'secretariat'>, organizationId: string, programId: string, published: boolean): Promise<boolean> {
	const rows = await tx
		.update(programs)
		.set({ published, updatedAt: new Date() })
		.where(and(eq(programs.id, programId), eq(programs.organizationId, organizationId)))
		.returning({ id: programs.id });
	return rows.length === 1;
}

/** Rebuild the stored row (search document, areas, weekdays) of some or all of an organisation's programs. */
async function reindexPrograms(tx: Tx<'organization' | 'secretariat' | 'system'>, organizationId: string, programIds: string[] | undefined, today: string) {
	const org = await organizationForStaff(tx, organizationId);
	if (!org) return;
	const ids = programIds ?? (await tx.select({ id: programs.id }).from(programs).where(eq(programs.organizationId, organizationId))).map((p) => p.id);
	for (const id of ids) {
		const program = await programForStaff(tx, organizationId, id);
		if (!program) continue;
		await tx
			.update(programs)
			.set(programRow(organizationId, { name: org.name, nameKana: org.nameKana }, program.input))
			.where(eq(programs.id, id));
	}
	await refreshDates(tx, today, ids);
}

/**
 * Rebuild the rows written by an older build of programRow (PROGRAM_INDEX_VERSION), a batch of
 * programs per transaction so a national directory never holds one long lock. Returns how many.
 */
export async function reindexStalePrograms(scope: SystemScope, today: string, batch = 200): Promise<number> {
	const stale = sql`${programs.indexVersion} < ${PROGRAM_INDEX_VERSION}`;
	const [{ n: total }] = await runIn(scope, (tx) =>
		tx
			.select({ n: sql<number>`count(*)::int` })
			.from(programs)
			.where(stale)
	);
	let done = 0;
	// Bounded by the count taken first: a row that could not be rebuilt is not retried forever.
	while (done < total) {
		const n = await runIn(scope, async (tx) => {
			const rows = await tx.select({ id: programs.id, organizationId: programs.organizationId }).from(programs).where(stale).limit(batch);
			const byOrganization = new Map<string, string[]>();
			for (const p of rows) byOrganization.set(p.organizationId, [...(byOrganization.get(p.organizationId) ?? []), p.id]);
			for (const [organizationId, ids] of byOrganization) await reindexPrograms(tx, organizationId, ids, today);
			return rows.length;
		});
		if (n === 0) break;
		done += n;
	}
	return done;
}

// ── the secretariat ────────────────────────────────────────────────────────────────────────────

export async function allOrganizations(tx: Tx) {
	return tx
		.select({
			id: organizations.id,
			name: organizations.name,
			city: organizations.city,
			prefecture: organizations.prefecture,
			published: organizations.published,
			programs: sql<number>`(select count(*)::int from programs p where p.organization_id = ${organizations.id})`,
			unpublishedPrograms: sql<number>`(select count(*)::int from programs p where p.organization_id = ${organizations.id} and not p.published)`
		})
		.from(organizations)
		.orderBy(asc(organizations.prefecture), asc(organizations.name));
}
