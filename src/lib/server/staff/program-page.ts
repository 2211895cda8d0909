/**
 * What the two program pages (/staff/orgs/[orgId]/programs/new and …/[programId]) share: the
 * form's data, the preview of schedules, and saving with its audit event.
 */
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import {
	blankSchedule,
	fieldsOf,
	locationsOf,
	organizationForStaff,
	previewDates,
	programChoices,
	readProgram,
	saveProgram,
	scheduleFrom,
	type ProgramValues,
	type ScheduleFields
} from '../directory';
import { actorDb, auditOrigin, requireOrganization } from '../auth/guard';
import { recordAudit } from '../audit';
import { todayInTokyo } from '../runtime';
import { formatDay, scheduleInWords, translatorFor } from '../present';
import type { Db } from '../db';
import type { Locale } from '$lib/i18n';

export interface SchedulePreview {
	words: string;
	dates: Array<{ label: string; skippedFor: string | null; excluded: boolean }>;
}

/** The rule in words and the next dates, for every schedule row that is complete. */
export function previewsOf(rows: ScheduleFields[], locale: Locale): Array<SchedulePreview | null> {
	const t = translatorFor(locale);
	const today = todayInTokyo();
	return rows.map((row) => {
		const parsed = scheduleFrom(row);
		if (!parsed.ok || !parsed.value.rrule) return null;
		const s = parsed.value;
		return {
			words: scheduleInWords(t, { rrule: s.rrule, opensAt: s.opensAt, closesAt: s.closesAt, closedOnHolidays: s.closedOnHolidays, until: s.until ?? null, count: null, note: s.note }),
			dates: previewDates(s, today).map((d) => ({
				label: formatDay(t, d.day) + (d.opensAt ? ` ${d.opensAt.replace(/^0/, '')}${d.closesAt ? '–' + d.closesAt.replace(/^0/, '') : ''}` : ''),
				skippedFor: d.skippedFor,
				excluded: d.excluded
			}))
		};
	});
}

export async function formContext(tx: Db, organizationId: string, locale: Locale) {
	const org = await organizationForStaff(tx, organizationId);
	if (!org) error(404, 'Not Found');
	const places = await locationsOf(tx, organizationId);
	return { organization: { id: org.id, name: org.name }, places: places.map((p) => ({ id: p.id, name: p.name })), choices: programChoices(locale) };
}

/** The form's schedule rows plus one empty row to add a schedule. */
export function withBlankRow(values: ProgramValues): ProgramValues {
	return { ...values, schedules: [...values.schedules, blankSchedule(todayInTokyo())] };
}

export { fieldsOf };

type Event = RequestEvent<{ orgId: string; programId?: string }>;

/** `?/preview` and `?/save` of both pages; `programId` null creates a draft. */
export async function submitProgram(event: Event, programId: string | null, mode: 'preview' | 'save') {
	const { organizationId } = requireOrganization(event, 'directory.edit');
	const parsed = readProgram(await event.request.formData());
	const previews = previewsOf(parsed.values.schedules, event.locals.locale);
	if (mode === 'preview') return { values: withBlankRow(parsed.values), errors: parsed.ok ? {} : parsed.errors, scheduleErrors: parsed.scheduleErrors, previews, previewed: true };
	if (!parsed.ok) return fail(400, { values: withBlankRow(parsed.values), errors: parsed.errors, scheduleErrors: parsed.scheduleErrors, previews, previewed: false });
	const result = await actorDb(event, async (tx) => {
		const saved = await saveProgram(tx, organizationId, programId, parsed.value.edit, parsed.value.locationIds, todayInTokyo());
		if (saved.outcome === 'saved' && saved.changed.length) {
			await recordAudit(tx, auditOrigin(event), { action: programId ? 'program.update' : 'program.create', organizationId, entityType: 'program', entityId: saved.programId, changedFields: saved.changed });
		}
		return saved;
	});
	if (result.outcome === 'not_found') error(404, 'Not Found');
	if (result.outcome === 'foreign_location') {
		return fail(400, { values: withBlankRow(parsed.values), errors: { locationIds: 'staff.error.choice' }, scheduleErrors: parsed.scheduleErrors, previews, previewed: false });
	}
	redirect(303, `/staff/orgs/${organizationId}/programs/${result.programId}?done=saved`);
}
