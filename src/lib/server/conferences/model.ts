/**
 * What the case conference forms and operations accept: zod schemas for every input, each issue
 * carrying the i18n key of its message (the page shows it beside the field). Times are typed as a
 * Tokyo day and wall-clock times and stored as instants.
 */
import { z } from 'zod';
import { zonedInstant } from '../directory';
import { fieldErrors, isDayInRange, uuid } from '../boundary';

export const TITLE_MAX = 120;
export const AGENDA_MAX = 4000;
export const RECORD_MAX = 20000;
export const ACTION_MAX = 1000;
export const PARTICIPANTS_MAX = 30;

export type ConferenceErrorKey =
	| 'conferences.error.title'
	| 'conferences.error.agenda'
	| 'conferences.error.day'
	| 'conferences.error.time'
	| 'conferences.error.endBeforeStart'
	| 'conferences.error.participants'
	| 'conferences.error.summary'
	| 'conferences.error.minutes'
	| 'conferences.error.description'
	| 'conferences.error.assignee'
	| 'conferences.error.dueOn';
export type ConferenceFieldErrors = Partial<Record<string, ConferenceErrorKey>>;

const key = (k: ConferenceErrorKey) => ({ error: k });
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export const participantSchema = z.object({ userId: uuid, organizationId: uuid });
export type Participant = z.infer<typeof participantSchema>;

const participants = z.array(participantSchema, key('conferences.error.participants')).max(PARTICIPANTS_MAX, key('conferences.error.participants'));
const title = z.string(key('conferences.error.title')).trim().min(1, key('conferences.error.title')).max(TITLE_MAX, key('conferences.error.title'));
const agenda = z.string(key('conferences.error.agenda')).trim().max(AGENDA_MAX, key('conferences.error.agenda'));
const window = { startsAt: z.date(), endsAt: z.date() };
const endsAfterStart = (v: { startsAt: Date; endsAt: Date }) => v.endsAt.getTime() > v.startsAt.getTime();

/** createConference's input: a title without names, the agenda, the window, who takes part. */
export const conferenceInput = z.object({ title, agenda, ...window, participants }).refine(endsAfterStart, { ...key('conferences.error.endBeforeStart'), path: ['end'] });
export type ConferenceInput = z.infer<typeof conferenceInput>;

export const editInput = z.object({ conferenceId: uuid, title, agenda, ...window }).refine(endsAfterStart, { ...key('conferences.error.endBeforeStart'), path: ['end'] });
export type EditInput = z.infer<typeof editInput>;

export const participantsInput = z.object({ conferenceId: uuid, participants: participants.min(1, key('conferences.error.participants')) });

export const recordInput = z.object({
	conferenceId: uuid,
	summary: z.string(key('conferences.error.summary')).trim().max(RECORD_MAX, key('conferences.error.summary')),
	minutes: z.string(key('conferences.error.minutes')).trim().max(RECORD_MAX, key('conferences.error.minutes'))
});
export type RecordInput = z.infer<typeof recordInput>;

export const actionInput = z.object({
	conferenceId: uuid,
	description: z.string(key('conferences.error.description')).trim().min(1, key('conferences.error.description')).max(ACTION_MAX, key('conferences.error.description')),
	assigneeUserId: z.string().refine((v) => uuid.safeParse(v).success, key('conferences.error.assignee')),
	dueOn: z.string().refine(isDayInRange, key('conferences.error.dueOn'))
});
export type ActionInput = z.infer<typeof actionInput>;

// ── the forms ─────────────────────────────────────────────────────────────────────────────────

const text = (form: FormData, name: string) => String(form.get(name) ?? '');

/** Checkbox values `<organisation id>:<user id>`; anything else makes the field wrong. */
function participantsOf(form: FormData): Participant[] | null {
	const out: Participant[] = [];
	for (const value of form.getAll('participant')) {
		const [organizationId, userId, extra] = String(value).split(':');
		const parsed = participantSchema.safeParse({ organizationId, userId });
		if (!parsed.success || extra !== undefined) return null;
		out.push(parsed.data);
	}
	return out;
}

const windowForm = z
	.object({
		day: z.string().refine(isDayInRange, key('conferences.error.day')),
		start: z.string().regex(TIME, key('conferences.error.time')),
		end: z.string().regex(TIME, key('conferences.error.time'))
	})
	.refine((v) => v.end > v.start, { ...key('conferences.error.endBeforeStart'), path: ['end'] });

export interface FormValues {
	title: string;
	agenda: string;
	day: string;
	start: string;
	end: string;
}

type Parsed<T> = { ok: true; value: T; values: FormValues } | { ok: false; values: FormValues; errors: ConferenceFieldErrors };

/** The conference form (new, or the owner's edit): title, agenda, a Tokyo day with start and end, and — when `withParticipants` — the checked participants. */
export function readConferenceForm(form: FormData, withParticipants: boolean): Parsed<{ title: string; agenda: string; startsAt: Date; endsAt: Date; participants: Participant[] }> {
	const values: FormValues = { title: text(form, 'title'), agenda: text(form, 'agenda'), day: text(form, 'day').trim(), start: text(form, 'start').trim(), end: text(form, 'end').trim() };
	const errors: ConferenceFieldErrors = {};
	const when = windowForm.safeParse(values);
	if (!when.success) Object.assign(errors, fieldErrors<ConferenceFieldErrors>(when.error));
	const head = z.object({ title, agenda }).safeParse(values);
	if (!head.success) Object.assign(errors, fieldErrors<ConferenceFieldErrors>(head.error));
	const chosen = withParticipants ? participantsOf(form) : [];
	if (chosen === null || chosen.length > PARTICIPANTS_MAX) errors.participants = 'conferences.error.participants';
	if (!when.success || !head.success || chosen === null || Object.keys(errors).length > 0) return { ok: false, values, errors };
	return { ok: true, values, value: { title: head.data.title, agenda: head.data.agenda, startsAt: zonedInstant(when.data.day, when.data.start), endsAt: zonedInstant(when.data.day, when.data.end), participants: chosen } };
}

/** The owner's participants form: the checked people (at least one). */
export function readParticipantsForm(form: FormData): Participant[] | null {
	const chosen = participantsOf(form);
	return chosen && chosen.length > 0 && chosen.length <= PARTICIPANTS_MAX ? chosen : null;
}

const TOKYO = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** A Tokyo day and `HH:MM` of an instant, as the forms hold them. */
export function tokyoWallClock(at: Date): { day: string; time: string } {
	const part = Object.fromEntries(TOKYO.formatToParts(at).map((p) => [p.type, p.value]));
	return { day: `${part.year}-${part.month}-${part.day}`, time: `${part.hour}:${part.minute}` };
}

/** The owner's edit form filled with the conference as it is. */
export function formValuesOf(c: { title: string; agenda: string | null; startsAt: Date; endsAt: Date }): FormValues {
	const start = tokyoWallClock(c.startsAt);
	return { title: c.title, agenda: c.agenda ?? '', day: start.day, start: start.time, end: tokyoWallClock(c.endsAt).time };
}
