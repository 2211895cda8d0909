/**
 * Directory tables, aligned with Open Referral HSDS 3.0: organization, program (HSDS "service"),
 * location, service_at_location, schedule, taxonomy_term. Public data: these tables carry no
 * personal information about residents.
 */
import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, integer, boolean, date, doublePrecision, timestamp, primaryKey, index, uniqueIndex, check } from 'drizzle-orm/pg-core';

const timestamps = {
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
};

export const taxonomyTerms = pgTable(
	'taxonomy_terms',
	{
		taxonomy: text('taxonomy').notNull(), // life_stage | form | target | legal_form | language
		code: text('code').notNull(),
		labelJa: text('label_ja').notNull(),
		labelEn: text('label_en').notNull(),
		sortOrder: integer('sort_order').notNull()
	},
	(t) => [primaryKey({ columns: [t.taxonomy, t.code] })]
);

export const organizations = pgTable(
	'organizations',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		slug: text('slug').notNull(),
		name: text('name').notNull(),
		nameKana: text('name_kana'),
		legalForm: text('legal_form'), // null when the source does not say
		representative: text('representative'),
		founded: text('founded'), // YYYY-MM
		prefecture: text('prefecture'),
		city: text('city'),
		addressLine: text('address_line'),
		postalCode: text('postal_code'),
		website: text('website'),
		message: text('message'),
		description: text('description').notNull().default(''),
		sourceFile: text('source_file'),
		sourceTitle: text('source_title'),
		published: boolean('published').notNull().default(true),
		// Whether the organisation's public program pages show attendance figures (its choice).
		showAttendance: boolean('show_attendance').notNull().default(true),
		...timestamps
	},
	(t) => [
		uniqueIndex('organizations_slug_key').on(t.slug),
		// The finder excludes unpublished organisations' programs; they are few, so this index is tiny.
		index('organizations_unpublished_idx')
			.on(t.id)
			.where(sql`not ${t.published}`),
		check('organizations_founded_format', sql`${t.founded} ~ '^[0-9]{4}-[0-9]{2}$'`)
	]
);

export const locations = pgTable(
	'locations',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		organizationId: uuid('organization_id')
			.notNull()
			.references(() => organizations.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		prefecture: text('prefecture').notNull(),
		city: text('city'), // null for a service area that covers a whole prefecture
		addressLine: text('address_line'),
		postalCode: text('postal_code'),
		lat: doublePrecision('lat'),
		lng: doublePrecision('lng'),
		// 全国地方公共団体コード (6 digits with the check digit) of the 市区町村, so area filters use codes, not name prefixes.
		municipalityCode: text('municipality_code'),
		// The point is the municipality's centre, not the place itself: distances from it are shown as approximate.
		coordinatesApproximate: boolean('coordinates_approximate').notNull().default(false),
		accessibility: text('accessibility'),
		transport: text('transport'),
		...timestamps
	},
	(t) => [
		index('locations_organization_idx').on(t.organizationId),
		index('locations_area_idx').on(t.prefecture, t.city),
		// A place a resident names ("札幌" for 札幌市中央区) is looked up by prefix.
		index('locations_city_prefix_idx').on(t.city.op('text_pattern_ops')),
		// A search near a place finds a program by any of its places (finder/search.ts withinRadius):
		// their latitude/longitude box is read here, as programs' own points are on programs_lat_lng_idx.
		index('locations_lat_lng_idx').on(t.lat, t.lng),
		check('locations_municipality_code', sql`${t.municipalityCode} ~ '^[0-9]{6}$'`)
	]
);

