/**
 * Finder search over published programs: Japanese free text (folded, synonym-expanded, served
 * from the GIN gram index), filters, three sort orders.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Pool } from '../../db';
import type { FinderQuery } from '../finder-query';
import { occurrenceEnd } from '../upcoming';
import { correctQuery, textMatch, type TextMatch } from './text';
import { audienceFirst, filters, nextOccurrenceKey, whenMatch } from './filters';
import { placeCentre, prefectureCodeAt, type PlaceCentre } from './place';
import { FEW_MATCHES, partialMatches } from './partial';
import { textArray } from './sql';
import type { FinderClock, FinderResult } from './types';

// ── Counting and candidates (issue 15, national scale) ───────────────────────────────────────────
// A common word matches tens of thousands of programs; scoring and counting every one of them is
// what made searches slow at 100,000 programs. So, unless distance decides the order:
// - the candidates are bounded: at most COUNT_LIMIT + 1 matches (more when paging further), taken
//   in the order of the next date when the sort has it (sort=next, or no words) — read from the
//   index on programs.next_starts_at, so only as many rows as the page needs are visited (see
//   nextOrderedMatches) — else as the gram index gives them; only they are scored and sorted.
//   Below the bound (every demo-scale search) nothing changes.
// - the total is exact up to COUNT_LIMIT; beyond, it is COUNT_LIMIT with `totalIsLowerBound`
//   (「1,000件以上」).
// Distance orders (near a place) score every match within the radius; the radius is read through a
// latitude/longitude box on an index first (withinRadius), so a place's matches are found without
// visiting the country's.
export const COUNT_LIMIT = 1000;

/** Supporters' programs beside a residents' search are counted up to this. */
export const SUPPORTERS_COUNT_CAP = COUNT_LIMIT;

export async function searchPrograms(db: Pool, asTyped: FinderQuery, clock: FinderClock): Promise<FinderResult> {
	let query = asTyped;
	let text = textMatch(query.q);
	let result = await runSearch(db, query, clock, text, { supporters: true });
	// Nothing found: a typo (こども食道) is searched again as the word it was probably meant to be.
	const corrected = !result.total && query.q && query.page === 1 ? await correctQuery(db, query.q) : null;
	if (corrected) {
		const correctedText = textMatch(corrected);
		const second = await runSearch(db, { ...query, q: corrected }, clock, correctedText, { supporters: true });
		if (second.total) [query, text, result] = [{ ...query, q: corrected }, correctedText, { ...second, didYouMean: corrected }];
	}
	if (text && query.page === 1 && result.total < FEW_MATCHES) result.partial = await partialMatches((q, t) => runSearch(db, q, clock, t), query, text, result.items);
	return result;
}

/**
 * How many programs meet every condition of `where`, counting no further than `limit` (so a
 * common word costs no more than a rare one). With words, only the gram index is read (see
 * runSearch on enable_seqscan).
 */
export async function countUpTo(db: Pool, where: SQL[], limit: number, withWords: boolean): Promise<number> {
	const rows = await finderExecute<{ n: number }>(db, countStatement(where, limit), withWords);
	return rows.rows[0].n;
}

/**
 * A finder statement, with the planner settings it needs (one round trip for both):
 * - `jit = off`: a bounded read (`limit` over an index order) is costed as if it read every
 *   match, which crosses jit_above_cost, and compiling the plan then costs more than running it:
 *   118 ms of 162 for `life_stage=senior & when=next7` at 100,000 programs on PostgreSQL 15
 *   (`EXPLAIN ANALYZE`, JIT: Emission 98 ms), the external server's unexplained 254 ms of
 *   2026-12-02. Servers built without JIT ignore it.
 * - with words, `enable_seqscan = off` (see runSearch).
 */
async function finderExecute<T extends Record<string, unknown>>(db: Pool, statement: SQL, withWords: boolean) {
	return db.transaction(async (tx) => {
		await tx.execute(sql.raw(withWords ? 'set local jit = off; set local enable_seqscan = off' : 'set local jit = off'));
		return tx.execute<T>(statement);
	});
}

