import { error } from '@sveltejs/kit';
import { parseFinderParams, searchPrograms, suggestAlternatives, taxonomy, label, type FinderQuery } from '$lib/server/directory';
import { db } from '$lib/server/db';
import { todayInTokyo } from '$lib/server/clock';
import { costInWords, formatOccurrence, joinInWords } from '$lib/server/present';
import { translator, type MessageKey } from '$lib/i18n';
import { prefecturesInUse } from '$lib/server/directory/areas';
import type { PageServerLoad } from './$types';

export const csr = false;

export const load: PageServerLoad = async ({ url, locals }) => {
	const t = translator(locals.locale);
	const parsed = parseFinderParams(url.searchParams);
	if (!parsed.ok) {
		error(400, { message: `${t('search.invalid')} (${parsed.errors.map((e) => e.param).join(', ')})` });
	}
	const query = parsed.query;
	const now = new Date();
	const clock = { now, today: todayInTokyo(now) };
	const result = await searchPrograms(db(), query, clock);
	const suggestions = result.total === 0 ? await suggestAlternatives(db(), query, clock) : [];
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
		q: 'search.label'
	};

	// The conditions in force, each with a link that removes it (so the filter panel can stay closed).
	const valueLabel = (param: string, value: unknown): string => {
		if (param === 'life_stage') return label('lifeStages', String(value), loc);
		if (param === 'form') return label('forms', String(value), loc);
		if (param === 'target') return label('targets', String(value), loc);
		if (param === 'language') return label('languages', String(value), loc);
		if (param === 'weekday') return t(`weekday.${value as 'MO'}`);
		if (param === 'when') return t(`search.when.${value as 'today'}`);
		if (value === true) return t(paramLabels[param] ?? 'search.any');
		return String(value);
	};
	const activeParams = ['when', 'near', 'life_stage', 'prefecture', 'city', 'form', 'target', 'weekday', 'language', 'free', 'no_registration', 'online'] as const;
	const active = activeParams.filter((p) => query[p] !== undefined && query[p] !== false).map((p) => ({ text: valueLabel(p, query[p]), href: linkWith({ [p]: '' }) }));

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
		unknownPlace: result.unknownPlace,
		items: result.items.map((item) => ({
			id: item.id,
			title: item.title,
			summary: item.summary,
			organizationId: item.organizationId,
			organizationName: item.organizationName,
			place: item.place ? `${item.place.prefecture}${item.place.city ?? ''} ${item.place.name}`.trim() : null,
			next: item.next ? formatOccurrence(t, new Date(item.next.startsAt), item.next.endsAt ? new Date(item.next.endsAt) : null, item.next.allDay) : null,
			scheduleNote: item.scheduleNote,
			cost: costInWords(t, item.costKind, item.costAmountYen),
			join: joinInWords(t, item.joinMethod),
			forms: item.forms.map((f) => label('forms', f, loc)),
			distanceKm: item.distanceKm
		})),
		suggestions: suggestions.map((s) => ({
			href: linkWith(s.params),
			text: s.kind === 'area' ? t('search.suggest.area', { label: s.label, count: s.count }) : s.kind === 'form' ? t('search.suggest.form', { label: label('forms', s.label, loc), count: s.count }) : t('search.suggest.drop', { label: t(paramLabels[s.label] ?? 'search.any'), count: s.count })
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
