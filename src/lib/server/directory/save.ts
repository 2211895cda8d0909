/**
 * Writing the directory: organisations and programs with their places, partners and schedules.
 * Every write also rebuilds the program's search document and its upcoming dates, so the finder
 * never serves a program whose index disagrees with it.
 */
import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Tx } from '../db';
import { organizations, programs, locations, programLocations, programPartners, schedules, taxonomyTerms } from './schema';
import type { OrganizationInput, ProgramInput } from './model';
import { buildSearchDocument } from './search/document';
import { ruleWeekdays } from './schedule';
import { withRuleFromWords } from './schedule-words';
import { refreshDates } from './upcoming';
import { taxonomy, taxonomyKey, type TaxonomyName } from './taxonomy';
import { areaCodesOf, geocodeOffline, municipalityOfAddress, prefectureByName } from './places';

/** The savepoint `saveOrganization` opens inside the system transaction. */
type Savepoint = Parameters<Parameters<Tx<'system'>['transaction']>[0]>[0];

export function programAreas(places: Array<{ prefecture: string; city: string | null }>): string[] {
	return [...new Set(places.flatMap((p) => (p.city ? [p.prefecture, `${p.prefecture}/${p.city}`, `/${p.city}`] : [p.prefecture])))];
}

/**
 * The 地方公共団体コード a program is found under, for every place: the municipality's, its
 * 政令指定都市's when it is a ward, and the prefecture's (a place whose city is unknown still
 * counts for its prefecture).
 */
export function programAreaCodes(places: Array<{ prefecture: string; city: string | null; postalCode: string | null }>): string[] {
	return [
		...new Set(
			places.flatMap((p) => {
				const m = municipalityOfAddress(p);
				if (m) return areaCodesOf(m.code);
				const pref = prefectureByName(p.prefecture);
				return pref ? [pref.code] : [];
			})
		)
	];
}

/**
 * The point a program is measured from: its first place with coordinates, else the representative
 * point of its first place's 市区町村 (approximate).
 */
export function programPoint(places: ProgramInput['locations']): { lat: number; lng: number; approximate: boolean } | null {
	const primary = places.find((l) => l.lat !== null && l.lng !== null);
	if (primary) return { lat: primary.lat!, lng: primary.lng!, approximate: primary.approximate ?? false };
	for (const place of places) {
		const g = geocodeOffline(place);
		if (g) return { lat: g.lat, lng: g.lng, approximate: true };
	}
	return null;
}

export async function saveTaxonomies(db: Tx<'system'>) {
	const rows = (Object.keys(taxonomy) as TaxonomyName[]).flatMap((name) => taxonomy[name].map((t, i) => ({ taxonomy: taxonomyKey[name], code: t.code, labelJa: t.ja, labelEn: t.en, sortOrder: i })));
	await db
		.insert(taxonomyTerms)
		.values(rows)
		.onConflictDoUpdate({
			target: [taxonomyTerms.taxonomy, taxonomyTerms.code],
			set: { labelJa: sql`excluded.label_ja`, labelEn: sql`excluded.label_en`, sortOrder: sql`excluded.sort_order` }
		});
}

/** Insert or update an organisation (by slug) with all its programs. Idempotent. */
export async function saveOrganization(db: Tx<'system'>, input: OrganizationInput, today: string): Promise<string> {
	return db.transaction(async (tx) => {
		const values = organizationRow(input);
		const [org] = await tx
			.insert(organizations)
			.values(values)
			// Loading a dataset again is not a change (its citation's 「最終更新」): as for programs below.
			.onConflictDoUpdate({ target: organizations.slug, set: values })
			.returning({ id: organizations.id });
		const programIds: string[] = [];
		for (const program of input.programs) {
			programIds.push(await saveProgramTx(tx, org.id, { name: input.name, nameKana: input.nameKana }, program));
		}
		// Programs removed from the source disappear too (their children cascade).
		await tx.delete(programs).where(and(eq(programs.organizationId, org.id), notInArray(programs.id, programIds)));
		await tx.delete(locations).where(and(eq(locations.organizationId, org.id), sql`not exists (select 1 from ${programLocations} pl where pl.location_id = ${locations.id})`));
		await refreshDates(tx, today, programIds);
		return org.id;
	});
}

