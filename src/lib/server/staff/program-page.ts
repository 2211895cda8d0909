/**
 * What the two program pages (/staff/orgs/[orgId]/programs/new and …/[programId]) share: the
 * form's data, the preview of schedules, and saving with its audit event.
 */
import { syncOccurrences } from '../events';
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { blankSchedule, fieldsOf, isOwnProgram, locationsOf, organizationForStaff, previewDates, laterHolidaySkips, programChoices, readProgram, saveProgram, scheduleFrom, setProgramPublished, type ProgramValues, type ScheduleFields } from '../directory';
import { actorDb, auditOrigin, requireOrganization } from '../auth/guard';
import { recordAudit } from '../audit';
import { runIn } from '../scope';
import { todayInTokyo } from '../runtime';
import { formatDay, formatDayFull, scheduleInWords, translatorFor } from '../present';
import type { Db } from '../db';
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

export async function formContext(tx: Db, organizationId: string, locale: Locale) {
	const org = await organizationForStaff(tx, organizationId);
	if (!org) error(404, 'Not Found');
	const places = await locationsOf(tx, organizationId);
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

type Event = RequestEvent<{ orgId: string; programId?: string }>;

/** `?/preview` and `?/save` of both pages; `programId` null creates a draft. */
export async function submitProgram(event: Event, programId: string | null, mode: 'preview' | 'save') {
	const scope = requireOrganization(event, 'directory.edit');
	const { organizationId } = scope;
	// Another organisation's program (or an unknown organisation) is not found, whatever the body
	// says and even for a preview that would save nothing.
	const exists = await actorDb(event, async (tx) => (programId ? isOwnProgram(tx, organizationId, programId) : !!(await organizationForStaff(tx, organizationId))));
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
	// In the organisation's context: syncing the program's dates sees their registrations.
	const result = await runIn(scope, async (tx) => {
		const today = todayInTokyo();
		const saved = await saveProgram(tx, organizationId, programId, parsed.value.edit, parsed.value.locationIds, today);
		// The program's dated sessions follow its schedules (single changes by staff are kept).
		if (saved.outcome === 'saved') await syncOccurrences(tx, today, [saved.programId]);
		if (saved.outcome === 'saved' && saved.changed.length) {
			await recordAudit(tx, auditOrigin(event), { action: programId ? 'program.update' : 'program.create', organizationId, entityType: 'program', entityId: saved.programId, changedFields: saved.changed });
		}
		return saved;
	});
	if (result.outcome === 'not_found') error(404, 'Not Found');
	if (result.outcome === 'foreign_location') {
		return fail(400, { ...shown, errors: { locationIds: 'staff.error.choice' } });
	}
	redirect(303, `/staff/orgs/${organizationId}/programs/${result.programId}?done=saved`);
}

/**
 * Publish or unpublish one of the organisation's programs, with its audit event; 404 for another
 * organisation's id. The secretariat reaches every organisation's programs this way.
 */
export async function publishProgram(event: RequestEvent, organizationId: string, programId: string, published: boolean): Promise<void> {
	const ok = await actorDb(event, async (tx) => {
		const done = await setProgramPublished(tx, organizationId, programId, published);
		if (done) await recordAudit(tx, auditOrigin(event), { action: published ? 'program.publish' : 'program.unpublish', organizationId, entityType: 'program', entityId: programId, changedFields: ['published'] });
		return done;
	});
	if (!ok) error(404, 'Not Found');
}