/**
 * Up to `limit` programs meeting `where`, as `columns`, soonest next date first (the order of
 * nextOccurrenceKey), programs with no date ahead last — read in index order, not by sorting
 * every match.
 *
 * The key is the program's next date unless that occurrence has ended since the last refresh of
 * upcoming dates (then the one after it), so the rows fall in three parts, each read its own way:
 * (a) next occurrence not over: in the order of the next_starts_at index, stopping at `limit`;
 * (b) next occurrence over, a following one ahead: at most a day's worth, through the
 *     (next_ends_at, following_starts_at) index, and only those due no later than the last of (a);
 * (c) no date ahead: any `limit` of them, read only when (a) and (b) together fall short.
 * The parts are disjoint and cover every row, so fewer than `limit` rows is the exact count.
 */
export function nextOrderedMatches(columns: SQL, where: SQL[], now: Date, limit: number): SQL {
	const w = sql.join(where, sql` and `);
	const at = sql`${now.toISOString()}::timestamptz`;
	const notOver = sql`p.next_ends_at > ${at}`;
	const followingAhead = sql`p.next_ends_at <= ${at} and p.following_starts_at > ${at}`;
	return sql`with soonest as materialized (
			select ${columns}, p.next_starts_at as key from programs p where ${w} and ${notOver} order by p.next_starts_at limit ${limit}
		)
		select * from (
			(select * from (
				select * from soonest
				union all
				(select ${columns}, p.following_starts_at as key from programs p where ${w} and ${followingAhead}
					and p.following_starts_at <= (select case when count(*) < ${limit} then 'infinity'::timestamptz else max(key) end from soonest)
					order by p.following_starts_at limit ${limit})
			) keyed order by key limit ${limit})
			union all
			(select ${columns}, null::timestamptz as key from programs p where ${w} and not coalesce(${notOver} or (${followingAhead}), false) limit ${limit})
		) ordered limit ${limit}`;
}

/**
 * How many programs, soonest first, a score's walk reads at most for each result the page needs
 * (relevanceTier): 5,000 for the first page of 20, in proportion further on.
 */
const TIER_WALK_PER_RESULT = 250;
/** Scores walked at most (a query of many words has many possible sums): the highest, and the lowest. */
const MAX_TIERS = 6;

/** The scores relevanceTier walks, highest first: every possible one, or for many words the highest few and the lowest. */
function tierLevels(text: TextMatch): number[] {
	const levels = text.levels;
	return levels.length <= MAX_TIERS ? levels : [...levels.slice(0, MAX_TIERS - 1), levels[levels.length - 1]];
}

/**
 * Relevance's candidates when more than COUNT_LIMIT programs match: the first `limit` matches
 * scoring at least `level`, in relevance's order within a score (next date, then title: the
 * programs_next_starts_title_idx order), as the CTE `tier`. Taken for each possible score from the
 * highest down until one finds `limit` (runSearch), they hold the true best of every match: a
 * program on the page with score s is among the first `limit` of those scoring s or more (every
 * program scoring more is on the page too). A common word reads its title matches' soonest and stops.
 *
 * Bounded: the walk reads at most TIER_WALK_PER_RESULT programs (those meeting the filters) for
 * each result the page needs, and programs with no date ahead (by title, the same index's null
 * part) only when the dated ones fall short. So where a score's programs are too sparse for the
 * walk (at 100,000 programs, 37 with both words of 高齢者 サロン in the title), the page is the best of
 * what was read, not the true best (bench/RESULTS.md, "Relevance over more than 1,000 matches").
 * As in nextOrderedMatches, a program whose next occurrence has ended since the last refresh of
 * dates is keyed by its following date (at most a day's worth of programs, read apart).
 */
