/**
 * Where a referral may go (referrals/send.ts): the published organisations and their published
 * programs, as a sender chooses them, and the check of one chosen pair.
 */
import { and, asc, eq, inArray, ne } from 'drizzle-orm';
import type { Tx } from '../db';
import { organizations, programs } from './schema';

export interface ReferralTarget {
	id: string;
	name: string;
	programs: { id: string; title: string }[];
}

/** Every published organisation except `except` (the sender), with its published programs, by name. */
export async function referralTargets(tx: Tx<'organization'>, except: string): Promise<ReferralTarget[]> {
	const orgs = await tx
		.select({ id: organizations.id, name: organizations.name })
		.from(organizations)
		.where(and(eq(organizations.published, true), ne(organizations.id, except)))
		.orderBy(asc(organizations.name));
	if (orgs.length === 0) return [];
	const rows = await tx
		.select({ id: programs.id, title: programs.title, organizationId: programs.organizationId })
		.from(programs)
		.where(
			and(
				eq(programs.published, true),
				inArray(
					programs.organizationId,
					orgs.map((o) => o.id)
				)
			)
		)
		.orderBy(asc(programs.title));
	return orgs.map((o) => ({ ...o, programs: rows.filter((p) => p.organizationId === o.id).map((p) => ({ id: p.id, title: p.title })) }));
}

/** The published organisation `organizationId` (and its published program `programId`, when given), or null. */
export async function referralTarget(tx: Tx<'organization'>, organizationId: string, programId: string | null): Promise<{ name: string; programTitle: string | null } | null> {
	const [org] = await tx
		.select({ name: organizations.name })
		.from(organizations)
		.where(and(eq(organizations.id, organizationId), eq(organizations.published, true)));
	if (!org) return null;
	if (!programId) return { name: org.name, programTitle: null };
	const [program] = await tx
		.select({ title: programs.title })
		.from(programs)
		.where(and(eq(programs.id, programId), eq(programs.organizationId, organizationId), eq(programs.published, true)));
	return program ? { name: org.name, programTitle: program.title } : null;
}

/** Program titles by id, whoever owns them (public rows), for lists of referrals. */
export async function programTitles(tx: Tx<'organization'>, ids: readonly string[]): Promise<Map<string, string>> {
	if (ids.length === 0) return new Map();
	const rows = await tx
		.select({ id: programs.id, title: programs.title })
		.from(programs)
		.where(inArray(programs.id, [...new Set(ids)]));
	return new Map(rows.map((r) => [r.id, r.title]));
}
