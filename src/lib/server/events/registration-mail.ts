/**
 * What registration tells the resident: the confirmation with their own link, and the promotion
 * from the waiting list — by e-mail, or by SMS to a mobile number when a provider is configured
 * (and promotions by LINE too when they linked it), each recorded as a notice (notices.ts).
 */
import { eq, inArray } from 'drizzle-orm';
import { translate, type Locale } from '$lib/i18n';
import { runIn, type OrganizationScope, type ResidentScope } from '../scope';
import { log } from '../log';
import type { CalendarEntry } from './calendar';
import { formatOccurrence, translatorFor } from '../present';
import { registrations } from './schema';
import { claimNotices, dispatchNotices, recipientOf, type NoticeMessage } from './notices';

export function whenOf(entry: Pick<CalendarEntry, 'startsAt' | 'endsAt' | 'allDay'>, locale: Locale = 'ja') {
	return formatOccurrence(translatorFor(locale), entry.startsAt, entry.endsAt, entry.allDay);
}

/**
 * Where and whose: 会場 and 主催 under the date in every message, so a registrant of several groups
 * knows which one writes and where to go (a mail names no sender but つなぐ).
 */
export function aboutOf(entry: Pick<CalendarEntry, 'placeName' | 'organizationName'>): string {
	return (entry.placeName ? translate('ja', 'notice.place', { place: entry.placeName }) : '') + translate('ja', 'notice.organizer', { organizer: entry.organizationName });
}

export function confirmationMessage(entry: CalendarEntry, r: { name: string; status: 'registered' | 'waitlisted'; reference: string; link: string }): NoticeMessage {
	const title = entry.title;
	const when = whenOf(entry);
	const status = translate('ja', r.status === 'registered' ? 'registration.status.registered' : 'registration.status.waitlistedShort');
	const reference = `${r.reference.slice(0, 3)}-${r.reference.slice(3)}`;
	return {
		subject: translate('ja', r.status === 'registered' ? 'registration.mail.subject' : 'registration.mail.subjectWaitlist', { title }),
		text: translate('ja', 'registration.mail.body', { name: r.name, title, when, about: aboutOf(entry), status, reference, link: r.link }),
		short: translate('ja', 'notice.confirmation.short', { title, when, status, reference, link: r.link })
	};
}

export function promotionMessage(entry: CalendarEntry): NoticeMessage {
	const title = entry.title;
	const when = whenOf(entry);
	return { subject: translate('ja', 'registration.mail.promotedSubject', { title }), text: translate('ja', 'registration.mail.promotedBody', { title, when, about: aboutOf(entry) }), short: translate('ja', 'notice.promoted.short', { title, when }) };
}

/** Tell a new registrant they are registered (or waiting), with their link: once, whatever repeats. */
export async function sendConfirmation(scope: ResidentScope, registrationId: string, entry: CalendarEntry, r: { name: string; status: 'registered' | 'waitlisted'; reference: string; link: string }): Promise<void> {
	const deliveries = await runIn(scope, async (tx) => {
		const [row] = await tx.select().from(registrations).where(eq(registrations.id, registrationId));
		if (!row) return [];
		return claimNotices(tx, 'confirmation', '', [await recipientOf(tx, row)], () => confirmationMessage(entry, r));
	}).catch(claimFailed);
	dispatchNotices(scope, deliveries);
}

/** The registration stands whatever happens to its notice: a failed claim is logged, never thrown at the resident. */
function claimFailed(error: unknown): [] {
	log.error('notice_claim_failed', { message: (error as Error).message });
	return [];
}

/** Tell the people moved up from the waiting list (once each). */
export async function sendPromotion(scope: OrganizationScope | ResidentScope, registrationIds: string[], entry: CalendarEntry): Promise<void> {
	if (registrationIds.length === 0) return;
	const deliveries = await runIn(scope, async (tx) => {
		const rows = await tx.select().from(registrations).where(inArray(registrations.id, registrationIds));
		const recipients = await Promise.all(rows.map((row) => recipientOf(tx, row)));
		return claimNotices(tx, 'promoted', '', recipients, () => promotionMessage(entry));
	}).catch(claimFailed);
	dispatchNotices(scope, deliveries);
}
