/**
 * Participation cards: a random id and a short code, no name. The holder chooses the member
 * organisations that may recognise the card (card_consents); each sees the holder's visits to it
 * and nothing of the others. The holder's own page is a bearer link stored as a digest.
 */
import { randomInt } from 'node:crypto';
import { and, eq, inArray, isNull, notInArray } from 'drizzle-orm';
import type { Db } from '../db';
import { asSystem } from '../db/tenant';
import { isTokenShaped, newToken, tokenDigest } from '../auth/tokens';
import { recordAudit, type AuditOrigin } from '../audit';
import { participationCards, cardConsents, AGE_BANDS, GENDERS, type AgeBand, type Gender } from './schema';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CARD_PREFIX = 'TSUNAGU-C:';
export const REGISTRATION_PREFIX = 'TSUNAGU-R:';

export function newCardCode(): string {
	return Array.from({ length: 10 }, () => CROCKFORD[randomInt(32)]).join('');
}
export const showCardCode = (code: string) => `${code.slice(0, 5)}-${code.slice(5)}`;

/** What the door reads: a scanned payload, or a code typed with hyphens, spaces, any case, O/I/L. */
export function parseDoorCode(input: string): { kind: 'card' | 'registration'; code: string } | null {
	let text = input.normalize('NFKC').trim().toUpperCase();
	let kind: 'card' | 'registration' | null = null;
	if (text.startsWith(CARD_PREFIX)) [kind, text] = ['card', text.slice(CARD_PREFIX.length)];
	else if (text.startsWith(REGISTRATION_PREFIX)) [kind, text] = ['registration', text.slice(REGISTRATION_PREFIX.length)];
	const code = text.replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
	if (!/^[0-9A-HJKMNP-TV-Z]+$/.test(code)) return null;
	if ((kind ?? 'card') === 'card' && code.length === 10) return { kind: 'card', code };
	if ((kind ?? 'registration') === 'registration' && code.length === 6) return { kind: 'registration', code };
	return null;
}

export const ageBandOf = (v: unknown): AgeBand | null => ((AGE_BANDS as readonly string[]).includes(String(v)) ? (String(v) as AgeBand) : null);
export const genderOf = (v: unknown): Gender | null => ((GENDERS as readonly string[]).includes(String(v)) ? (String(v) as Gender) : null);

/** Issue a card for a resident (no account: the platform acts). */
export async function issueCard(db: Db, input: { organizationIds: string[]; ageBand: AgeBand | null; gender: Gender | null }, origin: AuditOrigin): Promise<{ id: string; code: string; token: string }> {
	return asSystem(db, async (tx) => {
		const token = newToken();
		let code = newCardCode();
		for (let i = 0; i < 5; i++) {
			const [taken] = await tx.select({ id: participationCards.id }).from(participationCards).where(eq(participationCards.code, code));
			if (!taken) break;
			code = newCardCode();
		}
		const [card] = await tx.insert(participationCards).values({ code, manageDigest: tokenDigest(token), ageBand: input.ageBand, gender: input.gender }).returning({ id: participationCards.id });
		if (input.organizationIds.length) await tx.insert(cardConsents).values(input.organizationIds.map((organizationId) => ({ cardId: card.id, organizationId })));
		for (const organizationId of input.organizationIds) await recordAudit(tx, { ...origin, actorUserId: null }, { action: 'card.consent', organizationId, entityType: 'participation_card', entityId: card.id });
		return { id: card.id, code, token };
	});
}

/**
 * The card behind a typed card number, if it is not withdrawn and its holder allows this
 * organisation; null otherwise — one answer for all three, so that a number tried on a public form
 * says nothing about the card.
 */
export async function cardAllowedAt(db: Db, typed: string, organizationId: string): Promise<string | null> {
	const parsed = parseDoorCode(typed);
	if (parsed?.kind !== 'card') return null;
	return asSystem(db, async (tx) => {
		const [card] = await tx
			.select({ id: participationCards.id })
			.from(participationCards)
			.innerJoin(cardConsents, and(eq(cardConsents.cardId, participationCards.id), eq(cardConsents.organizationId, organizationId)))
			.where(and(eq(participationCards.code, parsed.code), isNull(participationCards.revokedAt)));
		return card?.id ?? null;
	});
}

export async function cardByToken(db: Db, token: string) {
	if (!isTokenShaped(token)) return null;
	return asSystem(db, async (tx) => {
		const [card] = await tx.select().from(participationCards).where(eq(participationCards.manageDigest, tokenDigest(token)));
		if (!card) return null;
		const consents = await tx.select({ organizationId: cardConsents.organizationId }).from(cardConsents).where(eq(cardConsents.cardId, card.id));
		return { id: card.id, code: card.code, ageBand: card.ageBand, gender: card.gender, revoked: card.revokedAt !== null, organizationIds: consents.map((c) => c.organizationId) };
	});
}

/** The holder changes which organisations may recognise the card. */
export async function setCardConsents(db: Db, token: string, organizationIds: string[], origin: AuditOrigin): Promise<boolean> {
	const card = await cardByToken(db, token);
	if (!card || card.revoked) return false;
	await asSystem(db, async (tx) => {
		const removed = card.organizationIds.filter((id) => !organizationIds.includes(id));
		const added = organizationIds.filter((id) => !card.organizationIds.includes(id));
		await tx.delete(cardConsents).where(and(eq(cardConsents.cardId, card.id), organizationIds.length ? notInArray(cardConsents.organizationId, organizationIds) : undefined));
		if (added.length) await tx.insert(cardConsents).values(added.map((organizationId) => ({ cardId: card.id, organizationId }))).onConflictDoNothing();
		for (const organizationId of added) await recordAudit(tx, { ...origin, actorUserId: null }, { action: 'card.consent', organizationId, entityType: 'participation_card', entityId: card.id });
		for (const organizationId of removed) await recordAudit(tx, { ...origin, actorUserId: null }, { action: 'card.withdraw', organizationId, entityType: 'participation_card', entityId: card.id });
	});
	return true;
}

/** Withdraw the card: no organisation recognises it any more (past visits stay as counts). */
export async function revokeCard(db: Db, token: string, origin: AuditOrigin): Promise<boolean> {
	const card = await cardByToken(db, token);
	if (!card || card.revoked) return false;
	await asSystem(db, async (tx) => {
		await tx.update(participationCards).set({ revokedAt: new Date() }).where(eq(participationCards.id, card.id));
		if (card.organizationIds.length) await tx.delete(cardConsents).where(and(eq(cardConsents.cardId, card.id), inArray(cardConsents.organizationId, card.organizationIds)));
		await recordAudit(tx, { ...origin, actorUserId: null }, { action: 'card.revoke', entityType: 'participation_card', entityId: card.id });
	});
	return true;
}
