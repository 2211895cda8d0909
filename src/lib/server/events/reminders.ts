/**
 * The day-before reminder: registered people whose date is tomorrow (in Tokyo, from 8:00 today) or
 * later today, and who have not been reminded, by e-mail, LINE (linked) and SMS (a mobile number, a provider configured),
 * each recorded as a `reminder` notice (notices.ts).
 *
 * Each registration is claimed and mailed in its own transaction: `UPDATE … WHERE reminded_at IS
 * NULL RETURNING` marks it (a second run in another process waits on the row and then finds it
 * marked, so it never sends twice), the mail is handed to SMTP or the outbox, and only then does
 * the mark commit. A process that dies before the commit leaves the registration unmarked, and
 * the next run sends it: no reminder is lost, at the cost of a possible second copy when the
 * process died in the instant between the mail going out and the commit. A failed send rolls the
 * mark back too, so it is tried again at the next run (until the date starts). LINE and SMS go in
 * the same transaction after the mail; their failure is recorded on the notice, not retried.
 */
import { and, eq, gt, isNotNull, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { runIn, type SystemScope } from '../scope';
import { translate } from '$lib/i18n';
import { sendMail } from '../mail';
import { log } from '../log';
import { calendarEntry, type CalendarEntry } from './calendar';
import { occurrences, registrationNotices, registrations } from './schema';
import { aboutOf, whenOf } from './registration-mail';
import { todayInTokyo } from '../clock';
import { addDays } from '../directory';
import { tokyoTime } from './feed';
import { claimNotices, deliver, recipientOf, type NoticeMessage } from './notices';
import { smsSender } from './notice-senders';

/** 「本日」 or 「明日」 as seen at `now` in Tokyo (a retry on the day says 本日, not a stale 明日). */
function dayWord(entry: Pick<CalendarEntry, 'day'>, now: Date): string {
	return translate('ja', entry.day === todayInTokyo(now) ? 'notice.day.today' : 'notice.day.tomorrow');
}

export function reminderMessage(entry: CalendarEntry, now = new Date()): NoticeMessage {
	const title = entry.title;
	const when = whenOf(entry);
	const day = dayWord(entry, now);
	const place = entry.placeName ? translate('ja', 'notice.placeShort', { place: entry.placeName }) : '';
	return {
		subject: translate('ja', 'registration.mail.reminderSubject', { title, day }),
		text: translate('ja', 'registration.mail.reminderBody', { title, when, day, about: aboutOf(entry) }),
		short: translate('ja', 'notice.reminder.short', { title, when, day, place })
	};
}

/** Reminders for tomorrow's dates go from this hour (Tokyo) today: not in the night, and the day before a morning date, not two. */
const FROM_HOUR = 8;

/** The last Tokyo day whose dates are reminded at `now`: tomorrow from 8:00, today before. */
function lastDayDue(now: Date): string {
	const { day, time } = tokyoTime(now);
	return Number(time.slice(0, 2)) < FROM_HOUR ? day : addDays(day, 1);
}

/** Registered, not yet reminded, reachable (e-mail, LINE linked, or a phone while SMS is configured), the date still ahead and due (`lastDayDue`). */
function due(now: Date, sms = smsSender() !== null): SQL {
	return and(
		eq(registrations.status, 'registered'),
		or(eq(registrations.contactKind, 'email'), isNotNull(registrations.lineRecipientSealed), sms ? eq(registrations.contactKind, 'phone') : sql`false`),
		isNull(registrations.remindedAt),
		sql`${registrations.occurrenceId} in (select ${occurrences.id} from ${occurrences} where ${occurrences.status} = 'scheduled' and ${gt(occurrences.startsAt, now)} and ${lte(occurrences.day, lastDayDue(now))})`
	)!;
}

/** Send the reminders now due; returns how many went out. A platform job: every organisation's registrations. */
export async function sendDueReminders(scope: SystemScope, now = new Date()): Promise<number> {
	const candidates = await runIn(scope, (tx) => tx.select({ id: registrations.id, occurrenceId: registrations.occurrenceId }).from(registrations).where(due(now)));
	const entries = new Map<string, CalendarEntry | null>();
	let sent = 0;
	for (const candidate of candidates) {
		if (!entries.has(candidate.occurrenceId)) entries.set(candidate.occurrenceId, await runIn(scope, (tx) => calendarEntry(tx, candidate.occurrenceId)));
		const entry = entries.get(candidate.occurrenceId);
		if (!entry) continue;
		try {
			const mailed = await runIn(scope, async (tx) => {
				const [claimed] = await tx
					.update(registrations)
					.set({ remindedAt: now })
					.where(and(eq(registrations.id, candidate.id), due(now)))
					.returning();
				if (!claimed) return false; // another run took it meanwhile, or it was cancelled
				const deliveries = await claimNotices(tx, 'reminder', '', [await recipientOf(tx, claimed)], () => reminderMessage(entry, now));
				// The mail first: its failure (thrown) rolls everything back, to be tried at the next run.
				for (const d of deliveries.filter((d) => d.channel === 'email')) await sendMail({ to: d.to, subject: d.message.subject, text: d.message.text });
				for (const d of deliveries.filter((d) => d.channel !== 'email')) {
					const sent = await deliver(d);
					if (!sent.ok) await tx.update(registrationNotices).set({ outcome: 'failed' }).where(eq(registrationNotices.id, d.noticeId));
				}
				return deliveries.length > 0;
			});
			if (mailed) sent++;
		} catch (error) {
			log.error('reminder_failed', { registrationId: candidate.id, message: (error as Error).message });
		}
	}
	return sent;
}