async function saveProgramTx(tx: Savepoint, organizationId: string, org: { name: string; nameKana: string | null }, input: ProgramInput): Promise<string> {
	const values = programRow(organizationId, org, input);
	// Loading a dataset again is not a change to the program: updated_at ("最終更新" on its page)
	// moves only when the organisation edits it (listings.ts saveProgram).
	const [row] = await tx.insert(programs).values(values).onConflictDoUpdate({ target: programs.slug, set: values }).returning({ id: programs.id });
	const programId = row.id;

	const oldLocations = await tx.select({ id: programLocations.locationId }).from(programLocations).where(eq(programLocations.programId, programId));
	await tx.delete(programLocations).where(eq(programLocations.programId, programId));
	if (oldLocations.length) {
		await tx.delete(locations).where(
			and(
				inArray(
					locations.id,
					oldLocations.map((l) => l.id)
				),
				sql`not exists (select 1 from ${programLocations} pl where pl.location_id = ${locations.id})`
			)
		);
	}
	const locationIds: string[] = [];
	for (const [position, place] of input.locations.entries()) {
		const [loc] = await tx.insert(locations).values(locationRow(organizationId, place)).returning({ id: locations.id });
		locationIds.push(loc.id);
		await tx.insert(programLocations).values({ programId, locationId: loc.id, position });
	}

	await tx.delete(programPartners).where(eq(programPartners.programId, programId));
	if (input.partners.length) {
		await tx.insert(programPartners).values(input.partners.map((p, position) => ({ programId, name: p.name, role: p.role, position })));
	}
	await tx.delete(schedules).where(eq(schedules.programId, programId));
	if (input.schedules.length) {
		await tx.insert(schedules).values(input.schedules.map((s, position) => scheduleRow(programId, locationIds[0] ?? null, s, position)));
	}
	return programId;
}

// The rows an organisation's input becomes, shared with the benchmark generator so that the
// synthetic region is stored exactly as real data is.

export function organizationRow(input: OrganizationInput) {
	return {
		slug: input.slug,
		name: input.name,
		nameKana: input.nameKana,
		legalForm: input.legalForm,
		representative: input.representative,
		founded: input.founded,
		prefecture: input.address.prefecture,
		city: input.address.city,
		addressLine: input.address.line,
		postalCode: input.address.postalCode,
		website: input.website,
		message: input.message,
		description: input.description,
		sourceFile: input.source?.file ?? null,
		sourceTitle: input.source?.title ?? null
	};
}

/**
 * The build of a program row's derived fields (search document, readings, area codes, point).
 * Raise it whenever programRow or buildSearchDocument changes what they derive: rows of an older
 * build are rebuilt at start-up (reindexStalePrograms), so searches never mix old and new.
 * 2: the grams as integers (search_gram_ids, migration 0023), which the finder matches.
 */
export const PROGRAM_INDEX_VERSION = 2;

export function programRow(organizationId: string, org: { name: string; nameKana: string | null }, input: ProgramInput) {
	const doc = buildSearchDocument({
		...input,
		organizationName: org.name,
		organizationKana: org.nameKana,
		areas: input.locations,
		partners: input.partners.map((p) => p.name)
	});
	const point = programPoint(input.locations);
	return {
		slug: input.slug,
		organizationId,
		title: input.title,
		summary: input.summary,
		description: input.description,
		forms: input.forms,
		targets: input.targets,
		lifeStages: input.lifeStages,
		audience: input.audience ?? 'residents',
		partnershipType: input.partnershipType,
		costKind: input.cost.kind,
		costAmountYen: input.cost.amountYen,
		costNote: input.cost.note,
		joinMethod: input.joinMethod,
		joinNote: input.joinNote,
		firstTimeNote: input.firstTimeNote,
		languages: input.languages,
		deliveryMode: input.deliveryMode,
		status: input.status,
		periodStart: input.periodStart,
		periodEnd: input.periodEnd,
		outcomes: input.outcomes,
		contactPhone: input.contact.phone,
		contactEmail: input.contact.email,
		contactUrl: input.contact.url,
		areas: programAreas(input.locations),
		areaCodes: programAreaCodes(input.locations),
		weekdays: [...new Set(input.schedules.flatMap((s) => ruleWeekdays(withRuleFromWords(s).rrule)))],
		lat: point?.lat ?? null,
		lng: point?.lng ?? null,
		locationApproximate: point?.approximate ?? false,
		indexVersion: PROGRAM_INDEX_VERSION,
		...doc
	};
}

/** A place's row; its 市区町村 code is read from its address (the coordinates are taken as given). */
export function locationRow(organizationId: string, place: ProgramInput['locations'][number]) {
	return {
		organizationId,
		name: place.name,
		prefecture: place.prefecture,
		city: place.city,
		addressLine: place.line,
		postalCode: place.postalCode,
		lat: place.lat,
		lng: place.lng,
		municipalityCode: municipalityOfAddress(place)?.code ?? null,
		coordinatesApproximate: place.lat !== null && (place.approximate ?? false),
		accessibility: place.accessibility,
		transport: place.transport
	};
}

/** A schedule as stored: a note that says its rule exactly gets that rule (schedule-words.ts). */
export function scheduleRow(programId: string, locationId: string | null, given: ProgramInput['schedules'][number], position: number) {
	const s = withRuleFromWords(given);
	return {
		programId,
		locationId,
		rrule: s.rrule,
		dtstart: s.dtstart,
		until: s.until ?? null,
		count: s.count ?? null,
		exdates: s.exdates ?? [],
		opensAt: s.opensAt,
		closesAt: s.closesAt,
		closedOnHolidays: s.closedOnHolidays,
		note: s.note,
		position
	};
}