function relevanceTier(columns: SQL, filters: SQL[], text: TextMatch, now: Date, limit: number, level: number): SQL {
	const w = sql.join(filters, sql` and `);
	const at = sql`${now.toISOString()}::timestamptz`;
	const walk = TIER_WALK_PER_RESULT * limit;
	const walked = sql`p.id, p.next_starts_at, p.title, (${text.score}) as score`;
	// The walk reads the score from the in-line title and tags alone; the words' gram check runs only
	// for the programs that score enough, one by one in order until `limit` match (lateral and
	// `offset 0`, so that the planner does not join every match instead).
	const check = sql`join lateral (select ${columns} from programs p where p.id = s.id and ${text.where} offset 0) c on true`;
	// Those keyed by their following date: only up to the last of the walk's, when it found `limit`.
	const until = sql`(select case when count(*) < ${limit} then 'infinity'::timestamptz else max(next_starts_at) end from tier_dated)`;
	// Then, when the dated fall short, those with no date ahead, by title: no upcoming date at all
	// (the index's null part, in title order), or both copied dates over since the last refresh (few).
	const short = sql`(select count(*) from tier_keyed) < ${limit}`;
	return sql`tier_dated as materialized (
			select c.* from (select ${walked} from programs p where ${w} and p.next_ends_at > ${at} order by p.next_starts_at, p.title limit ${walk}) s
				${check} where s.score >= ${level} order by s.next_starts_at, s.title limit ${limit}
		), tier_keyed as materialized (
			select * from (
				select * from tier_dated
				union all
				(select c.* from (select ${walked} from programs p where ${w} and p.next_ends_at <= ${at} and p.following_starts_at > ${at} and p.following_starts_at <= ${until}) s
					${check} where s.score >= ${level})
			) t order by next_starts_at, title limit ${limit}
		), tier as materialized (
			select * from tier_keyed
			union all
			(select * from (
				(select c.* from (select ${walked} from programs p where ${w} and p.next_starts_at is null order by p.next_starts_at, p.title limit ${walk}) s
					${check} where ${short} and s.score >= ${level} order by s.title limit ${limit})
				union all
				(select c.* from (select ${walked} from programs p where ${w} and p.next_ends_at <= ${at} and not coalesce(p.following_starts_at > ${at}, false)) s
					${check} where ${short} and s.score >= ${level})
			) u order by title limit ${limit})
		)`;
}

/**
 * The supporters' programs beside a residents' search (`audience` unset or residents): how many
 * meet the same words, filters and range (the link to them must find as many as it says), counted
 * up to SUPPORTERS_COUNT_CAP; null for any other audience.
 */
function supportersWhere(query: FinderQuery, clock: FinderClock, text: TextMatch | null, inRange: SQL | null): SQL[] | null {
	if (query.audience !== undefined && query.audience !== 'residents') return null;
	const where = filters({ ...query, audience: 'supporters' }, clock);
	if (text) where.push(text.where);
	if (inRange) where.push(inRange);
	return where;
}

/** The statement counting at most `limit` programs meeting every condition of `where` (countUpTo's). */
function countStatement(where: SQL[], limit: number): SQL {
	return sql`select count(*)::int as n from (select 1 from programs p where ${sql.join(where, sql` and `)} limit ${limit}) c`;
}

/**
 * One search's page and total; with `supporters`, also the supporters' count beside a residents'
 * search (supportersWhere), in the same statement when the page has rows (one round trip and one
 * transaction fewer per search: issue 15, bench/RESULTS.md "Finder API CPU profile").
 */
