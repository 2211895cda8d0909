import type { RequestHandler } from './$types';
import { addDays } from '$lib/server/directory';
import { calendarEntries, parseCalendarParams, programFilterOf, viewRange, OCCURRENCE_HORIZON_DAYS } from '$lib/server/events';
import { apiError } from '$lib/server/api/respond';
import { monthPdf } from '$lib/server/events/print';
import { db } from '$lib/server/db';
import { todayInTokyo } from '$lib/server/clock';
import { formatDay, formatTime, formatYearMonth, translatorFor, weekdayHeadings } from '$lib/server/present';

/** One month of the calendar (same filters as the page) on an A4 landscape page. */
export const GET: RequestHandler = async ({ url, locals }) => {
	const parsed = parseCalendarParams(url.searchParams);
	if (!parsed.ok) return apiError(400, 'invalid_parameters', 'Some calendar parameters are not valid.', parsed.errors);
	const t = translatorFor(locals.locale);
	const today = todayInTokyo();
	const range = viewRange('month', parsed.query.date ?? today);
	const horizon = addDays(today, OCCURRENCE_HORIZON_DAYS);
	const entries = await calendarEntries(db(), programFilterOf(parsed.query, true), range.from, range.to);
	const days: Array<{ day: string; inMonth: boolean; entries: Array<{ time: string; title: string; cancelled: boolean }> }> = [];
	for (let d = range.from; d <= range.to; d = addDays(d, 1)) {
		days.push({ day: d, inMonth: d >= range.first && d <= range.last, entries: entries.filter((e) => e.day === d).map((e) => ({ time: e.allDay ? '' : formatTime(e.startsAt), title: e.title, cancelled: e.status === 'cancelled' })) });
	}
	const pdf = await monthPdf({
		title: t('print.monthTitle', { month: formatYearMonth(t, range.first.slice(0, 7)) }),
		weeks: Array.from({ length: days.length / 7 }, (_, i) => days.slice(i * 7, i * 7 + 7)),
		weekdays: weekdayHeadings(t).map((w) => w.short),
		cancelled: t('print.cancelled'),
		footer: t('print.footer', { url: `${url.origin}/calendar` }),
		// The same words as the page: a month past the dates horizon is not an empty month.
		notice: range.to > horizon ? t('calendar.beyond', { day: formatDay(t, horizon) }) : null
	});
	return new Response(new Uint8Array(pdf), { headers: { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="calendar-${range.first.slice(0, 7)}.pdf"`, 'cache-control': 'public, max-age=300' } });
};
