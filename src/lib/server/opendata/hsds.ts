/**
 * The published directory as Open Referral HSDS 3.0 records (the /api/hsds/ API): a tsunagu
 * program is an HSDS *service*, an organisation an *organization*, a place a *location* reached
 * through a *service_at_location*. Only published programs of published organisations appear.
 * HSDS fields are never null: a fact tsunagu does not hold is left out, not guessed.
 */
import { label, parseRecurrence, type OrganizationDetail, type ProgramDetail } from '../directory';
import { costInWords, scheduleInWords } from '../present';
import { translator } from '$lib/i18n';
import { hsdsId } from './hsds-ids';
import { hsdsTerm, type HsdsTaxonomyName } from './hsds-taxonomy';
import { DIRECTORY_LICENCE } from './licence';
import { citationText, organizationCitation } from './citation';

export const HSDS_VERSION = '3.0' as const;
/** Open Referral's HSDS OpenAPI document, which this API follows (its own document, /api/hsds/openapi.json, names it in externalDocs). */
export const HSDS_OPENAPI_URL = 'https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json';
/** Asia/Tokyo as HSDS wants a timezone: the offset from UTC in hours (Japan has no daylight saving). */
const TOKYO_OFFSET_HOURS = 9;

export type Json = Record<string, unknown>;

/** The record without its null, undefined and empty-array fields (HSDS fields are never null). */
function compact<T extends Json>(record: T): T {
	return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0))) as T;
}

