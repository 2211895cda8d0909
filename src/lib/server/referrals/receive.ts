/**
 * Following a referral from both ends. The receiving organisation opens the items sealed for it —
 * every opening recorded (`referral.view`) — and takes the steps (accept, decline with a reason,
 * redirect, first contact, ongoing, complete); the sending organisation sees the status timeline
 * and which items it sent, never their values; either closes an open referral with an outcome.
 * Once the person withdrew their consent, or it ended, the receiver sees that and no items (ended
 * consents' items are erased at the first opening after the end). Row-level security keeps every
 * other organisation out (drizzle/0015); here a referral that is not the scope's is `not_found`.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, or, sql } from 'drizzle-orm';
import { recordAudit } from '../audit';
import { can } from '../auth';
import { decryptText, encryptText } from '../crypto';
import { consentStanding, type ShareItem } from '../consent';
import { organizationNames, programTitles, referralTarget, referralTargets } from '../directory';
import { between, ok, refused, runAcross, runIn, type OrganizationScope, type Result, type Tx } from '../scope';
import type { StepInput } from './model';
import { notifyStep } from './notify';
import { referralEvents, referralItems, referrals, type ContactPreference, type ReferralOutcome, type ReferralStatus } from './schema';
import { REFERRAL_ENTITY } from './send';
import { allowedActions, transition, type ReferralAction, type Side, type TransitionRefusal } from './status';

type Row = typeof referrals.$inferSelect;

export interface ReferralListRow {
	id: string;
	status: ReferralStatus;
	outcome: ReferralOutcome | null;
	createdAt: Date;
	statusChangedAt: Date;
	/** The other party's name (the sender for a received referral, the receiver for a sent one). */
	organizationName: string;
	programTitle: string | null;
	contactPreference: ContactPreference;
	followUpOn: string | null;
	consentEnded: boolean;
}

export interface ReferralLists {
	received: ReferralListRow[];
	sent: ReferralListRow[];
}

const LIST_LIMIT = 200;

/** The organisation's received and sent referrals, newest change first: statuses, dates, organisations, programs — no items. */
export async function referralsOf(scope: OrganizationScope): Promise<ReferralLists> {
	return runIn(scope, async (tx) => {
		const org = scope.organizationId;
		const rows = await tx
			.select()
			.from(referrals)
			.where(or(eq(referrals.fromOrganizationId, org), eq(referrals.toOrganizationId, org)))
			.orderBy(desc(referrals.statusChangedAt), desc(referrals.id))
			.limit(LIST_LIMIT * 2);
		const names = await organizationNames(tx, [...new Set(rows.flatMap((r) => [r.fromOrganizationId, r.toOrganizationId]))]);
		const titles = await programTitles(
			tx,
			rows.flatMap((r) => (r.toProgramId ? [r.toProgramId] : []))
		);
		const view = (r: Row, other: string): ReferralListRow => ({
			id: r.id,
			status: r.status,
			outcome: r.outcome,
			createdAt: r.createdAt,
			statusChangedAt: r.statusChangedAt,
			organizationName: names.get(other) ?? '',
			programTitle: r.toProgramId ? (titles.get(r.toProgramId) ?? null) : null,
			contactPreference: r.contactPreference,
			followUpOn: r.followUpOn,
			consentEnded: r.consentWithdrawnAt !== null
		});
		return {
			received: rows
				.filter((r) => r.toOrganizationId === org && can(scope.actor, 'referrals.receive', org))
				.slice(0, LIST_LIMIT)
				.map((r) => view(r, r.fromOrganizationId)),
			sent: rows
				.filter((r) => r.fromOrganizationId === org && can(scope.actor, 'referrals.send', org))
				.slice(0, LIST_LIMIT)
				.map((r) => view(r, r.toOrganizationId))
		};
	});
}

export interface TimelineEntry {
	status: ReferralStatus;
	outcome: ReferralOutcome | null;
	at: Date;
	/** The organisation that took the step (null: the platform). */
	organizationName: string | null;
	note: string | null;
}

export interface ReferralView {
	id: string;
	side: Side;
	status: ReferralStatus;
	outcome: ReferralOutcome | null;
	fromOrganizationName: string;
	toOrganizationName: string;
	programTitle: string | null;
	redirectOrganizationName: string | null;
	basis: Row['basis'];
	sensitive: boolean;
	contactPreference: ContactPreference;
	createdAt: Date;
	followUpOn: string | null;
	/** The items sent (names only). */
	items: ShareItem[];
	/** The receiver's opened values, in the order sent; null for the sender, and once the consent ended. */
	values: { item: ShareItem; value: string }[] | null;
	/** The person withdrew their consent, or it ended: the receiver sees no items. */
	consentEnded: 'withdrawn' | 'ended' | null;
	timeline: TimelineEntry[];
	/** The steps this side may take now. */
	actions: ReferralAction[];
	/** Organisations the receiver may suggest instead (when redirecting is one of the steps). */
	redirectChoices: { id: string; name: string }[];
}

