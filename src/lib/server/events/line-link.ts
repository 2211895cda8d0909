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
import { calendarEntry } from './calendar';
import { registrations } from './schema';

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

export type LineCodeRefusal = 'not_found' | 'cancelled';

/**
 * A new one-time code for the registration of this private link (`registration.line_code`),
 * replacing an unused one. Shown once.
 */
export async function newRegistrationLineCode(scope: ResidentScope, input: { token: string }): Promise<Result<{ code: string }, LineCodeRefusal>> {
	if (!isTokenShaped(input.token)) return refused('not_found');
	return runIn(scope, async (tx) => {
		const [r] = await tx
			.select()
			.from(registrations)
			.where(eq(registrations.accessDigest, tokenDigest(input.token)))
			.for('update');
		if (!r) return refused('not_found');
		if (r.status === 'cancelled') return refused('cancelled');
		const code = [...randomBytes(10)].map((b) => CODE_ALPHABET[b % 32]).join('');
		await tx
			.update(registrations)
			.set({ lineLinkDigest: codeDigest(code) })
			.where(eq(registrations.id, r.id));
		await recordAudit(tx, scope.origin, { action: 'registration.line_code', organizationId: r.organizationId, entityType: 'registration', entityId: r.id });
		return ok({ code: `${CODE_PREFIX}-${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}` });
	});
}

/**
 * The webhook's half (the platform's context): a text that is a registration code. A live code
 * seals the sender's LINE user id on that registration and is used up (`registration.line_link`);
 * any other code-shaped text is answered as unknown. Null when the text is no such code. Answers
 * what to say back.
 */
export async function linkRegistrationLine(tx: Tx<'system'>, origin: AuditOrigin, text: string, lineUserId: string): Promise<{ linked: boolean; reply: string } | null> {
	const code = normaliseRegistrationCode(text);
	if (!code) return null;
	const [r] = await tx
		.select()
		.from(registrations)
		.where(eq(registrations.lineLinkDigest, codeDigest(code)))
		.for('update');
	if (!r || r.status === 'cancelled') return { linked: false, reply: translate('ja', 'notice.line.unknown') };
	await tx
		.update(registrations)
		.set({ lineRecipientSealed: await encryptText(tx, lineUserId, { table: 'registrations', column: 'line_recipient_sealed', rowId: r.id, organizationId: r.organizationId }), lineLinkDigest: null })
		.where(eq(registrations.id, r.id));
	await recordAudit(tx, origin, { action: 'registration.line_link', organizationId: r.organizationId, entityType: 'registration', entityId: r.id, changedFields: ['line_recipient_sealed'] });
	const entry = await calendarEntry(tx, r.occurrenceId);
	return { linked: true, reply: translate('ja', 'notice.line.done', { title: entry?.title ?? '' }) };
}
