/**
 * Telling registrants: when staff cancel a date, move it or put it back on, and for confirmations,
 * promotions and reminders, by e-mail, by LINE when the channel is configured and the person linked
 * it, and by SMS to a mobile number when a provider is configured. Anyone none of these reaches is
 * listed to staff to be called.
 *
 * Each notice is claimed as a row of `registration_notices` (registration × kind × change ×
 * channel, unique) in the transaction that makes the change, so a change is announced once
 * whatever repeats; the messages go after the commit, in the background (the staff request does
 * not wait on SMTP or LINE), and a failed one is marked `failed` on its row. A process that dies
 * between the commit and the send leaves a row saying `sent` for a message that never left: the
 * price of never sending twice, and staff see the list of who was reached.
 */
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { translate } from '$lib/i18n';
import { decryptText } from '../crypto';
import { sendMail, type Mail } from '../mail';
import { log } from '../log';
import { runIn, type OrganizationScope, type Scope, type Tx } from '../scope';
import type { CalendarEntry } from './calendar';
import { registrationNotices, registrations, type NoticeChannel, type NoticeKind } from './schema';
import { linePusher, mobileNumberOf, smsSender } from './notice-senders';
import { aboutOf, whenOf } from './registration-mail';

type Row = typeof registrations.$inferSelect;

const open = (tx: Tx<'organization' | 'system'>, sealed: string, column: string, r: Pick<Row, 'id' | 'organizationId'>) => decryptText(tx, sealed, { table: 'registrations', column, rowId: r.id, organizationId: r.organizationId });

/** What one registrant is told, in the three lengths the channels take. */
export interface NoticeMessage {
	subject: string;
	/** The mail's body, also what LINE shows. */
	text: string;
	/** For SMS: one line, the essentials. */
	short: string;
}

export interface Recipient {
	registrationId: string;
	organizationId: string;
	name: string;
	contactKind: 'email' | 'phone';
	contact: string;
	lineUserId: string | null;
	groupSize: number;
}

/** A recipient from their row, contacts decrypted (in a context that may read them). */
export async function recipientOf(tx: Tx<'organization' | 'system'>, r: Row): Promise<Recipient> {
	return {
		registrationId: r.id,
		organizationId: r.organizationId,
		name: await open(tx, r.nameSealed, 'name_sealed', r),
		contactKind: r.contactKind,
		contact: await open(tx, r.contactSealed, 'contact_sealed', r),
		lineUserId: r.lineRecipientSealed ? await open(tx, r.lineRecipientSealed, 'line_recipient_sealed', r) : null,
		groupSize: r.groupSize
	};
}

/** The channels that reach this person as the platform is configured now (empty: call them). */
export function channelsFor(r: Pick<Recipient, 'contactKind' | 'contact' | 'lineUserId'>, config = { line: linePusher() !== null, sms: smsSender() !== null }): NoticeChannel[] {
	const channels: NoticeChannel[] = [];
	if (r.contactKind === 'email') channels.push('email');
	if (r.lineUserId && config.line) channels.push('line');
	if (r.contactKind === 'phone' && config.sms && mobileNumberOf(r.contact)) channels.push('sms');
	return channels;
}

/** One message to send after the commit, and the row that records how it went. */
export interface Delivery {
	noticeId: string;
	channel: NoticeChannel;
	to: string;
	message: NoticeMessage;
}

/**
 * Claim the notices of one kind and change for these recipients, on every channel that reaches
 * each: a row per channel, skipped where one exists (told before). Answers what to send.
 */
export async function claimNotices(tx: Tx<'organization' | 'system'>, kind: NoticeKind, changeKey: string, recipients: Recipient[], messageFor: (r: Recipient) => NoticeMessage): Promise<Delivery[]> {
	const deliveries: Delivery[] = [];
	for (const r of recipients) {
		const channels = channelsFor(r);
		if (channels.length === 0) continue;
		const claimed = await tx
			.insert(registrationNotices)
			.values(channels.map((channel) => ({ organizationId: r.organizationId, registrationId: r.registrationId, kind, changeKey, channel, outcome: 'sent' as const })))
			.onConflictDoNothing()
			.returning({ id: registrationNotices.id, channel: registrationNotices.channel });
		if (claimed.length === 0) continue;
		const message = messageFor(r);
		for (const c of claimed) deliveries.push({ noticeId: c.id, channel: c.channel, to: c.channel === 'line' ? r.lineUserId! : c.channel === 'sms' ? mobileNumberOf(r.contact)! : r.contact, message });
	}
	return deliveries;
}