async function runSearch(db: Pool, query: FinderQuery, clock: FinderClock, text: TextMatch | null, options: { supporters?: boolean } = {}): Promise<FinderResult> {
	const where = filters(query, clock);
	const withoutWords = [...where];
	if (text) where.push(text.where);

	const { origin, nearest: nearestAlone, haversineAt, radius, where: inRange, nearPlaces } = await placeScope(db, query);
	// In the statement itself, the range and the nearest place read the places in range worked out
	// once (NearPlaces); the same conditions standing alone count past the last page.
	const inRangeHere = nearPlaces?.where ?? inRange;
	const nearest = nearPlaces?.nearest ?? nearestAlone;
	const supporters = options.supporters ? supportersWhere(query, clock, text, inRangeHere) : null;
	const supportersAlone = options.supporters ? supportersWhere(query, clock, text, inRange) : null;
	// The nearest place is worked out once per match (offset 0 keeps the planner from copying the
	// subquery into the sort key and into every distance band).
	const nearestOnce = nearest ? sql`${nearPlaces?.join ?? sql``} cross join lateral (select ${nearest} as a offset 0) near` : sql``;
	const distanceKey = nearest ? sql`near.a` : sql`null::float8`;
	const matchWhere = inRangeHere ? [...where, inRangeHere] : where;
	if (inRange) where.push(inRange);
	const band = nearest ? distanceBand(distanceKey) : sql`0`;
	const score = text ? text.score : sql`0`;
	const sort = query.sort ?? (text ? 'relevance' : origin ? 'distance' : 'next');
	// With a `when` filter, programs whose dates say so come first, then those whose schedule is known only in words.
	const when = whenMatch(query, clock);
	const known = when ? sql`coalesce(${when.dated}, false)` : sql`null::boolean`;
	const first = sql`${audienceFirst(query.audience)}${when ? sql`schedule_known desc, ` : sql``}`;
	const orderName: FinderResult['order'] = sort === 'distance' && origin ? 'distance' : sort === 'next' ? 'next' : origin ? 'banded' : 'relevance';
	const order =
		orderName === 'distance'
			? sql`${first}distance_key asc nulls last, score desc, next_starts_at asc nulls last, title`
			: orderName === 'next'
				? sql`${first}next_starts_at asc nulls last, score desc, title`
				: orderName === 'banded'
					? sql`${first}tier asc, band asc, score desc, distance_key asc nulls last, next_starts_at asc nulls last, title`
					: sql`${first}score desc, next_starts_at asc nulls last, title`;
	const offset = (query.page - 1) * query.per_page;

	const now = sql`${clock.now.toISOString()}::timestamptz`;
	const nextKey = nextOccurrenceKey(clock.now);
	// Counting and candidates (see COUNT_LIMIT above).
	const bounded = !origin;
	const candidateLimit = Math.max(COUNT_LIMIT, offset + query.per_page) + 1;
	// One pass over the matches: each is read once, filtered and given its sort keys (near a place,
	// with its nearest place: only that pass is ever taken with an origin, so only it joins `near`).
	const columns = sql`p.id, (${score})::float8 as score, (${distanceKey})::float8 as distance_key, (${band})::int as band, ${nextKey} as next_starts_at, p.title, (${known}) as schedule_known, p.audience = 'residents' as for_residents`;
	const matches = !bounded
		? sql`select ${columns} from programs p${nearestOnce} where ${sql.join(matchWhere, sql` and `)}`
		: sort === 'next' || !text
			? nextOrderedMatches(columns, matchWhere, clock.now, candidateLimit)
			: sql`select ${columns} from programs p where ${sql.join(matchWhere, sql` and `)} limit ${candidateLimit}`;
	// Near a place (banded), the strong matches come first: a score of at least half the best among
	// the matches (of the same audience, which has its own heading with audience=all), then the rest,
	// each by distance band (issue 15 walk: こども食堂 near 荒川区 listed ボランティア説明会, the word
	// only in its text, 0 km, before 防災子ども食堂, the word in its title, 2.6 km). Every match within
	// the radius is scored there (the candidates are never bounded with an origin), so the best is
	// the best of all of them, and the same on every page. No words: every score is 0, one tier.
	const ranked = orderName === 'banded' ? sql`select *, (score < ${STRONG_SHARE} * max(score) over (partition by for_residents))::int as tier from matched` : sql`select * from matched`;
	/** The page from the candidates in `matched` (the last of `ctes`), with its display columns; `total` and `supportersTotal` as columns of every row. */
	const pageStatement = (ctes: SQL, total: SQL, supportersTotal: SQL) => sql`
		with ${ctes}, page as (
			select * from (${ranked}) m order by ${order} limit ${query.per_page} offset ${offset}
		)
		select ${total} as total, ${supportersTotal} as supporters_total, coalesce(page.schedule_known, exists (select 1 from schedules s where s.program_id = p.id and s.rrule is not null)) as schedule_known, page.score, page.distance_key, (6371 * 2 * asin(sqrt(page.distance_key)))::float8 as distance_km, p.id, p.slug, p.title, p.summary, p.forms, p.targets, p.life_stages,
			p.cost_kind, p.cost_amount_yen, p.cost_note, p.join_method, p.delivery_mode, p.languages, p.audience, p.location_approximate,
			o.id as organization_id, o.name as organization_name,
			nx.starts_at as next_starts_at, nx.ends_at as next_ends_at, nx.all_day as next_all_day,
			pl.name as place_name, pl.prefecture as place_prefecture, pl.city as place_city, pl.approximate as place_approximate,
			(select s.note from schedules s where s.program_id = p.id order by s.position limit 1) as schedule_note
		from page join programs p on p.id = page.id join organizations o on o.id = p.organization_id
		left join lateral (select d.starts_at, d.ends_at, d.all_day from program_upcoming_dates d
			where d.program_id = p.id and ${occurrenceEnd('d')} > ${now}
			order by d.starts_at limit 1) nx on true
		left join lateral (select l.name, l.prefecture, l.city, case when l.lat is null then null else l.coordinates_approximate end as approximate from program_locations x join locations l on l.id = x.location_id
			where x.program_id = p.id order by ${haversineAt ? sql`${haversineAt('l')} asc nulls last, ` : sql``}x.position limit 1) pl on true
		order by ${order}`;
	const statement = pageStatement(
		sql`${nearPlaces ? sql`${nearPlaces.cte}, ` : sql``}matched as materialized (${matches}
		)`,
		sql`(select count(*) from matched)`,
		supporters ? sql`(${countStatement(supporters, SUPPORTERS_COUNT_CAP)})` : sql`null::int`
	);
	// With words, a common word matches most programs, and the planner then prefers reading the whole table,
	// de-TOASTing the gram array of every row (a cost it does not model); the bitmap from the gram
	// index is far cheaper.
	const firstRows = await finderExecute<Record<string, unknown>>(db, statement, text !== null);
	let rows = firstRows;

	// Relevance over more than COUNT_LIMIT matches: the first matches the gram index yields are not
	// the best. Each possible score's soonest matches are read (relevanceTier), one statement per
	// score from the highest, each with the candidates found so far, until one finds the page's
	// worth (below the bound, the first statement's candidates are every match: nothing more to do).
	// With a leading key of its own (audience=all, a `when` filter) the order is not by score first:
	// the candidates stay bounded.
	if (bounded && text && orderName === 'relevance' && !when && query.audience !== 'all' && firstRows.rows.length && Number(firstRows.rows[0].total) >= candidateLimit) {
		const limit = offset + query.per_page;
		const seen = new Set(firstRows.rows.map((r) => r.id as string));
		for (const level of tierLevels(text)) {
			const tier = relevanceTier(columns, withoutWords, text, clock.now, limit, level);
			const candidates = sql`${tier}, matched as materialized (
				select * from tier union select ${columns} from programs p where p.id = any(${`{${[...seen].join(',')}}`}::uuid[]))`;
			const next = await finderExecute<Record<string, unknown>>(db, pageStatement(candidates, sql`(select array_agg(id)::text[] from tier)`, sql`null::int`), true);
			if (next.rows.length) rows = { ...next, rows: next.rows.map((r) => ({ ...r, total: firstRows.rows[0].total, supporters_total: firstRows.rows[0].supporters_total })) };
			// A page past what this score found has no rows to say what it found: asked again, alone.
			const found = next.rows.length ? ((next.rows[0].total as string[] | null) ?? []) : ((await finderExecute<{ ids: string[] | null }>(db, sql`with ${tier} select array_agg(id)::text[] as ids from tier`, true)).rows[0].ids ?? []);
			if (found.length >= limit) break;
			for (const id of found) seen.add(id);
		}
	}

	let total = rows.rows.length ? Number(rows.rows[0].total) : 0;
	// A page past the last: the total still says how many there are.
	if (!rows.rows.length && offset > 0) total = await countUpTo(db, where, bounded ? candidateLimit : Number.MAX_SAFE_INTEGER, text !== null);
	const totalIsLowerBound = bounded && total >= candidateLimit;
	if (totalIsLowerBound) total = candidateLimit - 1;
	const supportersTotal = !supportersAlone ? null : rows.rows.length ? Number(rows.rows[0].supporters_total) : await countUpTo(db, supportersAlone, SUPPORTERS_COUNT_CAP, text !== null);
	return {
		total,
		totalIsLowerBound,
		page: query.page,
		perPage: query.per_page,
		origin,
		unknownPlace: query.near && !origin && query.lat === undefined ? query.near : null,
		didYouMean: null,
		supportersTotal,
		partial: [],
		radius,
		order: orderName,
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
			audience: r.audience as string,
			organizationId: r.organization_id as string,
			organizationName: r.organization_name as string,
			place: r.place_name ? { name: r.place_name as string, prefecture: r.place_prefecture as string, city: r.place_city as string | null } : null,
			next: r.next_starts_at
				? {
						startsAt: new Date(r.next_starts_at as string).toISOString(),
						endsAt: r.next_ends_at ? new Date(r.next_ends_at as string).toISOString() : null,
						allDay: r.next_all_day as boolean
					}
				: null,
			scheduleNote: (r.schedule_note as string | null) ?? null,
			scheduleKnown: r.schedule_known as boolean,
			distanceKm: r.distance_km === null ? null : Math.round(Number(r.distance_km) * 10) / 10,
			// Measured to the place shown (the nearest with coordinates), else to the program's own point.
			distanceApproximate: r.distance_km !== null && ((r.place_approximate as boolean | null) ?? (r.location_approximate as boolean)),
			score: Number(r.score)
		}))
	};
}

