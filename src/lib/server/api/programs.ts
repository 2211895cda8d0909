/** API representations of directory records (HSDS-flavoured field names). */
import { label, nextOccurrences, type FinderItem, type ProgramDetail, type OrganizationDetail } from '../directory';
import { costInWords, formatOccurrence, joinInWords, scheduleInWords } from '../present';
import { translator, type Locale } from '$lib/i18n';
import { citationText, creditLine, licenceIn, organizationCitation, type DirectoryLicence } from '../opendata';
import type { ApiOf, COST_KINDS, DELIVERY_MODES, JOIN_METHODS, PROGRAM_AUDIENCES, PROGRAM_STATUSES, License, Organization, Program, ProgramSummary } from './schemas';

// Text columns whose values the database's check constraints limit to these lists.
type CostKind = (typeof COST_KINDS)[number];
type JoinMethod = (typeof JOIN_METHODS)[number];
type DeliveryMode = (typeof DELIVERY_MODES)[number];
type ProgramStatus = (typeof PROGRAM_STATUSES)[number];
type Audience = (typeof PROGRAM_AUDIENCES)[number];

export function programSummary(item: FinderItem, locale: Locale, origin: string): ApiOf<typeof ProgramSummary> {
	const t = translator(locale);
	return {
		id: item.id,
		name: item.title,
		description: item.summary,
		url: `${origin}/programs/${item.id}`,
		organization: { id: item.organizationId, name: item.organizationName },
		forms: item.forms,
		targets: item.targets,
		life_stages: item.lifeStages,
		languages: item.languages,
		audience: item.audience as Audience,
		delivery_mode: item.deliveryMode as DeliveryMode,
		cost: { kind: item.costKind as CostKind, amount_yen: item.costAmountYen, note: item.costNote, text: costInWords(t, item.costKind, item.costAmountYen) },
		join_method: { code: item.joinMethod as JoinMethod, text: joinInWords(t, item.joinMethod) },
		location: item.place,
		next_occurrence: item.next
			? {
					starts_at: item.next.startsAt,
					ends_at: item.next.endsAt,
					all_day: item.next.allDay,
					text: formatOccurrence(t, new Date(item.next.startsAt), item.next.endsAt ? new Date(item.next.endsAt) : null, item.next.allDay)
				}
			: null,
		schedule_note: item.scheduleNote,
		schedule_known: item.scheduleKnown,
		distance_km: item.distanceKm,
		distance_approximate: item.distanceApproximate,
		score: item.score
	};
}

/** The directory's licence now, as the API states it in the visitor's language. */
export function apiLicense(licence: DirectoryLicence, locale: Locale): ApiOf<typeof License> {
	const { identifier, name, title, url } = licenceIn(licence, locale);
	const asksCredit = licence.terms !== 'public_domain' || licence.attribution !== null;
	return { name, identifier, title, url, attribution: asksCredit ? creditLine(licence, translator('ja')('app.name')) : null };
}

export function programDetail(d: ProgramDetail, locale: Locale, origin: string, today: string, license: ApiOf<typeof License>): ApiOf<typeof Program> {
	const t = translator(locale);
	const p = d.program;
	return {
		id: p.id,
		name: p.title,
		description: p.summary,
		details: p.description,
		url: `${origin}/programs/${p.id}`,
		status: p.status as ProgramStatus,
		organization: { id: d.organization.id, name: d.organization.name, url: `${origin}/api/v1/organizations/${d.organization.id}` },
		forms: p.forms.map((code) => ({ code, label: label('forms', code, locale) })),
		targets: p.targets.map((code) => ({ code, label: label('targets', code, locale) })),
		life_stages: p.lifeStages.map((code) => ({ code, label: label('lifeStages', code, locale) })),
		languages: p.languages,
		audience: p.audience as Audience,
		delivery_mode: p.deliveryMode as DeliveryMode,
		partnership_type: p.partnershipType,
		partners: d.partners.map((x) => ({ name: x.name, role: x.role })),
		cost: { kind: p.costKind as CostKind, amount_yen: p.costAmountYen, note: p.costNote, text: costInWords(t, p.costKind, p.costAmountYen) },
		join_method: { code: p.joinMethod as JoinMethod, note: p.joinNote, text: joinInWords(t, p.joinMethod) },
		first_time_note: p.firstTimeNote,
		outcomes: p.outcomes,
		period: { start: p.periodStart, end: p.periodEnd },
		contact: { phone: p.contactPhone, email: p.contactEmail, url: p.contactUrl },
		locations: d.locations.map((l) => ({
			id: l.id,
			name: l.name,
			prefecture: l.prefecture,
			city: l.city,
			address_line: l.addressLine,
			postal_code: l.postalCode,
			latitude: l.lat,
			longitude: l.lng,
			coordinates_approximate: l.lat !== null && l.coordinatesApproximate,
			accessibility: l.accessibility,
			transport: l.transport
		})),
		schedules: d.schedules.map((s) => ({
			rrule: s.rrule,
			dtstart: s.dtstart,
			until: s.until,
			count: s.count,
			exdates: s.exdates,
			opens_at: s.opensAt,
			closes_at: s.closesAt,
			timezone: s.timezone,
			closed_on_holidays: s.closedOnHolidays,
			note: s.note,
			text: scheduleInWords(t, s)
		})),
		next_occurrences: nextOccurrences(d.schedules, today, 5).map((o) => ({
			starts_at: o.start.toISOString(),
			ends_at: o.end?.toISOString() ?? null,
			all_day: o.allDay,
			text: formatOccurrence(t, o.start, o.end, o.allDay)
		})),
		last_updated: p.updatedAt.toISOString(),
		license
	};
}

export function organizationDetail(d: OrganizationDetail, locale: Locale, origin: string, license: ApiOf<typeof License>): ApiOf<typeof Organization> {
	const o = d.organization;
	const citation = organizationCitation(o, origin);
	return {
		id: o.id,
		name: o.name,
		name_kana: o.nameKana,
		legal_form: o.legalForm ? { code: o.legalForm, label: label('legalForms', o.legalForm, locale) } : null,
		representative: o.representative,
		founded: o.founded,
		address: { prefecture: o.prefecture, city: o.city, address_line: o.addressLine, postal_code: o.postalCode },
		website: o.website,
		message: o.message,
		description: o.description,
		source: o.sourceFile ? { file: o.sourceFile, title: o.sourceTitle } : null,
		citation: {
			kind: citation.kind,
			text: citationText(translator(locale), citation, locale),
			title: citation.title,
			document: citation.document ? { file: citation.document.file, description: citation.document.description?.[locale] ?? null } : null,
			listed_on: citation.listedOn,
			updated_on: citation.updatedOn,
			url: citation.url
		},
		url: `${origin}/organizations/${o.id}`,
		programs: d.programs.map((p) => ({ id: p.id, name: p.title, description: p.summary, url: `${origin}/api/v1/programs/${p.id}` })),
		last_updated: o.updatedAt.toISOString(),
		license
	};
}
