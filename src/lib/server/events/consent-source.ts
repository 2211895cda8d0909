/**
 * A registration as the consent module needs it: one of the organisation's own (staff note a
 * consent given on paper at the door), and the registration behind the person's private link
 * (their わたしの情報 page: what the organisation holds). In the caller's transaction; null for every miss.
 */
import { and, eq } from 'drizzle-orm';
import { isTokenShaped, tokenDigest } from '../auth';
import { decryptText } from '../crypto';
import { programSummaries } from '../directory';
import type { Tx } from '../scope';
import { occurrences, registrations } from './schema';

export interface ConsentRegistration {
	id: string;
	organizationId: string;
	name: string;
	contact: string;
	needs: string;
	/** What they registered for: the event's own title or its program's, and when. */
	title: string;
	startsAt: Date;
}

async function opened(tx: Tx, r: typeof registrations.$inferSelect): Promise<ConsentRegistration> {
	const open = (text: string, column: string) => decryptText(tx, text, { table: 'registrations', column, rowId: r.id, organizationId: r.organizationId });
	const [o] = await tx.select().from(occurrences).where(eq(occurrences.id, r.occurrenceId));
	const program = (await programSummaries(tx, [o.programId])).get(o.programId);
	return {
		id: r.id,
		organizationId: r.organizationId,
		name: await open(r.nameSealed, 'name_sealed'),
		contact: await open(r.contactSealed, 'contact_sealed'),
		needs: r.needsSealed ? await open(r.needsSealed, 'needs_sealed') : '',
		title: o.title ?? program?.title ?? '',
		startsAt: o.startsAt
	};
}

/** The registration `registrationId` if it is `organizationId`'s. */
export async function registrationOfOrganization(tx: Tx<'organization'>, organizationId: string, registrationId: string): Promise<ConsentRegistration | null> {
	const [r] = await tx
		.select()
		.from(registrations)
		.where(and(eq(registrations.id, registrationId), eq(registrations.organizationId, organizationId)));
	return r ? opened(tx, r) : null;
}

/** The registration behind a private link (null for every miss). */
export async function registrationSourceByLink(tx: Tx<'system'>, token: string): Promise<ConsentRegistration | null> {
	if (!isTokenShaped(token)) return null;
	const [r] = await tx
		.select()
		.from(registrations)
		.where(eq(registrations.accessDigest, tokenDigest(token)));
	return r ? opened(tx, r) : null;
}
