/**
 * Registration without an account: capacity in people or 組, a waiting list promoted in order
 * when someone cancels (CiviCRM's On waitlist → Registered), the resident's own bearer link to see
 * and cancel, and the staff's list. Names, contacts and needs are sealed (crypto/). Every change
 * locks the occurrence row, so two people never take the last place.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db';
import { asSystem } from '../db/tenant';
import { encryptText, decryptText } from '../crypto';
import { isTokenShaped, newToken, tokenDigest } from '../auth/tokens';
import { recordAudit, type AuditOrigin } from '../audit';
import { programSummaries } from '../directory';
import { occurrences, registrations, type RegistrationStatus } from './schema';

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

async function used(tx: Db, o: OccurrenceRow): Promise<number> {
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

/** Places left on a date (what the public page shows: 残り3組, 満席). */
export async function availability(db: Db, occurrenceId: string): Promise<Availability | null> {
	return asSystem(db, async (tx) => {
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

export type RegisterOutcome =
	{ ok: true; token: string | null; registrationId: string; status: RegistrationStatus; reference: string; repeated: boolean; contactKind: 'email' | 'phone'; contact: string } | { ok: false; reason: 'not_found' | 'closed' | 'cancelled' | 'past' | 'too_large' | 'already_registered' };

const seal = (tx: Db, text: string, column: string, id: string, organizationId: string) => encryptText(tx, text, { table: 'registrations', column, rowId: id, organizationId });
const open = (tx: Db, text: string, column: string, id: string, organizationId: string) => decryptText(tx, text, { table: 'registrations', column, rowId: id, organizationId });

/**
 * Register for a date (a resident, no account: the platform acts, the rules are the guard). A
 * repeated submission key returns the first registration (its link is not shown again). `cardId`
 * is a participation card the caller checked (participation's cardAllowedAt).
 */
export async function register(db: Db, occurrenceId: string, input: RegistrationInput, origin: AuditOrigin, now = new Date(), cardId: string | null = null): Promise<RegisterOutcome> {
	return asSystem(db, async (tx) => {
		const [o] = await tx.select().from(occurrences).where(eq(occurrences.id, occurrenceId)).for('update');
		if (!o) return { ok: false, reason: 'not_found' };
		const program = (await programSummaries(tx, [o.programId])).get(o.programId);
		if (!program?.published) return { ok: false, reason: 'not_found' };
		const [again] = await tx
			.select()
			.from(registrations)
			.where(and(eq(registrations.occurrenceId, o.id), eq(registrations.submissionKey, input.submissionKey)));
		if (again) return { ok: true, token: null, registrationId: again.id, status: again.status, reference: again.referenceCode, repeated: true, contactKind: again.contactKind, contact: '' };
		if (o.status === 'cancelled') return { ok: false, reason: 'cancelled' };
		if (!o.registrationOpen) return { ok: false, reason: 'closed' };
		if (o.startsAt <= now) return { ok: false, reason: 'past' };
		const need = weight(o, input.groupSize);
		if (o.capacity !== null && need > o.capacity) return { ok: false, reason: 'too_large' };
		const contact = normalizeContact(input.contact);
		const others = await tx
			.select()
			.from(registrations)
			.where(and(eq(registrations.occurrenceId, o.id), ne(registrations.status, 'cancelled')));
		for (const r of others) if (normalizeContact(await open(tx, r.contactSealed, 'contact_sealed', r.id, r.organizationId)) === contact) return { ok: false, reason: 'already_registered' };
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
			cardId
		});
		await recordAudit(tx, origin, { action: 'registration.create', organizationId: o.organizationId, entityType: 'registration', entityId: id, changedFields: [status] });
		return { ok: true, token, registrationId: id, status, reference, repeated: false, contactKind: contactKindOf(input.contact), contact: input.contact };
	});
}

export interface Promoted {
	registrationId: string;
	contactKind: 'email' | 'phone';
	contact: string;
	occurrenceId: string;
}

/** Cancel, then move waiting people up in order while they fit (a group too big waits on). */
async function cancelAndPromote(tx: Db, r: Row, origin: AuditOrigin): Promise<Promoted[]> {
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

/** The resident's own link: what they registered for, where they stand. */
export async function registrationByToken(db: Db, token: string) {
	if (!isTokenShaped(token)) return null;
	return asSystem(db, async (tx) => {
		const [r] = await tx
			.select()
			.from(registrations)
			.where(eq(registrations.accessDigest, tokenDigest(token)));
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
			attended: r.attendedAt !== null
		};
	});
}

/** Cancel by the resident's link; returns who moved up from the waiting list. */
export async function cancelByToken(db: Db, token: string, origin: AuditOrigin): Promise<{ ok: boolean; promoted: Promoted[] }> {
	if (!isTokenShaped(token)) return { ok: false, promoted: [] };
	return asSystem(db, async (tx) => {
		const [r] = await tx
			.select()
			.from(registrations)
			.where(eq(registrations.accessDigest, tokenDigest(token)));
		if (!r || r.status === 'cancelled') return { ok: false, promoted: [] };
		return { ok: true, promoted: await cancelAndPromote(tx, r, { ...origin, actorUserId: null }) };
	});
}

/** Staff cancel on a person's behalf (a phone call); the organisation's own registrations only. */
export async function cancelByStaff(tx: Db, organizationId: string, registrationId: string, origin: AuditOrigin): Promise<{ ok: boolean; promoted: Promoted[] }> {
	const [r] = await tx
		.select()
		.from(registrations)
		.where(and(eq(registrations.id, registrationId), eq(registrations.organizationId, organizationId)));
	if (!r || r.status === 'cancelled') return { ok: false, promoted: [] };
	return { ok: true, promoted: await cancelAndPromote(tx, r, origin) };
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
}

/** Everyone registered for one of the organisation's dates, decrypted, in registration order. */
export async function registrationsOf(tx: Db, organizationId: string, occurrenceId: string): Promise<RegistrationListItem[]> {
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
			attended: r.attendedAt !== null
		});
	}
	return out;
}

// ── check-in ────────────────────────────────────────────────────────────────────────────────────

export async function registrationByReference(tx: Db, organizationId: string, typed: string) {
	const code = parseReference(typed);
	if (!code) return null;
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
		.where(and(eq(registrations.organizationId, organizationId), eq(registrations.referenceCode, code)));
	return r ?? null;
}

/** Set attended once; false when it was already set or is not this organisation's. */
export async function markRegistrationAttended(tx: Db, organizationId: string, registrationId: string): Promise<boolean> {
	const rows = await tx
		.update(registrations)
		.set({ attendedAt: new Date() })
		.where(and(eq(registrations.id, registrationId), eq(registrations.organizationId, organizationId), sql`${registrations.attendedAt} is null`))
		.returning({ id: registrations.id });
	return rows.length === 1;
}
