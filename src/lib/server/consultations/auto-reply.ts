/**
 * The rule-based first reply: an organisation may have its person's first message of a new thread
 * (web form, JSON API, LINE — never a staff entry, where the person was already talked to) answered
 * at once with "what happens next", one text within its opening hours and another outside them
 * (Asia/Tokyo wall-clock time; national holidays closed when asked, from @holiday-jp/holiday_jp
 * through the directory's `holidayName`). The setting is `consultation_settings.auto_reply` (null:
 * none), checked by `autoReplySchema`.
 *
 * An urgent thread gets no first reply: the person was just shown the hotlines, and an office-hours
 * text ("we answer within one working day") right after them could read as "nobody is there" —
 * the hotlines and the on-call counsellor's alert are that thread's answer (docs/consultation-replies.md).
 *
 * The first reply is the system's message (author `system`): it is not a counsellor's answer, so
 * the thread stays `new` and unanswered and its time to first answer is untouched.
 *
 * This file also holds the replies page's settings (the first reply and the drafting toggle):
 * reading them, and saving them as an upsert of those columns only — escalation minutes in the
 * same row belong to the alerts' settings and are never written here.
 */
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit, type AuditOrigin } from '../audit';
import { holidayName } from '../directory';
import { runIn, type OrganizationScope, type Tx } from '../scope';
import { appendMessage, THREAD_ENTITY } from './intake';
import { consultationSettings } from './schema';
import { llmEndpoint } from './drafts';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const AUTO_REPLY_MAX = 500;

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'consultReplies.error.time');

/** One weekday's hours: closed, or open from `start` to `end` (end after start, the same day). */
const dayHours = z.discriminatedUnion('open', [z.object({ open: z.literal(false) }), z.object({ open: z.literal(true), start: time, end: time }).refine((d) => d.start < d.end, { message: 'consultReplies.error.order', path: ['end'] })]);
export type DayHours = z.infer<typeof dayHours>;

const replyText = z.string().trim().max(AUTO_REPLY_MAX, 'consultReplies.error.textLong');

/** The stored shape of `auto_reply`. A switched-off reply keeps its texts and hours for next time. */
export const autoReplySchema = z
	.object({
		enabled: z.boolean(),
		hours: z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, dayHours])) as Record<Weekday, typeof dayHours>),
		closedOnHolidays: z.boolean(),
		withinHours: replyText,
		outsideHours: replyText
	})
	.superRefine((v, ctx) => {
		if (!v.enabled) return;
		if (!v.withinHours) ctx.addIssue({ code: 'custom', message: 'consultReplies.error.text', path: ['withinHours'] });
		if (!v.outsideHours) ctx.addIssue({ code: 'custom', message: 'consultReplies.error.text', path: ['outsideHours'] });
	});
export type AutoReply = z.infer<typeof autoReplySchema>;

/** What the form shows before anything was saved (switched off): 月〜金 10:00–17:00, holidays closed. */
export function defaultAutoReply(texts: { withinHours: string; outsideHours: string }): AutoReply {
	const weekday: DayHours = { open: true, start: '10:00', end: '17:00' };
	return { enabled: false, hours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: { open: false }, sun: { open: false } }, closedOnHolidays: true, ...texts };
}

/** Japan has one time zone and no daylight saving: Tokyo's wall clock is UTC+9 all year. */
const TOKYO_OFFSET_MS = 9 * 60 * 60 * 1000;

/** The Tokyo day, weekday and HH:MM of an instant (independent of the process's TZ). */
export function tokyoWallClock(at: Date): { day: string; weekday: Weekday; time: string } {
	const local = new Date(at.getTime() + TOKYO_OFFSET_MS);
	const iso = local.toISOString();
	// getUTCDay: 0 = Sunday.
	return { day: iso.slice(0, 10), weekday: WEEKDAYS[(local.getUTCDay() + 6) % 7], time: iso.slice(11, 16) };
}

export type FirstReply = { within: boolean; holiday: string | null; text: string };

/**
 * Which text a person's first message at `at` gets, or null when the first reply is off. Open from
 * `start` (inclusive) to `end` (exclusive); a national holiday is outside hours when
 * `closedOnHolidays`.
 */
export function firstReplyAt(setting: AutoReply | null, at: Date): FirstReply | null {
	if (!setting?.enabled) return null;
	const clock = tokyoWallClock(at);
	const holiday = holidayName(clock.day);
	const hours = setting.hours[clock.weekday];
	const within = !(holiday && setting.closedOnHolidays) && hours.open && hours.start <= clock.time && clock.time < hours.end;
	return { within, holiday, text: within ? setting.withinHours : setting.outsideHours };
}

/** A stored value that no longer parses (hand-edited, an older shape) is treated as off, never half-read. */
function storedAutoReply(value: unknown): AutoReply | null {
	if (value === null || value === undefined) return null;
	const parsed = autoReplySchema.safeParse(value);
	return parsed.success ? parsed.data : null;
}

async function settingsRow(tx: Tx, organizationId: string) {
	const [row] = await tx.select({ autoReply: consultationSettings.autoReply, draftAssist: consultationSettings.draftAssist, updatedAt: consultationSettings.updatedAt }).from(consultationSettings).where(eq(consultationSettings.organizationId, organizationId));
	return row ?? null;
}

/**
 * The text of the first reply to a new thread's first message, or null (off, or an urgent thread).
 * For LINE, whose acknowledgement it replaces in the same reply (line/webhook.ts).
 */