export type OpenRefusal = 'not_found';

const noteBinding = (rowId: string, organizationId: string) => ({ table: 'referral_events', column: 'note_sealed', rowId, organizationId });
const itemBinding = (rowId: string, organizationId: string) => ({ table: 'referral_items', column: 'value_sealed', rowId, organizationId });

/** The referral, if the scope's organisation is one of its parties and the actor may act for that side. */
async function partyOf(tx: Tx<'organization'>, scope: OrganizationScope, referralId: string, lock = false): Promise<{ row: Row; side: Side } | null> {
	const query = tx
		.select()
		.from(referrals)
		.where(and(eq(referrals.id, referralId), or(eq(referrals.fromOrganizationId, scope.organizationId), eq(referrals.toOrganizationId, scope.organizationId))));
	const [row] = lock ? await query.for('update') : await query;
	if (!row) return null;
	const side: Side = row.toOrganizationId === scope.organizationId ? 'receiver' : 'sender';
	if (!can(scope.actor, side === 'receiver' ? 'referrals.receive' : 'referrals.send', scope.organizationId)) return null;
	return { row, side };
}

/**
 * For the receiver: whether the consent a referral was sent under still stands, read in the
 * sender's context through a crossing (the sender holds the consent; the crossing is recorded).
 */
async function consentEndedFor(scope: OrganizationScope, row: Pick<Row, 'basis' | 'consentId' | 'consentWithdrawnAt' | 'fromOrganizationId'>): Promise<'withdrawn' | 'ended' | null> {
	if (row.basis !== 'consent' || !row.consentId) return null;
	if (row.consentWithdrawnAt) return 'withdrawn';
	const consentId = row.consentId;
	const standing = await runAcross(between(scope, row.fromOrganizationId, 'referral'), (tx) => consentStanding(tx, consentId));
	return standing === 'in_force' ? null : standing;
}

async function timelineOf(tx: Tx, row: Row): Promise<TimelineEntry[]> {
	const events = await tx.select().from(referralEvents).where(eq(referralEvents.referralId, row.id)).orderBy(asc(referralEvents.createdAt), asc(referralEvents.id));
	const names = await organizationNames(tx, [row.fromOrganizationId, row.toOrganizationId]);
	return Promise.all(
		events.map(async (e) => ({
			status: e.status,
			outcome: e.outcome,
			at: e.createdAt,
			organizationName: e.actorOrganizationId ? (names.get(e.actorOrganizationId) ?? null) : null,
			note: e.noteSealed ? await decryptText(tx, e.noteSealed, noteBinding(e.id, e.toOrganizationId)) : null
		}))
	);
}

/**
 * Open a referral. The receiver gets the items decrypted and the opening recorded every time
 * (`referral.view`); the sender gets the timeline and the names of the items it sent, never their
 * values (its opening is recorded too: the timeline's notes are read).
 */
export async function openReferral(scope: OrganizationScope, input: { referralId: string }): Promise<Result<ReferralView, OpenRefusal>> {
	// Which side, and for the receiver whether the consent still stands (its own transaction in the sender's context).
	const peek = await runIn(scope, (tx) => partyOf(tx, scope, input.referralId));
	if (!peek) return refused('not_found');
	const ended = peek.side === 'receiver' ? await consentEndedFor(scope, peek.row) : peek.row.consentWithdrawnAt ? 'withdrawn' : null;
	return runIn(scope, async (tx) => {
		const party = await partyOf(tx, scope, input.referralId);
		if (!party) return refused('not_found');
		const { row, side } = party;
		let values: ReferralView['values'] = null;
		if (side === 'receiver') {
			if (ended) {
				// An ended consent's items go at once (a withdrawal erased them already, by trigger).
				await tx.delete(referralItems).where(eq(referralItems.referralId, row.id));
			} else {
				const stored = await tx.select().from(referralItems).where(eq(referralItems.referralId, row.id));
				values = [];
				for (const item of row.items) {
					const found = stored.find((s) => s.item === item);
					if (found) values.push({ item, value: await decryptText(tx, found.valueSealed, itemBinding(found.id, row.toOrganizationId)) });
				}
			}
		}
		const actions = allowedActions(row.status, side, ended !== null);
		const redirectChoices = actions.includes('redirect') ? (await referralTargets(tx, row.toOrganizationId)).filter((o) => o.id !== row.fromOrganizationId).map((o) => ({ id: o.id, name: o.name })) : [];
		const names = await organizationNames(tx, [row.fromOrganizationId, row.toOrganizationId, ...(row.redirectOrganizationId ? [row.redirectOrganizationId] : [])]);
		const program = row.toProgramId ? await programTitles(tx, [row.toProgramId]) : new Map<string, string>();
		const view: ReferralView = {
			id: row.id,
			side,
			status: row.status,
			outcome: row.outcome,
			fromOrganizationName: names.get(row.fromOrganizationId) ?? '',
			toOrganizationName: names.get(row.toOrganizationId) ?? '',
			programTitle: row.toProgramId ? (program.get(row.toProgramId) ?? null) : null,
			redirectOrganizationName: row.redirectOrganizationId ? (names.get(row.redirectOrganizationId) ?? null) : null,
			basis: row.basis,
			sensitive: row.sensitive,
			contactPreference: row.contactPreference,
			createdAt: row.createdAt,
			followUpOn: row.followUpOn,
			items: row.items,
			values,
			consentEnded: ended,
			timeline: await timelineOf(tx, row),
			actions,
			redirectChoices
		};
		await recordAudit(tx, scope.origin, { action: 'referral.view', organizationId: scope.organizationId, entityType: REFERRAL_ENTITY, entityId: row.id });
		return ok(view);
	});
}