export const programs = pgTable(
	'programs',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		slug: text('slug').notNull(),
		organizationId: uuid('organization_id')
			.notNull()
			.references(() => organizations.id, { onDelete: 'cascade' }),
		title: text('title').notNull(),
		summary: text('summary').notNull().default(''),
		description: text('description').notNull().default(''),
		forms: text('forms')
			.array()
			.notNull()
			.default(sql`'{}'`),
		targets: text('targets')
			.array()
			.notNull()
			.default(sql`'{}'`),
		lifeStages: text('life_stages')
			.array()
			.notNull()
			.default(sql`'{}'`),
		partnershipType: text('partnership_type'), // public_private | private_private
		costKind: text('cost_kind').notNull().default('unknown'), // free | pay_what_you_can | fixed | unknown
		costAmountYen: integer('cost_amount_yen'),
		costNote: text('cost_note'),
		joinMethod: text('join_method').notNull().default('unknown'), // no_registration | reservation | membership | referral_only | unknown
		joinNote: text('join_note'),
		firstTimeNote: text('first_time_note'),
		languages: text('languages')
			.array()
			.notNull()
			.default(sql`'{ja}'`),
		deliveryMode: text('delivery_mode').notNull().default('in_person'), // in_person | online | both
		status: text('status').notNull().default('active'), // active | ended | planned
		published: boolean('published').notNull().default(true),
		periodStart: text('period_start'),
		periodEnd: text('period_end'),
		outcomes: text('outcomes'),
		contactPhone: text('contact_phone'),
		contactEmail: text('contact_email'),
		contactUrl: text('contact_url'),
		// Whom the program is for: residents, or supporters and professionals (network meetings, 研修, 月例会).
		audience: text('audience').notNull().default('residents'),
		// Denormalised for the finder (rebuilt by indexProgram): areas are "都道府県" and "都道府県/市区町村".
		areas: text('areas')
			.array()
			.notNull()
			.default(sql`'{}'`),
		// Denormalised for the finder: the 全国地方公共団体コード of every place's 市区町村, its 政令指定都市 and its 都道府県.
		areaCodes: text('area_codes')
			.array()
			.notNull()
			.default(sql`'{}'`),
		weekdays: text('weekdays')
			.array()
			.notNull()
			.default(sql`'{}'`),
		lat: doublePrecision('lat'),
		lng: doublePrecision('lng'),
		// lat/lng is a municipality's centre (the program's place has no coordinates of its own).
		locationApproximate: boolean('location_approximate').notNull().default(false),
		// The next two occurrences as of the last refresh of upcoming dates, so that sorting and
		// showing "next" need no per-row subquery: once the first has ended, the second is next.
		nextStartsAt: timestamp('next_starts_at', { withTimezone: true }),
		nextEndsAt: timestamp('next_ends_at', { withTimezone: true }),
		followingStartsAt: timestamp('following_starts_at', { withTimezone: true }),
		searchTitle: text('search_title').notNull().default(''),
		searchTags: text('search_tags').notNull().default(''),
		searchBody: text('search_body').notNull().default(''),
		// The grams of title, tags and body as integers (search/normalize.ts gramId), which the finder
		// matches with intarray's `@@` (finder/text.ts; migration 0023): a binary search per gram.
		// (They replaced search_grams, the same grams as text, dropped with its index in 0024.)
		searchGramIds: integer('search_gram_ids')
			.array()
			.notNull()
			.default(sql`'{}'`),
		// Which build of the derived fields above this row holds (PROGRAM_INDEX_VERSION in save.ts);
		// rows written by an older build are rebuilt at start-up.
		indexVersion: integer('index_version').notNull().default(0),
		...timestamps
	},
	(t) => [
		uniqueIndex('programs_slug_key').on(t.slug),
		index('programs_organization_idx').on(t.organizationId),
		index('programs_search_gram_ids_idx').using('gin', t.searchGramIds.op('gin__int_ops')),
		index('programs_areas_idx').using('gin', t.areas),
		index('programs_area_codes_idx').using('gin', t.areaCodes),
		index('programs_life_stages_idx').using('gin', t.lifeStages),
		index('programs_forms_idx').using('gin', t.forms),
		index('programs_targets_idx').using('gin', t.targets),
		// National scale (issue 15, finder/search.ts): the finder reads "soonest first" in the order
		// of the next date instead of sorting every match; programs whose next occurrence has ended
		// since the last refresh are found by its end; a place's radius is read as a box of latitude
		// and longitude first; supporters' programs, counted beside every residents' search, are few.
		// With the title after the date, the index gives relevance's order within a score (next date,
		// then title) as it is: the finder reads a score's soonest programs without reading every
		// program that shares a date (finder/search.ts, relevanceTier; migration 0026).
		index('programs_next_starts_title_idx').on(t.nextStartsAt, t.title),
		index('programs_next_ends_idx').on(t.nextEndsAt, t.followingStartsAt),
		index('programs_lat_lng_idx').on(t.lat, t.lng),
		index('programs_supporters_idx')
			.on(t.id)
			.where(sql`${t.audience} = 'supporters'`),
		check('programs_cost_kind', sql`${t.costKind} in ('free','pay_what_you_can','fixed','unknown')`),
		check('programs_join_method', sql`${t.joinMethod} in ('no_registration','reservation','membership','referral_only','unknown')`),
		check('programs_delivery_mode', sql`${t.deliveryMode} in ('in_person','online','both')`),
		check('programs_status', sql`${t.status} in ('active','ended','planned')`),
		check('programs_audience', sql`${t.audience} in ('residents','supporters')`)
	]
);

