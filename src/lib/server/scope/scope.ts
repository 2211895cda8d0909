/**
 * The scope: who acts, for which organisation, with which audit origin — and the only way to open
 * a transaction with the matching row-level security context (`runIn`).
 *
 * A scope is made only here, by the mint functions below, and those are called only by the guard
 * (src/lib/server/auth/guard.ts: `requireOrganization`, `requireSecretariat`, `residentScope`,
 * `requireAccount`), by auth's accounts module for a person it has just identified by a reset link
 * or a pending second factor (auth/accounts.ts), and by the platform's own jobs (`systemScope`,
 * ./system.ts). The brand is a module-private symbol, so
 * no object literal, string or id type-checks as a scope; and the scope's pool and context live in
 * a module-private WeakMap, so even a cast object opens no transaction (`runIn` throws).
 */
import { sql } from 'drizzle-orm';
import type { PgTransactionConfig } from 'drizzle-orm/pg-core';
import { recordAudit, type AuditOrigin } from '../audit';
import type { Actor, Permission } from '../auth';
import { SYSTEM, withAccess, type AccessContext } from '../db';
import type { Pool, Tx } from '../db';
import { UUID } from '../boundary';

const scopeBrand: unique symbol = Symbol('scope');
const crossingBrand: unique symbol = Symbol('crossing');

/** The context each kind of scope runs in. A resident has no identity in the policies: the module
 * that serves a bearer link checks the link and works with the system context, and says so. */
export interface ContextOfScope {
	organization: 'organization';
	secretariat: 'secretariat';
	resident: 'system';
	system: 'system';
	account: 'account';
}
export type ScopeKind = keyof ContextOfScope;

interface ScopeBase<K extends ScopeKind> {
	readonly kind: K;
	/** Who and where, for the audit log (the request's address, agent and id). */
	readonly origin: AuditOrigin;
	readonly [scopeBrand]: K;
}

/** Staff acting for one organisation, with the permission the guard checked. Its transaction sees
 * that organisation's private rows and no other's. */
export interface OrganizationScope extends ScopeBase<'organization'> {
	readonly organizationId: string;
	readonly actor: Actor;
	readonly permission: Permission;
}

/** A secretariat admin acting network-wide, for a network permission. */
export interface SecretariatScope extends ScopeBase<'secretariat'> {
	readonly actor: Actor;
	readonly permission: Permission;
}

/** A resident without an account: a visitor of the public pages, or the holder of a bearer link
 * (a card's or a registration's page), which the module checks itself. */
export type ResidentScope = ScopeBase<'resident'>;

/** The platform acting for no one: start-up, timers, tools. */
export interface SystemScope extends ScopeBase<'system'> {
	readonly job: string;
}

/**
 * A person acting on their own account (password, name, second factor, sessions, logging out), in
 * no organisation's name. Made by the guard from the session (`requireAccount`), or by auth's
 * accounts module from what identified the person instead of a session (a reset link, the pending
 * session between password and second factor): then `sessionId` is null. Its transaction sees the
 * person's own rows only (`app.user_id`, no organisation, no secretariat, no system).
 */
export interface AccountScope extends ScopeBase<'account'> {
	readonly userId: string;
	/** The session (its id: the token's digest) the person acts from; null for a link. */
	readonly sessionId: string | null;
	/** The signed-in person, when the scope comes from a full session; null otherwise. */
	readonly actor: Actor | null;
}

/** What `requireAccount` gives: the scope of a fully signed-in person. */
export type SignedInScope = AccountScope & { readonly sessionId: string; readonly actor: Actor };

export type Scope = OrganizationScope | SecretariatScope | ResidentScope | SystemScope | AccountScope;
export type TxOf<S extends Scope> = Tx<ContextOfScope[S['kind']]>;

interface Private {
	pool: Pool;
	context: AccessContext;
}
const minted = new WeakMap<object, Private>();

function mint<S extends Scope>(scope: Omit<S, typeof scopeBrand>, pool: Pool, context: AccessContext): S {
	const made = Object.freeze({ ...scope, [scopeBrand]: scope.kind }) as unknown as S;
	minted.set(made, { pool, context });
	return made;
}

function secrets(scope: object): Private {
	const found = minted.get(scope);
	if (!found) throw new Error('not a scope made by the guard');
	return found;
}

// ——— Mint functions: for the guard (auth/guard.ts) and ./system.ts only. ———

/**
 * The context carries exactly the standing the guard used: the organisation, when the actor holds a
 * role there; otherwise (a secretariat admin acting through a network permission) the secretariat's.
 */
export function mintOrganizationScope(pool: Pool, actor: Actor, organizationId: string, permission: Permission, origin: AuditOrigin): OrganizationScope {
	const member = actor.memberships.some((m) => m.organizationId === organizationId);
	const context: AccessContext = member ? { userId: actor.userId, organizationIds: [organizationId] } : { userId: actor.userId, organizationIds: [], secretariat: actor.secretariat };
	return mint<OrganizationScope>({ kind: 'organization', organizationId, actor, permission, origin }, pool, context);
}

export function mintSecretariatScope(pool: Pool, actor: Actor, permission: Permission, origin: AuditOrigin): SecretariatScope {
	if (!actor.secretariat) throw new Error('a secretariat scope for someone without secretariat standing');
	return mint<SecretariatScope>({ kind: 'secretariat', actor, permission, origin }, pool, { userId: actor.userId, organizationIds: [], secretariat: true });
}