// ── places: radius and distance bands ───────────────────────────────────────────────────────

export interface PlaceScope {
	origin: FinderResult['origin'];
	/** The haversine term `a` from the origin to the program's nearest place (a program may meet in several municipalities); null without a place. */
	nearest: SQL | null;
	/** The same from a table alias's lat/lng (`l` for locations). */
	haversineAt: ((alias: string) => SQL) | null;
	radius: FinderResult['radius'];
	/** The condition that keeps to the range; null without a place. */
	where: SQL | null;
	/** The same condition for another range around the same place (the place is resolved once). */
	within: ((radius: NonNullable<FinderQuery['radius']>) => SQL) | null;
	/**
	 * Within a range in km, the same range and nearest place for the search statement itself, from
	 * the places in range worked out once (NearPlaces); null without a place or for `pref`.
	 */
	nearPlaces: NearPlaces | null;
}

/**
 * The places within a km range, worked out once per search statement: `cte` (to put in its
 * `with`) holds, for every program with a place in range, the haversine term of its nearest such
 * place (`a`) and whether one of them is a later place (`later`, position > 0). Then:
 * - `where` is the range condition (withinRadius), reading the later places' programs from it;
 * - `nearest` is the program's nearest point (PlaceScope.nearest), given the join `join` (alias
 *   `np`): when the program's own point or any of its places is in range, its nearest point is
 *   the nearer of its own and the nearest in `np` (every place out of range is farther than both);
 *   only the others (in range by their 市区町村 alone) look up all their places, as before.
 * At 100,000 programs, near=札幌市 & free=1: 119 of 1,075 matches look their places up instead of
 * every one (bench/RESULTS.md, "Finder statements: the nearest place once").
 */
