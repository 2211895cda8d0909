/** The finder's filters as SQL conditions on `programs p`. */
import { sql, type SQL } from 'drizzle-orm';
import type { FinderQuery } from '../finder-query';
import { addDays, weekdayIndex, zonedInstant } from '../schedule';
import { occurrenceEnd } from '../upcoming';
import { textArray } from './sql';
import type { FinderClock } from './types';
import { municipalityOf, prefectureByName, resolvePlace } from '../places';

/** Days the `when` filter covers, counted from today in Tokyo. */
export function whenDays(when: NonNullable<FinderQuery['when']>, today: string): [string, string] {
	if (when === 'today' || when === 'now') return [today, today];
	if (when === 'next7') return [today, addDays(today, 6)];
	const wd = weekdayIndex(today); // 5 = Saturday, 6 = Sunday
	if (wd >= 5) return [today, addDays(today, 6 - wd)];
	return [addDays(today, 5 - wd), addDays(today, 6 - wd)];
}

/** Start of the next occurrence not yet over, from the two copied onto the program by the date refresh. */
export function nextOccurrenceKey(now: Date): SQL {
	const at = sql`${now.toISOString()}::timestamptz`;
	return sql`(case when p.next_ends_at > ${at} then p.next_starts_at when p.following_starts_at > ${at} then p.following_starts_at end)`;
}

/** Whom the programs are for: residents unless supporters or both are asked for. */
export function audienceCondition(audience: FinderQuery['audience']): SQL | null {
	if (audience === 'all') return null;
	return audience === 'supporters' ? sql`p.audience = 'supporters'` : sql`p.audience = 'residents'`;
}

/**
 * With both audiences (audience=all), residents' programs come first and supporters' after, in
 * any order: the finder is for residents first (issue 15). An order-by prefix over the page's
 * `for_residents` column; empty otherwise.
 */
export function audienceFirst(audience: FinderQuery['audience']): SQL {
	return audience === 'all' ? sql`for_residents desc, ` : sql``;
}

export function filters(query: FinderQuery, clock: FinderClock): SQL[] {
	// Unpublished organisations are few: a hashed list beats joining every candidate to its organisation.
	const where: SQL[] = [sql`p.published`, sql`p.status <> 'ended'`, sql`p.organization_id not in (select o.id from organizations o where not o.published)`];
	const audience = audienceCondition(query.audience);
	if (audience) where.push(audience);
	// "Any age" programs fit every life stage.
	if (query.life_stage) where.push(sql`p.life_stages && ${textArray([query.life_stage, 'all_ages'])}`);
	const area = areaCondition(query);
	if (area) where.push(area);
	if (query.form) where.push(sql`p.forms @> ${textArray([query.form])}`);
	if (query.target) where.push(sql`p.targets @> ${textArray([query.target])}`);
	if (query.language) where.push(sql`p.languages @> ${textArray([query.language])}`);
	if (query.weekday) where.push(sql`p.weekdays @> ${textArray([query.weekday])}`);
	if (query.free) where.push(sql`p.cost_kind = 'free'`);
	if (query.no_registration) where.push(sql`p.join_method = 'no_registration'`);
	if (query.online) where.push(sql`p.delivery_mode in ('online', 'both')`);
	const when = whenMatch(query, clock);
	if (when) where.push(sql`(${when.dated} or ${when.undated})`);
	return where;
}

/**
 * The `when` filter in two parts: programs whose dates say they meet then (`dated`), and programs
 * whose schedule is known only in words or not at all (`undated`), which are listed after them
 * under 「日程は団体にご確認ください」 rather than dropped. For `now`, a program meeting today at hours
 * nobody stated is undated too.
 */
export function whenMatch(query: FinderQuery, clock: FinderClock): { dated: SQL; undated: SQL } | null {
	if (!query.when) return null;
	const now = sql`${clock.now.toISOString()}::timestamptz`;
	const noRule = sql`not exists (select 1 from schedules s where s.program_id = p.id and s.rrule is not null)`;
	if (query.when === 'now') {
		const openNow = sql`exists (select 1 from program_upcoming_dates d where d.program_id = p.id and not d.all_day and d.starts_at <= ${now} and ${occurrenceEnd('d')} > ${now})`;
		const todayNoHours = sql`exists (select 1 from program_upcoming_dates d where d.program_id = p.id and d.all_day and d.day = ${clock.today}::date)`;
		return { dated: openNow, undated: sql`(${noRule} or ${todayNoHours})` };
	}
	if (query.when === 'today' || query.when === 'next7') {
		// From today on, "an occurrence in the window that has not ended" is "the next one not yet
		// over starts before the window closes", read from the copy on the program row.
		const [, to] = whenDays(query.when, clock.today);
		return { dated: sql`${nextOccurrenceKey(clock.now)} < ${zonedInstant(addDays(to, 1), '00:00').toISOString()}::timestamptz`, undated: noRule };
	}
	const [from, to] = whenDays(query.when, clock.today);
	return {
		dated: sql`p.id in (select d.program_id from program_upcoming_dates d where d.day between ${from}::date and ${to}::date and ${occurrenceEnd('d')} > ${now})`,
		undated: noRule
	};
}

/**
 * The `prefecture` and `city` filters, by 地方公共団体コード: a 政令指定都市 includes its wards
 * (city=札幌市 finds 西区), a prefecture its municipalities. A city the registry does not know
 * falls back to the stored names, as before codes existed (so an unknown name still finds nothing
 * rather than everything). Rows written before codes were stored are still found by name.
 */
export function areaCondition(query: Pick<FinderQuery, 'prefecture' | 'city'>): SQL | null {
	const conditions: SQL[] = [];
	if (query.prefecture) {
		const pref = prefectureByName(query.prefecture);
		conditions.push(pref ? sql`(p.area_codes @> ${textArray([pref.code])} or p.areas @> ${textArray([pref.name])})` : sql`p.areas @> ${textArray([query.prefecture])}`);
	}
	if (query.city) {
		const named = query.prefecture ? `${query.prefecture}/${query.city}` : `/${query.city}`;
		const place = municipalityOf(query.prefecture ?? null, query.city) ?? cityByPrefix(query.prefecture ?? null, query.city);
		conditions.push(place ? sql`(p.area_codes @> ${textArray([place.code])} or p.areas @> ${textArray([named])})` : sql`p.areas @> ${textArray([named])}`);
	}
	return conditions.length ? sql.join(conditions, sql` and `) : null;
}

/** The `city` filter's name when the registry cannot place it (unknown, or several places bear it): the filter then only matches stored names. */
export function unplacedCity(query: Pick<FinderQuery, 'prefecture' | 'city'>): string | null {
	if (!query.city) return null;
	return municipalityOf(query.prefecture ?? null, query.city) || cityByPrefix(query.prefecture ?? null, query.city) ? null : query.city;
}

/** "札幌" for 札幌市, when only one municipality's name starts so. */
function cityByPrefix(prefecture: string | null, city: string) {
	const hit = resolvePlace(prefecture ? `${prefecture}/${city}` : city);
	return hit && hit.kind !== 'prefecture' && hit.kind !== 'postcode' ? hit.place : null;
}