const inFlight = new Set<Promise<void>>();

/** Resolves when every notice started so far was sent and its outcome recorded. */
export async function noticesSettled(): Promise<void> {
	while (inFlight.size > 0) await Promise.all([...inFlight]);
}

/** Send one claimed notice now; never throws. */
export async function deliver(d: Delivery): Promise<{ ok: boolean; detail: string }> {
	try {
		if (d.channel === 'email') {
			const mail: Mail = { to: d.to, subject: d.message.subject, text: d.message.text };
			await sendMail(mail);
			return { ok: true, detail: 'mail' };
		}
		if (d.channel === 'line') {
			const pusher = linePusher();
			return pusher ? await pusher.push(d.to, [d.message.text], d.noticeId) : { ok: false, detail: 'no_channel' };
		}
		const sms = smsSender();
		return sms ? await sms.send(d.to, d.message.short) : { ok: false, detail: 'no_provider' };
	} catch (error) {
		return { ok: false, detail: (error as Error).message };
	}
}

/**
 * Send the claimed notices without making the caller wait; each failure is marked on its row in
 * the scope's context (the organisation's, or the platform's for a job or a resident's request).
 */
export function dispatchNotices(scope: Scope, deliveries: Delivery[]): void {
	if (deliveries.length === 0) return;
	const work: Promise<void> = (async () => {
		for (const d of deliveries) {
			const sent = await deliver(d);
			if (sent.ok) continue;
			log.warn('notice_failed', { noticeId: d.noticeId, channel: d.channel, detail: sent.detail });
			await runIn(scope, (tx) => tx.update(registrationNotices).set({ outcome: 'failed' }).where(eq(registrationNotices.id, d.noticeId)));
		}
	})()
		.catch((error) => log.error('notice_record_failed', { message: (error as Error).message }))
		.finally(() => inFlight.delete(work));
	inFlight.add(work);
}

// ── what changes say ────────────────────────────────────────────────────────────────────────────

export type ChangeKind = 'cancelled' | 'moved' | 'restored';

/**
 * The change key: the change's kind and instant. A change is announced once; the next change of the
 * same date (a second cancellation after putting it back on) is a new change, told again.
 */
export const changeKeyOf = (change: ChangeKind, at: Date) => `${change}@${at.toISOString()}`;

/** The date's time before a move, when known (a retry later knows only the new one). */
export type PreviousTime = Pick<CalendarEntry, 'startsAt' | 'endsAt' | 'allDay'>;

/** What a change says (Japanese: the registrants' language on the form); a move says the time it was. */
export function changeMessage(change: ChangeKind, entry: CalendarEntry, note: string | null, name: string, previous?: PreviousTime): NoticeMessage {
	const title = entry.title;
	const when = whenOf(entry);
	const was = change === 'moved' && previous ? translate('ja', 'notice.was', { when: whenOf(previous) }) : '';
	const about = aboutOf(entry);
	const reason = note ? translate('ja', change === 'cancelled' ? 'notice.cancelled.reason' : 'notice.moved.reason', { note }) : '';
	const shortNote = (note ?? '').replace(/\s+/g, ' ').slice(0, 60);
	return {
		subject: translate('ja', `notice.${change}.subject`, { title, when }),
		text: translate('ja', `notice.${change}.body`, { name, title, when, reason, was, about }),
		short: translate('ja', `notice.${change}.short`, { title, when, note: shortNote }).trim()
	};
}

