/**
 * The JSON API's shapes as zod schemas: path parameters, request bodies and every response body.
 * The endpoint contracts (contracts.ts) name them per status; routes parse their input with them
 * and answer typed by them, and the OpenAPI document (openapi.ts) is generated from the same
 * contracts, so code, types and document cannot drift apart. Request schemas owned by a module
 * stay there and are registered here as they are (the finder's query in
 * directory/finder-query.ts, the tap batch in participation/headcount.ts, LINE's delivery in
 * consultations/line/webhook.ts).
 *
 * Each schema registered in `apiSchemas` becomes one entry of components/schemas (its id).
 */
import { z } from 'zod';
import { tapBatch, type CheckInResult as CheckInOutcome, type TapsOutcome } from '../participation';
import { CONTACT_MAX, lineCallbackSchema, MESSAGE_MAX, NICKNAME_MAX, type StartRefusal } from '../consultations';
import { finderQuery } from '../directory';

/** Schemas that become components/schemas/<id> in the document. */
export const apiSchemas = z.registry<{ id: string }>();

/** Register `schema` as components/schemas/<id> (described, when a description is given). */
export const component = <T extends z.ZodType>(id: string, schema: T, description?: string): T => {
	const described = description ? (schema.describe(description) as T) : schema;
	apiSchemas.add(described, { id });
	return described;
};

/** What a response body must be: the schema's output type (dates already strings). */
export type ApiOf<T extends z.ZodType> = z.output<T>;

// ── shared pieces ──────────────────────────────────────────────────────────────────────────────

const uuid = z.uuid();
const nullableText = z.string().nullable();
/** A date and time with offset as JSON (ISO 8601, e.g. 2026-12-06T04:00:00.000Z). */
const dateTime = z.iso.datetime({ offset: true });
/** A calendar day, YYYY-MM-DD. */
const day = z.iso.date();

export const COST_KINDS = ['free', 'pay_what_you_can', 'fixed', 'unknown'] as const;
export const JOIN_METHODS = ['no_registration', 'reservation', 'membership', 'referral_only', 'unknown'] as const;
export const DELIVERY_MODES = ['in_person', 'online', 'both'] as const;
export const PROGRAM_STATUSES = ['active', 'ended', 'planned'] as const;
export const PROGRAM_AUDIENCES = ['residents', 'supporters'] as const;

// ── the finder's query ─────────────────────────────────────────────────────────────────────────

/** The finder's own schema, with the lat/lng pairing (as dependentRequired). */
export const FinderQuery = component('FinderQuery', finderQuery);

// ── path parameters ────────────────────────────────────────────────────────────────────────────

/** `{id}` of /programs/{id} and /organizations/{id}. */
export const idPathParams = z.object({ id: uuid.describe('The record id (UUID).') });
/** `{orgId}` of the staff endpoints. */
export const orgPathParams = z.object({ orgId: uuid.describe('The organisation the staff member acts for (UUID).') });

// ── errors ─────────────────────────────────────────────────────────────────────────────────────

export const ApiErrorDetail = component(
	'ApiErrorDetail',
	z.object({
		param: z.string().describe('The parameter or body field (dotted path) the problem is about; empty when none.'),
		code: z.string().describe('A machine-readable reason (zod issue code or our own, e.g. lat_lng_pair).'),
		message: z.string()
	})
);

export const ApiError = component(
	'Error',
	z.object({
		error: z.object({
			code: z.string().describe('invalid_parameter, invalid_id, invalid_body, not_found, control_character, unreadable_form, too_large, overloaded, or a refusal reason of the operation.'),
			message: z.string().describe('In English for this API; `overloaded` is in the language of Accept-Language.'),
			details: z.array(ApiErrorDetail)
		})
	}),
	'Every error this API answers itself.'
);

/** The body SvelteKit answers when a guard refuses (403, or 404 for a malformed organisation id) and the client accepts JSON. */
export const GuardError = component('GuardError', z.object({ message: z.string() }), 'A refusal by the session guard, in SvelteKit’s error shape.');

// ── the directory (public, read-only) ──────────────────────────────────────────────────────────

const Occurrence = component(
	'Occurrence',
	z.object({
		starts_at: dateTime,
		ends_at: dateTime.nullable(),
		all_day: z.boolean(),
		text: z.string().describe('The date and time in words, in the visitor’s language.')
	})
);

const Cost = component(
	'Cost',
	z.object({
		kind: z.enum(COST_KINDS),
		amount_yen: z.int().nullable(),
		note: nullableText,
		text: z.string().describe('The cost in words.')
	})
);