/** A URL HSDS accepts (format uri), or nothing. */
function uriOrNothing(value: string | null | undefined): string | undefined {
	if (!value) return undefined;
	try {
		const url = new URL(value);
		return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
	} catch {
		return undefined;
	}
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** HSDS service status: ours is active | planned | ended; HSDS has active | inactive | defunct | temporarily closed. */
export function serviceStatus(status: string): 'active' | 'inactive' | 'defunct' {
	if (status === 'active') return 'active';
	if (status === 'ended') return 'defunct';
	return 'inactive'; // planned: not running yet
}

function attribute(linkId: string, linkEntity: string, name: HsdsTaxonomyName, code: string, value?: string): Json {
	const t = hsdsTerm(name, code);
	return compact({ id: hsdsId('attribute', linkId, name, code), link_id: linkId, link_type: linkEntity, link_entity: linkEntity, taxonomy_term_id: t.id, taxonomy_term: t, value });
}

type Schedule = ProgramDetail['schedules'][number];
export type Place = ProgramDetail['locations'][number];

/** One schedule in HSDS's iCal fields, with the RRULE kept verbatim and the holiday closure as attributes. */
export function hsdsSchedule(s: Schedule, serviceId: string, origin: string, places: readonly Place[]): Json {
	const t = translator('ja');
	const parsed = s.rrule ? parseRecurrence(s.rrule) : null;
	const r = parsed?.ok ? parsed.summary : null;
	const byday = r?.weekdays.map((w) => `${w.ordinal ?? ''}${w.day}`).join(',');
	const attributes = [...(s.rrule ? [attribute(s.id, 'schedule', 'tsunagu', 'rrule', s.rrule)] : []), ...(s.closedOnHolidays ? [attribute(s.id, 'schedule', 'tsunagu', 'closed_on_holidays', 'true')] : [])];
	return compact({
		id: s.id,
		service_id: serviceId,
		// A schedule's place is named only when it is one of the service's published places.
		location_id: s.locationId && places.some((p) => p.id === s.locationId) ? s.locationId : undefined,
		dtstart: s.dtstart,
		valid_from: s.dtstart,
		until: s.until ?? r?.until ?? undefined,
		valid_to: s.until ?? r?.until ?? undefined,
		count: s.count ?? r?.count ?? undefined,
		timezone: s.timezone === 'Asia/Tokyo' ? TOKYO_OFFSET_HOURS : undefined,
		freq: r?.freq,
		interval: r ? r.interval : undefined,
		byday: byday || undefined,
		bymonthday: r?.monthDays.length ? r.monthDays.join(',') : undefined,
		opens_at: s.opensAt,
		closes_at: s.closesAt,
		description: scheduleInWords(t, s) || undefined,
		notes: s.note,
		schedule_link: `${origin}/programs/${serviceId}`,
		attributes
	});
}

function hsdsAddress(place: Place): Json[] {
	// HSDS requires address_1, city, state_province and postal_code: a place without all of them has no address here.
	if (!place.addressLine || !place.city || !place.postalCode) return [];
	return [{ id: hsdsId('address', place.id), location_id: place.id, address_1: place.addressLine, city: place.city, state_province: place.prefecture, postal_code: place.postalCode, country: 'JP', address_type: 'physical' }];
}

export function hsdsLocation(place: Place): Json {
	return compact({
		id: place.id,
		location_type: 'physical',
		organization_id: place.organizationId,
		name: place.name,
		transportation: place.transport,
		// A municipality's centre stands in for unknown coordinates: not the place's, so left out.
		latitude: place.coordinatesApproximate ? undefined : place.lat,
		longitude: place.coordinatesApproximate ? undefined : place.lng,
		accessibility: place.accessibility ? [{ id: hsdsId('accessibility', place.id), location_id: place.id, description: place.accessibility }] : [],
		addresses: hsdsAddress(place)
	});
}

function hsdsLanguages(serviceId: string, codes: readonly string[]): Json[] {
	return codes.map((code) => {
		const name = label('languages', code, 'ja');
		const english = label('languages', code, 'en');
		// ISO 639 codes: やさしい日本語 is Japanese; jsl (日本手話) is already ISO 639-3.
		const iso = code === 'ja-easy' ? 'ja' : code;
		return compact({ id: hsdsId('language', serviceId, code), service_id: serviceId, name, code: iso, note: english !== name ? english : undefined });
	});
}

function hsdsCostOptions(p: ProgramDetail['program']): Json[] {
	if (p.costKind === 'unknown') return [];
	const t = translator('ja');
	const words = costInWords(t, p.costKind, p.costAmountYen);
	const amount = p.costKind === 'free' ? 0 : p.costKind === 'fixed' && p.costAmountYen !== null ? p.costAmountYen : undefined;
	return [compact({ id: hsdsId('cost_option', p.id), service_id: p.id, currency: 'JPY', amount, option: words, amount_description: p.costNote ?? undefined })];
}

/** A service's one-to-one fields (what HSDS lists carry). */
export function hsdsServiceBrief(d: ProgramDetail, origin: string): Json {
	const p = d.program;
	const t = translator('ja');
	return compact({
		id: p.id,
		organization_id: d.organization.id,
		name: p.title,
		description: p.description ? (p.summary ? `${p.summary}\n\n${p.description}` : p.description) : p.summary || undefined,
		url: `${origin}/programs/${p.id}`,
		email: p.contactEmail && EMAIL.test(p.contactEmail) ? p.contactEmail : undefined,
		status: serviceStatus(p.status),
		application_process: p.joinNote ?? undefined,
		fees_description: p.costKind === 'unknown' ? undefined : [costInWords(t, p.costKind, p.costAmountYen), p.costNote].filter(Boolean).join(' '),
		last_modified: p.updatedAt.toISOString()
	});
}

/** A fully nested HSDS service (compiled/service.json). */
export function hsdsService(d: ProgramDetail, origin: string, options: { nestOrganization?: boolean } = {}): Json {
	const p = d.program;
	const attributes = [...(['lifeStages', 'forms', 'targets'] as const).flatMap((name) => p[name].map((code) => attribute(p.id, 'service', name, code)))];
	return compact({
		...hsdsServiceBrief(d, origin),
		organization: options.nestOrganization === false ? undefined : hsdsOrganizationBrief(d.organization, origin),
		phones: p.contactPhone ? [{ id: hsdsId('phone', p.id), service_id: p.id, number: p.contactPhone }] : [],
		schedules: d.schedules.map((s) => hsdsSchedule(s, p.id, origin, d.locations)),
		service_at_locations: d.locations.map((place) => hsdsServiceAtLocation(p.id, place)),
		languages: hsdsLanguages(p.id, p.languages),
		cost_options: hsdsCostOptions(p),
		attributes
	});
}

type OrganizationRow = ProgramDetail['organization'];

/** An organisation's one-to-one fields (compiled/organization_list.json). */
export function hsdsOrganizationBrief(o: OrganizationRow, origin: string): Json {
	const year = o.founded ? Number(o.founded.slice(0, 4)) : NaN;
	return compact({
		id: o.id,
		name: o.name,
		// HSDS requires a description: the organisation's own, else its message, else empty (nothing invented).
		description: o.description || o.message || '',
		website: uriOrNothing(o.website),
		year_incorporated: Number.isInteger(year) ? year : undefined,
		legal_status: o.legalForm ? label('legalForms', o.legalForm, 'ja') : undefined,
		uri: `${origin}/organizations/${o.id}`
	});
}

/**
 * The organisation's own address (its 所在地, as its public page shows it) as an HSDS location,
 * when it is complete enough for an HSDS address; tsunagu holds no other fact about it.
 */
function officeLocation(o: OrganizationRow): Json[] {
	if (!o.prefecture || !o.city || !o.addressLine || !o.postalCode) return [];
	const id = hsdsId('organization_office', o.id);
	const t = translator('ja');
	return [
		{
			id,
			location_type: 'physical',
			organization_id: o.id,
			name: o.name,
			description: t('opendata.officeLocation'),
			addresses: [{ id: hsdsId('address', id), location_id: id, address_1: o.addressLine, city: o.city, state_province: o.prefecture, postal_code: o.postalCode, country: 'JP', address_type: 'physical' }]
		}
	];
}

/**
 * The organisation's contacts: its representative (代表者), the one person its public page names.
 * tsunagu holds no telephone number or e-mail address of an organisation itself (only of its
 * programs, which are the services' phones), so an HSDS organisation has no `phones`.
 */
function organizationContacts(o: OrganizationRow): Json[] {
	if (!o.representative) return [];
	const t = translator('ja');
	return [{ id: hsdsId('contact', o.id, 'representative'), organization_id: o.id, name: o.representative, title: t('opendata.representative') }];
}

/**
 * A nested HSDS organization (compiled/organization.json): its published services (briefly, or
 * fully nested when `services` are given), its contacts, and its locations — its own address and
 * the places of its published programs (`places`).
 */
export function hsdsOrganization(d: OrganizationDetail, origin: string, places: readonly Place[] = [], services?: readonly ProgramDetail[]): Json {
	const o = d.organization;
	// Where the facts come from (HSDS has no field for it): the source document, or the organisation itself.
	const source = citationText(translator('ja'), organizationCitation(o, origin), 'ja');
	const seen = new Set<string>();
	const ownPlaces = places.filter((p) => p.organizationId === o.id && !seen.has(p.id) && seen.add(p.id));
	return compact({
		...hsdsOrganizationBrief(o, origin),
		services: services
			? services.map((s) => hsdsService(s, origin, { nestOrganization: false }))
			: d.programs.map((p) => compact({ id: p.id, organization_id: o.id, name: p.title, description: p.summary || undefined, status: serviceStatus(p.status), url: `${origin}/programs/${p.id}`, last_modified: p.updatedAt.toISOString() })),
		contacts: organizationContacts(o),
		locations: [...officeLocation(o), ...ownPlaces.map(hsdsLocation)],
		attributes: [attribute(o.id, 'organization', 'tsunagu', 'source', source)]
	});
}

export interface HsdsPaging {
	page: number;
	perPage: number;
}

export interface HsdsPage<T> {
	total_items: number;
	total_pages: number;
	page_number: number;
	size: number;
	first_page: boolean;
	last_page: boolean;
	empty: boolean;
	/** The licence of the directory (HSDS's Page allows further fields). */
	license: HsdsLicence;
	contents: T[];
}

/** The licence as stated in the HSDS answers (the credit line when the licence asks for one). */
export interface HsdsLicence {
	name: string;
	identifier: string;
	url: string;
	attribution?: string;
}

/** The default licence as stated in the HSDS answers (before the secretariat chooses; ./hsds-licence.ts reads the choice). */
export const HSDS_LICENCE: HsdsLicence = { name: DIRECTORY_LICENCE.name, identifier: DIRECTORY_LICENCE.identifier, url: DIRECTORY_LICENCE.url };

/** One page of `all`, stating the licence the answer is under. */
export function hsdsPage<T>(all: readonly T[], paging: HsdsPaging, licence: HsdsLicence): { page: Omit<HsdsPage<unknown>, 'contents'>; slice: T[] } {
	const totalPages = Math.max(1, Math.ceil(all.length / paging.perPage));
	const slice = all.slice((paging.page - 1) * paging.perPage, paging.page * paging.perPage);
	return {
		page: { total_items: all.length, total_pages: totalPages, page_number: paging.page, size: slice.length, first_page: paging.page === 1, last_page: paging.page >= totalPages, empty: slice.length === 0, license: licence },
		slice
	};
}

/** The API's root (`/`): the HSDS version, the OpenAPI document of this API (`openapiUrl`), and the directory's licence. */
export function hsdsRoot(licence: HsdsLicence, openapiUrl: string) {
	return { version: HSDS_VERSION, openapi_url: openapiUrl, license: licence };
}

/** Headers of every HSDS answer: public, cacheable, readable cross-origin, and the licence as a link (RFC 4946). */
export function hsdsHeaders(licence: HsdsLicence): Record<string, string> {
	return { 'cache-control': 'public, max-age=60', 'access-control-allow-origin': '*', link: `<${licence.url}>; rel="license"` };
}

export const serviceAtLocationId = (serviceId: string, locationId: string) => hsdsId('service_at_location', serviceId, locationId);

export function hsdsServiceAtLocation(serviceId: string, place: Place): Json {
	return { id: serviceAtLocationId(serviceId, place.id), service_id: serviceId, location_id: place.id, location: hsdsLocation(place) };
}

export function hsdsServiceAtLocationNested(detail: ProgramDetail, place: Place, origin: string, full: boolean): Json {
	const service = full ? hsdsService(detail, origin) : hsdsServiceBrief(detail, origin);
	const schedules = full ? detail.schedules.filter((s) => s.locationId === place.id).map((s) => hsdsSchedule(s, detail.program.id, origin, detail.locations)) : [];
	return compact({ ...hsdsServiceAtLocation(detail.program.id, place), schedules, service });
}
