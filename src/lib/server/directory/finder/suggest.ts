/** No dead ends: what to offer when a search finds nothing. */
import { sql } from 'drizzle-orm';
import type { Pool } from '../../db';
import type { FinderQuery } from '../finder-query';
import { textMatch } from './text';
import { filters } from './filters';
import { placeCentre } from './place';
import { placeScope } from './search';
import { analyseQuery } from '../search/query';
import { formsForNeeds } from '../search/needs';
import type { FinderClock } from './types';

export interface Suggestion {
	kind: 'area' | 'radius' | 'form' | 'drop';
	/** The finder parameters to use instead. */
	params: Partial<Record<keyof FinderQuery, string>>;
	label: string;
	count: number;
}

/**
 * No dead ends: when a search finds nothing, offer the nearest changes that do find something —
 * other 市区町村 of the same prefecture (nearest first), a wider range around a place, related
 * forms, and dropping one filter. Each count is what its link finds: the place's range holds for
 * every one of them but the range's own. `shown`: how many the page lists already.
 */
export async function suggestAlternatives(db: Pool, query: FinderQuery, clock: FinderClock, shown = 0): Promise<Suggestion[]> {
	const suggestions: Suggestion[] = [];
	const base = { ...query, page: 1 };
	const text = textMatch(query.q);
	/** The conditions of a changed search: its filters, its words and its place's range. */
	const whereOf = async (changed: FinderQuery) => {
		const where = filters(changed, clock);
		const changedText = textMatch(changed.q);
		if (changedText) where.push(changedText.where);
		const place = await placeScope(db, changed);
		if (place.where) where.push(place.where);
		return where;
	};
	const count = async (changed: FinderQuery) => {
		const rows = await db.execute<{ n: number }>(sql`select count(*)::int as n from programs p where ${sql.join(await whereOf(changed), sql` and `)}`);
		return rows.rows[0].n;
	};
	const place = await placeScope(db, query);

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
	if (place.radius && place.radius !== 'pref') {
		// Each wider range only when it finds more than the page shows (`shown`: a `when` search may
		// list programs whose dates are not known) and than the last one offered.
		let found = shown;
		for (const radius of WIDER[place.radius]) {
			const n = await count({ ...base, radius });
			if (n > found) suggestions.push({ kind: 'radius', params: { radius }, label: radius, count: n });
			found = Math.max(found, n);
		}
	}
	// Words for a feeling or a life event (夫を亡くした) that find nothing: the kinds of program that
	// may help with that need, instead of the words (nearby when a place is given).
	if (query.q && !query.form) {
		for (const form of formsForNeeds(analyseQuery(query.q).needs).slice(0, 4)) {
			const n = await count({ ...base, q: undefined, form: form as FinderQuery['form'] });
			if (n > 0) suggestions.push({ kind: 'form', params: { form, q: '' }, label: form, count: n });
		}
	}
	if (query.form) {
		const where = await whereOf({ ...base, form: undefined });
		const related = await db.execute<{ form: string; n: number }>(sql`
			select f as form, count(*)::int as n from programs p join organizations o on o.id = p.organization_id, unnest(p.forms) f
			where ${sql.join(where, sql` and `)} and f <> ${query.form}
			group by f order by n desc limit 4`);
		for (const r of related.rows) suggestions.push({ kind: 'form', params: { form: r.form }, label: r.form, count: r.n });
	}
	for (const param of ['when', 'weekday', 'free', 'no_registration', 'language', 'online', 'target', 'life_stage', 'q', 'near'] as const) {
		if (query[param] === undefined || query[param] === false) continue;
		// Without the place, its range goes too.
		const relaxed = { ...base, [param]: undefined, ...(param === 'near' ? { radius: undefined } : {}) } as FinderQuery;
		const n = await count(relaxed);
		if (n > 0) suggestions.push({ kind: 'drop', params: param === 'near' ? { near: '', radius: '' } : { [param]: '' }, label: param, count: n });
	}
	return suggestions;
}

/** The ranges wider than each, smallest first. */
const WIDER: Record<'5' | '10' | '30', Array<'10' | '30' | 'pref'>> = { '5': ['10', '30', 'pref'], '10': ['30', 'pref'], '30': ['pref'] };