const Audience = z.enum(PROGRAM_AUDIENCES).describe('Whom the program is for: residents, or supporters and professionals (network meetings, 研修, 月例会).');

const Coded = component('CodedLabel', z.object({ code: z.string(), label: z.string() }), 'A taxonomy code and its label in the visitor’s language.');

export const ProgramSummary = component(
	'ProgramSummary',
	z.object({
		id: uuid,
		name: z.string(),
		description: z.string(),
		url: z.url().describe('The program’s public page.'),
		organization: z.object({ id: uuid, name: z.string() }),
		forms: z.array(z.string()).describe('取組のかたち codes (taxonomy form).'),
		targets: z.array(z.string()).describe('届けたい人たち codes (taxonomy target).'),
		life_stages: z.array(z.string()).describe('Life stage codes (taxonomy life_stage).'),
		languages: z.array(z.string()),
		audience: Audience,
		delivery_mode: z.enum(DELIVERY_MODES),
		cost: Cost,
		join_method: z.object({ code: z.enum(JOIN_METHODS), text: z.string() }),
		location: z
			.object({ name: z.string(), prefecture: z.string(), city: nullableText.describe('Null for a service area covering a whole prefecture (静岡県全域).') })
			.nullable()
			.describe('The first place, if any.'),
		next_occurrence: Occurrence.nullable(),
		schedule_note: nullableText.describe('The schedule in words, for programs whose timing no rule can say.'),
		schedule_known: z.boolean().describe('False when the program’s dates are not known (its schedule is only in words, or not stated): with `when`, such programs follow the dated results, to be checked with the organisation (日程は団体にご確認ください).'),
		distance_km: z.number().nullable().describe('From the point given by lat/lng or near; null without one.'),
		distance_approximate: z.boolean().describe('The distance is measured to the program’s 市区町村 (its place has no coordinates of its own).'),
		score: z.number().describe('Relevance to q (0 without q).')
	}),
	'A program (HSDS service) as a search result.'
);

export const License = component(
	'License',
	z.object({
		name: z.string().describe('Short name, e.g. CC BY 4.0.'),
		identifier: z.string().describe('SPDX identifier, e.g. CC-BY-4.0.'),
		title: z.string().describe('The licence’s full name in the visitor’s language.'),
		url: z.url().describe('The licence’s own page.'),
		attribution: nullableText.describe('The credit reusers are asked to give (the secretariat’s credit line, or the site’s name); null when the licence asks for none.')
	}),
	'The licence of the directory data in this answer: chosen by the network’s secretariat, CC BY 4.0 by default. Also sent as a `Link: <url>; rel="license"` header.'
);

const Citation = component(
	'Citation',
	z.object({
		kind: z.enum(['source_document', 'organization']).describe('source_document: taken from a published document; organization: entered by the organisation itself on Tsunagu.'),
		text: z.string().describe('The citation as one sentence in the visitor’s language.'),
		title: nullableText.describe('The heading of the source document’s section the facts come from.'),
		document: z.object({ file: z.string(), description: nullableText }).nullable().describe('The source document: its file in the project’s seed collection and what it is.'),
		listed_on: day.describe('The day the record entered Tsunagu (Asia/Tokyo).'),
		updated_on: day.nullable().describe('The day the record last changed (Asia/Tokyo); null for a record taken from its source document and not changed since it was listed.'),
		url: z.url().describe('The record’s public page.')
	}),
	'Where an organisation’s facts come from, as a reference one can cite.'
);

