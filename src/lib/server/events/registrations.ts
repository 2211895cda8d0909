/**
 * Registration without an account: capacity in people or 組, a waiting list promoted in order
 * when someone cancels (CiviCRM's On waitlist → Registered), the resident's own bearer link to see
 * and cancel, and the staff's list. Names, contacts and needs are sealed (crypto/). Every change
 * locks the occurrence row, so two people never take the last place.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { and, asc, desc, eq, ne, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { encryptText, decryptText } from '../crypto';
import { isTokenShaped, newToken, tokenDigest } from '../auth';
import { recordAudit, type AuditOrigin } from '../audit';
import { publicOrigin } from '../http';
import { programSummaries } from '../directory';
import { ok, refused, runIn, type OrganizationScope, type ResidentScope, type Result, type Tx } from '../scope';
import { calendarEntry, type CalendarEntry } from './calendar';
import { occurrenceOf } from './occurrences';
import { occurrences, registrations, type RegistrationStatus } from './schema';
import { windowState } from './defaults';
import { answersOfDocument, type Answer, type AnswerDocument } from './answers';
import { sendConfirmation, sendPromotion } from './registration-mail';

type Row = typeof registrations.$inferSelect;
type OccurrenceRow = typeof occurrences.$inferSelect;

// ── input ───────────────────────────────────────────────────────────────────────────────────────

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^[0-9０-９+\-－ー() ]{10,20}$/;

export const registrationInput = z.object({
	name: z.string().trim().min(1, 'registration.error.name').max(60, 'registration.error.name'),
	contact: z
		.string()
		.trim()
		.min(1, 'registration.error.contact')
		.max(120, 'registration.error.contact')
		.refine((v) => EMAIL.test(v) || PHONE.test(v), 'registration.error.contact'),
	groupSize: z.coerce.number({ message: 'registration.error.groupSize' }).int('registration.error.groupSize').min(1, 'registration.error.groupSize').max(20, 'registration.error.groupSize'),
	needs: z.string().trim().max(500, 'registration.error.needs').default(''),
	// A participation card's number (optional): the registration then counts as the card's holder.
	card: z.string().trim().max(40, 'registration.error.card').default(''),
	consent: z.literal('on', { message: 'registration.error.consent' }),
	submissionKey: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'registration.error.expired')
});
export type RegistrationInput = z.infer<typeof registrationInput>;
export type RegistrationErrorKey = 'registration.error.name' | 'registration.error.contact' | 'registration.error.groupSize' | 'registration.error.needs' | 'registration.error.card' | 'registration.error.consent' | 'registration.error.expired';

export type RegistrationParse = { ok: true; value: RegistrationInput } | { ok: false; values: Record<string, string>; errors: Partial<Record<keyof RegistrationInput, RegistrationErrorKey>> };

export function readRegistration(form: FormData): RegistrationParse {
	const values = Object.fromEntries(['name', 'contact', 'groupSize', 'needs', 'card', 'consent', 'submissionKey'].map((k) => [k, String(form.get(k) ?? '')]));
	const parsed = registrationInput.safeParse(values);
	if (parsed.success) return { ok: true, value: parsed.data };
	const errors: Partial<Record<keyof RegistrationInput, RegistrationErrorKey>> = {};
	for (const issue of parsed.error.issues) {
		const field = issue.path[0] as keyof RegistrationInput;
		errors[field] ??= (issue.message.startsWith('registration.') ? issue.message : `registration.error.${field}`) as RegistrationErrorKey;
	}
	return { ok: false, values, errors };
}

export const contactKindOf = (contact: string): 'email' | 'phone' => (EMAIL.test(contact) ? 'email' : 'phone');

/** The same person typed twice: e-mail case and spaces, phone digits only (full-width too). */
export function normalizeContact(contact: string): string {
	const ascii = contact.normalize('NFKC').trim();
	return EMAIL.test(ascii) ? ascii.toLowerCase() : ascii.replace(/\D/g, '');
}

