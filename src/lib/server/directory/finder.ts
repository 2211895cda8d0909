/**
 * Finder search over published programs: Japanese free text (folded, synonym-expanded, served
 * from the GIN gram index), filters, three sort orders, and suggestions when nothing matches.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db';
import type { FinderQuery } from './finder-query';
import { queryWords, wordGrams } from './search/normalize';
import { expandWord } from './search/synonyms';
import { addDays, weekdayIndex, zonedInstant } from './schedule';
import { PREFECTURES } from './areas';
import { occurrenceEnd } from './upcoming';

/** A text[] literal built from bound parameters (drizzle would expand a bare JS array into a list). */
function textArray(values: string[]): SQL {
	return values.length
		? sql`array[${sql.join(
				values.map((v) => sql`${v}`),
				sql`, `
			)}]::text[]`
		: sql`'{}'::text[]`;
}

export interface FinderItem {
	id: string;
	slug: string;
	title: string;
	summary: string;
	forms: string[];
	targets: string[];
	lifeStages: string[];
	costKind: string;
	costAmountYen: number | null;
	costNote: string | null;
	joinMethod: string;
	deliveryMode: string;
	languages: string[];
	organizationId: string;
	organizationName: string;
	place: { name: string; prefecture: string; city: string } | null;
	next: { startsAt: string; endsAt: string | null; allDay: boolean } | null;
	/** The schedule as described in words, for programs whose timing no rule can say. */
	scheduleNote: string | null;
	distanceKm: number | null;
	score: number;
}

export interface FinderResult {
	total: number;
	page: number;
	perPage: number;
	items: FinderItem[];
	/** The point distances were measured from, when a place was given. */
	origin: { lat: number; lng: number; label: string | null } | null;
	/** A `near` place name that matched no known place (the search ran without it). */
	unknownPlace: string | null;
}

export interface FinderClock {
	today: string; // Asia/Tokyo day
	now: Date;
}

/** Days the `when` filter covers, counted from today in Tokyo. */
export function whenDays(when: NonNullable<FinderQuery['when']>, today: string): [string, string] {
	if (when === 'today') return [today, today];
	if (when === 'next7') return [today, addDays(today, 6)];
	const wd = weekdayIndex(today); // 5 = Saturday, 6 = Sunday
	if (wd >= 5) return [today, addDays(today, 6 - wd)];
	return [addDays(today, 5 - wd), addDays(today, 6 - wd)];
}

/** Weights are our own constants, written into the SQL as numeric literals. */
function weight(n: number): SQL {
	return sql.raw(n.toFixed(1));
}

interface TextMatch {
	where: SQL;
	score: SQL;
}

/**
 * Every query word must match (AND); a word matches through any of its spellings (OR).
 *
 * The index condition is only gram containment (`@>`), so PostgreSQL answers it from the GIN
 * index and never re-reads the gram arrays, which live out of line (TOAST) and cost far more to
 * read than the row. A word of one or two characters is its own gram, so containment is exact.
 * When the word as typed is longer, a second condition confirms that one of its spellings occurs
 * as a substring (`strpos` on the in-line title, tags and body), so gram collisions drop out. The
 * longer synonyms of a short word are matched by their bigrams alone: confirming them would cost
 * a dozen substring searches on every row of a common word such as 相談.
 *
 * Scoring reads only title and tags: the word as typed 10 in the title and 6 in the tags, a
 * synonym 8 in the title, anything else 2. (Synonyms in the tags are not scored apart: that one
 * regular expression over every candidate's tags cost more than all the rest of the search.)
 */
function textMatch(q: string | undefined): TextMatch | null {
	const words = q ? queryWords(q) : [];
	if (!words.length) return null;
	const conditions: SQL[] = [];
	const scores: SQL[] = [];
	for (const word of words) {
		const [typed, ...synonyms] = expandWord(word);
		const spellings = [typed, ...synonyms];
		conditions.push(
			sql`(${sql.join(
				spellings.map((s) => sql`p.search_grams @> ${textArray(wordGrams(s))}`),
				sql` or `
			)})`
		);
		if ([...typed].length > 2) {
			conditions.push(
				sql`(${sql.join(
					spellings.map((s) => sql`strpos(p.search_title, ${s}) > 0 or strpos(p.search_tags, ${s}) > 0 or strpos(p.search_body, ${s}) > 0`),
					sql` or `
				)})`
			);
		}
		scores.push(sql`(case
			when strpos(p.search_title, ${typed}) > 0 then ${weight(10)}
			${synonyms.length ? sql`when ${containsAny(sql`p.search_title`, synonyms)} then ${weight(8)}` : sql``}
			when strpos(p.search_tags, ${typed}) > 0 then ${weight(6)}
			else ${weight(2)} end)`);
	}
	return { where: sql.join(conditions, sql` and `), score: sql.join(scores, sql` + `) };
}

