import { error } from '@sveltejs/kit';
import { calendarChoices, taxonomy, label, addDays, weekdayIndex } from '$lib/server/directory';
import { calendarEntries, monthAfter, monthBefore, parseCalendarParams, programFilterOf, viewRange, OCCURRENCE_HORIZON_DAYS, PURPOSE_CODES, type CalendarQuery } from '$lib/server/events';
import { db } from '$lib/server/db';
import { todayInTokyo } from '$lib/server/clock';
import { formatDay, formatTime, formatYearMonth, weekdayHeadings } from '$lib/server/present';
import { translator } from '$lib/i18n';
import type { PageServerLoad } from './$types';

export const csr = false;

export const load: PageServerLoad = async ({ url, locals }) => {
	const t = translator(locals.locale);
	const parsed = parseCalendarParams(url.searchParams);
	if (!parsed.ok) error(400, { message: `${t('calendar.invalid')} (${parsed.errors.map((e) => e.param).join(', ')})` });
	const query = parsed.query;
	const today = todayInTokyo();
	const anchor = query.date ?? today;
	const range = viewRange(query.view, anchor);
	const [entries, choices] = await Promise.all([calendarEntries(db(), programFilterOf(query, true), range.from, range.to), calendarChoices(db())]);

	const hrefWith = (changes: Partial<Record<keyof CalendarQuery, string | undefined>>) => {
		const params = new URLSearchParams();
		const merged = { ...query, ...changes } as Record<string, string | undefined>;
		for (const [k, v] of Object.entries(merged)) if (v && !(k === 'view' && v === 'month')) params.set(k, v);
		const s = params.toString();
		return s ? `/calendar?${s}` : '/calendar';
	};
	const step = query.view === 'month' ? { prev: monthBefore(range.first), next: monthAfter(range.first) } : query.view === 'week' ? { prev: addDays(range.from, -7), next: addDays(range.from, 7) } : { prev: addDays(anchor, -31), next: addDays(anchor, 31) };
	const filterParams = new URLSearchParams();
	for (const k of ['lifeStage', 'form', 'area', 'organization', 'purpose'] as const) if (query[k]) filterParams.set(k, query[k]!);
	const printParams = new URLSearchParams(filterParams);
	printParams.set('date', range.first);

	const shown = entries.map((e) => ({
		id: e.id,
		programId: e.programId,
		title: e.title,
		organizationName: e.organizationName,
		placeName: e.placeName,
		time: e.allDay ? t('calendar.noTime') : e.endsAt ? `${formatTime(e.startsAt)}–${formatTime(e.endsAt)}` : formatTime(e.startsAt),
		cancelled: e.status === 'cancelled',
		moved: e.moved,
		visit: e.kind === 'visit',
		registration: e.registrationOpen,
		note: e.note
	}));
	const byDay = new Map<string, typeof shown>();
	entries.forEach((e, i) => byDay.set(e.day, [...(byDay.get(e.day) ?? []), shown[i]]));
	const days: Array<{ day: string; label: string; inMonth: boolean; today: boolean; weekend: 'sat' | 'sun' | null; entries: typeof shown }> = [];
	for (let d = range.from; d <= range.to; d = addDays(d, 1)) {
		// 0 = Monday … 6 = Sunday (RFC 5545 order).
		const weekday = weekdayIndex(d);
		days.push({ day: d, label: formatDay(t, d), inMonth: d >= range.first && d <= range.last, today: d === today, weekend: weekday === 5 ? 'sat' : weekday === 6 ? 'sun' : null, entries: byDay.get(d) ?? [] });
	}
	const horizon = addDays(today, OCCURRENCE_HORIZON_DAYS);
	const [year, month] = range.first.split('-').map(Number);
	const loc = locals.locale;
	return {
		query,
		view: query.view,
		heading: query.view === 'month' ? formatYearMonth(t, `${year}-${month}`) : t('calendar.weekHeading', { from: formatDay(t, range.from), to: formatDay(t, range.to) }),
		days,
		weekdays: weekdayHeadings(t),
		count: entries.length,
		prevHref: hrefWith({ date: step.prev }),
		nextHref: hrefWith({ date: step.next }),
		todayHref: hrefWith({ date: undefined }),
		viewHrefs: { month: hrefWith({ view: 'month' }), week: hrefWith({ view: 'week' }), list: hrefWith({ view: 'list' }) },
		purposeLinks: PURPOSE_CODES.map((p) => ({ code: p, href: hrefWith({ purpose: query.purpose === p ? undefined : p, lifeStage: undefined, form: undefined }), active: query.purpose === p })),
		beyond: range.to > horizon ? formatDay(t, horizon) : null,
		feedHref: `/calendar.ics${filterParams.size ? `?${filterParams}` : ''}`,
		printHref: `/calendar/print.pdf?${printParams}`,
		options: {
			lifeStages: taxonomy.lifeStages.map((x) => ({ code: x.code, label: label('lifeStages', x.code, loc) })),
			forms: taxonomy.forms.map((x) => ({ code: x.code, label: label('forms', x.code, loc) })),
			areas: choices.areas.map((a) => ({ code: a, label: a.replace('/', ' ') })),
			organizations: choices.organizations.map((o) => ({ code: o.id, label: o.name }))
		}
	};
};