/** 受付番号: 6 characters of Crockford base32 (no I, L, O, U), shown ABC-123. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export function newReferenceCode(): string {
	return Array.from({ length: 6 }, () => CROCKFORD[randomInt(32)]).join('');
}
export const showReference = (code: string) => `${code.slice(0, 3)}-${code.slice(3)}`;
/** Typed or scanned: any case, hyphens and spaces, O for 0 and I/L for 1. */
export function parseReference(typed: string): string | null {
	const code = typed.normalize('NFKC').toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
	return /^[0-9A-HJKMNP-TV-Z]{6}$/.test(code) ? code : null;
}

// ── places ──────────────────────────────────────────────────────────────────────────────────────

/** What one registration takes: its group size when capacity counts people, one when it counts 組. */
const weight = (o: Pick<OccurrenceRow, 'capacityUnit'>, groupSize: number) => (o.capacityUnit === 'groups' ? 1 : groupSize);

async function used(tx: Tx<'organization' | 'system'>, o: OccurrenceRow): Promise<number> {
	const [row] = await tx
		.select({ n: o.capacityUnit === 'groups' ? sql<number>`count(*)::int` : sql<number>`coalesce(sum(${registrations.groupSize}), 0)::int` })
		.from(registrations)
		.where(and(eq(registrations.occurrenceId, o.id), eq(registrations.status, 'registered')));
	return row.n;
}

export interface Availability {
	capacity: number | null;
	used: number;
	left: number | null;
	waitlisted: number;
}

/** Places left on a date (what the public page shows: 残り3組, 満席): counted over everyone's
 * registrations, which only the system context sees; nothing about anyone leaves. */
export async function availability(scope: ResidentScope, input: { occurrenceId: string }): Promise<Availability | null> {
	const { occurrenceId } = input;
	return runIn(scope, async (tx) => {
		const [o] = await tx.select().from(occurrences).where(eq(occurrences.id, occurrenceId));
		if (!o) return null;
		const n = await used(tx, o);
		const [w] = await tx
			.select({ n: sql<number>`count(*)::int` })
			.from(registrations)
			.where(and(eq(registrations.occurrenceId, o.id), eq(registrations.status, 'waitlisted')));
		return { capacity: o.capacity, used: n, left: o.capacity === null ? null : Math.max(0, o.capacity - n), waitlisted: w.n };
	});
}

// ── registering ─────────────────────────────────────────────────────────────────────────────────

export interface Registered {
	/** The bearer link's token; null for a repeated submission (its link is not shown again). */
	token: string | null;
	registrationId: string;
	status: RegistrationStatus;
	reference: string;
	repeated: boolean;
	contactKind: 'email' | 'phone';
	contact: string;
}
export type RegisterRefusal = 'not_found' | 'closed' | 'cancelled' | 'past' | 'too_large' | 'already_registered' | 'not_open_yet' | 'window_closed';
export type RegisterResult = Result<Registered, RegisterRefusal>;

export interface RegisterInput {
	occurrenceId: string;
	registration: RegistrationInput;
	/** The card participation's `cardAllowedAt` recognised for the date's organisation, if one was typed. */
	cardId: string | null;
	/** Answers to the program's questions, checked against them (questions.ts `readAnswers`); sealed as one document. */
	answers?: AnswerDocument | null;
	now?: Date;
}

const seal = (tx: Tx<'system'>, text: string, column: string, id: string, organizationId: string) => encryptText(tx, text, { table: 'registrations', column, rowId: id, organizationId });
const open = (tx: Tx<'organization' | 'system'>, text: string, column: string, id: string, organizationId: string) => decryptText(tx, text, { table: 'registrations', column, rowId: id, organizationId });

/**
 * Register for a date (a resident, no account: the system context, with the rules below as the
 * guard: a published program, an open, scheduled, future date, room for the group, one
 * registration per contact). A repeated submission key returns the first registration (its link
 * is not shown again). Records `registration.create`. Once committed, a new registration is
 * confirmed to the person (mail, or LINE/SMS where set up) with its private link: the operation
 * does it, so no caller can forget it.
 */