/** Whether `field` contains any of `words`: a few `strpos`, or one regular expression for a long list. */
function containsAny(field: SQL, words: string[]): SQL {
	if (words.length <= 3)
		return sql`(${sql.join(
			words.map((w) => sql`strpos(${field}, ${w}) > 0`),
			sql` or `
		)})`;
	return sql`${field} ~ ${words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')}`;
}

/**
 * Centre of a place a resident names: a 市区町村 ("世田谷区", "札幌", "東京都/世田谷区") as the
 * average of the known places there, or else a whole prefecture.
 */
export async function placeCentre(db: Db, place: string): Promise<{ lat: number; lng: number; label: string } | null> {
	let [pref, name] = place.includes('/') ? place.split('/', 2).map((s) => s.trim()) : [null, place.trim()];
	if (!name) return null;
	// "北海道札幌市" names the prefecture and the city together.
	const leading = pref ? undefined : PREFECTURES.find((p) => name.startsWith(p) && name.length > p.length);
	if (leading) [pref, name] = [leading, name.slice(leading.length)];
	const city = await db.execute<{ lat: number; lng: number; prefecture: string; city: string }>(sql`
		select avg(lat)::float8 as lat, avg(lng)::float8 as lng, prefecture, city from locations
		where lat is not null and city like ${name.replace(/[\\%_]/g, '\\$&') + '%'}
			${pref ? sql`and prefecture = ${pref}` : sql``}
		group by prefecture, city order by bool_or(city = ${name}) desc, count(*) desc limit 1`);
	const row = city.rows[0];
	if (row) return { lat: row.lat, lng: row.lng, label: `${row.prefecture}${row.city}` };
	const prefecture = await db.execute<{ lat: number; lng: number; prefecture: string }>(sql`
		select avg(lat)::float8 as lat, avg(lng)::float8 as lng, prefecture from locations
		where lat is not null and (prefecture = ${name} or prefecture like ${name + '%'})
		group by prefecture order by count(*) desc limit 1`);
	const p = prefecture.rows[0];
	return p ? { lat: p.lat, lng: p.lng, label: p.prefecture } : null;
}

/** Start of the next occurrence not yet over, from the two copied onto the program by the date refresh. */
function nextOccurrenceKey(now: Date): SQL {
	const at = sql`${now.toISOString()}::timestamptz`;
	return sql`(case when p.next_ends_at > ${at} then p.next_starts_at when p.following_starts_at > ${at} then p.following_starts_at end)`;
}

function filters(query: FinderQuery, clock: FinderClock): SQL[] {
	// Unpublished organisations are few: a hashed list beats joining every candidate to its organisation.
	const where: SQL[] = [sql`p.published`, sql`p.status <> 'ended'`, sql`p.organization_id not in (select o.id from organizations o where not o.published)`];
	// "Any age" programs fit every life stage.
	if (query.life_stage) where.push(sql`p.life_stages && ${textArray([query.life_stage, 'all_ages'])}`);
	if (query.prefecture) where.push(sql`p.areas @> ${textArray([query.prefecture])}`);
	if (query.city) where.push(sql`p.areas @> ${textArray([query.prefecture ? `${query.prefecture}/${query.city}` : `/${query.city}`])}`);
	if (query.form) where.push(sql`p.forms @> ${textArray([query.form])}`);
	if (query.target) where.push(sql`p.targets @> ${textArray([query.target])}`);
	if (query.language) where.push(sql`p.languages @> ${textArray([query.language])}`);
	if (query.weekday) where.push(sql`p.weekdays @> ${textArray([query.weekday])}`);
	if (query.free) where.push(sql`p.cost_kind = 'free'`);
	if (query.no_registration) where.push(sql`p.join_method = 'no_registration'`);
	if (query.online) where.push(sql`p.delivery_mode in ('online', 'both')`);
	if (query.when === 'today' || query.when === 'next7') {
		// From today on, "an occurrence in the window that has not ended" is "the next one not yet
		// over starts before the window closes", read from the copy on the program row.
		const [, to] = whenDays(query.when, clock.today);
		where.push(sql`${nextOccurrenceKey(clock.now)} < ${zonedInstant(addDays(to, 1), '00:00').toISOString()}::timestamptz`);
	} else if (query.when) {
		const [from, to] = whenDays(query.when, clock.today);
		where.push(sql`p.id in (select d.program_id from program_upcoming_dates d where d.day between ${from}::date and ${to}::date and ${occurrenceEnd('d')} > ${clock.now.toISOString()}::timestamptz)`);
	}
	return where;
}

