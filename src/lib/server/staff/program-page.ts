/**
 * What the two program pages (/staff/orgs/[orgId]/programs/new and …/[programId]) share: the
 * form's data, the preview of schedules, and saving. Saving spans two modules in one transaction:
 * the directory's `editProgram` (its rules and its audit event) with the events module's
 * `syncOccurrences` run inside it, so the program's dated sessions follow its schedules.
 */
import { syncOccurrences } from '../events';
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { blankSchedule, editProgram, fieldsOf, isOwnProgram, locationsOf, organizationForStaff, previewDates, laterHolidaySkips, programChoices, readProgram, scheduleFrom, type ProgramValues, type ScheduleFields } from '../directory';
import { runIn, type OrganizationScope, type Tx } from '../scope';
import { todayInTokyo } from '../clock';
import { formatDay, formatDayFull, scheduleInWords, translatorFor } from '../present';
import type { Locale } from '$lib/i18n';

export interface SchedulePreview {
	words: string;
	dates: Array<{ label: string; skippedFor: string | null; excluded: boolean }>;
	/** Holidays skipped later in the coming year (beyond `dates`). */
	later: Array<{ label: string; name: string }>;
}

/** The rule in words and the next dates, for every schedule row that is complete. */
export function previewsOf(rows: ScheduleFields[], locale: Locale): Array<SchedulePreview | null> {
	const t = translatorFor(locale);
	const today = todayInTokyo();
	return rows.map((row) => {
		const parsed = scheduleFrom(row);
		if (!parsed.ok || !parsed.value.rrule) return null;
		const s = parsed.value;
		const dates = previewDates(s, today);
		return {
			words: scheduleInWords(t, { rrule: s.rrule, opensAt: s.opensAt, closesAt: s.closesAt, closedOnHolidays: s.closedOnHolidays, until: s.until ?? null, count: null, note: s.note }),
			dates: dates.map((d) => ({
				label: formatDay(t, d.day) + (d.opensAt ? ` ${d.opensAt.replace(/^0/, '')}${d.closesAt ? '–' + d.closesAt.replace(/^0/, '') : ''}` : ''),
				skippedFor: d.skippedFor,
				excluded: d.excluded
			})),
			later: laterHolidaySkips(s, today, dates).map((d) => ({ label: formatDayFull(t, d.day), name: d.name }))
		};
	});
}

/** The organisation, its places and the form's choices, in the page's transaction (404 for no such organisation). */
export async function formContext(tx: Tx<'organization'>, scope: OrganizationScope, locale: Locale) {
	const org = await organizationForStaff(tx, scope.organizationId);
	if (!org) error(404, 'Not Found');
	const places = await locationsOf(tx, scope.organizationId);
	return { organization: { id: org.id, name: org.name, published: org.published }, places: places.map((p) => ({ id: p.id, name: p.name })), choices: programChoices(locale) };
}

/**
 * The form's schedule rows: one empty row when there are none (most programs have one schedule),
 * and another when staff press 「日程を追加する」.
 */
export function withBlankRow(values: ProgramValues, add = false): ProgramValues {
	if (!add && values.schedules.length > 0) return values;
	return { ...values, schedules: [...values.schedules, blankSchedule(todayInTokyo())] };
}

export { fieldsOf };

/** `?/preview` and `?/save` of both pages; `programId` null creates a draft. */
export async function submitProgram(event: RequestEvent, programId: string | null, scope: OrganizationScope, mode: 'preview' | 'save') {
	const { organizationId } = scope;
	// Another organisation's program (or an unknown organisation) is not found, whatever the body
	// says and even for a preview that would save nothing.
	const exists = await runIn(scope, async (tx) => (programId ? isOwnProgram(tx, organizationId, programId) : !!(await organizationForStaff(tx, organizationId))));
	if (!exists) error(404, 'Not Found');
	const form = await event.request.formData();
	const parsed = readProgram(form);
	const previews = previewsOf(parsed.values.schedules, event.locals.locale);
	const adding = mode === 'preview' && form.has('addSchedule');
	const shown = { values: withBlankRow(parsed.values, adding), errors: parsed.ok ? {} : parsed.errors, scheduleErrors: parsed.scheduleErrors, previews };
	// Adding a row is not a request to check the rest of a half-filled form.
	if (adding) return { ...shown, errors: {} };
	if (!parsed.ok) return fail(400, shown);
	// A preview saves nothing: the form comes back with the rules in words and their next dates.
	if (mode === 'preview') return shown;
	const today = todayInTokyo();
	// The program's dated sessions follow its schedules (single changes by staff are kept).
	const saved = await editProgram(scope, { programId, ...parsed.value, today }, (tx, id) => syncOccurrences(tx, today, [id]).then(() => undefined));
	if (!saved.ok && saved.reason === 'not_found') error(404, 'Not Found');
	if (!saved.ok) return fail(400, { ...shown, errors: { locationIds: 'staff.error.choice' } });
	redirect(303, `/staff/orgs/${organizationId}/programs/${saved.value.programId}?done=saved`);
}