export async function register(scope: ResidentScope, input: RegisterInput): Promise<RegisterResult> {
	const result = await recordRegistration(scope, input);
	if (!result.ok) return result;
	const { entry, ...made } = result.value;
	if (made.token && entry) {
		const status = made.status === 'waitlisted' ? 'waitlisted' : 'registered';
		await sendConfirmation(scope, made.registrationId, entry, { name: input.registration.name, status, reference: made.reference, link: `${publicOrigin()}/registrations/${made.token}` });
	}
	return ok(made);
}

/** Moved up from the waiting list by a cancellation: told once it is committed (the date as the public sees it, read in the cancelling transaction). */
async function tellPromoted(scope: OrganizationScope | ResidentScope, promoted: Promoted[], entry: CalendarEntry | null) {
	if (promoted.length === 0 || !entry) return;
	await sendPromotion(
		scope,
		promoted.map((p) => p.registrationId),
		entry
	);
}

/** The registration, and for a new one the date as the public sees it, read in the same transaction (for the confirmation). */
async function recordRegistration(scope: ResidentScope, { occurrenceId, registration: input, cardId, answers = null, now = new Date() }: RegisterInput): Promise<Result<Registered & { entry: CalendarEntry | null }, RegisterRefusal>> {
	return runIn(scope, async (tx) => {
		const [o] = await tx.select().from(occurrences).where(eq(occurrences.id, occurrenceId)).for('update');
		if (!o) return refused('not_found');
		const program = (await programSummaries(tx, [o.programId])).get(o.programId);
		if (!program?.published) return refused('not_found');
		const [again] = await tx
			.select()
			.from(registrations)
			.where(and(eq(registrations.occurrenceId, o.id), eq(registrations.submissionKey, input.submissionKey)));
		if (again) return ok({ token: null, registrationId: again.id, status: again.status, reference: again.referenceCode, repeated: true, contactKind: again.contactKind, contact: '', entry: null });
		if (o.status === 'cancelled') return refused('cancelled');
		if (!o.registrationOpen) return refused('closed');
		if (o.startsAt <= now) return refused('past');
		// The date's registration window (from its program's defaults or its own).
		const window = windowState(o, now);
		if (window === 'before') return refused('not_open_yet');
		if (window === 'after') return refused('window_closed');
		const need = weight(o, input.groupSize);
		if (o.capacity !== null && need > o.capacity) return refused('too_large');
		const contact = normalizeContact(input.contact);
		const others = await tx
			.select()
			.from(registrations)
			.where(and(eq(registrations.occurrenceId, o.id), ne(registrations.status, 'cancelled')));
		for (const r of others) if (normalizeContact(await open(tx, r.contactSealed, 'contact_sealed', r.id, r.organizationId)) === contact) return refused('already_registered');
		// Fair order: while anyone waits, newcomers wait too.
		const waiting = others.some((r) => r.status === 'waitlisted');
		const fits = !waiting && (o.capacity === null || (await used(tx, o)) + need <= o.capacity);
		const id = randomUUID();
		const token = newToken();
		let reference = newReferenceCode();
		for (let i = 0; i < 5; i++) {
			const [taken] = await tx
				.select({ id: registrations.id })
				.from(registrations)
				.where(and(eq(registrations.organizationId, o.organizationId), eq(registrations.referenceCode, reference)));
			if (!taken) break;
			reference = newReferenceCode();
		}
		const status: RegistrationStatus = fits ? 'registered' : 'waitlisted';
		await tx.insert(registrations).values({
			id,
			organizationId: o.organizationId,
			occurrenceId: o.id,
			status,
			nameSealed: await seal(tx, input.name, 'name_sealed', id, o.organizationId),
			contactSealed: await seal(tx, input.contact, 'contact_sealed', id, o.organizationId),
			needsSealed: input.needs ? await seal(tx, input.needs, 'needs_sealed', id, o.organizationId) : null,
			contactKind: contactKindOf(input.contact),
			groupSize: input.groupSize,
			submissionKey: input.submissionKey,
			accessDigest: tokenDigest(token),
			referenceCode: reference,
			cardId,
			answersSealed: answers && answers.answers.length ? await seal(tx, JSON.stringify(answers), 'answers_sealed', id, o.organizationId) : null
		});
		const entry = await calendarEntry(tx, o.id);
		await recordAudit(tx, scope.origin, { action: 'registration.create', organizationId: o.organizationId, entityType: 'registration', entityId: id, changedFields: [status] });
		return ok({ token, registrationId: id, status, reference, repeated: false, contactKind: contactKindOf(input.contact), contact: input.contact, entry });
	});
}

