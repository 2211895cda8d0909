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
