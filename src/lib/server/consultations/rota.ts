/**
 * Who answers an organisation's urgent consultations, in order (consultation_rota): the first is on
 * call and alerted at once, the next ones in turn when a thread stays unopened (alerts.ts,
 * escalation.ts); and after how many minutes (consultation_settings.escalation_minutes, 1–1440,
 * default 10).
 *
 * Who may do what (read with the organisation's standing):
 * - see the rota and the minutes: the organisation's counsellors (`consultations.read`) and its
 *   admins (`consultations.manage`, like the first reply's settings);
 * - set the order and the minutes: `consultations.manage` held as a member of the organisation — its
 *   org_admin, or the secretariat admin at its own organisation (the one window). The permission
 *   is not network-wide, and a scope that is not a member's is refused (`not_member`): these rows are the organisation's own (row-level security shows them to its
 *   context only), and the secretariat's part in an escalation is to phone the organisation;
 * - link or unlink LINE, and make a link code: a counsellor who is on the rota, for themselves only.
 *
 * Only members who can answer consultations (a role with `consultations.reply`: counsellors, and
 * the secretariat admin at the window) can be on the rota; someone who lost that role is skipped
 * when alerting and dropped at the next save.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit, type AuditOrigin } from '../audit';
import { peopleByIds, roleIn, ROLE_PERMISSIONS, type Role } from '../auth';
import { decryptText, encryptText } from '../crypto';
import { membersOf } from '../network';
import { ok, refused, runIn, type OrganizationScope, type Result, type Tx } from '../scope';
import { consultationRota, consultationSettings } from './schema';

export const ROTA_ENTITY = 'consultation_rota';
export const SETTINGS_ENTITY = 'consultation_settings';
export const ESCALATION_MINUTES_DEFAULT = 10;
export const ESCALATION_MINUTES_MAX = 1440;
/** A LINE link code is good for this long, and once. */
export const LINE_LINK_MINUTES = 15;

/** Roles whose holders answer consultations (and so may be on call). */
export const ANSWERING_ROLES: readonly Role[] = (Object.keys(ROLE_PERMISSIONS) as Role[]).filter((r) => ROLE_PERMISSIONS[r].includes('consultations.reply'));

const lineBinding = (rowId: string, organizationId: string) => ({ table: 'consultation_rota', column: 'line_user_id_sealed', rowId, organizationId });

/** The organisation's members who can answer consultations, in the order they joined. */
export async function answeringMembers(tx: Tx<'organization' | 'system'>, organizationId: string): Promise<string[]> {
	return (await membersOf(tx, organizationId)).filter((m) => ANSWERING_ROLES.includes(m.role)).map((m) => m.userId);
}

export interface OnCall {
	rotaId: string;
	userId: string;
	/** Sealed LINE user id, when they linked LINE. */
	lineUserIdSealed: string | null;
}

/** The rota as it stands: members who can still answer, in order (position 1 = on call). */
export async function rotaOf(tx: Tx<'organization' | 'system'>, organizationId: string): Promise<OnCall[]> {
	const answering = new Set(await answeringMembers(tx, organizationId));
	const rows = await tx.select().from(consultationRota).where(eq(consultationRota.organizationId, organizationId)).orderBy(asc(consultationRota.position), asc(consultationRota.createdAt));
	return rows.filter((r) => answering.has(r.userId)).map((r) => ({ rotaId: r.id, userId: r.userId, lineUserIdSealed: r.lineUserIdSealed }));
}

/** The LINE user id a rota member linked (opened for an alert). */
export function lineUserIdOfRota(tx: Tx, row: { rotaId: string; lineUserIdSealed: string }, organizationId: string): Promise<string> {
	return decryptText(tx, row.lineUserIdSealed, lineBinding(row.rotaId, organizationId));
}

/** The organisation's escalation minutes (the default when it never set them). */
export async function escalationMinutesOf(tx: Tx, organizationId: string): Promise<number> {
	const [row] = await tx.select({ minutes: consultationSettings.escalationMinutes }).from(consultationSettings).where(eq(consultationSettings.organizationId, organizationId));
	return row?.minutes ?? ESCALATION_MINUTES_DEFAULT;
}

const isMember = (scope: OrganizationScope) => roleIn(scope.actor, scope.organizationId) !== null;

/** May this scope change the rota and the minutes (see the header)? */
export const managesRota = (scope: OrganizationScope): boolean => scope.permission === 'consultations.manage' && isMember(scope);

export interface RotaMember {
	userId: string;
	name: string;
	/** 1 = on call; null: not on the rota. */
	position: number | null;
	lineLinked: boolean;
}

export interface RotaPage {
	canManage: boolean;
	members: RotaMember[];
	minutes: number;
	/** The person looking, when they can answer consultations here. */
	me: { onRota: boolean; lineLinked: boolean } | null;
}

export type RotaRefusal = 'not_member';