export interface Promoted {
	registrationId: string;
	contactKind: 'email' | 'phone';
	contact: string;
	occurrenceId: string;
}

/** Cancel, then move waiting people up in order while they fit (a group too big waits on). */
async function cancelAndPromote(tx: Tx<'organization' | 'system'>, r: Row, origin: AuditOrigin): Promise<Promoted[]> {
	const [o] = await tx.select().from(occurrences).where(eq(occurrences.id, r.occurrenceId)).for('update');
	await tx.update(registrations).set({ status: 'cancelled', cancelledAt: new Date() }).where(eq(registrations.id, r.id));
	await recordAudit(tx, origin, { action: 'registration.cancel', organizationId: r.organizationId, entityType: 'registration', entityId: r.id, changedFields: ['status'] });
	const promoted: Promoted[] = [];
	if (!o || o.status === 'cancelled') return promoted;
	const waiting = await tx
		.select()
		.from(registrations)
		.where(and(eq(registrations.occurrenceId, o.id), eq(registrations.status, 'waitlisted')))
		.orderBy(asc(registrations.createdAt), asc(registrations.id));
	let taken = await used(tx, o);
	for (const w of waiting) {
		const need = weight(o, w.groupSize);
		if (o.capacity !== null && taken + need > o.capacity) continue;
		taken += need;
		await tx.update(registrations).set({ status: 'registered', promotedAt: new Date() }).where(eq(registrations.id, w.id));
		await recordAudit(tx, { ...origin, actorUserId: null }, { action: 'registration.promote', organizationId: w.organizationId, entityType: 'registration', entityId: w.id, changedFields: ['status'] });
		promoted.push({ registrationId: w.id, contactKind: w.contactKind, contact: await open(tx, w.contactSealed, 'contact_sealed', w.id, w.organizationId), occurrenceId: o.id });
	}
	return promoted;
}

/** The registration a bearer link opens, checked here: the system context sees every registration. */
async function byToken(tx: Tx<'system'>, token: string): Promise<Row | null> {
	const [r] = await tx
		.select()
		.from(registrations)
		.where(eq(registrations.accessDigest, tokenDigest(token)));
	return r ?? null;
}

/** The resident's own link: what they registered for, where they stand (a lookup: null for none). */
export async function registrationByToken(scope: ResidentScope, token: string) {
	if (!isTokenShaped(token)) return null;
	return runIn(scope, async (tx) => {
		const r = await byToken(tx, token);
		if (!r) return null;
		const ahead =
			r.status === 'waitlisted'
				? (
						await tx
							.select({ n: sql<number>`count(*)::int` })
							.from(registrations)
							.where(and(eq(registrations.occurrenceId, r.occurrenceId), eq(registrations.status, 'waitlisted'), sql`(${registrations.createdAt}, ${registrations.id}) < (${r.createdAt}, ${r.id})`))
					)[0].n
				: 0;
		return {
			id: r.id,
			occurrenceId: r.occurrenceId,
			status: r.status,
			reference: r.referenceCode,
			groupSize: r.groupSize,
			name: await open(tx, r.nameSealed, 'name_sealed', r.id, r.organizationId),
			waitlistPosition: r.status === 'waitlisted' ? ahead + 1 : null,
			attended: r.attendedAt !== null,
			lineLinked: r.lineRecipientSealed !== null,
			// Their own answers to the program's questions, opened for the holder of this link only.
			answers: r.answersSealed ? answersOfDocument(await open(tx, r.answersSealed, 'answers_sealed', r.id, r.organizationId)) : []
		};
	});
}

export type CancelRefusal = 'not_found' | 'attended';

/**
 * Cancel by the resident's link; answers who moved up from the waiting list. `not_found` for no
 * such link or a registration already cancelled; `attended` once they were checked in — the group
 * came, so it stays counted on the door list, and nobody waiting is moved up for a date under way.
 */