export function mintResidentScope(pool: Pool, origin: AuditOrigin): ResidentScope {
	return mint<ResidentScope>({ kind: 'resident', origin: { ...origin, actorUserId: null } }, pool, SYSTEM);
}

/** The pool a scope runs on, for a system scope beside it (./system.ts). */
export function poolOfScope(scope: Scope): Pool {
	return secrets(scope).pool;
}

export function mintSystemScope(pool: Pool, job: string): SystemScope {
	return mint<SystemScope>({ kind: 'system', job, origin: { actorUserId: null, ip: null, userAgent: null, requestId: `job:${job}` } }, pool, SYSTEM);
}

/** A person on their own account; the origin names them whoever the request's actor is. */
export function mintAccountScope(pool: Pool, userId: string, sessionId: string | null, origin: AuditOrigin): AccountScope {
	if (!UUID.test(userId)) throw new Error('an account scope for something that is not a user id');
	return mint<AccountScope>({ kind: 'account', userId, sessionId, actor: null, origin: { ...origin, actorUserId: userId } }, pool, { userId });
}

export function mintSignedInScope(pool: Pool, actor: Actor, origin: AuditOrigin): SignedInScope {
	return mint<SignedInScope>({ kind: 'account', userId: actor.userId, sessionId: actor.sessionId, actor, origin: { ...origin, actorUserId: actor.userId } }, pool, { userId: actor.userId });
}

// ——— Using a scope. ———

/** One transaction with the scope's row-level security context (`config`: e.g. one snapshot for a long read). Not nestable: a `Tx` is no `Pool`. */
export async function runIn<S extends Scope, T>(scope: S, fn: (tx: TxOf<S>) => Promise<T>, config?: PgTransactionConfig): Promise<T> {
	const { pool, context } = secrets(scope);
	return withAccess(pool, context, (tx) => fn(tx as TxOf<S>), config);
}

// ——— Between two scopes. ———

/**
 * Why one party reads another organisation's rows. Each purpose says whether every crossing is
 * recorded in the audit log by the crossing itself (`audit: true`: action `crossing.<purpose>`,
 * organisation = the one read, entity = the organisation or party reading), or whether the
 * operation that uses what was read records it (`audit: false`), in which case the crossing's
 * transaction is read-only.
 */
export const CROSSING_PURPOSES = {
	/**
	 * Is this card one its holder lets organisation `to` recognise? A resident's registration form
	 * (and later another organisation's referral). One answer for "no such card", "withdrawn" and
	 * "not allowed there", so a miss tells nothing; a hit is kept on the registration, whose
	 * `registration.create` event records it — the look-up itself is not recorded a second time.
	 */
	card_recognition: { audit: false },
	/** The coming referrals: staff of one organisation reading what another shares with them. */
	referral: { audit: true },
	/**
	 * Case conferences: staff naming participants, or showing who takes part, read organisation
	 * `to`'s members who may take part (names and roles) — nothing about residents. Read-only; the
	 * conference operation that uses them records its own event (`conference.create`, `.view`, …).
	 */
	conference_members: { audit: false },
	/**
	 * A participant from another organisation viewed or changed a case conference of organisation
	 * `to`: their own organisation's log records it in the operation's transaction, and this crossing
	 * records it in the owner's (the operation's `conference.*` event, then `crossing.conference`) —
	 * a context for one organisation may append audit events of that organisation only.
	 */
	conference: { audit: true }
} as const satisfies Record<string, { audit: boolean }>;
export type CrossingPurpose = keyof typeof CROSSING_PURPOSES;

/** Permission to read organisation `to`'s rows once, for `purpose`, on behalf of `from`. */
export interface Crossing<P extends CrossingPurpose = CrossingPurpose> {
	readonly from: OrganizationScope | ResidentScope;
	readonly to: string;
	readonly purpose: P;
	readonly [crossingBrand]: P;
}

export function between<P extends CrossingPurpose>(from: OrganizationScope | ResidentScope, to: string, purpose: P): Crossing<P> {
	secrets(from);
	if (!UUID.test(to)) throw new Error('between: the organisation to read is not an id');
	if (!(purpose in CROSSING_PURPOSES)) throw new Error(`between: unknown purpose ${purpose}`);
	return Object.freeze({ from, to, purpose, [crossingBrand]: purpose }) as Crossing<P>;
}

/**
 * One transaction in organisation `to`'s context (its private rows, no other's; no secretariat,
 * no system), read-only unless the purpose is recorded here, in which case the crossing is appended
 * to the audit log as the transaction's last write.
 */
export async function runAcross<T>(crossing: Crossing, fn: (tx: Tx<'crossing'>) => Promise<T>): Promise<T> {
	const { pool } = secrets(crossing.from);
	const audited = CROSSING_PURPOSES[crossing.purpose].audit;
	const userId = crossing.from.kind === 'organization' ? crossing.from.actor.userId : null;
	return withAccess(pool, { userId, organizationIds: [crossing.to] }, async (tx) => {
		if (!audited) await tx.execute(sql`set transaction read only`);
		const value = await fn(tx as Tx<'crossing'>);
		if (audited) {
			const fromEntity = crossing.from.kind === 'organization' ? { entityType: 'organization', entityId: crossing.from.organizationId } : { entityType: 'resident', entityId: null };
			await recordAudit(tx, crossing.from.origin, { action: `crossing.${crossing.purpose}`, organizationId: crossing.to, ...fromEntity });
		}
		return value;
	});
}