export const ProgramPage = component(
	'ProgramPage',
	z.object({
		total_items: z.int().min(0).describe('Exact up to 1,000; beyond, 1,000 with total_is_lower_bound true.'),
		total_is_lower_bound: z.boolean().describe('More programs match than total_items says (the count stops at 1,000).'),
		total_pages: z.int().min(0),
		page_number: z.int().min(1),
		size: z.int().min(1),
		first_page: z.boolean(),
		last_page: z.boolean(),
		empty: z.boolean(),
		origin: z
			.object({
				lat: z.number(),
				lng: z.number(),
				label: nullableText,
				attribution: nullableText.describe('The source of the point, as its licence asks to be credited wherever it is used: a station’s (「○○駅」) comes from the station list the operator loaded (国土数値情報 鉄道データ). Null for the platform’s own places.')
			})
			.nullable()
			.describe('The point distances were measured from, when a place was given.'),
		unknown_place: nullableText.describe('A `near` place name that matched no known place (the search ran without it).'),
		supporters_total: z.int().min(0).nullable().describe('In a search for residents (audience absent or residents): how many programs for supporters and professionals match too (counted up to 1000; ask again with audience=supporters to list them). Null otherwise.'),
		partial: z
			.array(
				z.object({
					missing: z.array(z.string()).describe('The query words (normalised) these programs do not contain.'),
					total_items: z.int().min(0),
					contents: z.array(ProgramSummary).describe('The best few.')
				})
			)
			.describe('When every query word together matched fewer than 3 programs (first page only): the best matches with a word left out (or, failing that, with one word alone), the largest group first. Empty otherwise.'),
		radius: z.enum(['5', '10', '30', 'pref']).nullable().describe('With a place: how far the search looked (km from it, the named 市区町村 included; or its prefecture). Null without a place.'),
		order: z.enum(['banded', 'distance', 'relevance', 'next']).describe('banded: strong matches (at least half the best score) first, then the rest, each by distance bands of 2, 5, 10 and 30 km and by relevance within a band; distance: nearest first; relevance; next: soonest first.'),
		contents: z.array(ProgramSummary),
		license: License
	}),
	'A page of search results; paging fields follow HSDS 3.0.'
);

export const Program = component(
	'Program',
	z.object({
		id: uuid,
		name: z.string(),
		description: z.string(),
		details: z.string(),
		url: z.url(),
		status: z.enum(PROGRAM_STATUSES),
		organization: z.object({ id: uuid, name: z.string(), url: z.url() }),
		forms: z.array(Coded),
		targets: z.array(Coded),
		life_stages: z.array(Coded),
		languages: z.array(z.string()),
		audience: Audience,
		delivery_mode: z.enum(DELIVERY_MODES),
		partnership_type: nullableText.describe('public_private or private_private.'),
		partners: z.array(z.object({ name: z.string(), role: nullableText })),
		cost: Cost,
		join_method: z.object({ code: z.enum(JOIN_METHODS), note: nullableText, text: z.string() }),
		first_time_note: nullableText,
		outcomes: nullableText,
		period: z.object({ start: nullableText, end: nullableText }),
		contact: z.object({ phone: nullableText, email: nullableText, url: nullableText }),
		locations: z.array(
			z.object({
				id: uuid,
				name: z.string(),
				prefecture: z.string(),
				city: nullableText.describe('Null for a service area covering a whole prefecture.'),
				address_line: nullableText,
				postal_code: nullableText,
				latitude: z.number().nullable(),
				longitude: z.number().nullable(),
				coordinates_approximate: z.boolean().describe('The coordinates are the 市区町村’s representative point, not the place itself.'),
				accessibility: nullableText,
				transport: nullableText
			})
		),
		schedules: z.array(
			z.object({
				rrule: nullableText.describe('RFC 5545 RRULE; null when the timing is only described in note.'),
				dtstart: day,
				until: day.nullable(),
				count: z.int().nullable(),
				exdates: z.array(day),
				opens_at: nullableText.describe('HH:MM, Asia/Tokyo wall-clock time.'),
				closes_at: nullableText,
				timezone: z.string(),
				closed_on_holidays: z.boolean(),
				note: nullableText,
				text: z.string().describe('The schedule in words.')
			})
		),
		next_occurrences: z.array(Occurrence).max(5),
		last_updated: dateTime,
		license: License
	}),
	'One program with its places, schedules and next five dates.'
);

export const Organization = component(
	'Organization',
	z.object({
		id: uuid,
		name: z.string(),
		name_kana: nullableText,
		legal_form: Coded.nullable(),
		representative: nullableText,
		founded: nullableText.describe('YYYY-MM.'),
		address: z.object({ prefecture: nullableText, city: nullableText, address_line: nullableText, postal_code: nullableText }),
		website: nullableText,
		message: nullableText,
		description: z.string(),
		source: z.object({ file: z.string(), title: nullableText }).nullable(),
		citation: Citation,
		url: z.url(),
		programs: z.array(z.object({ id: uuid, name: z.string(), description: z.string(), url: z.url() })),
		last_updated: dateTime,
		license: License
	}),
	'One organisation and its published programs.'
);

// ── staff endpoints ────────────────────────────────────────────────────────────────────────────

