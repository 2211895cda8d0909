/**
 * LINE people: pseudonymous persons of this module. Their LINE user id is sealed by crypto/ and
 * found again by a keyed digest, whose key is itself a sealed secret of the module (created on
 * first use), so neither a column nor a backup holds the raw id.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { decryptText, encryptText } from '../../crypto';
import type { Tx } from '../../scope';
import { consultationSecrets, linePeople } from '../schema';

const DIGEST_KEY = 'line_user_digest';
const secretBinding = (name: string) => ({ table: 'consultation_secrets', column: 'value_sealed', rowId: name, organizationId: null });
const userIdBinding = (rowId: string, organizationId: string) => ({ table: 'line_people', column: 'user_id_sealed', rowId, organizationId });

/** The digest key: read (or made once, by whichever process gets there first) in the platform's context. */
async function lineDigestKey(tx: Tx<'system'>): Promise<Buffer> {
	const read = async () => (await tx.select().from(consultationSecrets).where(eq(consultationSecrets.name, DIGEST_KEY)))[0];
	let row = await read();
	if (!row) {
		const valueSealed = await encryptText(tx, randomBytes(32).toString('base64url'), secretBinding(DIGEST_KEY));
		await tx.insert(consultationSecrets).values({ name: DIGEST_KEY, valueSealed }).onConflictDoNothing();
		row = await read();
	}
	return Buffer.from(await decryptText(tx, row!.valueSealed, secretBinding(DIGEST_KEY)), 'base64url');
}

export async function lineUserDigest(tx: Tx<'system'>, userId: string): Promise<string> {
	return createHmac('sha256', await lineDigestKey(tx))
		.update(userId, 'utf8')
		.digest('base64url');
}

export type LinePerson = typeof linePeople.$inferSelect;

/** The person by their LINE user id, locked for this transaction (their events go one at a time), or null. */
export async function linePersonByUserId(tx: Tx<'system'>, userId: string): Promise<LinePerson | null> {
	const [person] = await tx
		.select()
		.from(linePeople)
		.where(eq(linePeople.userDigest, await lineUserDigest(tx, userId)))
		.for('update');
	return person ?? null;
}

/**
 * The person who followed or wrote: made on first contact (served by `organizationId`, the one
 * window), and following again if they had unfollowed. Locked for this transaction.
 */
export async function followingLinePerson(tx: Tx<'system'>, userId: string, organizationId: string, followed: boolean): Promise<LinePerson> {
	const known = await linePersonByUserId(tx, userId);
	if (known) {
		if (known.following && !followed) return known;
		const [updated] = await tx
			.update(linePeople)
			.set({ following: true, unfollowedAt: null, ...(followed ? { followedAt: sql`now()` } : {}) })
			.where(eq(linePeople.id, known.id))
			.returning();
		return updated;
	}
	const id = randomUUID();
	const [made] = await tx
		.insert(linePeople)
		.values({ id, organizationId, userDigest: await lineUserDigest(tx, userId), userIdSealed: await encryptText(tx, userId, userIdBinding(id, organizationId)), followedAt: followed ? sql`now()` : null })
		.onConflictDoNothing()
		.returning();
	// Another delivery made them at the same moment: take theirs.
	return made ?? (await linePersonByUserId(tx, userId))!;
}

/** The LINE user id to push to (read by the serving organisation's counsellors or the platform). */
export function lineUserIdOf(tx: Tx, person: Pick<LinePerson, 'id' | 'organizationId' | 'userIdSealed'>): Promise<string> {
	return decryptText(tx, person.userIdSealed, userIdBinding(person.id, person.organizationId));
}