/** The rota page: the members who can answer, those on the rota first in order, and the minutes. */
export async function rotaPage(scope: OrganizationScope): Promise<Result<RotaPage, RotaRefusal>> {
	if (!isMember(scope)) return refused('not_member');
	return runIn(scope, async (tx) => {
		const answering = await answeringMembers(tx, scope.organizationId);
		const rota = await rotaOf(tx, scope.organizationId);
		const people = await peopleByIds(tx, answering);
		const position = new Map(rota.map((r, i) => [r.userId, i + 1]));
		const linked = new Set(rota.filter((r) => r.lineUserIdSealed).map((r) => r.userId));
		const members = answering.map((userId) => ({ userId, name: people.get(userId)?.displayName ?? '', position: position.get(userId) ?? null, lineLinked: linked.has(userId) })).sort((a, b) => (a.position ?? Infinity) - (b.position ?? Infinity) || a.name.localeCompare(b.name, 'ja'));
		const mine = answering.includes(scope.actor.userId) ? { onRota: position.has(scope.actor.userId), lineLinked: linked.has(scope.actor.userId) } : null;
		return ok({ canManage: managesRota(scope), members, minutes: await escalationMinutesOf(tx, scope.organizationId), me: mine });
	});
}

/** Digits as typed on a Japanese keyboard (full width) count as digits. */
const halfWidth = z.string().transform((v) => v.normalize('NFKC').trim());

/**
 * The rota form: a position (1, 2, …) or nothing for each member who can answer. Order is by
 * position; the same position twice is refused rather than guessed.
 */
export const rotaInput = z
	.object({
		entries: z
			.array(
				z.object({
					userId: z.uuid('consult.rota.error.member'),
					position: halfWidth.pipe(z.string().regex(/^([1-9][0-9]?)?$/, 'consult.rota.error.position')).transform((v) => (v === '' ? null : Number(v)))
				})
			)
			.max(500)
	})
	.superRefine((v, ctx) => {
		const taken = v.entries.map((e) => e.position).filter((p) => p !== null);
		if (new Set(taken).size !== taken.length) ctx.addIssue({ code: 'custom', path: ['entries'], message: 'consult.rota.error.duplicate' });
	});
export type RotaInput = z.output<typeof rotaInput>;

export type RotaWriteRefusal = 'not_member' | 'forbidden' | 'not_answering';

/**
 * Set the rota (`consultation.rota_set`). Rows of people who stay keep their LINE link; people no
 * longer listed are taken off (their link with them).
 */
export async function setRota(scope: OrganizationScope, input: RotaInput): Promise<Result<void, RotaWriteRefusal>> {
	if (!isMember(scope)) return refused('not_member');
	if (!managesRota(scope)) return refused('forbidden');
	const order = input.entries
		.filter((e): e is { userId: string; position: number } => e.position !== null)
		.sort((a, b) => a.position - b.position)
		.map((e) => e.userId);
	return runIn(scope, async (tx) => {
		const answering = new Set(await answeringMembers(tx, scope.organizationId));
		if (order.some((u) => !answering.has(u))) return refused('not_answering');
		const org = scope.organizationId;
		const existing = await tx.select({ id: consultationRota.id, userId: consultationRota.userId }).from(consultationRota).where(eq(consultationRota.organizationId, org)).for('update');
		const kept = new Map(existing.map((r) => [r.userId, r.id]));
		for (const r of existing) if (!order.includes(r.userId)) await tx.delete(consultationRota).where(eq(consultationRota.id, r.id));
		for (const [i, userId] of order.entries()) {
			const id = kept.get(userId);
			if (id)
				await tx
					.update(consultationRota)
					.set({ position: i + 1 })
					.where(eq(consultationRota.id, id));
			else await tx.insert(consultationRota).values({ organizationId: org, userId, position: i + 1 });
		}
		await recordAudit(tx, scope.origin, { action: 'consultation.rota_set', organizationId: org, entityType: ROTA_ENTITY, entityId: org, changedFields: ['position'] });
		return ok();
	});
}

export const minutesInput = z.object({
	minutes: halfWidth
		.pipe(z.string().regex(/^\d{1,4}$/, 'consult.rota.error.minutes'))
		.transform(Number)
		.pipe(z.number().int().min(1, 'consult.rota.error.minutes').max(ESCALATION_MINUTES_MAX, 'consult.rota.error.minutes'))
});

/** Set the organisation's escalation minutes (`consultation.settings_escalation`): that column only. */
export async function setEscalationMinutes(scope: OrganizationScope, input: { minutes: number }): Promise<Result<void, RotaWriteRefusal>> {
	if (!isMember(scope)) return refused('not_member');
	if (!managesRota(scope)) return refused('forbidden');
	return runIn(scope, async (tx) => {
		const org = scope.organizationId;
		await tx
			.insert(consultationSettings)
			.values({ organizationId: org, escalationMinutes: input.minutes, updatedBy: scope.actor.userId })
			.onConflictDoUpdate({ target: consultationSettings.organizationId, set: { escalationMinutes: input.minutes, updatedAt: sql`now()`, updatedBy: scope.actor.userId } });
		await recordAudit(tx, scope.origin, { action: 'consultation.settings_escalation', organizationId: org, entityType: SETTINGS_ENTITY, entityId: org, changedFields: ['escalation_minutes'] });
		return ok();
	});
}

