/** The referrals module's door: closed-loop referrals between organisations. */
export { referrals, referralItems, referralEvents, referralQueue, REFERRAL_STATUSES, REFERRAL_OUTCOMES, CONTACT_PREFERENCES, REFERRAL_SOURCES, QUEUE_REASONS } from './schema';
export type { ReferralStatus, ReferralOutcome, ContactPreference, ReferralSource, QueueReason } from './schema';
export { queueStuckReferrals, referralAcceptDays, referralContactDays, DEFAULT_ACCEPT_DAYS, DEFAULT_CONTACT_DAYS, type QueueRun, type QueueJobInput } from './queue';
export { referralQueuePage, resolveQueueEntry, resolveInput, QUEUE_PAGE_LIMIT, type QueuePage, type QueueEntry, type ResolveRefusal } from './queue-page';
export {
	organizationReferralFigures,
	exportOrganizationReferralFigures,
	seesReferralFigures,
	networkReferralFigures,
	exportNetworkReferralFigures,
	referralFiguresCsv,
	networkReferralFiguresCsv,
	referralCountedLabel,
	emptyReferralFigures,
	REFERRAL_COUNTED,
	type ReferralFigures,
	type OrganizationReferralFigures,
	type NetworkReferralFigures,
	type SuppressedReferralFigures,
	type ReferralCounted,
	type ReferralPeriod
} from './figures';
export { REFERRAL_ACTIONS, STATUS_AFTER, FINAL_STATUSES, allowedActions, transition, type ReferralAction, type Side, type TransitionRefusal } from './status';
export { sendForm, sendFormValues, sendInputOf, sourceOf, stepForm, NOTE_MAX, SEND_FIELDS, type SendInput, type StepInput, type ReferralSourceRef } from './model';
export { referralForm, sendReferral, REFERRAL_ENTITY, type ReferralForm, type FormConsent, type SendRefusal, type SourceRefusal, type Sent } from './send';
export { referralsOf, openReferral, takeReferralStep, type ReferralLists, type ReferralListRow, type ReferralView, type TimelineEntry, type OpenRefusal, type StepRefusal } from './receive';
export { referralMailsSettled, referralLink } from './notify';