export type StepRefusal = 'not_found' | TransitionRefusal | 'consent_ended' | 'note_required' | 'outcome_required' | 'unknown_organization';

/**
 * Take a step on a referral: a referral_events row (with the note sealed), the referral's status
 * and its dates, and the audit entry `referral.<status>`; the referring worker is mailed a link.
 */
export async function takeReferralStep(scope: OrganizationScope, input: StepInput): Promise<Result<{ status: ReferralStatus }, StepRefusal>> {
	if ((input.action === 'decline' || input.action === 'redirect') && !input.note?.trim()) return refused('note_required');
	if (input.action === 'close' && !input.outcome) return refused('outcome_required');
	const peek = await runIn(scope, (tx) => partyOf(tx, scope, input.referralId));
	if (!peek) return refused('not_found');
	const ended = peek.side === 'receiver' && input.action !== 'close' ? await consentEndedFor(scope, peek.row) : null;
	const done = await runIn(scope, async (tx): Promise<Result<{ status: ReferralStatus; row: Row }, StepRefusal>> => {
		const party = await partyOf(tx, scope, input.referralId, true);
		if (!party) return refused('not_found');
		const { row, side } = party;
		const next = transition(row.status, input.action, side);
		if (!next.ok) return next;
		if (input.action !== 'close' && (ended || row.consentWithdrawnAt)) return refused('consent_ended');
		let redirectOrganizationId: string | null = null;
		if (input.action === 'redirect') {
			if (!input.redirectTo || input.redirectTo === row.toOrganizationId || !(await referralTarget(tx, input.redirectTo, null))) return refused('unknown_organization');
			redirectOrganizationId = input.redirectTo;
		}
		const status = next.value;
		const eventId = randomUUID();
		const note = input.note?.trim() ? await encryptText(tx, input.note.trim(), noteBinding(eventId, row.toOrganizationId)) : null;
		const outcome = input.action === 'close' ? input.outcome : null;
		await tx
			.insert(referralEvents)
			.values({ id: eventId, referralId: row.id, fromOrganizationId: row.fromOrganizationId, toOrganizationId: row.toOrganizationId, status, outcome, actorUserId: scope.actor.userId, actorOrganizationId: scope.organizationId, noteSealed: note, createdAt: sql`clock_timestamp()` });
		const final = status === 'declined' || status === 'redirected' || status === 'completed' || status === 'closed';
		await tx
			.update(referrals)
			.set({
				status,
				statusChangedAt: sql`now()`,
				...(status === 'accepted' ? { acceptedAt: sql`now()` } : {}),
				...(status === 'first_contact' ? { firstContactAt: sql`now()` } : {}),
				...(final ? { closedAt: sql`now()` } : {}),
				...(outcome ? { outcome } : {}),
				...(redirectOrganizationId ? { redirectOrganizationId } : {})
			})
			.where(eq(referrals.id, row.id));
		await recordAudit(tx, scope.origin, { action: `referral.${status}`, organizationId: scope.organizationId, entityType: REFERRAL_ENTITY, entityId: row.id, changedFields: ['status', ...(outcome ? ['outcome'] : []), ...(note ? ['note'] : [])] });
		return ok({ status, row });
	});
	if (!done.ok) return done;
	notifyStep(done.value.row, done.value.status, scope.actor.userId);
	return ok({ status: done.value.status });
}
