/** New member organisations enter the directory here (network/ approves them), and names for others. */
import { eq, inArray } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import type { Tx } from '../db';
import { organizations } from './schema';

export interface NewOrganization {
	name: string;
	/** Stable handle; a random one when not given. */
	slug?: string;
	legalForm?: string | null;
	prefecture?: string | null;
	city?: string | null;
	website?: string | null;
	description?: string;
}

/**
 * Create the directory entry of an approved organisation. It is published at once: without
 * programs it shows only its profile, and its staff fill in the rest.
 */
export async function createMemberOrganization(tx: Tx<'secretariat' | 'system'>, input: NewOrganization): Promise<string> {
	const [row] = await tx
		.insert(organizations)
		.values({
			slug: input.slug ?? `m-${randomBytes(6).toString('hex')}`,
			name: input.name,
			legalForm: input.legalForm ?? null,
			prefecture: input.prefecture ?? null,
			city: input.city ?? null,
			website: input.website ?? null,
			description: input.description ?? ''
		})
		.returning({ id: organizations.id });
	return row.id;
}

export async function organizationNames(tx: Tx, ids: readonly string[]): Promise<Map<string, string>> {
	if (ids.length === 0) return new Map();
	const rows = await tx
		.select({ id: organizations.id, name: organizations.name })
		.from(organizations)
		.where(inArray(organizations.id, [...ids]));
	return new Map(rows.map((r) => [r.id, r.name]));
}

export async function organizationIdBySlug(tx: Tx<'system'>, slug: string): Promise<string | null> {
	const [row] = await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, slug));
	return row?.id ?? null;
}
