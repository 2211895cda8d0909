/**
 * Where a consultation goes: the organisation the person chose (from its public page), or the
 * network's one window — the organisation that hosts the secretariat (一元的な相談窓口, seed 003).
 */
import { organizationNames } from '../directory';
import { membershipsOf, secretariatUserIds } from '../network';
import { runIn, type ResidentScope, type Tx } from '../scope';

/** The organisation hosting the secretariat: where its first admin holds the role. Null before set-up. */
export async function oneWindow(tx: Tx<'system'>): Promise<string | null> {
	const [first] = await secretariatUserIds(tx);
	if (!first) return null;
	const held = await membershipsOf(tx, first);
	return held.find((m) => m.role === 'secretariat_admin')?.organizationId ?? null;
}

/** Does this organisation exist (a person may address any member organisation)? */
export async function organizationExists(tx: Tx<'system'>, id: string): Promise<boolean> {
	return (await organizationNames(tx, [id])).has(id);
}

/** The name of the organisation a person reached the form from (its public page), if it exists. */
export async function addresseeName(scope: ResidentScope, organizationId: string): Promise<string | null> {
	return runIn(scope, async (tx) => (await organizationNames(tx, [organizationId])).get(organizationId) ?? null);
}
