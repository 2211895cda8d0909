/** No dead ends: what to offer when a search finds nothing. */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db';
import type { FinderQuery } from '../finder-query';
import { textMatch } from './text';
import { filters } from './filters';
import { placeCentre } from './place';
import type { FinderClock } from './types';

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