export interface NearPlaces {
	cte: SQL;
	join: SQL;
	where: SQL;
	nearest: SQL;
}

/**
 * The place a search is near (a named place or lat/lng), and the condition that keeps to its
 * range — one definition for the results, the supporters' count beside them and the suggestions
 * on an empty page, so that what a link promises is what it finds.
 */
export async function placeScope(db: Pool, query: FinderQuery): Promise<PlaceScope> {
	let origin: FinderResult['origin'] = null;
	let centre: PlaceCentre | null = null;
	if (query.lat !== undefined && query.lng !== undefined) origin = { lat: query.lat, lng: query.lng, label: null, kind: 'point', attribution: null };
	else if (query.near) {
		centre = await placeCentre(db, query.near);
		if (centre) origin = { lat: centre.lat, lng: centre.lng, label: centre.label, kind: centre.kind, attribution: centre.attribution };
	}
	if (!origin) return { origin: null, nearest: null, haversineAt: null, radius: null, where: null, within: null, nearPlaces: null };
	// The haversine term `a` orders places exactly as their great-circle distance 2R·asin(√a) does,
	// so every candidate gets only `a`; the distance itself is computed for the page.
	const at = origin;
	const haversineAt = (alias: string) => {
		const [lat, lng] = [sql.raw(`${alias}.lat`), sql.raw(`${alias}.lng`)];
		return sql`power(sin(radians(${lat} - ${at.lat}) / 2), 2) + ${Math.cos((at.lat * Math.PI) / 180)} * cos(radians(${lat})) * power(sin(radians(${lng} - ${at.lng}) / 2), 2)`;
	};
	// A program is as near as the nearest of its points: its own (its first place's, or its
	// 市区町村's when no place has coordinates) and every place's (least ignores the nulls).
	const nearest = sql`least(${haversineAt('p')}, (select min(${haversineAt('l')}) from program_locations x join locations l on l.id = x.location_id where x.program_id = p.id and l.lat is not null))`;
	const radius = query.radius ?? DEFAULT_RADIUS;
	const within = (r: NonNullable<FinderQuery['radius']>) => withinRadius(r, haversineAt, centre, at);
	let nearPlaces: NearPlaces | null = null;
	if (radius !== 'pref') {
		const km = Number(radius);
		const inRange = placeNear(km, haversineAt, at);
		nearPlaces = {
			cte: sql`near_places as materialized (select x.program_id, min(${haversineAt('l')}) as a, bool_or(x.position > 0) as later
				from locations l join program_locations x on x.location_id = l.id where ${inRange('l')} group by x.program_id)`,
			join: sql` left join near_places np on np.program_id = p.id`,
			where: withinRadius(radius, haversineAt, centre, at, sql`p.id = any(array(select np.program_id from near_places np where np.later))`),
			nearest: sql`(case when ${haversineAt('p')} <= ${haversineOf(km)} or np.a is not null then least(${haversineAt('p')}, np.a) else ${nearest} end)`
		};
	}
	return { origin, nearest, haversineAt, radius, where: within(radius), within, nearPlaces };
}

