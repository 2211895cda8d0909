/**
 * What the two program pages (/staff/orgs/[orgId]/programs/new and …/[programId]) share: the
 * form's data, the preview of schedules, and saving. Saving spans two modules in one transaction:
 * the directory's `editProgram` (its rules and its audit event) with the events module's
 * `syncOccurrences` run inside it, so the program's dated sessions follow its schedules.
 */
import { copyRegistrationDefaults, nextOccurrencesOfProgram, overlapsFor, syncOccurrences } from '../events';
import { uuid } from '../boundary';
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import {
	addDays,
	blankSchedule,
	editProgram,
	emptyProgramValues,
	fieldsOf,
	isOwnProgram,
	label,
	locationsOf,
	organizationForStaff,
	previewDates,
	laterHolidaySkips,
	programChoices,
	programForStaff,
	programValuesOf,
	readProgram,
	scheduleFrom,
	type ProgramValues,
	type ScheduleFields
} from '../directory';
import { runIn, type OrganizationScope, type Tx } from '../scope';
import { todayInTokyo } from '../clock';
import { formatDay, formatDayFull, formatOccurrence, scheduleInWords, translatorFor } from '../present';
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
 * The new-program page, blank or copied from one of the organisation's own programs (`from`):
 * the copy fills the form with its content, places and schedules under a new name; nothing is
 * saved until staff save a draft. An id that is not the organisation's gives the blank form.
 */
export async function newProgramPage(scope: OrganizationScope, input: { from: string | null; locale: Locale }) {
	return runIn(scope, async (tx) => {
		const context = await formContext(tx, scope, input.locale);
		const source = input.from ? await programForStaff(tx, scope.organizationId, input.from) : null;
		if (!source) {
			// One place only: it is the place, checked from the start.
			const values = emptyProgramValues();
			if (context.places.length === 1) values.locationIds = [context.places[0].id];
			return { ...context, values: withBlankRow(values), copiedFrom: null };
		}
		const t = translatorFor(input.locale);
		const values = programValuesOf({ ...source.input, title: t('staff.program.copyTitle', { title: source.input.title }) }, source.locationIds, source.input.schedules.map(fieldsOf));
		return { ...context, values: withBlankRow(values), copiedFrom: { id: source.id, title: source.input.title } };
	});
}

/**
 * A program's page: the form, the dates its schedules made and clashes with programs for the same
 * people, read in one transaction across the directory and the events module (404 when the
 * program is not the organisation's).
 */
export async function programPage(scope: OrganizationScope, input: { programId: string; locale: Locale }) {
	const { programId, locale } = input;
	return runIn(scope, async (tx) => {
		const program = await programForStaff(tx, scope.organizationId, programId);
		if (!program) error(404, 'Not Found');
		const context = await formContext(tx, scope, locale);
		const rows = program.input.schedules.map(fieldsOf);
		const t = translatorFor(locale);
		const today = todayInTokyo();
		const [dates, overlaps] = await Promise.all([nextOccurrencesOfProgram(tx, programId, new Date(), 6), overlapsFor(tx, programId, today, addDays(today, 90))]);
		return {
			...context,
			program: { id: program.id, title: program.input.title, published: program.published },
			values: withBlankRow(programValuesOf(program.input, program.locationIds, rows)),
			previews: previewsOf(rows, locale),
			dates: dates.map((o) => ({ id: o.id, text: formatOccurrence(t, o.startsAt, o.endsAt, o.allDay), cancelled: o.status === 'cancelled' })),
			overlaps: overlaps.map((o) => ({
				key: `${o.occurrenceId}-${o.other.id}`,
				text: `${formatOccurrence(t, o.other.startsAt, o.other.endsAt, o.other.allDay)} ${o.other.title}(${o.other.organizationName})— ${o.lifeStages.map((s) => label('lifeStages', s, locale)).join('・')}`
			}))
		};
	});
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
	// A copy (new program, `copyOf` one of the organisation's own) also takes its registration
	// defaults and questions, once its dates exist; the form keeps carrying it until saved.
	const copyOf = programId === null ? uuid.safeParse(form.get('copyOf') ?? '') : null;
	const shown = { values: withBlankRow(parsed.values, adding), errors: parsed.ok ? {} : parsed.errors, scheduleErrors: parsed.scheduleErrors, previews, copyOf: copyOf?.success ? copyOf.data : null };
	// Adding a row is not a request to check the rest of a half-filled form.
	if (adding) return { ...shown, errors: {} };
	if (!parsed.ok) return fail(400, shown);
	// A preview saves nothing: the form comes back with the rules in words and their next dates.
	if (mode === 'preview') return shown;
	const today = todayInTokyo();
	// The program's dated sessions follow its schedules (single changes by staff are kept).
	const saved = await editProgram(scope, { programId, ...parsed.value, today }, async (tx, id) => {
		await syncOccurrences(tx, today, [id]);
		if (copyOf?.success) await copyRegistrationDefaults(tx, scope, { fromProgramId: copyOf.data, toProgramId: id, today });
	});
	if (!saved.ok && saved.reason === 'not_found') error(404, 'Not Found');
	if (!saved.ok) return fail(400, { ...shown, errors: { locationIds: 'staff.error.choice' } });
	redirect(303, `/staff/orgs/${organizationId}/programs/${saved.value.programId}?done=saved`);
}