export async function searchPrograms(db: Db, query: FinderQuery, clock: FinderClock): Promise<FinderResult> {
	const text = textMatch(query.q);
	const where = filters(query, clock);
	if (text) where.push(text.where);

	let origin: FinderResult['origin'] = null;
	if (query.lat !== undefined && query.lng !== undefined) origin = { lat: query.lat, lng: query.lng, label: null };
	else if (query.near) origin = await placeCentre(db, query.near);
	// The haversine term `a` orders places exactly as their great-circle distance 2R·asin(√a) does,
	// so every candidate gets only `a`; the distance itself is computed for the page.
	const haversine = origin ? sql`power(sin(radians(p.lat - ${origin.lat}) / 2), 2) + ${Math.cos((origin.lat * Math.PI) / 180)} * cos(radians(p.lat)) * power(sin(radians(p.lng - ${origin.lng}) / 2), 2)` : null;
	const distanceKey = haversine ?? sql`null::float8`;
	const distanceKm = haversine ? sql`(case when p.lat is null then null else 6371 * 2 * asin(sqrt(${haversine})) end)` : sql`null::float8`;
	const score = text ? text.score : sql`0`;
	const sort = query.sort ?? (text ? 'relevance' : origin ? 'distance' : 'next');
	const order =
		sort === 'distance' && origin
			? sql`distance_key asc nulls last, score desc, next_starts_at asc nulls last, title`
			: sort === 'next'
				? sql`next_starts_at asc nulls last, score desc, title`
				: origin
					? sql`score desc, distance_key asc nulls last, next_starts_at asc nulls last, title`
					: sql`score desc, next_starts_at asc nulls last, title`;
	const offset = (query.page - 1) * query.per_page;

	const now = sql`${clock.now.toISOString()}::timestamptz`;
	const nextKey = nextOccurrenceKey(clock.now);
	const statement = sql`
		with matched as materialized (
			select p.id, (${score})::float8 as score, (${distanceKey})::float8 as distance_key, ${nextKey} as next_starts_at, p.title
			from programs p
			where ${sql.join(where, sql` and `)}
		), page as (
			select * from matched order by ${order} limit ${query.per_page} offset ${offset}
		)
		select (select count(*) from matched) as total, page.score, page.distance_key, (${distanceKm})::float8 as distance_km, p.id, p.slug, p.title, p.summary, p.forms, p.targets, p.life_stages,
			p.cost_kind, p.cost_amount_yen, p.cost_note, p.join_method, p.delivery_mode, p.languages,
			o.id as organization_id, o.name as organization_name,
			nx.starts_at as next_starts_at, nx.ends_at as next_ends_at, nx.all_day as next_all_day,
			pl.name as place_name, pl.prefecture as place_prefecture, pl.city as place_city,
			(select s.note from schedules s where s.program_id = p.id order by s.position limit 1) as schedule_note
		from page join programs p on p.id = page.id join organizations o on o.id = p.organization_id
		left join lateral (select d.starts_at, d.ends_at, d.all_day from program_upcoming_dates d
			where d.program_id = p.id and ${occurrenceEnd('d')} > ${now}
			order by d.starts_at limit 1) nx on true
		left join lateral (select l.name, l.prefecture, l.city from program_locations x join locations l on l.id = x.location_id
			where x.program_id = p.id order by x.position limit 1) pl on true
		order by ${order}`;
	// A common word matches most programs, and the planner then prefers reading the whole table,
	// de-TOASTing the gram array of every row (a cost it does not model); the bitmap from the gram
	// index is far cheaper.
	const rows = text
		? await db.transaction(async (tx) => {
				await tx.execute(sql`set local enable_seqscan = off`);
				return tx.execute<Record<string, unknown>>(statement);
			})
		: await db.execute<Record<string, unknown>>(statement);

	let total = rows.rows.length ? Number(rows.rows[0].total) : 0;
	if (!rows.rows.length && offset > 0) {
		const count = await db.execute<{ n: number }>(sql`select count(*)::int as n from programs p where ${sql.join(where, sql` and `)}`);
		total = count.rows[0].n;
	}
	return {
		total,
		page: query.page,
		perPage: query.per_page,
		origin,
		unknownPlace: query.near && !origin && query.lat === undefined ? query.near : null,
		items: rows.rows.map((r) => ({
			id: r.id as string,
			slug: r.slug as string,
			title: r.title as string,
			summary: r.summary as string,
			forms: r.forms as string[],
			targets: r.targets as string[],
			lifeStages: r.life_stages as string[],
			costKind: r.cost_kind as string,
			costAmountYen: r.cost_amount_yen as number | null,
			costNote: r.cost_note as string | null,
			joinMethod: r.join_method as string,
			deliveryMode: r.delivery_mode as string,
			languages: r.languages as string[],
			organizationId: r.organization_id as string,
			organizationName: r.organization_name as string,
			place: r.place_name ? { name: r.place_name as string, prefecture: r.place_prefecture as string, city: r.place_city as string } : null,
			next: r.next_starts_at
				? {
						startsAt: new Date(r.next_starts_at as string).toISOString(),
						endsAt: r.next_ends_at ? new Date(r.next_ends_at as string).toISOString() : null,
						allDay: r.next_all_day as boolean
					}
				: null,
			scheduleNote: (r.schedule_note as string | null) ?? null,
			distanceKm: r.distance_km === null ? null : Math.round(Number(r.distance_km) * 10) / 10,
			score: Number(r.score)
		}))
	};
}

