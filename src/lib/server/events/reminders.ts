/**
 * The day-before reminder: registered people with an e-mail contact whose date starts in the next
 * 36 hours and who have not been reminded. Marked before sending, so a second run (another process,
 * a restart) never sends twice; a failed send is logged by mail.ts.
 */
import { and, eq, gt, isNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { asSystem } from '../db/tenant';
import { decryptText } from '../crypto';
import { translate } from '$lib/i18n';
import { sendMailInBackground } from '../mail';
import { calendarEntry } from './calendar';
import { occurrences, registrations } from './schema';
import { whenOf } from './registration-mail';

const AHEAD_MS = 36 * 3600_000;

export async function sendDueReminders(db: Db, now = new Date()): Promise<number> {
	const due = await asSystem(db, async (tx) => {
		const rows = await tx
			.update(registrations)
			.set({ remindedAt: now })
			.where(
				and(
					eq(registrations.status, 'registered'),
					eq(registrations.contactKind, 'email'),
					isNull(registrations.remindedAt),
					sql`${registrations.occurrenceId} in (select ${occurrences.id} from ${occurrences} where ${occurrences.status} = 'scheduled' and ${gt(occurrences.startsAt, now)} and ${lte(occurrences.startsAt, new Date(now.getTime() + AHEAD_MS))})`
				)
			)
			.returning();
		const out: Array<{ to: string; occurrenceId: string }> = [];
		for (const r of rows) out.push({ to: await decryptText(tx, r.contactSealed, { table: 'registrations', column: 'contact_sealed', rowId: r.id, organizationId: r.organizationId }), occurrenceId: r.occurrenceId });
		return out;
	});
	for (const d of due) {
		const entry = await calendarEntry(db, d.occurrenceId);
		if (entry) sendMailInBackground({ to: d.to, subject: translate('ja', 'registration.mail.reminderSubject', { title: entry.title }), text: translate('ja', 'registration.mail.reminderBody', { title: entry.title, when: whenOf(entry) }) });
	}
	return due.length;
}
