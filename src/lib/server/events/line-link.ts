/**
 * A registrant links LINE: their own registration page (the private link) makes a one-time code,
 * they send it to the network's LINE official account, and the webhook (consultations/line) asks
 * here whether a text is such a code. The code is kept as a digest and used up on linking; the
 * sender's LINE user id is sealed on the registration, so notices about this date go by LINE too.
 * The code's prefix (YOYAKU-) keeps it apart from the counsellors' link codes (TSUNAGU-).
 */
import { createHash, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { translate } from '$lib/i18n';
import { isTokenShaped, tokenDigest } from '../auth';
import { recordAudit, type AuditOrigin } from '../audit';
import { encryptText } from '../crypto';
import { ok, refused, runIn, type ResidentScope, type Result, type Tx } from '../scope';
import { addDays, zonedInstant } from '../directory';
import { calendarEntry } from './calendar';
import { occurrences, registrations } from './schema';

const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ'; // no 0/O, 1/I
const CODE_PREFIX = 'YOYAKU';

const codeDigest = (code: string) => createHash('sha256').update(`registration-line:${code}`).digest('hex');

/** YOYAKU-ABCD-EFGH-JK typed or pasted loosely (width, case, spaces, dashes); null when not such a code. */
export function normaliseRegistrationCode(text: string): string | null {
	const flat = text
		.normalize('NFKC')
		.toUpperCase()
		.replace(/[\s\-‐－ー]/g, '');
	const m = /^YOYAKU([2-9A-HJ-NP-Z]{10})$/.exec(flat);
	return m ? m[1] : null;
}

export type LineCodeRefusal = 'not_found' | 'cancelled' | 'ended';

/**
 * How long a code works: 7 days, or until the date ends if that comes first. The code is meant to
 * be sent at once from the same phone; a week still covers 「あとで送ろう」, while a code seen over a
 * shoulder or left in a screenshot stops linking a stranger's LINE to this registration. After the
 * date's end no notice about it is ever sent, so a link then would only hold a LINE id for nothing.
 */
export const LINE_CODE_DAYS = 7;

/** When the date is over: its end, or for an all-day date (or one without an end) the end of its day in Tokyo. */
function endOfDate(o: { day: string; startsAt: Date; endsAt: Date | null; allDay: boolean }): Date {
	if (o.endsAt && !o.allDay) return o.endsAt;
	return zonedInstant(addDays(o.day, 1), '00:00');
}

export function lineCodeExpiry(o: { day: string; startsAt: Date; endsAt: Date | null; allDay: boolean }, now: Date): Date {
	return new Date(Math.min(now.getTime() + LINE_CODE_DAYS * 86_400_000, endOfDate(o).getTime()));
}

/**
 * A new one-time code for the registration of this private link (`registration.line_code`),
 * replacing an unused one, working until `lineCodeExpiry`. Shown once. `ended` once the date is over.
 */
export async function newRegistrationLineCode(scope: ResidentScope, input: { token: string; now?: Date }): Promise<Result<{ code: string; expiresAt: Date }, LineCodeRefusal>> {
	const now = input.now ?? new Date();
	if (!isTokenShaped(input.token)) return refused('not_found');
	return runIn(scope, async (tx) => {
		const [r] = await tx
			.select()
			.from(registrations)
			.where(eq(registrations.accessDigest, tokenDigest(input.token)))
			.for('update');
		if (!r) return refused('not_found');
		if (r.status === 'cancelled') return refused('cancelled');
		const [date] = await tx.select({ day: occurrences.day, startsAt: occurrences.startsAt, endsAt: occurrences.endsAt, allDay: occurrences.allDay }).from(occurrences).where(eq(occurrences.id, r.occurrenceId));
		if (!date) return refused('not_found');
		const expiresAt = lineCodeExpiry(date, now);
		if (expiresAt.getTime() <= now.getTime()) return refused('ended');
		const code = [...randomBytes(10)].map((b) => CODE_ALPHABET[b % 32]).join('');
		await tx
			.update(registrations)
			.set({ lineLinkDigest: codeDigest(code), lineLinkExpiresAt: expiresAt })
			.where(eq(registrations.id, r.id));
		await recordAudit(tx, scope.origin, { action: 'registration.line_code', organizationId: r.organizationId, entityType: 'registration', entityId: r.id, changedFields: ['line_link_digest', 'line_link_expires_at'] });
		return ok({ code: `${CODE_PREFIX}-${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`, expiresAt });
	});
}

/**
 * The webhook's half (the platform's context): a text that is a registration code. A live code
 * seals the sender's LINE user id on that registration and is used up (`registration.line_link`);
 * an expired one (or one made before codes expired) links nothing and says so; any other
 * code-shaped text is answered as unknown. Null when the text is no such code. Answers what to say back.
 */
export async function linkRegistrationLine(tx: Tx<'system'>, origin: AuditOrigin, text: string, lineUserId: string, now = new Date()): Promise<{ linked: boolean; reply: string } | null> {
	const code = normaliseRegistrationCode(text);
	if (!code) return null;
	const [r] = await tx
		.select()
		.from(registrations)
		.where(eq(registrations.lineLinkDigest, codeDigest(code)))
		.for('update');
	if (!r || r.status === 'cancelled') return { linked: false, reply: translate('ja', 'notice.line.unknown') };
	if (!r.lineLinkExpiresAt || r.lineLinkExpiresAt.getTime() <= now.getTime()) return { linked: false, reply: translate('ja', 'notice.line.expired') };
	await tx
		.update(registrations)
		.set({ lineRecipientSealed: await encryptText(tx, lineUserId, { table: 'registrations', column: 'line_recipient_sealed', rowId: r.id, organizationId: r.organizationId }), lineLinkDigest: null, lineLinkExpiresAt: null })
		.where(eq(registrations.id, r.id));
	await recordAudit(tx, origin, { action: 'registration.line_link', organizationId: r.organizationId, entityType: 'registration', entityId: r.id, changedFields: ['line_recipient_sealed'] });
	const entry = await calendarEntry(tx, r.occurrenceId);
	return { linked: true, reply: translate('ja', 'notice.line.done', { title: entry?.title ?? '' }) };
}
