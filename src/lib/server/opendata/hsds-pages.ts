/**
 * Reading the HSDS API's lists and records. Lists read in bulk: the page's ids first, then every
 * record of the page in a few statements (directory's `getPrograms` / `getOrganizations`), never
 * one program at a time — measured in hsds.test.ts ("reads in bulk").
 */
import type { Pool } from '../db';
import { getOrganization, getOrganizations, getPrograms, publishedProgramPlaces, programIdsMatching, programSummaries, placeCentre, distanceKm, type ProgramDetail } from '../directory';
import { hsdsOrganization, hsdsOrganizationBrief, hsdsPage, hsdsService, hsdsServiceBrief, hsdsServiceAtLocationNested, serviceAtLocationId, type HsdsLicence, type HsdsPage, type HsdsPaging, type Json } from './hsds';
import type { HsdsQuery } from './hsds-query';
import { allTaxonomies, allTerms, hsdsTaxonomy, hsdsTerm, type HsdsTaxonomy, type HsdsTaxonomyTerm } from './hsds-taxonomy';

const matches = (search: string | undefined, ...texts: Array<string | null | undefined>) => {
	if (!search) return true;
	const needle = search.normalize('NFKC').toLowerCase();
	return texts.some((x) => x && x.normalize('NFKC').toLowerCase().includes(needle));
};

/** Where a service must be: a postcode's 市区町村 (by its 全国地方公共団体コード) or, with `withinMeters`, a distance from the postcode's point. */
export interface HsdsNear {
	/** The postcode's point: its municipality's centre (tsunagu holds no postcode centroids). */
	lat: number;
	lng: number;
	areaCode: string | null;
	withinMeters?: number;
}

export interface HsdsServiceFilter {
	search?: string;
	organizationId?: string;
	modifiedAfter?: Date;
	/** Services with this term (life stage, form or target). */
	taxonomyTermId?: string;
	/** Services with any term of this taxonomy. */
	taxonomyId?: string;
	near?: HsdsNear;
}

type Classified = 'lifeStages' | 'forms' | 'targets';
const CLASSIFIED: Classified[] = ['lifeStages', 'forms', 'targets'];

/** Whether a program has a place near `near`: within the distance, or (without one) in the postcode's 市区町村. */
function isNear(d: ProgramDetail, near: HsdsNear): boolean {
	if (near.withinMeters !== undefined) {
		const km = near.withinMeters / 1000;
		return d.locations.some((l) => l.lat !== null && l.lng !== null && distanceKm(near, { lat: l.lat, lng: l.lng }) <= km);
	}
	return near.areaCode !== null && d.locations.some((l) => l.municipalityCode === near.areaCode);
}

/** Ids of the published services (published programs of published organisations), by name. */
export async function publishedServiceIds(db: Pool, filter: HsdsServiceFilter = {}): Promise<string[]> {
	const ids = await programIdsMatching(db, { publishedOnly: true, organizationId: filter.organizationId });
	const summaries = await programSummaries(db, ids);
	const found = [...summaries.values()]
		.filter((s) => s.published && matches(filter.search, s.title, s.summary, s.organizationName) && (!filter.modifiedAfter || s.updatedAt >= filter.modifiedAfter))
		.sort((a, b) => a.title.localeCompare(b.title, 'ja') || a.id.localeCompare(b.id))
		.map((s) => s.id);
	if (!filter.taxonomyTermId && !filter.taxonomyId && !filter.near) return found;
	let keep = (d: ProgramDetail) => !filter.near || isNear(d, filter.near);
	if (filter.taxonomyTermId || filter.taxonomyId) {
		const term = filter.taxonomyTermId ? allTerms().find((t) => t.id === filter.taxonomyTermId) : undefined;
		const name = term ? CLASSIFIED.find((n) => hsdsTerm(n, term.code).id === term.id) : CLASSIFIED.find((n) => hsdsTaxonomy(n).id === filter.taxonomyId);
		// An unknown term or taxonomy, one of tsunagu's own attribute terms, or a term outside the given taxonomy: no service.
		if (!name || (term && filter.taxonomyId && term.taxonomy_id !== filter.taxonomyId)) return [];
		const near = keep;
		keep = (d) => near(d) && (term ? d.program[name].includes(term.code) : d.program[name].length > 0);
	}
	// Targets and places are not in the summaries: the programs' own records say (read in bulk).
	return (await getPrograms(db, found)).filter(keep).map((d) => d.program.id);
}

/** The postcode's point and 市区町村, or null when the registry does not know it. */
export async function hsdsPostcode(db: Pool, postcode: string, withinMeters?: number): Promise<HsdsNear | null> {
	const centre = await placeCentre(db, postcode);
	if (!centre || centre.kind !== 'postcode') return null;
	return { lat: centre.lat, lng: centre.lng, areaCode: centre.areaCode, withinMeters };
}

export type HsdsFilterResult = { ok: true; filter: HsdsServiceFilter & { full: boolean } } | { ok: false; errors: Array<{ param: string; code: string; message: string }> };

/** The service filter of a parsed query; a postcode the registry does not know is refused (no guessing where it is). */
export async function hsdsServiceFilter(db: Pool, q: HsdsQuery): Promise<HsdsFilterResult> {
	const near = q.postcode ? await hsdsPostcode(db, q.postcode, q.proximity) : undefined;
	if (near === null) return { ok: false, errors: [{ param: 'postcode', code: 'unknown_postcode', message: 'No such postcode in the postcode registry' }] };
	return { ok: true, filter: { search: q.search, organizationId: q.organizationId, modifiedAfter: q.modifiedAfter, taxonomyTermId: q.taxonomyTermId, taxonomyId: q.taxonomyId, full: q.full, near } };
}

