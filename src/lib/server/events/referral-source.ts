/**
 * A registration as the start of a referral (referrals/send.ts): whether it is the organisation's,
 * and the name, contact and needs the person gave, opened for the sender. The caller checks that
 * the actor may see registrations, and records the use in its own audit entry.
 */
import { and, eq } from 'drizzle-orm';
import { decryptText } from '../crypto';
import type { Tx } from '../scope';
import { registrations } from './schema';

export interface RegistrationForReferral {
	id: string;
	name: string;
	contact: string;
	needs: string | null;
}

const open = (tx: Tx, text: string, column: string, rowId: string, organizationId: string) => decryptText(tx, text, { table: 'registrations', column, rowId, organizationId });

/** The organisation's registration `registrationId`, opened, or null when it is not the organisation's. */
export async function registrationForReferral(tx: Tx, organizationId: string, registrationId: string): Promise<RegistrationForReferral | null> {
	const [r] = await tx
		.select()
		.from(registrations)
		.where(and(eq(registrations.id, registrationId), eq(registrations.organizationId, organizationId)));
	if (!r) return null;
	return {
		id: r.id,
		name: await open(tx, r.nameSealed, 'name_sealed', r.id, r.organizationId),
		contact: await open(tx, r.contactSealed, 'contact_sealed', r.id, r.organizationId),
		needs: r.needsSealed ? await open(tx, r.needsSealed, 'needs_sealed', r.id, r.organizationId) : null
	};
}
