/**
 * Participation cards: a random id and a short code, no name. The holder chooses the member
 * organisations that may recognise the card (card_consents); each sees the holder's visits to it
 * and nothing of the others. The holder's own page is a bearer link stored as a digest.
 */
import { randomInt } from 'node:crypto';
import { and, eq, inArray, isNull, notInArray } from 'drizzle-orm';
import { isTokenShaped, newToken, tokenDigest } from '../auth';
import { recordAudit } from '../audit';
import { organizationsWithPublishedPrograms } from '../directory';
import { between, ok, refused, runAcross, runIn, type OrganizationScope, type ResidentScope, type Result, type SystemScope, type Tx } from '../scope';
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

/**
 * The organisations a card may name: those with a published program, the list the card pages
 * offer (directory's organizationsWithPublishedPrograms). One rule for issuing and for changing the
 * choice, so both refuse the same way.
 */
async function unknownOrganizations(tx: Tx, organizationIds: readonly string[]): Promise<boolean> {
	const offered = new Set((await organizationsWithPublishedPrograms(tx)).map((o) => o.id));
	return organizationIds.some((id) => !offered.has(id));
}

/** Why a card's choice of organisations is refused: none chosen (issuing needs one), or one not offered. */
export type CardChoiceRefusal = 'no_organization' | 'unknown_organization';

/** Issue a card for a resident (no account: the platform acts, in the system context) — asked for
 * on the public form, or by a platform tool (the benchmark). At least one offered organisation. */
export async function issueCard(scope: ResidentScope | SystemScope, input: { organizationIds: string[]; ageBand: AgeBand | null; gender: Gender | null }): Promise<Result<{ id: string; code: string; token: string }, CardChoiceRefusal>> {
	if (input.organizationIds.length === 0) return refused('no_organization');
	return runIn(scope, async (tx) => {
		if (await unknownOrganizations(tx, input.organizationIds)) return refused('unknown_organization');
		const token = newToken();
		let code = newCardCode();
		for (let i = 0; i < 5; i++) {
			const [taken] = await tx.select({ id: participationCards.id }).from(participationCards).where(eq(participationCards.code, code));
			if (!taken) break;
			code = newCardCode();
		}
		const [card] = await tx
			.insert(participationCards)
			.values({ code, manageDigest: tokenDigest(token), ageBand: input.ageBand, gender: input.gender })
			.returning({ id: participationCards.id });
		await tx.insert(cardConsents).values(input.organizationIds.map((organizationId) => ({ cardId: card.id, organizationId })));
		for (const organizationId of input.organizationIds) await recordAudit(tx, scope.origin, { action: 'card.consent', organizationId, entityType: 'participation_card', entityId: card.id });
		return ok({ id: card.id, code, token });
	});
}

/**
 * The card behind a typed card number, if it is not withdrawn and its holder allows organisation
 * `organizationId`; refused otherwise — one answer for all three, so that a number tried on a public
 * form says nothing about the card. The first crossing between scopes (scope/`between`): it reads
 * the other organisation's consents in that organisation's context, read-only, nothing else.
 */
export async function cardAllowedAt(scope: ResidentScope | OrganizationScope, input: { typed: string; organizationId: string }): Promise<Result<string, 'not_recognised'>> {
	const parsed = parseDoorCode(input.typed);
	if (parsed?.kind !== 'card') return refused('not_recognised');
	const id = await runAcross(between(scope, input.organizationId, 'card_recognition'), async (tx) => {
		const [card] = await tx
			.select({ id: participationCards.id })
			.from(participationCards)
			.innerJoin(cardConsents, and(eq(cardConsents.cardId, participationCards.id), eq(cardConsents.organizationId, input.organizationId)))
			.where(and(eq(participationCards.code, parsed.code), isNull(participationCards.revokedAt)));
		return card?.id ?? null;
	});
	return id ? ok(id) : refused('not_recognised');
}

export type HeldCard = { id: string; code: string; ageBand: AgeBand | null; gender: Gender | null; revoked: boolean; organizationIds: string[] };

async function heldCard(tx: Tx<'system'>, token: string): Promise<HeldCard | null> {
	const [card] = await tx
		.select()
		.from(participationCards)
		.where(eq(participationCards.manageDigest, tokenDigest(token)));
	if (!card) return null;
	const consents = await tx.select({ organizationId: cardConsents.organizationId }).from(cardConsents).where(eq(cardConsents.cardId, card.id));
	return { id: card.id, code: card.code, ageBand: card.ageBand, gender: card.gender, revoked: card.revokedAt !== null, organizationIds: consents.map((c) => c.organizationId) };
}

/** The holder's card by its bearer link (a lookup: null when there is none). */
export async function cardByToken(scope: ResidentScope, token: string): Promise<HeldCard | null> {
	if (!isTokenShaped(token)) return null;
	return runIn(scope, (tx) => heldCard(tx, token));
}

export type CardRefusal = 'not_found' | 'revoked';

/** The holder changes which organisations may recognise the card. */
export async function setCardConsents(scope: ResidentScope, input: { token: string; organizationIds: string[] }): Promise<Result<void, CardRefusal | 'unknown_organization'>> {
	const { token, organizationIds } = input;
	if (!isTokenShaped(token)) return refused('not_found');
	return runIn(scope, async (tx) => {
		const card = await heldCard(tx, token);
		if (!card) return refused('not_found');
		if (card.revoked) return refused('revoked');
		// Choosing none withdraws the card from every organisation; naming one not offered changes nothing.
		if (await unknownOrganizations(tx, organizationIds)) return refused('unknown_organization');
		const removed = card.organizationIds.filter((id) => !organizationIds.includes(id));
		const added = organizationIds.filter((id) => !card.organizationIds.includes(id));
		await tx.delete(cardConsents).where(and(eq(cardConsents.cardId, card.id), organizationIds.length ? notInArray(cardConsents.organizationId, organizationIds) : undefined));
		if (added.length)
			await tx
				.insert(cardConsents)
				.values(added.map((organizationId) => ({ cardId: card.id, organizationId })))
				.onConflictDoNothing();
		for (const organizationId of added) await recordAudit(tx, scope.origin, { action: 'card.consent', organizationId, entityType: 'participation_card', entityId: card.id });
		for (const organizationId of removed) await recordAudit(tx, scope.origin, { action: 'card.withdraw', organizationId, entityType: 'participation_card', entityId: card.id });
		return ok();
	});
}

/** Withdraw the card: no organisation recognises it any more (past visits stay as counts). */
export async function revokeCard(scope: ResidentScope, input: { token: string }): Promise<Result<void, CardRefusal>> {
	if (!isTokenShaped(input.token)) return refused('not_found');
	return runIn(scope, async (tx) => {
		const card = await heldCard(tx, input.token);
		if (!card) return refused('not_found');
		if (card.revoked) return refused('revoked');
		await tx.update(participationCards).set({ revokedAt: new Date() }).where(eq(participationCards.id, card.id));
		if (card.organizationIds.length) await tx.delete(cardConsents).where(and(eq(cardConsents.cardId, card.id), inArray(cardConsents.organizationId, card.organizationIds)));
		await recordAudit(tx, scope.origin, { action: 'card.revoke', entityType: 'participation_card', entityId: card.id });
		return ok();
	});
}