/** HSDS service_at_location. */
export const programLocations = pgTable(
	'program_locations',
	{
		programId: uuid('program_id')
			.notNull()
			.references(() => programs.id, { onDelete: 'cascade' }),
		locationId: uuid('location_id')
			.notNull()
			.references(() => locations.id, { onDelete: 'cascade' }),
		position: integer('position').notNull().default(0)
	},
	(t) => [primaryKey({ columns: [t.programId, t.locationId] }), index('program_locations_location_idx').on(t.locationId)]
);

export const programPartners = pgTable(
	'program_partners',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		programId: uuid('program_id')
			.notNull()
			.references(() => programs.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		role: text('role'),
		position: integer('position').notNull().default(0)
	},
	(t) => [index('program_partners_program_idx').on(t.programId)]
);

/** RFC 5545 recurrence (the WEEKLY/MONTHLY subset HSDS allows) in Asia/Tokyo wall-clock time. */
export const schedules = pgTable(
	'schedules',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		programId: uuid('program_id')
			.notNull()
			.references(() => programs.id, { onDelete: 'cascade' }),
		locationId: uuid('location_id').references(() => locations.id, { onDelete: 'set null' }),
		rrule: text('rrule'), // null: the timing is only described in `note`
		dtstart: date('dtstart', { mode: 'string' }).notNull(),
		until: date('until', { mode: 'string' }),
		count: integer('count'),
		exdates: date('exdates', { mode: 'string' })
			.array()
			.notNull()
			.default(sql`'{}'`),
		opensAt: text('opens_at'), // HH:MM
		closesAt: text('closes_at'),
		timezone: text('timezone').notNull().default('Asia/Tokyo'),
		closedOnHolidays: boolean('closed_on_holidays').notNull().default(false),
		note: text('note'),
		position: integer('position').notNull().default(0),
		...timestamps
	},
	(t) => [index('schedules_program_idx').on(t.programId)]
);

/**
 * The next dates of every program, materialised from its schedules for the finder's
 * "today / this weekend / next 7 days" filters and the next-date sort. Rebuilt per program when
 * its schedules change and for all programs once a day.
 */
export const programUpcomingDates = pgTable(
	'program_upcoming_dates',
	{
		programId: uuid('program_id')
			.notNull()
			.references(() => programs.id, { onDelete: 'cascade' }),
		day: date('day', { mode: 'string' }).notNull(), // Asia/Tokyo calendar day
		startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
		endsAt: timestamp('ends_at', { withTimezone: true }),
		allDay: boolean('all_day').notNull().default(false)
	},
	(t) => [primaryKey({ columns: [t.programId, t.startsAt] }), index('program_upcoming_dates_day_idx').on(t.day, t.programId)]
);

/**
 * Railway stations the finder understands as places (「新宿駅」), loaded by the operator from an open
 * source (`npm run stations:load`, directory/stations/): none ship with the app, as no package holds
 * station coordinates under a licence that lets us redistribute them. Public data; each load
 * replaces the previous one whole, and every row carries its source and the attribution its
 * licence requires (shown wherever a station is used).
 */
export const stations = pgTable(
	'stations',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		// As the source writes it, without 駅 (新宿, 押上〈スカイツリー前〉).
		name: text('name').notNull(),
		// The name folded for lookup (width, kana, ヶ/ケ, any bracketed part dropped): what a resident's 「○○駅」 is compared with.
		nameKey: text('name_key').notNull(),
		// In hiragana, when the source gives one (N02 does not).
		reading: text('reading'),
		lineNames: text('line_names').array().notNull(),
		operatorNames: text('operator_names').array().notNull(),
		// The source's own codes (N02_005c, N02_005g), when it has them.
		stationCodes: text('station_codes')
			.array()
			.notNull()
			.default(sql`'{}'`),
		groupCode: text('group_code'),
		// 全国地方公共団体コード of the nearest municipality or ward office: a guess near a border, so
		// marked approximate and never used to put a station inside a municipality (only to tell 府中駅 in 東京都 from 広島県).
		prefectureCode: text('prefecture_code'),
		municipalityCode: text('municipality_code'),
		municipalityApproximate: boolean('municipality_approximate').notNull().default(true),
		lat: doublePrecision('lat').notNull(),
		lng: doublePrecision('lng').notNull(),
		source: text('source').notNull(),
		licence: text('licence').notNull(),
		attribution: text('attribution').notNull(),
		loadedAt: timestamp('loaded_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('stations_name_key_idx').on(t.nameKey),
		check('stations_prefecture_code', sql`${t.prefectureCode} ~ '^[0-9]{6}$'`),
		check('stations_municipality_code', sql`${t.municipalityCode} ~ '^[0-9]{6}$'`),
		check('stations_lat_lng', sql`${t.lat} between -90 and 90 and ${t.lng} between -180 and 180`)
	]
);
