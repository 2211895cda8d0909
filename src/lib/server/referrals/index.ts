/** The referrals module's door: closed-loop referrals between organisations. */
export { referrals, referralItems, referralEvents, referralQueue, REFERRAL_STATUSES, REFERRAL_OUTCOMES, CONTACT_PREFERENCES, REFERRAL_SOURCES, QUEUE_REASONS } from './schema';
export type { ReferralStatus, ReferralOutcome, ContactPreference, ReferralSource, QueueReason } from './schema';
export { REFERRAL_ACTIONS, STATUS_AFTER, FINAL_STATUSES, allowedActions, transition, type ReferralAction, type Side, type TransitionRefusal } from './status';
export { sendForm, sendFormValues, sendInputOf, sourceOf, stepForm, NOTE_MAX, SEND_FIELDS, type SendInput, type StepInput, type ReferralSourceRef } from './model';
export { referralForm, sendReferral, REFERRAL_ENTITY, type ReferralForm, type FormConsent, type SendRefusal, type SourceRefusal, type Sent } from './send';
export { referralsOf, openReferral, takeReferralStep, type ReferralLists, type ReferralListRow, type ReferralView, type TimelineEntry, type OpenRefusal, type StepRefusal } from './receive';
export { referralMailsSettled, referralLink } from './notify';