/** The ranges wider than each, smallest first. */
const WIDER: Record<'5' | '10' | '30', Array<'10' | '30' | 'pref'>> = { '5': ['10', '30', 'pref'], '10': ['30', 'pref'], '30': ['pref'] };

/**
 * The smallest range wider than the search's that finds more than `total` and still holds every
 * program it found — what a 「範囲を広げる」 link may offer; null when none does. Kilometre ranges
 * hold the narrower ones, but a prefecture need not hold 30 km (or 10) around a place near its
 * border: around 台東区, 30 km reaches Kanagawa, Saitama and Chiba, and 東京都 alone finds fewer.
 */
export async function widerRange(db: Pool, query: FinderQuery, clock: FinderClock, total: number): Promise<'10' | '30' | 'pref' | null> {
	const current = await placeScope(db, query);
	if (!current.where || !current.within || !current.radius || current.radius === 'pref') return null;
	const text = textMatch(query.q);
	const where = filters(query, clock);
	if (text) where.push(text.where);
	for (const radius of WIDER[current.radius]) {
		const wider = current.within(radius);
		if ((await countUpTo(db, [...where, wider], total + 1, text !== null)) <= total) continue;
		// Checked last, as it reads the whole current range: does the prefecture lose any result?
		if (radius === 'pref' && (await countUpTo(db, [...where, current.where, sql`not (${wider})`], 1, text !== null)) > 0) continue;
		return radius;
	}
	return null;
}

const EARTH_KM = 6371;
const DEFAULT_RADIUS = '10';
/** Near a place, a match is strong when it scores at least this share of the best match (see runSearch). */
const STRONG_SHARE = sql.raw('0.5');
/** Distance bands (km): within a band results go by relevance, so among the strong matches (or among the weak) a near fit beats a far perfect one. */
const BANDS_KM = [2, 5, 10, 30];

/** The haversine term `a` of a great-circle distance in km (a = sin²(d / 2R)). */
function haversineOf(km: number): SQL {
	return sql.raw(String(Math.sin(km / (2 * EARTH_KM)) ** 2));
}