export async function cancelByToken(scope: ResidentScope, input: { token: string }): Promise<Result<{ promoted: Promoted[] }, CancelRefusal>> {
	if (!isTokenShaped(input.token)) return refused('not_found');
	const result = await runIn(scope, async (tx) => {
		const r = await byToken(tx, input.token);
		if (!r || r.status === 'cancelled') return refused('not_found');
		if (r.attendedAt) return refused('attended');
		const promoted = await cancelAndPromote(tx, r, scope.origin);
		return ok({ promoted, entry: promoted.length ? await calendarEntry(tx, r.occurrenceId) : null });
	});
	if (!result.ok) return result;
	await tellPromoted(scope, result.value.promoted, result.value.entry);
	return ok({ promoted: result.value.promoted });
}

/** Staff cancel on a person's behalf (a phone call), in the caller's transaction; the organisation's own registrations only. */
export async function cancelByStaff(tx: Tx<'organization'>, organizationId: string, registrationId: string, origin: AuditOrigin): Promise<Result<{ promoted: Promoted[] }, CancelRefusal>> {
	const [r] = await tx
		.select()
		.from(registrations)
		.where(and(eq(registrations.id, registrationId), eq(registrations.organizationId, organizationId)));
	if (!r || r.status === 'cancelled') return refused('not_found');
	if (r.attendedAt) return refused('attended');
	return ok({ promoted: await cancelAndPromote(tx, r, origin) });
}

// ── the staff's list ────────────────────────────────────────────────────────────────────────────

export interface RegistrationListItem {
	id: string;
	reference: string;
	name: string;
	contact: string;
	contactKind: 'email' | 'phone';
	groupSize: number;
	needs: string;
	status: RegistrationStatus;
	waitlistPosition: number | null;
	createdAt: Date;
	attended: boolean;
	/** Answers to the program's questions as they were asked (labels included). */
	answers: Answer[];
}

/** Everyone registered for one of the organisation's dates, decrypted, in registration order. */
export async function registrationsOf(tx: Tx<'organization'>, organizationId: string, occurrenceId: string): Promise<RegistrationListItem[]> {
	const rows = await tx
		.select()
		.from(registrations)
		.where(and(eq(registrations.occurrenceId, occurrenceId), eq(registrations.organizationId, organizationId)))
		.orderBy(asc(registrations.createdAt), asc(registrations.id));
	let position = 0;
	const out: RegistrationListItem[] = [];
	for (const r of rows) {
		out.push({
			id: r.id,
			reference: r.referenceCode,
			name: await open(tx, r.nameSealed, 'name_sealed', r.id, r.organizationId),
			contact: await open(tx, r.contactSealed, 'contact_sealed', r.id, r.organizationId),
			contactKind: r.contactKind,
			groupSize: r.groupSize,
			needs: r.needsSealed ? await open(tx, r.needsSealed, 'needs_sealed', r.id, r.organizationId) : '',
			status: r.status,
			waitlistPosition: r.status === 'waitlisted' ? ++position : null,
			createdAt: r.createdAt,
			attended: r.attendedAt !== null,
			answers: r.answersSealed ? answersOfDocument(await open(tx, r.answersSealed, 'answers_sealed', r.id, r.organizationId)) : []
		});
	}
	return out;
}

/**
 * Staff cancel a registration of one of the organisation's dates; answers who moved up from the
 * waiting list and the date as the calendar shows it (for their e-mails). `not_found` for a date
 * or registration that is not the organisation's, or one already cancelled.
 */
export async function cancelRegistration(scope: OrganizationScope, input: { occurrenceId: string; registrationId: string }): Promise<Result<{ promoted: Promoted[]; entry: CalendarEntry | null }, CancelRefusal>> {
	const result = await runIn(scope, async (tx) => {
		const occurrence = await occurrenceOf(tx, scope.organizationId, input.occurrenceId);
		if (!occurrence) return refused('not_found');
		const cancelled = await cancelByStaff(tx, scope.organizationId, input.registrationId, scope.origin);
		if (!cancelled.ok) return cancelled;
		return ok({ promoted: cancelled.value.promoted, entry: await calendarEntry(tx, occurrence.id) });
	});
	if (result.ok) await tellPromoted(scope, result.value.promoted, result.value.entry);
	return result;
}