const serviceItem = (d: ProgramDetail, origin: string, full: boolean | undefined) => (full ? hsdsService(d, origin) : { ...hsdsServiceBrief(d, origin), organization: hsdsOrganizationBrief(d.organization, origin) });

export async function hsdsServicePage(db: Pool, origin: string, paging: HsdsPaging, filter: HsdsServiceFilter & { full?: boolean }, licence: HsdsLicence): Promise<HsdsPage<Json>> {
	const ids = await publishedServiceIds(db, filter);
	const { page, slice } = hsdsPage(ids, paging, licence);
	const contents = (await getPrograms(db, slice)).map((d) => serviceItem(d, origin, filter.full));
	return { ...page, contents };
}

/** Every matching service, without pages (`format=ndjson`), read `chunk` programs at a time. */
export async function* hsdsServiceRecords(db: Pool, origin: string, filter: HsdsServiceFilter & { full?: boolean }, chunk = 200): AsyncGenerator<Json> {
	const ids = await publishedServiceIds(db, filter);
	for (let i = 0; i < ids.length; i += chunk) for (const d of await getPrograms(db, ids.slice(i, i + chunk))) yield serviceItem(d, origin, filter.full);
}

export async function hsdsServiceById(db: Pool, id: string, origin: string): Promise<Json | null> {
	const [d] = await getPrograms(db, [id]);
	return d ? hsdsService(d, origin) : null;
}

export async function hsdsOrganizationPage(db: Pool, origin: string, paging: HsdsPaging, filter: { search?: string }, licence: HsdsLicence): Promise<HsdsPage<Json>> {
	const all = (await getOrganizations(db)).filter((d) => matches(filter.search, d.organization.name)).sort((a, b) => a.organization.name.localeCompare(b.organization.name, 'ja') || a.organization.id.localeCompare(b.organization.id));
	const { page, slice } = hsdsPage(all, paging, licence);
	return { ...page, contents: slice.map((d) => hsdsOrganizationBrief(d.organization, origin)) };
}

export async function hsdsOrganizationById(db: Pool, id: string, origin: string): Promise<Json | null> {
	const d = await getOrganization(db, id);
	if (!d) return null;
	const programs = await getPrograms(
		db,
		d.programs.map((p) => p.id)
	);
	return hsdsOrganization(
		d,
		origin,
		programs.flatMap((p) => p.locations)
	);
}

// ── service_at_locations and taxonomies (HSDS paths beyond the first calls) ─────────────────────

/** Every published service at each of its places (ids only), by service name then place order. */
async function serviceAtLocationPairs(db: Pool, filter: HsdsServiceFilter): Promise<Array<{ programId: string; locationId: string }>> {
	const [ids, pairs] = await Promise.all([publishedServiceIds(db, filter), publishedProgramPlaces(db)]);
	const byProgram = new Map<string, string[]>();
	for (const p of pairs) byProgram.set(p.programId, [...(byProgram.get(p.programId) ?? []), p.locationId]);
	return ids.flatMap((programId) => (byProgram.get(programId) ?? []).map((locationId) => ({ programId, locationId })));
}

async function nested(db: Pool, pairs: Array<{ programId: string; locationId: string }>, origin: string, full: boolean): Promise<Json[]> {
	const details = new Map((await getPrograms(db, [...new Set(pairs.map((p) => p.programId))])).map((d) => [d.program.id, d]));
	return pairs.flatMap(({ programId, locationId }) => {
		const detail = details.get(programId);
		const place = detail?.locations.find((l) => l.id === locationId);
		return detail && place ? [hsdsServiceAtLocationNested(detail, place, origin, full)] : [];
	});
}

export async function hsdsServiceAtLocationPage(db: Pool, origin: string, paging: HsdsPaging, filter: HsdsServiceFilter & { full?: boolean }, licence: HsdsLicence): Promise<HsdsPage<Json>> {
	const { page, slice } = hsdsPage(await serviceAtLocationPairs(db, filter), paging, licence);
	return { ...page, contents: await nested(db, slice, origin, filter.full ?? false) };
}

export async function hsdsServiceAtLocationById(db: Pool, id: string, origin: string): Promise<Json | null> {
	const pair = (await publishedProgramPlaces(db)).find((p) => serviceAtLocationId(p.programId, p.locationId) === id);
	if (!pair) return null;
	const [found] = await nested(db, [pair], origin, true);
	return found ?? null;
}

export function hsdsTaxonomyPage(paging: HsdsPaging, filter: { search?: string }, licence: HsdsLicence): HsdsPage<HsdsTaxonomy> {
	const { page, slice } = hsdsPage(
		allTaxonomies().filter((t) => matches(filter.search, t.name, t.description)),
		paging,
		licence
	);
	return { ...page, contents: slice };
}

export function hsdsTaxonomyById(id: string): HsdsTaxonomy | null {
	return allTaxonomies().find((t) => t.id === id) ?? null;
}

export function hsdsTermPage(paging: HsdsPaging, filter: { search?: string; taxonomyId?: string; parentId?: string }, licence: HsdsLicence): HsdsPage<HsdsTaxonomyTerm> {
	// tsunagu's taxonomies are flat: every term is a top-level term, none has a parent.
	const terms = allTerms().filter((t) => matches(filter.search, t.name, t.description, t.code) && (!filter.taxonomyId || t.taxonomy_id === filter.taxonomyId) && !filter.parentId);
	const { page, slice } = hsdsPage(terms, paging, licence);
	return { ...page, contents: slice };
}

export function hsdsTermById(id: string): HsdsTaxonomyTerm | null {
	return allTerms().find((t) => t.id === id) ?? null;
}