function distanceBand(haversine: SQL): SQL {
	return sql`(case when p.lat is null then ${sql.raw(String(BANDS_KM.length + 1))} ${sql.join(
		BANDS_KM.map((km, i) => sql`when ${haversine} <= ${haversineOf(km)} then ${sql.raw(String(i))}`),
		sql` `
	)} else ${sql.raw(String(BANDS_KM.length))} end)`;
}

/**
 * Programs within the radius of the place, or in the place itself (a program in the named 市区町村
 * is in it however large the municipality), or, for `pref`, in the place's prefecture.
 *
 * Within the radius means any of the program's points: its own, or any of its places' (a program
 * held in 函館市 and 荒川区 is near 台東区). Each is read through its (lat, lng) index as a box
 * first (programs_lat_lng_idx, locations_lat_lng_idx), the exact distance confirming — so a
 * place's programs are found without visiting the country's, however many places they have.
 * Measured at 100,000 programs (issue 15 notes in bench/RESULTS.md): a semi-join on the places'
 * programs was 3–5× slower with words, the array below about 1.5× of the first-place-only range.
 */
function withinRadius(radius: NonNullable<FinderQuery['radius']>, haversineAt: (alias: string) => SQL, centre: PlaceCentre | null, point: { lat: number; lng: number }, laterPlaces: SQL | null = null): SQL {
	if (radius === 'pref') {
		const pref = centre?.prefectureCode ?? prefectureCodeAt(point);
		return pref ? sql`p.area_codes @> ${textArray([pref])}` : sql`true`;
	}
	const near = placeNear(Number(radius), haversineAt, point);
	// The other places' programs come as one array, worked out once (a program's first place with
	// coordinates is its own point, so only the later places add to it: 102 → 80 ms for 台東区 with
	// no words at 100,000 programs, the same 4,523 found): `p.id = any(…)` is answered
	// from the primary key as a bitmap, so the planner can still combine the range with the gram
	// index (a semi-join would fetch every program in range and check its words row by row).
	// In the search statement the array is read from its near_places (NearPlaces).
	const atPlaces = laterPlaces ?? sql`p.id = any(array(select x.program_id from locations l join program_locations x on x.location_id = l.id where x.position > 0 and ${near('l')}))`;
	const inPlace = centre?.areaCode ? sql` or p.area_codes @> ${textArray([centre.areaCode])}` : sql``;
	return sql`((${near('p')}) or ${atPlaces}${inPlace})`;
}

/** Whether a table alias's lat/lng is within `km` of `point`: a box on the (lat, lng) index first, the exact distance confirming. */
function placeNear(km: number, haversineAt: (alias: string) => SQL, point: { lat: number; lng: number }): (alias: string) => SQL {
	const box = boundingBox(point, km);
	return (alias: string) => {
		const [lat, lng] = [sql.raw(`${alias}.lat`), sql.raw(`${alias}.lng`)];
		const exact = sql`${haversineAt(alias)} <= ${haversineOf(km)}`;
		return box ? sql`${lat} between ${box.south} and ${box.north} and ${lng} between ${box.west} and ${box.east} and ${exact}` : exact;
	};
}

/**
 * Degrees of latitude and longitude that hold every point within `km` of `point` (slightly more:
 * a margin of 1 % for rounding), or null near a pole or the antimeridian, where a box would need
 * two parts (never in Japan; the distance condition alone then decides).
 */
export function boundingBox(point: { lat: number; lng: number }, km: number): { south: number; north: number; west: number; east: number } | null {
	const dLat = (km / EARTH_KM) * (180 / Math.PI) * 1.01;
	const south = point.lat - dLat;
	const north = point.lat + dLat;
	if (south <= -89 || north >= 89) return null;
	// Along a parallel a degree of longitude is shortest at the latitude farthest from the equator.
	const widest = Math.max(Math.abs(south), Math.abs(north));
	const dLng = dLat / Math.cos((widest * Math.PI) / 180);
	const west = point.lng - dLng;
	const east = point.lng + dLng;
	if (west < -180 || east > 180) return null;
	return { south, north, west, east };
}
