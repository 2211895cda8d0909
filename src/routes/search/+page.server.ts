import { error, redirect } from '@sveltejs/kit';
import {
	findStation,
	stationsLoaded,
	parseFinderParams,
	placeInWords,
	stationInWords,
	withoutEmptyParams,
	prefecturesInUse,
	placesForStation,
	placesSharingName,
	placeTextKind,
	unplacedCity,
	searchPrograms,
	suggestAlternatives,
	widerRange,
	taxonomy,
	label,
	type FinderItem,
	type FinderQuery,
	type FinderResult,
	type StationLookup,
	type Suggestion
} from '$lib/server/directory';
import { db } from '$lib/server/db';
import { todayInTokyo } from '$lib/server/clock';
import { costInWords, formatOccurrence, joinInWords } from '$lib/server/present';
import { translator, type MessageKey } from '$lib/i18n';
import { hotlinesForEveryone } from '$lib/server/consultations';
import type { PageServerLoad } from './$types';

export const csr = false;

/** The name of each finder parameter, as the page says it. */
const paramLabels: Record<string, MessageKey> = {
	when: 'search.when',
	near: 'search.near',
	prefecture: 'search.prefecture',
	city: 'search.city',
	form: 'search.form',
	weekday: 'search.weekday',
	free: 'search.free',
	no_registration: 'search.noRegistration',
	language: 'search.language',
	online: 'search.online',
	target: 'search.target',
	life_stage: 'search.lifeStage',
	audience: 'search.audience',
	q: 'search.label'
};

/** A condition with an error, named as the page names it (never by its parameter, 「(radius)」). */
const invalidLabels: Record<string, MessageKey> = { ...paramLabels, lat: 'search.latLng', lng: 'search.latLng', radius: 'search.radius', sort: 'search.sort', page: 'search.pagination', per_page: 'search.perPage' };

