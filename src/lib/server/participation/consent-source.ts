/** A card behind its holder's private link, for the consent module's わたしの情報 page (null for every miss). */
import { eq } from 'drizzle-orm';
import { isTokenShaped, tokenDigest } from '../auth';
import type { Tx } from '../scope';
import { cardConsents, participationCards } from './schema';

export interface ConsentCard {
	id: string;
	revoked: boolean;
	/** The organisations the holder lets recognise the card. */
	organizationIds: string[];
}

export async function cardSourceByLink(tx: Tx<'system'>, token: string): Promise<ConsentCard | null> {
	if (!isTokenShaped(token)) return null;
	const [card] = await tx
		.select()
		.from(participationCards)
		.where(eq(participationCards.manageDigest, tokenDigest(token)));
	if (!card) return null;
	const allowed = await tx.select({ organizationId: cardConsents.organizationId }).from(cardConsents).where(eq(cardConsents.cardId, card.id));
	return { id: card.id, revoked: card.revokedAt !== null, organizationIds: allowed.map((c) => c.organizationId) };
}
