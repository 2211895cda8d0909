/**
 * The network as a 孤独・孤立対策地域協議会 (孤独・孤立対策推進法, 2024): the secretariat declares it,
 * names its member organisations and ends it. Members exchange the information support needs and
 * owe confidentiality (守秘義務); a sharing on this basis (`basisAllows`, ./sharing.ts) still
 * needs a written reason, and the secretariat sees it in the provision records (./provisions.ts).
 *
 * - One declaration at most (`regional_council`, one row). Declaring while one is in force is
 *   refused; after an end, a new declaration replaces the row.
 * - Members are published organisations of the network (the directory says which). Ending the
 *   council takes its members off too: a new council names its members anew.
 * - The declaration and its members are public (row-level security lets anyone read them): people
 *   are told where their information may be exchanged (`/council`).
 *
 * Every change is audited (`council.declare`, `council.members`, `council.end`) with no
 * organisation (it is the network's), as the transaction's last write.
 */
import { eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { can } from '../auth';
import { recordAudit } from '../audit';
import { allOrganizations, organizationNames } from '../directory';
import { ok, refused, runIn, type ResidentScope, type Result, type SecretariatScope, type Tx } from '../scope';
import { councilMembers, regionalCouncil } from './schema';

export const COUNCIL_NAME_MAX = 200;
/** The usual name, offered in the form. */
export const COUNCIL_NAME_DEFAULT = '孤独・孤立対策地域協議会';

export const councilDeclareInput = z.object({ name: z.string().trim().min(1, 'council.error.name').max(COUNCIL_NAME_MAX, 'council.error.name') });
export type CouncilDeclareInput = z.output<typeof councilDeclareInput>;

export const councilMembersInput = z.object({ organizationIds: z.array(z.guid('council.error.members')).max(2000, 'council.error.members') });
export type CouncilMembersInput = z.output<typeof councilMembersInput>;

export interface CouncilMember {
	id: string;
	name: string;
}

/** The declaration in force, as readers see it. */
export interface CouncilDeclaration {
	name: string;
	declaredAt: Date;
	members: CouncilMember[];
}

const byName = (a: CouncilMember, b: CouncilMember) => a.name.localeCompare(b.name, 'ja');

/** The council in force (not ended) with its members' names; null when the network has none. For any reader's transaction. */
export async function councilDeclaration(tx: Tx): Promise<CouncilDeclaration | null> {
	const [row] = await tx.select({ name: regionalCouncil.name, declaredAt: regionalCouncil.declaredAt }).from(regionalCouncil).where(isNull(regionalCouncil.endedAt));
	if (!row) return null;
	const ids = (await tx.select({ id: councilMembers.organizationId }).from(councilMembers)).map((m) => m.id);
	const names = await organizationNames(tx, ids);
	return { name: row.name, declaredAt: row.declaredAt, members: ids.map((id) => ({ id, name: names.get(id) ?? '' })).sort(byName) };
}

/** The public page: the declaration in force and its members (no login; read in the platform's context, public rows only). */
export async function publicCouncil(scope: ResidentScope): Promise<CouncilDeclaration | null> {
	return runIn(scope, (tx) => councilDeclaration(tx));
}

export interface CouncilPage {
	declaration: CouncilDeclaration | null;
	/** The last council, when it was ended and none is in force. */
	ended: { name: string; endedAt: Date } | null;
	/** The published organisations the secretariat may name, each marked when it is a member. */
	organizations: Array<CouncilMember & { member: boolean }>;
}

export type CouncilRefusal = 'forbidden';

/** Only a secretariat scope the guard made for `network.council`. */
const allowed = (scope: SecretariatScope) => scope.permission === 'network.council' && scope.actor.secretariat && can(scope.actor, scope.permission);

async function publishedOrganizations(tx: Tx): Promise<CouncilMember[]> {
	return (await allOrganizations(tx)).filter((o) => o.published).map((o) => ({ id: o.id, name: o.name }));
}

/** The secretariat's page: the declaration (or the last one ended) and the organisations it may name. */
export async function councilPage(scope: SecretariatScope): Promise<Result<CouncilPage, CouncilRefusal>> {
	if (!allowed(scope)) return refused('forbidden');
	return runIn(scope, async (tx) => {
		const declaration = await councilDeclaration(tx);
		const [last] = declaration ? [] : await tx.select({ name: regionalCouncil.name, endedAt: regionalCouncil.endedAt }).from(regionalCouncil);
		const members = new Set(declaration?.members.map((m) => m.id) ?? []);
		const organizations = (await publishedOrganizations(tx)).map((o) => ({ ...o, member: members.has(o.id) })).sort(byName);
		return ok({ declaration, ended: last?.endedAt ? { name: last.name, endedAt: last.endedAt } : null, organizations });
	});
}

export type DeclareRefusal = CouncilRefusal | 'already_declared';

/** Declare the network a 協議会 (`council.declare`); after an end the new declaration replaces the row. */
export async function declareCouncil(scope: SecretariatScope, input: CouncilDeclareInput): Promise<Result<void, DeclareRefusal>> {
	if (!allowed(scope)) return refused('forbidden');
	const { name } = councilDeclareInput.parse(input);
	return runIn(scope, async (tx) => {
		// The one row, locked: two secretariat admins declaring at once do it one after the other.
		const [current] = await tx.select({ endedAt: regionalCouncil.endedAt }).from(regionalCouncil).for('update');
		if (current && current.endedAt === null) return refused('already_declared');
		const row = { name, declaredAt: new Date(), declaredBy: scope.actor.userId, endedAt: null };
		if (current) await tx.update(regionalCouncil).set(row).where(eq(regionalCouncil.id, true));
		else await tx.insert(regionalCouncil).values({ id: true, ...row });
		await recordAudit(tx, scope.origin, { action: 'council.declare', entityType: 'regional_council', changedFields: ['name', 'declared_at', 'declared_by', 'ended_at'] });
		return ok();
	});
}

export type MembersRefusal = CouncilRefusal | 'not_declared' | 'unknown_organization';

/**
 * Name the council's members (`council.members`): exactly these published organisations, from now
 * on. Those already members keep their date; the others are added or taken off.
 */
export async function setCouncilMembers(scope: SecretariatScope, input: CouncilMembersInput): Promise<Result<{ added: number; removed: number }, MembersRefusal>> {
	if (!allowed(scope)) return refused('forbidden');
	const wanted = new Set(councilMembersInput.parse(input).organizationIds.map((id) => id.toLowerCase()));
	return runIn(scope, async (tx) => {
		const [current] = await tx.select({ endedAt: regionalCouncil.endedAt }).from(regionalCouncil).for('update');
		if (!current || current.endedAt !== null) return refused('not_declared');
		const published = new Set((await publishedOrganizations(tx)).map((o) => o.id));
		if ([...wanted].some((id) => !published.has(id))) return refused('unknown_organization');
		const now = new Set((await tx.select({ id: councilMembers.organizationId }).from(councilMembers)).map((m) => m.id));
		const add = [...wanted].filter((id) => !now.has(id));
		const remove = [...now].filter((id) => !wanted.has(id));
		for (const id of remove) await tx.delete(councilMembers).where(eq(councilMembers.organizationId, id));
		if (add.length > 0) await tx.insert(councilMembers).values(add.map((organizationId) => ({ organizationId, addedBy: scope.actor.userId })));
		await recordAudit(tx, scope.origin, { action: 'council.members', entityType: 'regional_council', entityId: `added=${add.length} removed=${remove.length} members=${wanted.size}`, changedFields: ['council_members'] });
		return ok({ added: add.length, removed: remove.length });
	});
}

export type EndRefusal = CouncilRefusal | 'not_declared';

/** End the council (`council.end`): no sharing on this basis from now on; its members are taken off. */
export async function endCouncil(scope: SecretariatScope): Promise<Result<void, EndRefusal>> {
	if (!allowed(scope)) return refused('forbidden');
	return runIn(scope, async (tx) => {
		const [current] = await tx.select({ endedAt: regionalCouncil.endedAt }).from(regionalCouncil).for('update');
		if (!current || current.endedAt !== null) return refused('not_declared');
		await tx.update(regionalCouncil).set({ endedAt: new Date() }).where(eq(regionalCouncil.id, true));
		const removed = await tx.delete(councilMembers).returning({ id: councilMembers.organizationId });
		await recordAudit(tx, scope.origin, { action: 'council.end', entityType: 'regional_council', entityId: `removed=${removed.length}`, changedFields: ['ended_at', 'council_members'] });
		return ok();
	});
}