export const load: PageServerLoad = async ({ url, locals }) => {
	// The search at its clean address (/search?q=こども食堂, not …&near=): one short redirect, as the
	// form cannot leave its empty fields out without JavaScript; permanent, so a browser may skip it next time.
	const clean = withoutEmptyParams(url.searchParams);
	if (clean) redirect(301, `/search${clean.toString() ? `?${clean}` : ''}`);
	const t = translator(locals.locale);
	const parsed = parseFinderParams(url.searchParams);
	if (!parsed.ok) {
		const fields = [...new Set(parsed.errors.map((e) => (invalidLabels[e.param] ? t(invalidLabels[e.param]) : e.param)))];
		error(400, { message: t('search.invalidFields', { fields: fields.join(locals.locale === 'ja' ? '」「' : '”, “') }) });
	}
	const query = parsed.query;
	// A place typed among the words (「こども食堂 荒川区」) is the place: the page is the same search
	// with it in the place field, so the place note says so and its chip removes it.
	// A station's name among them (「こども食堂 新宿駅」) likewise, when the loaded station list knows it.
	const noPlace = !query.near && query.lat === undefined && !query.city && !query.prefecture;
	const typedPlace = noPlace ? (placeInWords(query.q) ?? (await stationInWords(db(), query.q))) : null;
	if (typedPlace) {
		const params = new URLSearchParams(url.searchParams);
		if (typedPlace.q) params.set('q', typedPlace.q);
		else params.delete('q');
		params.set('near', typedPlace.near);
		params.delete('page');
		redirect(303, `/search?${params}`);
	}
	const now = new Date();
	const clock = { now, today: todayInTokyo(now) };
	const result = await searchPrograms(db(), query, clock);
	// Nothing found, or (for a time such as 今日, late in the evening) only programs whose dates are
	// not known: either way the person gets other searches to try, not a dead end.
	const noDatedMatch = !!query.when && result.page === 1 && result.items.every((item) => !item.scheduleKnown);
	const suggestions = result.total === 0 || noDatedMatch ? await suggestAlternatives(db(), query, clock, result.total) : [];
	const loc = locals.locale;

	const linkWith = (changes: Partial<Record<keyof FinderQuery, string>>) => {
		const params = new URLSearchParams(url.searchParams);
		params.delete('page');
		for (const [k, v] of Object.entries(changes)) {
			if (v) params.set(k, v);
			else params.delete(k);
		}
		return `/search?${params}`;
	};

	// The conditions in force, each with a link that removes it (so the filter panel can stay closed).
	const valueLabel = (param: string, value: unknown): string => {
		if (param === 'life_stage') return label('lifeStages', String(value), loc);
		if (param === 'form') return label('forms', String(value), loc);
		if (param === 'target') return label('targets', String(value), loc);
		if (param === 'language') return label('languages', String(value), loc);
		if (param === 'weekday') return t(`weekday.${value as 'MO'}`);
		if (param === 'when') return t(`search.when.${value as 'today'}`);
		if (param === 'audience') return t(`search.audience.${value as 'all'}`);
		if (value === true) return t(paramLabels[param] ?? 'search.any');
		return String(value);
	};
	const activeParams = ['when', 'near', 'life_stage', 'prefecture', 'city', 'form', 'target', 'weekday', 'language', 'free', 'no_registration', 'online', 'audience'] as const;
	const active = activeParams.filter((p) => query[p] !== undefined && query[p] !== false).map((p) => ({ text: valueLabel(p, query[p]), href: linkWith({ [p]: '' }) }));

	// With a `when` filter, programs whose dates are not known come last, in a list of their own (日程は団体にご確認ください).
	const dated = result.items.filter((item) => !query.when || item.scheduleKnown);
	const undatedItems = result.items.filter((item) => query.when && !item.scheduleKnown);
	const present = (item: FinderItem) => ({
		id: item.id,
		title: item.title,
		summary: item.summary,
		organizationId: item.organizationId,
		organizationName: item.organizationName,
		place: item.place ? placeInWordsOf(item.place) : null,
		next: item.next ? formatOccurrence(t, new Date(item.next.startsAt), item.next.endsAt ? new Date(item.next.endsAt) : null, item.next.allDay) : null,
		scheduleNote: item.scheduleNote,
		cost: costInWords(t, item.costKind, item.costAmountYen),
		join: joinInWords(t, item.joinMethod),
		forms: item.forms.map((f) => label('forms', f, loc)),
		distance: distanceInWords(item, result.origin?.kind === 'station' ? result.origin.label : null)
	});
	// With a time (今日, 今週末 …) the dated programs come first: when this page holds an undated one,
	// every dated one is counted by now, and the count says how many are known to meet then.
	const whenCount = query.when && undatedItems.length && !result.totalIsLowerBound ? { dated: (result.page - 1) * result.perPage + dated.length, undated: result.total - ((result.page - 1) * result.perPage + dated.length) } : null;
	// A 市区町村 filter the registry cannot place found nothing: say why, and offer the places of that name.
	const cityUnplaced = result.total === 0 ? unplacedCity(query) : null;
	// A `near` name several places bear (府中市, 西区): those places to choose from, not 「みつからなかった」.
	const nearSameName = result.unknownPlace && placeTextKind(result.unknownPlace) === 'name' ? placesSharingName(result.unknownPlace) : [];
	// A station's name that placed nothing: none loaded, not in the list, or several stations of the name (each offered).
	const station = result.unknownPlace ? await findStation(db(), result.unknownPlace) : null;
	// The wider range a link may offer: one that finds more and keeps what this one found (the words as searched, a typo corrected).
	const wider = result.radius ? await widerRange(db(), { ...query, q: result.didYouMean ?? query.q }, clock, result.total) : null;

	return {
		active,
		query: { ...query, page: query.page },
		raw: Object.fromEntries(url.searchParams),
		total: result.total,
		totalIsLowerBound: result.totalIsLowerBound,
		page: result.page,
		perPage: result.perPage,
		pages: Math.max(1, Math.ceil(result.total / result.perPage)),
		origin: result.origin,
		unknownPlace: result.unknownPlace ? { key: nearSameName.length ? ('search.ambiguousPlace' as const) : station ? UNKNOWN_STATION[station.kind] : UNKNOWN_PLACE[placeTextKind(result.unknownPlace)], params: { place: result.unknownPlace } } : null,
		nearSameName: [...nearSameName, ...(station?.kind === 'ambiguous' ? station.choices : [])].map((p) => ({ place: p.label, href: linkWith({ near: p.near }) })),
		whenCount: whenCount ? { ...whenCount, none: t(`search.whenNone.${query.when!}`) } : null,
		city: cityUnplaced
			? (() => {
					const same = placesSharingName(cityUnplaced);
					return { key: same.length ? ('search.ambiguousCity' as const) : ('search.unknownCity' as const), place: cityUnplaced, choices: same.map((p) => ({ place: p.label, href: linkWith({ prefecture: p.prefecture, city: p.city }) })) };
				})()
			: null,
		// A station's name not placed (and not several stations'): the municipalities of the same name to choose from (not where the station is).
		sameNamePlaces: result.unknownPlace && station?.kind !== 'ambiguous' ? placesForStation(result.unknownPlace).map((p) => ({ place: p.label, href: linkWith({ near: p.near }) })) : [],
		// The station list's source, as its licence asks wherever a station is used.
		stationAttribution: result.origin?.kind === 'station' ? result.origin.attribution : null,
		// The approximate-distance sentence goes with the distances on the page (an undated program shows none).
		// On an empty page the wider range is among the suggestions, with its count: not offered twice.
		placeNote: placeNote(result, [...dated, ...result.partial.flatMap((g) => g.items)], suggestions.some((s) => s.kind === 'radius') ? null : wider, linkWith, t),
		// The place field names station names only when a station list is loaded (otherwise they place nothing).
		placeField: (await stationsLoaded(db())) ? { label: t('search.placeWithStation'), hint: t('search.placeHintWithStation') } : { label: t('search.place'), hint: t('search.placeHint') },
		radiusOptions: (['5', '10', '30', 'pref'] as const).map((r) => ({ code: r, label: t(`search.radius.${r}`) })),
		didYouMean: result.didYouMean ? { q: result.didYouMean, href: linkWith({ q: result.didYouMean }) } : null,
		undated: undatedItems.map(present),
		noDatedMatch: result.total > 0 && noDatedMatch,
		items: dated.map(present),
		// Supporters' programs that match a residents' search: a count and a link, never among the results.
		supporters: result.supportersTotal ? { text: t('search.supporters', { count: result.supportersTotal }), href: linkWith({ audience: 'supporters' }) } : null,
		audienceBack: query.audience === 'supporters' ? linkWith({ audience: '' }) : null,
		partial: result.partial.map((g) => ({
			words: g.missing.join(loc === 'ja' ? '』『' : '”, “'),
			count: g.total,
			items: g.items.map(present)
		})),
		// Nothing at all: the consultation window and the lines anyone can call, beside the suggestions.
		hotlines: result.total === 0 && result.partial.length === 0 ? hotlinesForEveryone().map((h) => ({ name: h.name, number: h.number, hours: h.hours, url: h.url })) : [],
		// Each as a message and its values: an area's name is the directory's (Japanese) on an English page.
		suggestions: suggestions.map((s) => ({
			href: linkWith(s.params),
			...suggestionMessage(t, s, loc)
		})),
		options: {
			lifeStages: taxonomy.lifeStages.map((x) => ({ code: x.code, label: x[loc] })),
			forms: taxonomy.forms.map((x) => ({ code: x.code, label: x[loc] })),
			targets: taxonomy.targets.map((x) => ({ code: x.code, label: x[loc] })),
			languages: taxonomy.languages.map((x) => ({ code: x.code, label: x[loc] })),
			prefectures: await prefecturesInUse(db())
		}
	};
};