export interface RegistrationList {
	occurrence: OccurrenceRow;
	entry: CalendarEntry | null;
	registrations: RegistrationListItem[];
}

/**
 * Who registered for one of the organisation's dates, names and contacts decrypted. Reading them is
 * an access to personal data: recorded as `registration.list` (`registration.export` for the CSV).
 */
async function readRegistrations(scope: OrganizationScope, occurrenceId: string, action: 'registration.list' | 'registration.export'): Promise<Result<RegistrationList, 'not_found'>> {
	const { organizationId } = scope;
	return runIn(scope, async (tx) => {
		const occurrence = await occurrenceOf(tx, organizationId, occurrenceId);
		if (!occurrence) return refused('not_found');
		const entry = action === 'registration.list' ? await calendarEntry(tx, occurrence.id) : null;
		const list = await registrationsOf(tx, organizationId, occurrence.id);
		await recordAudit(tx, scope.origin, { action, organizationId, entityType: 'occurrence', entityId: occurrence.id });
		return ok({ occurrence, entry, registrations: list });
	});
}

/** The registrations page of a date (recorded: `registration.list`). */
export function listRegistrations(scope: OrganizationScope, input: { occurrenceId: string }): Promise<Result<RegistrationList, 'not_found'>> {
	return readRegistrations(scope, input.occurrenceId, 'registration.list');
}

/** The registrations of a date for the CSV download (recorded: `registration.export`). */
export async function exportRegistrations(scope: OrganizationScope, input: { occurrenceId: string }): Promise<Result<RegistrationListItem[], 'not_found'>> {
	const read = await readRegistrations(scope, input.occurrenceId, 'registration.export');
	return read.ok ? ok(read.value.registrations) : read;
}

// ── check-in ────────────────────────────────────────────────────────────────────────────────────

/** A registration of the organisation as the door needs it (its date's program, group size, arrival), found by `which`. */
export async function registrationAtDoor(tx: Tx<'organization'>, organizationId: string, which: SQL) {
	const [r] = await tx
		.select({
			id: registrations.id,
			occurrenceId: registrations.occurrenceId,
			programId: occurrences.programId,
			organizationId: registrations.organizationId,
			status: registrations.status,
			groupSize: registrations.groupSize,
			attendedAt: registrations.attendedAt,
			cardId: registrations.cardId
		})
		.from(registrations)
		.innerJoin(occurrences, eq(occurrences.id, registrations.occurrenceId))
		.where(and(eq(registrations.organizationId, organizationId), which));
	return r ?? null;
}

/** A registration of the organisation by its 受付番号, typed loosely (check-in at the door). */
export async function registrationByReference(tx: Tx<'organization'>, organizationId: string, typed: string) {
	const code = parseReference(typed);
	return code ? registrationAtDoor(tx, organizationId, eq(registrations.referenceCode, code)) : null;
}

/**
 * The place a card holder registered for this date (not cancelled, not waiting): checking in by the
 * card then counts the group the registration names, as its 受付番号 would.
 */
export async function registrationOfCardAt(tx: Tx<'organization'>, organizationId: string, occurrenceId: string, cardId: string) {
	const [r] = await tx
		.select({ id: registrations.id, groupSize: registrations.groupSize })
		.from(registrations)
		.where(and(eq(registrations.organizationId, organizationId), eq(registrations.occurrenceId, occurrenceId), eq(registrations.cardId, cardId), eq(registrations.status, 'registered')))
		.orderBy(desc(registrations.groupSize))
		.limit(1);
	return r ?? null;
}

/** Set attended once; false when it was already set or is not this organisation's. */
export async function markRegistrationAttended(tx: Tx<'organization'>, organizationId: string, registrationId: string): Promise<boolean> {
	const rows = await tx
		.update(registrations)
		.set({ attendedAt: new Date() })
		.where(and(eq(registrations.id, registrationId), eq(registrations.organizationId, organizationId), sql`${registrations.attendedAt} is null`))
		.returning({ id: registrations.id });
	return rows.length === 1;
}