export interface Suggestion {
	kind: 'area' | 'form' | 'drop';
	/** The finder parameters to use instead. */
	params: Partial<Record<keyof FinderQuery, string>>;
	label: string;
	count: number;
}

/**
 * No dead ends: when a search finds nothing, offer the nearest changes that do find something —
 * other 市区町村 of the same prefecture (nearest first), related forms, and dropping one filter.
 */
export async function suggestAlternatives(db: Db, query: FinderQuery, clock: FinderClock): Promise<Suggestion[]> {
	const suggestions: Suggestion[] = [];
	const base = { ...query, page: 1 };
	const text = textMatch(query.q);

	if (query.city) {
		const wider = { ...base, city: undefined };
		const where = filters(wider, clock);
		if (text) where.push(text.where);
		const centre = await placeCentre(db, query.prefecture ? `${query.prefecture}/${query.city}` : query.city);
		const nearby = await db.execute<{ prefecture: string; city: string; n: number }>(sql`
			select l.prefecture, l.city, count(distinct p.id)::int as n,
				min(${centre ? sql`power(l.lat - ${centre.lat}, 2) + power(l.lng - ${centre.lng}, 2)` : sql`0`}) as d
			from programs p join organizations o on o.id = p.organization_id
			join program_locations x on x.program_id = p.id join locations l on l.id = x.location_id
			where ${sql.join(where, sql` and `)} and l.city <> ${query.city}
				${query.prefecture ? sql`and l.prefecture = ${query.prefecture}` : sql``}
			group by l.prefecture, l.city order by d nulls last, n desc limit 4`);
		for (const r of nearby.rows) suggestions.push({ kind: 'area', params: { prefecture: r.prefecture, city: r.city }, label: `${r.prefecture}${r.city}`, count: r.n });
	}
	if (query.form) {
		const where = filters({ ...base, form: undefined }, clock);
		if (text) where.push(text.where);
		const related = await db.execute<{ form: string; n: number }>(sql`
			select f as form, count(*)::int as n from programs p join organizations o on o.id = p.organization_id, unnest(p.forms) f
			where ${sql.join(where, sql` and `)} and f <> ${query.form}
			group by f order by n desc limit 4`);
		for (const r of related.rows) suggestions.push({ kind: 'form', params: { form: r.form }, label: r.form, count: r.n });
	}
	for (const param of ['when', 'weekday', 'free', 'no_registration', 'language', 'online', 'target', 'life_stage', 'q'] as const) {
		if (query[param] === undefined || query[param] === false) continue;
		const relaxed = { ...base, [param]: undefined } as FinderQuery;
		const where = filters(relaxed, clock);
		const relaxedText = textMatch(relaxed.q);
		if (relaxedText) where.push(relaxedText.where);
		const count = await db.execute<{ n: number }>(sql`select count(*)::int as n from programs p where ${sql.join(where, sql` and `)}`);
		if (count.rows[0].n > 0) suggestions.push({ kind: 'drop', params: { [param]: '' }, label: param, count: count.rows[0].n });
	}
	return suggestions;
}