type Translate = ReturnType<typeof translator>;

/** Why a place was not used, in words: an unknown postcode, a station name (no station data yet), or an unknown name. */
const UNKNOWN_PLACE: Record<ReturnType<typeof placeTextKind>, MessageKey> = { postcode: 'search.unknownPostcode', station: 'search.unknownStation', name: 'search.unknownPlace' };
/** Why a station's name placed nothing: no station list loaded (station names are not understood here), not in the list, or several. */
const UNKNOWN_STATION: Record<StationLookup['kind'], MessageKey> = { not_loaded: 'search.unknownStation', unknown: 'search.stationNotFound', ambiguous: 'search.ambiguousStation', found: 'search.unknownStation' };

/** An empty page's suggestion as a message: its key, its values and which of them are the directory's names. */
function suggestionMessage(t: Translate, s: Suggestion, loc: 'ja' | 'en'): { key: MessageKey; params: Record<string, string | number>; named: string[] } {
	if (s.kind === 'area') return { key: 'search.suggest.area', params: { label: s.label, count: s.count }, named: ['label'] };
	if (s.kind === 'radius') return { key: 'search.suggest.radius', params: { label: t(`search.radius.${s.label as '30'}`), count: s.count }, named: [] };
	if (s.kind === 'form') return { key: 'search.suggest.form', params: { label: label('forms', s.label, loc), count: s.count }, named: [] };
	return { key: 'search.suggest.drop', params: { label: t(paramLabels[s.label] ?? 'search.any'), count: s.count }, named: [] };
}