export const CheckInRequest = component(
	'CheckInRequest',
	z.object({
		occurrenceId: uuid.describe('One of the organisation’s dates (today’s).'),
		code: z.string().min(1).max(100).describe('A card code or a registration reference, scanned (TSUNAGU-C:…, TSUNAGU-R:…) or typed.')
	})
);

export const CheckInResult = component(
	'CheckInResult',
	z.object({
		ok: z.literal(true),
		result: z.enum(['checked_in', 'already']),
		kind: z.enum(['card', 'registration']),
		firstVisit: z.boolean(),
		people: z.int().min(1)
	}),
	'201 when the person was checked in, 200 when they already were.'
);

/** The refusals of a check-in and the status each answers. */
export const CHECK_IN_REFUSALS = {
	bad_code: 400,
	no_occurrence: 404,
	not_today: 409,
	occurrence_cancelled: 409,
	unknown_card: 409,
	revoked: 409,
	unknown_registration: 409,
	registration_cancelled: 409,
	waitlisted: 409,
	other_occurrence: 409
} as const satisfies Record<Extract<CheckInOutcome, { ok: false }>['reason'], 400 | 404 | 409>;

/** The tap batch is participation's own schema (countedAt is documented as a date-time string). */
export const TapBatch = component('TapBatch', tapBatch, 'A batch of anonymous taps from a counting phone, 1–500.');

export const TapsResult = component(
	'TapsResult',
	z.object({
		accepted: z.array(z.string()).describe('Client keys counted now.'),
		duplicates: z.array(z.string()).describe('Client keys counted before (drop them).')
	})
);

/** The refusals of a tap batch and the status each answers. */
export const TAP_REFUSALS = { foreign_program: 404, bad_occurrence: 400, bad_time: 400 } as const satisfies Record<Extract<TapsOutcome, { ok: false }>['reason'], 400 | 404>;

// ── the document itself ────────────────────────────────────────────────────────────────────────

export const OpenApiDocument = component(
	'OpenApiDocument',
	z.looseObject({
		openapi: z.string().regex(/^3\.1\.\d+$/),
		info: z.looseObject({ title: z.string(), version: z.string(), license: z.object({ name: z.string(), identifier: z.string() }) }),
		paths: z.record(z.string(), z.record(z.string(), z.unknown()))
	}),
	'An OpenAPI 3.1 document (this one).'
);

// ── consultations (anonymous, issue 13) ────────────────────────────────────────────────────────

export const ConsultationRequest = component(
	'ConsultationRequest',
	z.object({
		message: z.string().trim().min(1).max(MESSAGE_MAX).describe('What the person wants to talk about (Japanese or any language).'),
		nickname: z.string().trim().max(NICKNAME_MAX).optional().describe('What to call them; need not be a real name.'),
		contact: z.string().trim().max(CONTACT_MAX).optional().describe('How to reach them back, if they want to be reached.'),
		organization_id: uuid.optional().describe('The member organisation the person chose; without it, the network’s one window (the secretariat).')
	}),
	'A consultation without an account. Triage runs on the message at once.'
);

const Hotline = component('Hotline', z.object({ name: z.string(), number: z.string().describe('As dialled in Japan, e.g. 0120-279-338.'), hours: z.string(), url: z.url().nullable() }), 'An official hotline the person can call now.');

export const ConsultationCreated = component(
	'ConsultationCreated',
	z.object({
		id: uuid,
		link: z.url().describe('The person’s private thread page (a bearer link: keep it secret).'),
		urgent: z.boolean().describe('Crisis triage matched the message.'),
		hotlines: z.array(Hotline).min(1).optional().describe('Present only when urgent: the hotlines to show the person at once.')
	}),
	'201: the thread was opened.'
);

/** The refusals of a consultation and the status each answers. */
export const CONSULTATION_REFUSALS = { unknown_organization: 404, no_window: 503 } as const satisfies Record<StartRefusal, 404 | 503>;

// ── the LINE channel's webhook (issue 13) ───────────────────────────────────────────────────────

/** LINE's delivery is the webhook module's own schema (the part of each event it reads; others pass through). */
export const LineWebhookDelivery = component('LineWebhookDelivery', lineCallbackSchema, 'What the LINE platform posts (its CallbackRequest; the events as LINE documents them), signed with the channel secret.');

export const LineWebhookReceived = component(
	'LineWebhookReceived',
	z.object({ processed: z.number().int().min(0).describe('Events processed now.'), duplicates: z.number().int().min(0).describe('Events already processed (a redelivery), skipped.') }),
	'200: the events are stored; answers to the person are sent after.'
);