export async function firstReplyText(tx: Tx<'system'>, thread: { organizationId: string; urgent: boolean }, at: Date = new Date()): Promise<string | null> {
	if (thread.urgent) return null;
	const row = await settingsRow(tx, thread.organizationId);
	return firstReplyAt(storedAutoReply(row?.autoReply), at)?.text ?? null;
}

/**
 * The web's first reply (form and API, intake.ts): appended to the new thread as the system's
 * message, which the person reads through their private link. Recorded (`consultation.auto_reply`).
 */
export async function sendFirstReply(tx: Tx<'system'>, origin: AuditOrigin, thread: { id: string; organizationId: string; urgent: boolean }, at: Date = new Date()): Promise<string | null> {
	const text = await firstReplyText(tx, thread, at);
	if (!text) return null;
	await appendMessage(tx, thread, { author: 'system', authorUserId: null, body: text, urgent: false });
	await recordAudit(tx, origin, { action: 'consultation.auto_reply', organizationId: thread.organizationId, entityType: THREAD_ENTITY, entityId: thread.id });
	return text;
}

export interface ReplySettings {
	/** The stored first reply, or null when none was ever saved (or it no longer parses). */
	autoReply: AutoReply | null;
	draftAssist: boolean;
	/** Whether an OpenAI-compatible endpoint is configured (LLM_API_BASE, LLM_MODEL). */
	endpointConfigured: boolean;
	updatedAt: Date | null;
}

export async function replySettings(scope: OrganizationScope): Promise<ReplySettings> {
	return runIn(scope, async (tx) => {
		const row = await settingsRow(tx, scope.organizationId);
		return { autoReply: storedAutoReply(row?.autoReply), draftAssist: row?.draftAssist ?? false, endpointConfigured: llmEndpoint() !== null, updatedAt: row?.updatedAt ?? null };
	});
}

export const SETTINGS_ENTITY = 'consultation_settings';

/**
 * Save the first reply, and the drafting toggle when given (undefined: left as it is — the toggle
 * cannot be changed while no endpoint is configured). Upserts only these columns and who changed
 * them; recorded with the fields that changed (`consultation.settings_replies`), never the texts.
 */
export async function saveReplySettings(scope: OrganizationScope, input: { autoReply: AutoReply; draftAssist?: boolean }): Promise<void> {
	const autoReply = autoReplySchema.parse(input.autoReply);
	await runIn(scope, async (tx) => {
		const before = await settingsRow(tx, scope.organizationId);
		const draftAssist = input.draftAssist ?? before?.draftAssist ?? false;
		const set = { autoReply, draftAssist, updatedAt: sql`now()`, updatedBy: scope.actor.userId };
		await tx
			.insert(consultationSettings)
			.values({ organizationId: scope.organizationId, ...set })
			.onConflictDoUpdate({ target: consultationSettings.organizationId, set });
		const changedFields = [...(JSON.stringify(storedAutoReply(before?.autoReply)) !== JSON.stringify(autoReply) ? ['auto_reply'] : []), ...((before?.draftAssist ?? false) !== draftAssist ? ['draft_assist'] : [])];
		await recordAudit(tx, scope.origin, { action: 'consultation.settings_replies', organizationId: scope.organizationId, entityType: SETTINGS_ENTITY, entityId: scope.organizationId, changedFields });
	});
}

/**
 * LINE's form of the first reply: the texts of the one answer to the message (replacing the plain
 * acknowledgement), or null for the acknowledgement. Recorded (`consultation.auto_reply`); how it was
 * delivered is recorded on the message by the webhook, like every LINE answer.
 */
export async function firstReplyTexts(tx: Tx<'system'>, origin: AuditOrigin, thread: { id: string; organizationId: string; urgent: boolean }, at: Date = new Date()): Promise<string[] | null> {
	const text = await firstReplyText(tx, thread, at);
	if (!text) return null;
	await recordAudit(tx, origin, { action: 'consultation.auto_reply', organizationId: thread.organizationId, entityType: THREAD_ENTITY, entityId: thread.id });
	return [text];
}

/** The replies page's form fields: `enabled`, `open_<day>`, `start_<day>`, `end_<day>`, `closedOnHolidays`, the two texts, `draftAssist` (checkboxes send `on`). */
export function autoReplyFromForm(form: FormData): { autoReply: unknown; draftAssist: boolean } {
	const text = (name: string) => String(form.get(name) ?? '');
	const checked = (name: string) => form.get(name) !== null;
	const hours = Object.fromEntries(WEEKDAYS.map((d) => [d, checked(`open_${d}`) ? { open: true, start: text(`start_${d}`).trim(), end: text(`end_${d}`).trim() } : { open: false }]));
	return { autoReply: { enabled: checked('enabled'), hours, closedOnHolidays: checked('closedOnHolidays'), withinHours: text('withinHours'), outsideHours: text('outsideHours') }, draftAssist: checked('draftAssist') };
}

/** Zod's issues as the form's field names (`hours.mon.end` → `end_mon`), the first message of each. */
export function autoReplyErrors(error: z.ZodError): Record<string, string> {
	const errors: Record<string, string> = {};
	for (const issue of error.issues) {
		const [first, day, part] = issue.path.map(String);
		const field = first === 'hours' ? `${part ?? 'start'}_${day}` : first;
		errors[field] ??= issue.message;
	}
	return errors;
}