/**
 * Where a result is: its area, then the place's own name — unless the place is called by its
 * area (a casebook program known only by its 市区町村: 「東京都台東区」, not 「東京都台東区 台東区」).
 */
function placeInWordsOf(place: NonNullable<FinderItem['place']>): string {
	const area = `${place.prefecture}${place.city ?? ''}`;
	return [place.city, area, place.prefecture].includes(place.name) ? area : `${area} ${place.name}`.trim();
}

/**
 * A result's distance in words, as a message and its values (a station's name is Japanese on an
 * English page). An approximate point is its 市区町村's office (or the like), so its distance is
 * given in whole kilometres, and one that rounds to none as under 1 km, not 「約0km」. From a
 * station it says so (「新宿駅から約1.2km」): the station's point is exact, the program's may not be.
 */
function distanceInWords(item: FinderItem, station: string | null): { key: MessageKey; params: Record<string, string | number> } | null {
	if (item.distanceKm === null) return null;
	const from: Record<string, string> = station ? { place: station } : {};
	if (!item.distanceApproximate) return { key: station ? 'search.distanceFrom' : 'search.distance', params: { km: item.distanceKm, ...from } };
	const km = Math.round(item.distanceKm);
	if (km < 1) return { key: station ? 'search.distanceApproxUnder1From' : 'search.distanceApproxUnder1', params: from };
	return { key: station ? 'search.distanceApproxFrom' : 'search.distanceApprox', params: { km, ...from } };
}

/**
 * What a search with a place shows and in which order, said truthfully (the place's name is the
 * directory's, marked on the page): a point (lat/lng) has no inside, and the link to widen names the
 * range it leads to, offered only when that range finds more (widerRange).
 */
function placeNote(
	result: FinderResult,
	shown: FinderItem[],
	wider: Awaited<ReturnType<typeof widerRange>>,
	linkWith: (changes: Partial<Record<keyof FinderQuery, string>>) => string,
	t: Translate
): { order: MessageKey | null; scope: MessageKey; place: string | null; km: string; widen: { href: string; text: string } | null; approximate: boolean } | null {
	if (!result.origin || !result.radius) return null;
	// An order is said only over a list: with nothing found, the range searched is what matters.
	const listed = result.total > 0 || result.partial.length > 0;
	const order: MessageKey | null = !listed ? null : result.order === 'banded' ? 'search.placeOrder.banded' : result.order === 'distance' ? 'search.placeOrder.distance' : 'search.placeOrder.next';
	// A point, or a station, has no inside: the range is the distance from it alone.
	const scope: MessageKey = result.radius === 'pref' ? 'search.placeScope.pref' : result.origin.kind === 'point' || result.origin.kind === 'station' ? 'search.placeScope.point' : 'search.placeScope.km';
	return {
		order,
		scope,
		place: result.origin.label,
		km: result.radius,
		widen: wider ? { href: linkWith({ radius: wider }), text: t('search.widenTo', { label: t(`search.radius.${wider}`) }) } : null,
		approximate: shown.some((item) => item.distanceKm !== null && item.distanceApproximate)
	};
}
