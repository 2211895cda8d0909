/**
 * Whether a consent still stands, without opening what it carries: for the receiving side of a
 * referral, which reads it through a crossing into the holder's context (referrals/receive.ts).
 */
import { eq } from 'drizzle-orm';
import { todayInTokyo } from '../clock';
import type { Tx } from '../scope';
import { consents } from './schema';

export type ConsentStanding = 'in_force' | 'withdrawn' | 'ended';

/** `in_force` while given, not withdrawn, not refused and not past its date; `withdrawn`; otherwise `ended` (also when not found). */
export async function consentStanding(tx: Tx, consentId: string, now = new Date()): Promise<ConsentStanding> {
	const [row] = await tx.select({ givenAt: consents.givenAt, withdrawnAt: consents.withdrawnAt, refusedAt: consents.refusedAt, validUntil: consents.validUntil }).from(consents).where(eq(consents.id, consentId));
	if (!row) return 'ended';
	if (row.withdrawnAt) return 'withdrawn';
	if (!row.givenAt || row.refusedAt) return 'ended';
	return row.validUntil === null || row.validUntil >= todayInTokyo(now) ? 'in_force' : 'ended';
}