/** Registered and waiting people of a date, locked rows read in the caller's transaction. */
export async function activeRecipients(tx: Tx<'organization'>, organizationId: string, occurrenceId: string): Promise<Recipient[]> {
	const rows = await tx
		.select()
		.from(registrations)
		.where(and(eq(registrations.occurrenceId, occurrenceId), eq(registrations.organizationId, organizationId), inArray(registrations.status, ['registered', 'waitlisted'])))
		.orderBy(asc(registrations.createdAt), asc(registrations.id));
	return Promise.all(rows.map((r) => recipientOf(tx, r)));
}

/**
 * The notice's kind in the table: each change is stored as itself, so a date put back on reads as
 * a restoration (「予定どおり開催」), not as a move. Rows written before 'restored' existed (drizzle/0020)
 * say `moved` with a `restored@…` key; `noticesOfDate` reads those as restorations too.
 */
export const noticeKindOf = (change: ChangeKind): NoticeKind => change;

// ── what staff see ──────────────────────────────────────────────────────────────────────────────

export interface NoticeSeen {
	kind: NoticeKind;
	channel: NoticeChannel;
	outcome: 'sent' | 'failed';
	at: Date;
}

/** Every notice of a date's registrations, newest first per registration. */
export async function noticesOfDate(tx: Tx<'organization'>, organizationId: string, occurrenceId: string): Promise<Map<string, NoticeSeen[]>> {
	const rows = await tx
		.select({ registrationId: registrationNotices.registrationId, kind: registrationNotices.kind, changeKey: registrationNotices.changeKey, channel: registrationNotices.channel, outcome: registrationNotices.outcome, at: registrationNotices.createdAt })
		.from(registrationNotices)
		.innerJoin(registrations, eq(registrations.id, registrationNotices.registrationId))
		.where(and(eq(registrations.occurrenceId, occurrenceId), eq(registrationNotices.organizationId, organizationId)))
		.orderBy(desc(registrationNotices.createdAt), asc(registrationNotices.channel));
	const out = new Map<string, NoticeSeen[]>();
	for (const r of rows) {
		const list = out.get(r.registrationId) ?? [];
		list.push({ kind: r.changeKey.startsWith('restored@') ? 'restored' : r.kind, channel: r.channel, outcome: r.outcome, at: r.at });
		out.set(r.registrationId, list);
	}
	return out;
}

export interface PersonToCall {
	registrationId: string;
	name: string;
	/** The phone number; null for an e-mail contact whose notice failed. */
	phone: string | null;
	groupSize: number;
	/** Their notices of the latest change all failed (rather than none could be sent). */
	failed: boolean;
}

/**
 * 「電話で連絡が必要な人」: registered and waiting people no channel reaches as configured now, and
 * (after a change) those whose every notice of the latest change failed. Decrypts names and
 * phones: the caller is entitled to see registrations.
 */
export async function peopleToCall(tx: Tx<'organization'>, organizationId: string, occurrenceId: string, latest: ChangeKind | null): Promise<PersonToCall[]> {
	const people = await activeRecipients(tx, organizationId, occurrenceId);
	const notices = latest ? await noticesOfDate(tx, organizationId, occurrenceId) : new Map<string, NoticeSeen[]>();
	const out: PersonToCall[] = [];
	for (const p of people) {
		const unreachable = channelsFor(p).length === 0;
		const ofLatest = (notices.get(p.registrationId) ?? []).filter((n) => n.kind === latest);
		// Newest first: the rows of the latest change share its instant (claimed in one transaction).
		const latestAt = ofLatest[0]?.at.getTime();
		const failed = ofLatest.length > 0 && ofLatest.filter((n) => n.at.getTime() === latestAt).every((n) => n.outcome === 'failed');
		if (unreachable || failed) out.push({ registrationId: p.registrationId, name: p.name, phone: p.contactKind === 'phone' ? p.contact : null, groupSize: p.groupSize, failed });
	}
	return out;
}

/** Who of a date's registrants was told what, how (the registrations page, which records the read itself). */
export function noticesOfRegistrations(scope: OrganizationScope, input: { occurrenceId: string }): Promise<Map<string, NoticeSeen[]>> {
	return runIn(scope, (tx) => noticesOfDate(tx, scope.organizationId, input.occurrenceId));
}
