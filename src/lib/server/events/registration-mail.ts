/** The e-mails of registration: confirmation with the resident's own link, promotion. Phones get none. */
import { translate, type Locale } from '$lib/i18n';
import { sendMailInBackground } from '../mail';
import type { CalendarEntry } from './calendar';
import { formatOccurrence, translatorFor } from '../present';

export function whenOf(entry: Pick<CalendarEntry, 'startsAt' | 'endsAt' | 'allDay'>, locale: Locale = 'ja') {
	return formatOccurrence(translatorFor(locale), entry.startsAt, entry.endsAt, entry.allDay);
}

export function sendConfirmation(to: string, entry: CalendarEntry, r: { name: string; status: 'registered' | 'waitlisted'; reference: string; link: string }) {
	const title = entry.title;
	const status = translate('ja', r.status === 'registered' ? 'registration.status.registered' : 'registration.status.waitlistedShort');
	sendMailInBackground({
		to,
		subject: translate('ja', r.status === 'registered' ? 'registration.mail.subject' : 'registration.mail.subjectWaitlist', { title }),
		text: translate('ja', 'registration.mail.body', { name: r.name, title, when: whenOf(entry), status, reference: `${r.reference.slice(0, 3)}-${r.reference.slice(3)}`, link: r.link })
	});
}

export function sendPromotion(to: string, entry: CalendarEntry) {
	sendMailInBackground({ to, subject: translate('ja', 'registration.mail.promotedSubject', { title: entry.title }), text: translate('ja', 'registration.mail.promotedBody', { title: entry.title, when: whenOf(entry) }) });
}
