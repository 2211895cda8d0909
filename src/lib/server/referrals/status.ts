/**
 * The referral's steps as a state machine (HL7 FHIR SDOH referral Task, simplified): who may take
 * which step from which status. sent → accepted / declined / redirected; accepted → first contact
 * → ongoing → completed (or completed straight after the first contact); either side may close a
 * referral still open, with an outcome. Declined, redirected, completed and closed are final.
 */
import { ok, refused, type Result } from '../scope';
import type { ReferralStatus } from './schema';

export const REFERRAL_ACTIONS = ['accept', 'decline', 'redirect', 'first_contact', 'ongoing', 'complete', 'close'] as const;
export type ReferralAction = (typeof REFERRAL_ACTIONS)[number];

export type Side = 'sender' | 'receiver';

/** The status each step leads to. */
export const STATUS_AFTER: Record<ReferralAction, ReferralStatus> = {
	accept: 'accepted',
	decline: 'declined',
	redirect: 'redirected',
	first_contact: 'first_contact',
	ongoing: 'ongoing',
	complete: 'completed',
	close: 'closed'
};

const FROM: Record<ReferralAction, readonly ReferralStatus[]> = {
	accept: ['sent'],
	decline: ['sent'],
	redirect: ['sent'],
	first_contact: ['accepted'],
	ongoing: ['first_contact'],
	complete: ['first_contact', 'ongoing'],
	close: ['sent', 'accepted', 'first_contact', 'ongoing']
};

/** Closing is for both sides; every other step is the receiver's. */
const BY: Record<ReferralAction, readonly Side[]> = {
	accept: ['receiver'],
	decline: ['receiver'],
	redirect: ['receiver'],
	first_contact: ['receiver'],
	ongoing: ['receiver'],
	complete: ['receiver'],
	close: ['sender', 'receiver']
};

/** Statuses after which nothing more happens. */
export const FINAL_STATUSES: readonly ReferralStatus[] = ['declined', 'redirected', 'completed', 'closed'];

export type TransitionRefusal = 'not_your_step' | 'illegal_transition';

/** The status `action` leads to from `status` when `side` takes it, or why not. */
export function transition(status: ReferralStatus, action: ReferralAction, side: Side): Result<ReferralStatus, TransitionRefusal> {
	if (!BY[action].includes(side)) return refused('not_your_step');
	if (!FROM[action].includes(status)) return refused('illegal_transition');
	return ok(STATUS_AFTER[action]);
}

/**
 * The steps `side` may take now. Once the person withdrew their consent (or it ended), only
 * closing is left: nobody acts on the referral any more.
 */
export function allowedActions(status: ReferralStatus, side: Side, consentEnded = false): ReferralAction[] {
	return REFERRAL_ACTIONS.filter((a) => transition(status, a, side).ok && (!consentEnded || a === 'close'));
}