// ——— LINE linking ———

const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ'; // no 0/O, 1/I
const CODE_PREFIX = 'TSUNAGU';

/** A link code as the counsellor types it: `TSUNAGU-XXXX-XXXX-XX` (50 bits), case and width forgiven. */
export function normaliseLinkCode(text: string): string | null {
	const flat = text
		.normalize('NFKC')
		.toUpperCase()
		.replace(/[\s\-‐－ー]/g, '');
	const m = /^TSUNAGU([2-9A-HJ-NP-Z]{10})$/.exec(flat);
	return m ? m[1] : null;
}

const linkDigest = (code: string) => createHash('sha256').update(`line-link:${code}`).digest('hex');

function newLinkCode(): { shown: string; code: string } {
	const bytes = randomBytes(10);
	const code = [...bytes].map((b) => CODE_ALPHABET[b % 32]).join('');
	return { code, shown: `${CODE_PREFIX}-${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}` };
}

export type LinkRefusal = 'not_on_rota';

async function ownRotaRow(tx: Tx<'organization'>, scope: OrganizationScope) {
	const [row] = await tx
		.select()
		.from(consultationRota)
		.where(and(eq(consultationRota.organizationId, scope.organizationId), eq(consultationRota.userId, scope.actor.userId)))
		.for('update');
	return row ?? null;
}

/**
 * A one-time code for the counsellor to send the official account (`consultation.line_link_code`):
 * shown once, kept as a digest, good for LINE_LINK_MINUTES. A new code replaces an unused one.
 */
export async function newLineLinkCode(scope: OrganizationScope): Promise<Result<{ code: string; expiresAt: Date }, LinkRefusal>> {
	return runIn(scope, async (tx) => {
		const row = await ownRotaRow(tx, scope);
		if (!row) return refused('not_on_rota');
		const { code, shown } = newLinkCode();
		const expiresAt = new Date(Date.now() + LINE_LINK_MINUTES * 60_000);
		await tx
			.update(consultationRota)
			.set({ lineLinkDigest: linkDigest(code), lineLinkExpiresAt: expiresAt })
			.where(eq(consultationRota.id, row.id));
		await recordAudit(tx, scope.origin, { action: 'consultation.line_link_code', organizationId: scope.organizationId, entityType: ROTA_ENTITY, entityId: row.id });
		return ok({ code: shown, expiresAt });
	});
}

/** Stop LINE alerts for oneself (`consultation.line_unlink`): the sealed id and any unused code go. */
export async function unlinkLine(scope: OrganizationScope): Promise<Result<void, LinkRefusal>> {
	return runIn(scope, async (tx) => {
		const row = await ownRotaRow(tx, scope);
		if (!row) return refused('not_on_rota');
		await tx.update(consultationRota).set({ lineUserIdSealed: null, lineLinkDigest: null, lineLinkExpiresAt: null }).where(eq(consultationRota.id, row.id));
		await recordAudit(tx, scope.origin, { action: 'consultation.line_unlink', organizationId: scope.organizationId, entityType: ROTA_ENTITY, entityId: row.id, changedFields: ['line_user_id_sealed'] });
		return ok();
	});
}

/**
 * The webhook's half (platform context): a text that is a link code. A live code links the sender's
 * LINE user id to that rota row (sealed) and is used up; any other code-shaped text is answered as
 * expired. Null when the text is no link code at all (then it is a consultation).
 */
export async function linkLineByCode(tx: Tx<'system'>, origin: AuditOrigin, text: string, lineUserId: string): Promise<'linked' | 'unknown' | null> {
	const code = normaliseLinkCode(text);
	if (!code) return null;
	const [row] = await tx
		.select()
		.from(consultationRota)
		.where(and(eq(consultationRota.lineLinkDigest, linkDigest(code)), gt(consultationRota.lineLinkExpiresAt, sql`now()`)))
		.for('update');
	if (!row) return 'unknown';
	await tx
		.update(consultationRota)
		.set({ lineUserIdSealed: await encryptText(tx, lineUserId, lineBinding(row.id, row.organizationId)), lineLinkDigest: null, lineLinkExpiresAt: null })
		.where(eq(consultationRota.id, row.id));
	await recordAudit(tx, { ...origin, actorUserId: row.userId }, { action: 'consultation.line_link', organizationId: row.organizationId, entityType: ROTA_ENTITY, entityId: row.id, changedFields: ['line_user_id_sealed'] });
	return 'linked';
}
